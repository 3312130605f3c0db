// PollOnce over a fake FTP directory, InMemoryStore and the real GatewayService:
// results, the after-actions, and exactly-once across failures at every step.
#include "ingest/ftp/processor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>

#include "store/testing/in_memory_store.h"

namespace bramka::ingest::ftp {
namespace {

class FakeFtp final : public FtpClient {
 public:
  std::map<std::string, std::string> files;
  int fail_download_of_call = -1;  // the Nth download breaks off
  int downloads = 0;
  std::atomic<bool>* stop_on_download = nullptr;  // set while a file is being fetched

  Result<std::vector<std::string>> List() override {
    std::vector<std::string> out;
    for (const auto& [n, d] : files) {
      if (n.find('/') == std::string::npos) out.push_back(n);  // not the subfolders' files
    }
    return out;
  }
  Result<std::string> Download(const std::string& name, size_t max_bytes) override {
    if (downloads++ == fail_download_of_call) return Fail(ErrorCode::kUnavailable, "gone");
    if (stop_on_download != nullptr) *stop_on_download = true;
    auto it = files.find(name);
    if (it == files.end()) return Fail(ErrorCode::kNotFound, "no file");
    if (it->second.size() > max_bytes) return Fail(ErrorCode::kRejected, "too large");
    return it->second;
  }
  Result<void> Upload(const std::string& name, const std::string& data) override {
    files[name] = data;
    return Ok();
  }
  Result<void> Remove(const std::string& name) override {
    return files.erase(name) ? Ok() : Fail(ErrorCode::kNotFound, "no file");
  }
  Result<void> MoveTo(const std::string& name, const std::string& dir) override {
    auto it = files.find(name);
    if (it == files.end()) return Fail(ErrorCode::kNotFound, "no file");
    files[dir + "/" + name] = it->second;
    files.erase(it);
    return Ok();
  }
};

// Fails the Nth RecordFtpLines / FinishFtpFile, as a crash there would leave it.
class FailingStore : public store::InMemoryStore {
 public:
  int fail_at = -1;
  int calls = 0;
  Result<void> RecordFtpLines(int64_t s, const std::string& n,
                              const std::vector<store::FtpLineResult>& l, int64_t now) override {
    if (calls++ == fail_at) return Fail(ErrorCode::kUnavailable, "injected");
    return InMemoryStore::RecordFtpLines(s, n, l, now);
  }
  Result<void> FinishFtpFile(int64_t s, const std::string& n, int64_t now) override {
    if (calls++ == fail_at) return Fail(ErrorCode::kUnavailable, "injected");
    return InMemoryStore::FinishFtpFile(s, n, now);
  }
};

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("a", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("a", store::MessageType::kEco, 1000, "").ok());
    ASSERT_TRUE(gw_->TopUp("a", store::MessageType::kFull, 1000, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("a", "ACME", store::SenderStatus::kAuthorized).ok());
    store::FtpSource s;
    s.account_id = store_.FindAccountByName("a")->id;
    s.host = "fake";
    s.text = "Numbers text";
    source_id_ = *store_.AddFtpSource(s);
    s.id = source_id_;
    source_ = s;
  }
  int64_t Messages() {
    int64_t n = 0;
    auto counts = store_.CountByStatus();
    for (const auto& [st, c] : *counts) n += c;
    return n;
  }
  Result<PollStats> Poll(ProcessorOptions o = {}) {
    return PollOnce(store_, *gw_, clock_, ftp_, source_, o);
  }

  FailingStore store_;
  FakeClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  FakeFtp ftp_;
  store::FtpSource source_;
  int64_t source_id_ = 0;
};

const char kFile[] =
    "500600700;Hello;ACME\n"
    "nonsense\n"
    "500600701;Eco one;\n"
    "500600702;Zażółć;ACME;1\n"
    "500600703;Unapproved;NOPE\n"
    "123;short number\n";

TEST_F(ProcessorTest, SendsGoodLinesReportsBadOnesAndDeletes) {
  ftp_.files["a.txt"] = kFile;
  ftp_.files["ignored.xls"] = "x";
  auto r = Poll();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->files, 1);
  EXPECT_EQ(Messages(), 3);
  EXPECT_FALSE(ftp_.files.count("a.txt"));
  EXPECT_TRUE(ftp_.files.count("ignored.xls"));
  const std::string result = ftp_.files["a.txt.result"];
  EXPECT_NE(result.find("1;500600700;OK;"), std::string::npos) << result;
  EXPECT_NE(result.find("2;nonsense;ERROR;the first column is not a phone number"),
            std::string::npos);
  EXPECT_NE(result.find("3;500600701;OK;"), std::string::npos);
  EXPECT_NE(result.find("4;500600702;OK;"), std::string::npos);
  EXPECT_NE(result.find("5;500600703;ERROR;sender name 'NOPE'"), std::string::npos) << result;
  EXPECT_NE(result.find("6;123;ERROR;"), std::string::npos) << result;
  auto src = store_.ListFtpSources(0);
  EXPECT_EQ((*src)[0].files_processed, 1);
  EXPECT_EQ((*src)[0].lines_processed, 6);

