#pragma once
// What the callback sender does after one call: the acknowledgement rule and
// the retry schedule (exponential backoff with jitter, capped, with a maximum
// age). Pure: time and randomness come in as arguments.

#include <cstdint>
#include <string_view>

#include "store/model.h"

namespace bramka::notify {

struct RetryOptions {
  int64_t initial_backoff_ms = 10'000;        // after the first failed call
  int64_t max_backoff_ms = 3'600'000;         // the cap of the doubling
  int64_t max_age_ms = 3LL * 24 * 3'600'000;  // give up on entries this old
};

// The receiver acknowledged: HTTP 2xx and a body that is "OK" once trimmed
// of ASCII whitespace, in any letter case (spec §6: the customer answers OK).
bool IsAcknowledged(long http_status, std::string_view body);

// The delay before the next call after `attempts` failed calls (>= 1):
// d = min(max, initial * 2^(attempts-1)), then "equal jitter": d/2 + d/2 *
// jitter, with jitter in [0, 1) — so receivers that failed together do not
// come back together.
int64_t BackoffMs(int attempts, const RetryOptions& options, double jitter);

struct Decision {
  enum class Action { kAck, kRetry, kFail } action = Action::kRetry;
  int64_t next_attempt_ms = 0;  // kRetry
};

// After a call of `entry` (entry.attempts counts it) ending at `now_ms`:
// acknowledged -> kAck; else kRetry at now + backoff, but never later than
// created_ms + max_age (one last call at the deadline); once a call at or
// after that deadline fails -> kFail.
Decision Decide(const store::CallbackEntry& entry, bool acknowledged, int64_t now_ms,
                const RetryOptions& options, double jitter);

}  // namespace bramka::notify
