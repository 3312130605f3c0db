#pragma once
// TokenBucket: the TPS limit of one SMSC connector, with the slow-down that
// ESME_RTHROTTLED asks for. Pure: time arrives as a steady time point. Not thread-safe.
//
// `rate` tokens per second, at most `burst` stored (1 by default: no bursts beyond the
// rate). Throttled(now) halves the current rate (never below `min_rate`) and pauses
// the bucket for `pause`; each `recover_after` without a throttle raises the rate by a
// quarter of the configured rate, back up to it. rate 0 = unlimited (Throttled still
// pauses).

#include <chrono>
#include <optional>

namespace bramka::smpp_client {

class TokenBucket {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  using Duration = std::chrono::steady_clock::duration;

  TokenBucket(double rate, TimePoint now, double burst = 1.0);

  // Takes one token if available.
  bool TryTake(TimePoint now);
  // When a token will be available (now if one is).
  TimePoint NextAvailable(TimePoint now);
  // ESME_RTHROTTLED was received at `now`.
  void Throttled(TimePoint now);

  double configured_rate() const { return configured_; }
  double current_rate() const { return rate_; }  // 0 = unlimited

  static constexpr double kMinRate = 0.5;
  static constexpr std::chrono::milliseconds kPause{1000};
  static constexpr std::chrono::seconds kRecoverAfter{5};

 private:
  void Refill(TimePoint now);

  double configured_;
  double rate_;
  double burst_;
  double tokens_;
  TimePoint last_;
  TimePoint paused_until_;
  TimePoint last_throttle_;
  bool throttled_ = false;
};

}  // namespace bramka::smpp_client
