#include "core/credentials.h"

#include <gtest/gtest.h>

namespace bramka::core {
namespace {

TEST(CredentialsTest, PasswordHashVerifies) {
  auto hash = HashPassword("demo");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(*hash, "demo"));
  EXPECT_FALSE(VerifyPassword(*hash, "Demo"));
  EXPECT_FALSE(VerifyPassword("", "demo"));
}

TEST(CredentialsTest, TokensAreRandomAndHashedAsSha256) {
  std::string t = NewApiToken();
  EXPECT_EQ(t.size(), 32u);
  EXPECT_NE(t, NewApiToken());
  EXPECT_EQ(HashApiToken("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(CredentialsTest, CacheExpiresAndForgets) {
  CredentialCache cache(std::chrono::seconds(10));
  FakeClock clock;
  cache.Remember("a", "pw", 7, clock.Now());
  EXPECT_EQ(cache.Lookup("a", "pw", clock.Now()), 7);
  EXPECT_FALSE(cache.Lookup("a", "other", clock.Now()));
  clock.Advance(std::chrono::seconds(11));
  EXPECT_FALSE(cache.Lookup("a", "pw", clock.Now()));
  cache.Remember("a", "pw", 7, clock.Now());
  cache.Forget("a");
  EXPECT_FALSE(cache.Lookup("a", "pw", clock.Now()));
}

}  // namespace
}  // namespace bramka::core
