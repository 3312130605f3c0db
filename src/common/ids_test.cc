#include "common/ids.h"

#include <gtest/gtest.h>

#include <unordered_set>

namespace bramka {
namespace {

TEST(MessageIdCodecTest, IsABijectionOnSamples) {
  MessageIdCodec codec(12345);
  std::unordered_set<std::string> seen;
  for (uint64_t s = 0; s < 200'000; ++s) {
    std::string id = codec.Encode(s);
    ASSERT_TRUE(MessageIdCodec::IsWellFormed(id)) << id;
    ASSERT_EQ(codec.Decode(id), s);
    ASSERT_TRUE(seen.insert(id).second) << "repeat at " << s;
  }
  EXPECT_EQ(codec.Decode(codec.Encode(kMessageIdSpace - 1)), kMessageIdSpace - 1);
}

TEST(MessageIdCodecTest, ConsecutiveIdsLookUnrelated) {
  MessageIdCodec codec;
  EXPECT_NE(codec.Encode(1).substr(0, 6), codec.Encode(2).substr(0, 6));
  EXPECT_NE(MessageIdCodec(1).Encode(5), MessageIdCodec(2).Encode(5));
}

TEST(MessageIdCodecTest, WellFormedness) {
  EXPECT_TRUE(MessageIdCodec::IsWellFormed("aca3944055"));
  EXPECT_FALSE(MessageIdCodec::IsWellFormed("ACA3944055"));
  EXPECT_FALSE(MessageIdCodec::IsWellFormed("aca394405"));
  EXPECT_FALSE(MessageIdCodec::IsWellFormed("aca394405g"));
}

TEST(RandomHexTest, LengthAndAlphabet) {
  std::string t = RandomHex(16);
  EXPECT_EQ(t.size(), 32u);
  EXPECT_TRUE(t.find_first_not_of("0123456789abcdef") == std::string::npos);
  EXPECT_NE(t, RandomHex(16));
}

}  // namespace
}  // namespace bramka
