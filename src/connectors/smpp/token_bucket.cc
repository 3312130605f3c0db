#include "connectors/smpp/token_bucket.h"

#include <algorithm>

namespace bramka::smpp_client {

TokenBucket::TokenBucket(double rate, TimePoint now, double burst)
    : configured_(rate),
      rate_(rate),
      burst_(std::max(burst, 1.0)),
      tokens_(std::max(burst, 1.0)),
      last_(now),
      paused_until_(now),
      last_throttle_(now) {}

void TokenBucket::Refill(TimePoint now) {
  if (throttled_ && now - last_throttle_ >= kRecoverAfter) {
    // Recover a quarter of the configured rate per quiet period.
    double base = configured_ > 0 ? configured_ : 1000.0;  // unlimited: recover to 1000/s, then off
    rate_ = std::min(base, rate_ + std::max(base / 4, kMinRate));
    last_throttle_ = now;
    if (rate_ >= base) {
      rate_ = configured_;
      throttled_ = false;
    }
  }
  if (now > last_) {
    double seconds = std::chrono::duration<double>(now - last_).count();
    if (rate_ > 0) tokens_ = std::min(burst_, tokens_ + seconds * rate_);
    last_ = now;
  }
}

bool TokenBucket::TryTake(TimePoint now) {
  Refill(now);
  if (now < paused_until_) return false;
  if (rate_ <= 0) return true;
  if (tokens_ >= 1.0) {
    tokens_ -= 1.0;
    return true;
  }
  return false;
}

TokenBucket::TimePoint TokenBucket::NextAvailable(TimePoint now) {
  Refill(now);
  TimePoint at = now;
  if (rate_ > 0 && tokens_ < 1.0) {
    at = now +
         std::chrono::duration_cast<Duration>(
             std::chrono::duration<double>((1.0 - tokens_) / rate_)) +
         Duration(1);
  }
  return std::max(at, paused_until_);
}

void TokenBucket::Throttled(TimePoint now) {
  Refill(now);
  // Unlimited connectors learn a rate from the first throttle: what got through lately is
  // unknown, so start from a modest 10/s.
  double base = rate_ > 0 ? rate_ : 20.0;
  rate_ = std::max(kMinRate, base / 2);
  tokens_ = 0;
  paused_until_ = now + kPause;
  last_throttle_ = now;
  throttled_ = true;
}

}  // namespace bramka::smpp_client
