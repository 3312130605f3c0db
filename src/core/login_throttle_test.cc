#include "core/login_throttle.h"

#include <gtest/gtest.h>

namespace bramka::core {
namespace {

using std::chrono::seconds;

const SystemTime kT0 = SystemTime(seconds(1'700'000'000));

LoginThrottleOptions Options() {
  LoginThrottleOptions o;
  o.max_failures_per_address = 5;
  o.max_failures_per_username = 3;
  o.window = seconds(60);
  o.block = seconds(120);
  return o;
}

TEST(LoginThrottleTest, BlocksAUsernameAfterItsLimitForTheBlockTime) {
  LoginThrottle t(Options());
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(t.Blocked("10.0.0.1", "alice", kT0).count(), 0);
    t.RecordFailure("10.0.0.1", "alice", kT0);
  }
  EXPECT_EQ(t.Blocked("10.0.0.2", "alice", kT0).count(), 0);
  t.RecordFailure("10.0.0.2", "alice", kT0 + seconds(1));
  // Blocked from every address, for block seconds after the last failure.
  EXPECT_EQ(t.Blocked("10.9.9.9", "alice", kT0 + seconds(1)), seconds(120));
  EXPECT_EQ(t.Blocked("10.9.9.9", "alice", kT0 + seconds(100)), seconds(21));
  EXPECT_EQ(t.Blocked("10.9.9.9", "bob", kT0 + seconds(1)).count(), 0);
  EXPECT_EQ(t.Blocked("10.9.9.9", "alice", kT0 + seconds(121)).count(), 0);
  EXPECT_EQ(t.refused_total(), 2u);
  EXPECT_EQ(t.failures_total(), 3u);
}

TEST(LoginThrottleTest, BlocksAnAddressWhateverTheUsername) {
  LoginThrottle t(Options());
  for (int i = 0; i < 5; ++i) t.RecordFailure("10.0.0.1", "user" + std::to_string(i), kT0);
  EXPECT_GT(t.Blocked("10.0.0.1", "someone", kT0).count(), 0);
  EXPECT_GT(t.Blocked("10.0.0.1", "", kT0).count(), 0);  // tokens too
  EXPECT_EQ(t.Blocked("10.0.0.2", "someone", kT0).count(), 0);
  EXPECT_EQ(t.BlockedKeys(kT0), 1u);
}

TEST(LoginThrottleTest, FailuresOutsideTheWindowAreForgotten) {
  LoginThrottle t(Options());
  t.RecordFailure("a", "alice", kT0);
  t.RecordFailure("a", "alice", kT0 + seconds(30));
  t.RecordFailure("a", "alice", kT0 + seconds(61));  // the first has expired
  EXPECT_EQ(t.Blocked("b", "alice", kT0 + seconds(61)).count(), 0);
  t.RecordFailure("a", "alice", kT0 + seconds(62));
  EXPECT_GT(t.Blocked("b", "alice", kT0 + seconds(62)).count(), 0);
}

TEST(LoginThrottleTest, SuccessForgetsTheUsernameButNotTheAddress) {
  LoginThrottle t(Options());
  t.RecordFailure("a", "alice", kT0);
  t.RecordFailure("a", "alice", kT0);
  t.RecordSuccess("alice");
  t.RecordFailure("a", "alice", kT0);
  EXPECT_EQ(t.Blocked("z", "alice", kT0).count(), 0);
  t.RecordFailure("a", "bob", kT0);
  t.RecordFailure("a", "carol", kT0);  // the address's fifth
  EXPECT_GT(t.Blocked("a", "alice", kT0).count(), 0);
}

TEST(LoginThrottleTest, ZeroLimitsDisableAKey) {
  LoginThrottleOptions o = Options();
  o.max_failures_per_address = 0;
  o.max_failures_per_username = 0;
  LoginThrottle t(o);
  for (int i = 0; i < 100; ++i) t.RecordFailure("a", "alice", kT0);
  EXPECT_EQ(t.Blocked("a", "alice", kT0).count(), 0);
}

TEST(LoginThrottleTest, TrackedKeysAreBounded) {
  LoginThrottleOptions o = Options();
  o.max_tracked = 100;
  LoginThrottle t(o);
  for (int i = 0; i < 1000; ++i) {
    t.RecordFailure("10.0." + std::to_string(i), "", kT0 + seconds(i));
  }
  // Stale entries went first; what remains is bounded.
  EXPECT_LE(t.BlockedKeys(kT0 + seconds(1000)), 100u);
}

// ---- reliability area (issue 12): clock jumps ----
TEST(LoginThrottleTest, ClockJumpsNeitherStretchNorSkipBlocks) {
  LoginThrottleOptions o = Options();
  LoginThrottle t(o);
  for (int i = 0; i < o.max_failures_per_username; ++i) t.RecordFailure("", "alice", kT0);
  ASSERT_GT(t.Blocked("", "alice", kT0).count(), 0);
  // The wall clock jumps back an hour: still blocked, but for at most `block`.
  const auto back = kT0 - std::chrono::hours(1);
  EXPECT_LE(t.Blocked("", "alice", back), o.block);
  EXPECT_GT(t.Blocked("", "alice", back).count(), 0);
  EXPECT_EQ(t.Blocked("", "alice", back + o.block).count(), 0);
  // A forward jump simply ends the block (it measures wall time).
  for (int i = 0; i < o.max_failures_per_username; ++i) t.RecordFailure("", "bob", kT0);
  EXPECT_EQ(t.Blocked("", "bob", kT0 + std::chrono::hours(2)).count(), 0);
}

}  // namespace
}  // namespace bramka::core