  // The same name again is not processed again (spec §8), only removed.
  ftp_.files["a.txt"] = kFile;
  ASSERT_TRUE(Poll().ok());
  EXPECT_EQ(Messages(), 3);
  EXPECT_FALSE(ftp_.files.count("a.txt"));
}

TEST_F(ProcessorTest, MoveAndKeep) {
  source_.after = store::FtpAfter::kMove;
  source_.move_dir = "done";
  ftp_.files["a.csv"] = "500600700\n500600701\n";
  ASSERT_TRUE(Poll().ok());
  EXPECT_TRUE(ftp_.files.count("done/a.csv"));
  EXPECT_EQ(Messages(), 2);
  source_.after = store::FtpAfter::kKeep;
  ftp_.files["b.txt"] = "500600702\n";
  ASSERT_TRUE(Poll().ok());
  ASSERT_TRUE(Poll().ok());
  EXPECT_TRUE(ftp_.files.count("b.txt"));
  EXPECT_EQ(Messages(), 3);
}

TEST_F(ProcessorTest, TooLargeAndTooMany) {
  ProcessorOptions o;
  o.max_file_bytes = 10;
  ftp_.files["big.txt"] = "500600700;this is longer than ten bytes\n";
  ASSERT_TRUE(Poll(o).ok());
  EXPECT_EQ(Messages(), 0);
  EXPECT_NE(ftp_.files["big.txt.result"].find("larger than 10 bytes"), std::string::npos);
  o.max_files = 1;
  ftp_.files["c.txt"] = "500600700\n";
  ftp_.files["d.txt"] = "500600700\n";
  auto r = Poll(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("more than 1"), std::string::npos);
  EXPECT_EQ(Messages(), 0);
}

// Every line exactly once whichever store write or download fails (a crash there).
class ExactlyOnceTest : public ProcessorTest, public ::testing::WithParamInterface<int> {};

TEST_P(ExactlyOnceTest, WhateverFails) {
  const int n = GetParam();
  std::string file;
  for (int i = 0; i < 25; ++i) {
    file += "5006007" + std::to_string(10 + i) + ";Text " + std::to_string(i) + "\n";
  }
  ftp_.files["x.txt"] = file;
  ProcessorOptions o;
  o.batch_size = 4;
  store_.fail_at = n;
  ftp_.fail_download_of_call = n % 3 == 0 ? 0 : -1;
  for (int attempt = 0; attempt < 5 && ftp_.files.count("x.txt"); ++attempt) (void)Poll(o);
  EXPECT_FALSE(ftp_.files.count("x.txt"));
  EXPECT_EQ(Messages(), 25);
  auto st = store_.GetFtpFile(source_id_, "x.txt");
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->done);
  EXPECT_EQ(st->lines.size(), 25u);
  EXPECT_EQ(store_.ListFtpSources(0)->at(0).lines_processed, 25);
}

INSTANTIATE_TEST_SUITE_P(FailAt, ExactlyOnceTest, ::testing::Range(0, 10));

TEST_F(ProcessorTest, StopsAfterTheBatchInProgressAndResumes) {
  std::string file;
  for (int i = 0; i < 10; ++i) file += "5006007" + std::to_string(10 + i) + ";T\n";
  ftp_.files["x.txt"] = file;
  // The stop (SIGTERM) arrives while the file is being processed.
  std::atomic<bool> cancel{false};
  ftp_.stop_on_download = &cancel;
  ProcessorOptions o;
  o.batch_size = 4;
  o.cancel = &cancel;
  EXPECT_FALSE(Poll(o).ok());
  ftp_.stop_on_download = nullptr;
  EXPECT_EQ(store_.GetFtpFile(source_id_, "x.txt")->lines.size(), 4u);
  EXPECT_TRUE(ftp_.files.count("x.txt"));
  cancel = false;
  ASSERT_TRUE(Poll(o).ok());
  EXPECT_EQ(Messages(), 10);
  EXPECT_FALSE(ftp_.files.count("x.txt"));
}

TEST(UniqueIdFor, ShortAndAlphanumeric) {
  const std::string a = UniqueIdFor(1, "a.txt", 7, 0);
  EXPECT_EQ(a.rfind("F1H", 0), 0u);
  EXPECT_NE(a, UniqueIdFor(1, "a.txt", 7, 1));
  EXPECT_NE(a, UniqueIdFor(2, "a.txt", 7, 0));
  EXPECT_NE(a, UniqueIdFor(1, "b.txt", 7, 0));
  const std::string big = UniqueIdFor(922337203685477580, "n", 2147483647, 2147483647);
  EXPECT_LE(big.size(), 50u);
  for (char c : big) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)));
}

}  // namespace
}  // namespace bramka::ingest::ftp
