#pragma once
// RetryPolicy: when a message that failed temporarily is tried again, and when
// bramka gives up on it (permanent failure, reason "message_expired", spec §5).
//
// Pure: no clock, no I/O, no hidden state. Time comes in as arguments and the
// jitter is a hash of (seed, message id, attempt), so the same inputs always
// give the same answer (tests, and two nodes agreeing) while different
// messages spread out. Thread-safe (const after construction).
//
// Backoff for attempt n (n >= 1, the number of claims so far, as counted by
// Store::ClaimDue) is
//     min(initial_backoff_ms * multiplier^(n-1), max_backoff_ms) * (1 ± jitter)
// and never below 1 ms.
//
// Expiry: a message is expired when `max_attempts` > 0 and it has been tried
// that many times, or when `max_age_ms` > 0 and `now - origin >= max_age_ms`,
// where origin is when it became due (its acceptance time).

#include <cstdint>
#include <string>
#include <string_view>

namespace bramka::delivery {

inline constexpr std::string_view kReasonMessageExpired = "message_expired";

struct RetryOptions {
  int64_t initial_backoff_ms = 1000;  // after the first failed attempt
  double multiplier = 2.0;            // >= 1
  int64_t max_backoff_ms = 300'000;   // 5 minutes cap
  double jitter = 0.2;                // ± fraction of the backoff, in [0, 1)
  // 0 = no limit. Store::ClaimDue counts every claim, including those that
  // found no connector ready, so a limit here would expire messages during an
  // SMSC outage; max_age_ms is the usual bound (like an SMSC validity period).
  int max_attempts = 0;
  int64_t max_age_ms = 48LL * 3600 * 1000;  // 48 hours; 0 = no limit
  uint64_t seed = 0x62726d6bULL;            // jitter seed
};

struct RetryDecision {
  bool give_up = false;     // true: mark unsent with `reason`
  int64_t next_due_ms = 0;  // when !give_up: try again at this time
  std::string reason;       // when give_up: "message_expired"
};

class RetryPolicy {
 public:
  RetryPolicy() = default;
  explicit RetryPolicy(RetryOptions options);

  const RetryOptions& options() const { return options_; }

  // The delay before attempt `attempts + 1`, jittered per message.
  int64_t BackoffMs(std::string_view message_id, int attempts) const;

  // Whether a message due since `origin_ms` and tried `attempts` times may
  // still be tried at `now_ms` (checked before sending a re-claimed message).
  bool Expired(int attempts, int64_t origin_ms, int64_t now_ms) const;

  // The decision after a temporary failure of attempt number `attempts`.
  // Gives up when Expired() now or when the next try would fall past max age.
  RetryDecision OnTemporaryFailure(std::string_view message_id, int attempts, int64_t origin_ms,
                                   int64_t now_ms) const;

 private:
  RetryOptions options_;
};

}  // namespace bramka::delivery
