#include "ingest/ftp/source_config.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

namespace bramka::ingest::ftp {
namespace {

class SourceConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("bramka-key-" + std::to_string(::getpid()) + ".key"))
                .string();
    std::filesystem::remove(path_);
    auto b = SecretBox::FromKeyFile(path_, true);
    ASSERT_TRUE(b.ok()) << b.error().ToString();
    box_ = std::make_unique<SecretBox>(*b);
  }
  void TearDown() override { std::filesystem::remove(path_); }
  std::string path_;
  std::unique_ptr<SecretBox> box_;
};

TEST_F(SourceConfigTest, ParsesTheUrlAndSealsThePassword) {
  SourceRequest r;
  r.url = "ftp://jan:p%40ss:w0rd@127.0.0.1:2121/out/sms/";
  r.tls = "explicit";
  r.ca_file = "/tmp/ca.pem";
  auto s = BuildSource(7, r, *box_, 1);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->username, "jan");
  EXPECT_EQ(s->host, "127.0.0.1");
  EXPECT_EQ(s->port, 2121);
  EXPECT_EQ(s->directory, "out/sms");
  EXPECT_EQ(s->tls, store::FtpTls::kExplicit);
  EXPECT_EQ(s->password_sealed.find("p@ss"), std::string::npos);
  EXPECT_EQ(*box_->Open(s->password_sealed), "p@ss:w0rd");
  EXPECT_EQ(DescribeSource(*s).find("p@ss"), std::string::npos);
  // Another key cannot open it; the same key file opens it again.
  auto again = SecretBox::FromKeyFile(path_, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->Open(s->password_sealed), "p@ss:w0rd");
  EXPECT_FALSE(box_->Open("v1:00").ok());
}

TEST_F(SourceConfigTest, DefaultsAndImplicitTls) {
  SourceRequest r;
  r.url = "ftps://u:p@host";
  auto s = BuildSource(1, r, *box_, 1);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->port, 990);
  EXPECT_EQ(s->tls, store::FtpTls::kImplicit);
  EXPECT_EQ(s->directory, "");
}

TEST_F(SourceConfigTest, RefusesBadInput) {
  auto bad = [&](SourceRequest r, const std::string& what) {
    auto s = BuildSource(1, r, *box_, 1);
    ASSERT_FALSE(s.ok()) << r.url;
    EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
    EXPECT_EQ(s.error().message.find("secretpw"), std::string::npos);
  };
  SourceRequest r;
  r.url = "http://u:secretpw@h/";
  bad(r, "ftp://");
  r.url = "ftp://h/";
  bad(r, "USER:PASSWORD");
  r.url = "ftp://u@h/";
  bad(r, "no password");
  r.url = "ftp://u:secretpw@h:99999/";
  bad(r, "port");
  r.url = "ftp://u:secretpw@h/";
  r.tls = "maybe";
  bad(r, "--tls");
  r.tls = "none";
  r.ca_file = "x";
  bad(r, "--ca");
  r.ca_file = "";
  r.after = "burn";
  bad(r, "--after");
  r.after = "move";
  r.move_dir = "../x";
  bad(r, "--move-dir");
  r.move_dir = "done";
  r.interval_s = 0;
  bad(r, "--interval");
}

}  // namespace
}  // namespace bramka::ingest::ftp
