#include "notify/policy.h"

#include <gtest/gtest.h>

namespace bramka::notify {
namespace {

TEST(IsAcknowledgedTest, TwoHundredsWithBodyOk) {
  EXPECT_TRUE(IsAcknowledged(200, "OK"));
  EXPECT_TRUE(IsAcknowledged(200, "ok"));
  EXPECT_TRUE(IsAcknowledged(204, " Ok\r\n"));
  EXPECT_TRUE(IsAcknowledged(299, "\tOK\n"));
  EXPECT_FALSE(IsAcknowledged(200, ""));
  EXPECT_FALSE(IsAcknowledged(200, "OK!"));
  EXPECT_FALSE(IsAcknowledged(200, "O K"));
  EXPECT_FALSE(IsAcknowledged(200, "NOT OK"));
  EXPECT_FALSE(IsAcknowledged(500, "OK"));
  EXPECT_FALSE(IsAcknowledged(302, "OK"));
  EXPECT_FALSE(IsAcknowledged(0, "OK"));  // no answer
}

TEST(BackoffTest, DoublesFromInitialUpToTheCap) {
  RetryOptions o;
  o.initial_backoff_ms = 1'000;
  o.max_backoff_ms = 10'000;
  // jitter 1.0 (the upper end) gives the full delay, 0 half of it.
  EXPECT_EQ(BackoffMs(1, o, 1.0), 1'000);
  EXPECT_EQ(BackoffMs(2, o, 1.0), 2'000);
  EXPECT_EQ(BackoffMs(3, o, 1.0), 4'000);
  EXPECT_EQ(BackoffMs(4, o, 1.0), 8'000);
  EXPECT_EQ(BackoffMs(5, o, 1.0), 10'000);
  EXPECT_EQ(BackoffMs(500, o, 1.0), 10'000);  // no overflow
  EXPECT_EQ(BackoffMs(1, o, 0.0), 500);
  EXPECT_EQ(BackoffMs(5, o, 0.0), 5'000);
  EXPECT_EQ(BackoffMs(3, o, 0.5), 3'000);
}

TEST(BackoffTest, JitterSpreadsWithinHalfAndWhole) {
  RetryOptions o;
  o.initial_backoff_ms = 10'000;
  for (double j = 0; j < 1; j += 0.01) {
    const int64_t d = BackoffMs(1, o, j);
    EXPECT_GE(d, 5'000);
    EXPECT_LE(d, 10'000);
  }
  EXPECT_LT(BackoffMs(1, o, 0.1), BackoffMs(1, o, 0.9));
}

TEST(DecideTest, AckRetryAndGiveUpAtTheMaximumAge) {
  RetryOptions o;
  o.initial_backoff_ms = 1'000;
  o.max_backoff_ms = 60'000;
  o.max_age_ms = 100'000;
  store::CallbackEntry e;
  e.created_ms = 1'000'000;
  e.attempts = 1;
  EXPECT_EQ(Decide(e, true, 1'000'010, o, 0.5).action, Decision::Action::kAck);
  Decision d = Decide(e, false, 1'000'010, o, 1.0);
  EXPECT_EQ(d.action, Decision::Action::kRetry);
  EXPECT_EQ(d.next_attempt_ms, 1'001'010);
  e.attempts = 3;
  EXPECT_EQ(Decide(e, false, 1'000'010, o, 1.0).next_attempt_ms, 1'004'010);
  // Near the deadline: one last call exactly at it, then give up.
  e.attempts = 10;
  d = Decide(e, false, 1'090'000, o, 1.0);
  EXPECT_EQ(d.action, Decision::Action::kRetry);
  EXPECT_EQ(d.next_attempt_ms, 1'100'000);
  EXPECT_EQ(Decide(e, false, 1'100'000, o, 1.0).action, Decision::Action::kFail);
  EXPECT_EQ(Decide(e, true, 1'200'000, o, 1.0).action,
            Decision::Action::kAck);  // late OK still counts
}

}  // namespace
}  // namespace bramka::notify
