#include "common/secret_box.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

namespace bramka {
namespace {

TEST(SecretBoxTest, KeyFileIsCreatedOnceAndSealsRoundTrip) {
  auto dir = std::filesystem::temp_directory_path() / ("bramka-sb-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "secret.key").string();
  std::filesystem::remove(path);
  auto a = SecretBox::OpenOrCreate(path);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 65);  // 64 hex digits and a newline
  const std::string sealed = a->Seal("pa$$wörd");
  EXPECT_EQ(sealed.rfind("v1:", 0), 0u);
  EXPECT_EQ(sealed.find("pa$$"), std::string::npos);
  EXPECT_NE(a->Seal("pa$$wörd"), sealed);  // a fresh nonce each time
  auto b = SecretBox::OpenOrCreate(path);  // the same key from the file
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b->Open(sealed), "pa$$wörd");

  std::array<unsigned char, SecretBox::kKeyBytes> other{};
  other.fill(7);
  EXPECT_EQ(SecretBox::FromKey(other).Open(sealed).error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(a->Open("plain").error().code, ErrorCode::kCorrupt);
  EXPECT_EQ(a->Open("v1:!!!").error().code, ErrorCode::kCorrupt);
  std::string tampered = sealed;
  tampered[10] = tampered[10] == '0' ? '1' : '0';  // another hex digit, another byte
  EXPECT_FALSE(a->Open(tampered).ok());

  std::ofstream(path, std::ios::trunc) << "short";
  EXPECT_EQ(SecretBox::OpenOrCreate(path).error().code, ErrorCode::kCorrupt);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bramka
