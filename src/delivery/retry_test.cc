#include "delivery/retry.h"

#include <gtest/gtest.h>

#include <set>

namespace bramka::delivery {
namespace {

RetryOptions NoJitter() {
  RetryOptions o;
  o.initial_backoff_ms = 1000;
  o.multiplier = 2.0;
  o.max_backoff_ms = 10'000;
  o.jitter = 0.0;
  o.max_attempts = 0;
  o.max_age_ms = 0;
  return o;
}

TEST(RetryPolicyTest, ExponentialBackoffWithCap) {
  RetryPolicy p(NoJitter());
  EXPECT_EQ(p.BackoffMs("a", 1), 1000);
  EXPECT_EQ(p.BackoffMs("a", 2), 2000);
  EXPECT_EQ(p.BackoffMs("a", 3), 4000);
  EXPECT_EQ(p.BackoffMs("a", 4), 8000);
  EXPECT_EQ(p.BackoffMs("a", 5), 10'000);
  EXPECT_EQ(p.BackoffMs("a", 500), 10'000);  // pow overflow still capped
  EXPECT_EQ(p.BackoffMs("a", 0), 1000);      // attempts < 1 treated as the first
}

TEST(RetryPolicyTest, JitterStaysInBandIsDeterministicAndSpreads) {
  RetryOptions o = NoJitter();
  o.jitter = 0.25;
  o.seed = 7;
  RetryPolicy p(o);
  std::set<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "msg" + std::to_string(i);
    const int64_t b = p.BackoffMs(id, 3);  // base 4000
    EXPECT_GE(b, 3000) << id;
    EXPECT_LE(b, 5000) << id;
    EXPECT_EQ(b, p.BackoffMs(id, 3)) << "same inputs, same answer";
    seen.insert(b);
  }
  EXPECT_GT(seen.size(), 100u) << "messages should not retry in lockstep";

  o.seed = 8;
  RetryPolicy other(o);
  int differ = 0;
  for (int i = 0; i < 50; ++i) {
    const std::string id = "msg" + std::to_string(i);
    differ += p.BackoffMs(id, 3) != other.BackoffMs(id, 3);
  }
  EXPECT_GT(differ, 40) << "the seed changes the jitter";
}

TEST(RetryPolicyTest, RetriesUntilMaxAttempts) {
  RetryOptions o = NoJitter();
  o.max_attempts = 3;
  RetryPolicy p(o);
  auto d1 = p.OnTemporaryFailure("m", 1, 0, 5000);
  EXPECT_FALSE(d1.give_up);
  EXPECT_EQ(d1.next_due_ms, 6000);
  auto d2 = p.OnTemporaryFailure("m", 2, 0, 7000);
  EXPECT_FALSE(d2.give_up);
  EXPECT_EQ(d2.next_due_ms, 9000);
  auto d3 = p.OnTemporaryFailure("m", 3, 0, 9000);
  EXPECT_TRUE(d3.give_up);
  EXPECT_EQ(d3.reason, "message_expired");
}

TEST(RetryPolicyTest, GivesUpWhenOldOrWhenTheNextTryWouldBeTooOld) {
  RetryOptions o = NoJitter();
  o.max_age_ms = 60'000;
  RetryPolicy p(o);
  const int64_t origin = 1'000'000;
  EXPECT_FALSE(p.OnTemporaryFailure("m", 1, origin, origin + 1000).give_up);
  EXPECT_TRUE(p.OnTemporaryFailure("m", 1, origin, origin + 60'000).give_up);
  // attempt 4: backoff 8 s would land at 62 s of age.
  EXPECT_TRUE(p.OnTemporaryFailure("m", 4, origin, origin + 54'000).give_up);
  EXPECT_FALSE(p.OnTemporaryFailure("m", 4, origin, origin + 51'000).give_up);
}

TEST(RetryPolicyTest, ExpiredChecksAttemptsAndAge) {
  RetryOptions o = NoJitter();
  o.max_attempts = 5;
  o.max_age_ms = 1000;
  RetryPolicy p(o);
  EXPECT_FALSE(p.Expired(4, 0, 999));
  EXPECT_TRUE(p.Expired(5, 0, 0));
  EXPECT_TRUE(p.Expired(1, 0, 1000));

  RetryPolicy unlimited(NoJitter());
  EXPECT_FALSE(unlimited.Expired(1'000'000, 0, int64_t{1} << 50));
}

TEST(RetryPolicyTest, DefaultsAreSane) {
  RetryPolicy p;
  EXPECT_EQ(p.options().max_attempts, 0);
  EXPECT_EQ(p.options().max_age_ms, 48LL * 3600 * 1000);
  const int64_t first = p.BackoffMs("abcdef0123", 1);
  EXPECT_GE(first, 800);
  EXPECT_LE(first, 1200);
  EXPECT_LE(p.BackoffMs("abcdef0123", 40), 360'000);
}

TEST(RetryPolicyTest, OutOfRangeOptionsAreClamped) {
  RetryOptions o;
  o.initial_backoff_ms = 0;
  o.multiplier = 0.5;
  o.max_backoff_ms = -1;
  o.jitter = 3.0;
  RetryPolicy p(o);
  EXPECT_GE(p.BackoffMs("x", 1), 1);
  EXPECT_GE(p.options().multiplier, 1.0);
  EXPECT_LT(p.options().jitter, 1.0);
}

}  // namespace
}  // namespace bramka::delivery
