#include "delivery/retry.h"

#include <algorithm>
#include <cmath>

namespace bramka::delivery {
namespace {

// SplitMix64 finaliser: a well-mixed 64-bit hash step.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Uniform in [0, 1), a pure function of its inputs.
double UnitHash(uint64_t seed, std::string_view id, int attempts) {
  uint64_t h = Mix(seed);
  for (unsigned char c : id) h = Mix(h ^ c);
  h = Mix(h ^ static_cast<uint64_t>(attempts));
  return static_cast<double>(h >> 11) * 0x1.0p-53;
}

}  // namespace

RetryPolicy::RetryPolicy(RetryOptions options) : options_(options) {
  options_.initial_backoff_ms = std::max<int64_t>(options_.initial_backoff_ms, 1);
  options_.max_backoff_ms = std::max(options_.max_backoff_ms, options_.initial_backoff_ms);
  options_.multiplier = std::max(options_.multiplier, 1.0);
  options_.jitter = std::clamp(options_.jitter, 0.0, 0.99);
}

int64_t RetryPolicy::BackoffMs(std::string_view message_id, int attempts) const {
  const int exponent = std::max(attempts, 1) - 1;
  const double cap = static_cast<double>(options_.max_backoff_ms);
  // pow() overflows to +inf for huge exponents; min() then picks the cap.
  const double base = std::min(static_cast<double>(options_.initial_backoff_ms) *
                                   std::pow(options_.multiplier, static_cast<double>(exponent)),
                               cap);
  const double u = UnitHash(options_.seed, message_id, attempts);  // [0, 1)
  const double factor = 1.0 + options_.jitter * (2.0 * u - 1.0);   // [1-j, 1+j)
  return std::max<int64_t>(1, static_cast<int64_t>(std::llround(base * factor)));
}

bool RetryPolicy::Expired(int attempts, int64_t origin_ms, int64_t now_ms) const {
  if (options_.max_attempts > 0 && attempts >= options_.max_attempts) return true;
  return options_.max_age_ms > 0 && now_ms - origin_ms >= options_.max_age_ms;
}

RetryDecision RetryPolicy::OnTemporaryFailure(std::string_view message_id, int attempts,
                                              int64_t origin_ms, int64_t now_ms) const {
  RetryDecision d;
  const int64_t next = now_ms + BackoffMs(message_id, attempts);
  if (Expired(attempts, origin_ms, now_ms) ||
      (options_.max_age_ms > 0 && next - origin_ms >= options_.max_age_ms)) {
    d.give_up = true;
    d.reason = std::string(kReasonMessageExpired);
    return d;
  }
  d.next_due_ms = next;
  return d;
}

}  // namespace bramka::delivery
