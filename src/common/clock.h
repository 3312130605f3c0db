#pragma once
// Clock: the only way bramka's logic reads time, so tests can use FakeClock.
// Thread-safe: both implementations may be read from any thread.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace bramka {

using SystemTime = std::chrono::system_clock::time_point;
using Millis = std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time (timestamps shown to users, schedules).
  virtual SystemTime Now() const = 0;
  // Monotonic time, for how long something waited (never jumps with the wall clock;
  // docs/adr/0028).
  virtual SteadyTime SteadyNow() const { return std::chrono::steady_clock::now(); }
};

class SystemClock final : public Clock {
 public:
  SystemTime Now() const override { return std::chrono::system_clock::now(); }
};

// A clock that moves only when told to.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(SystemTime start = SystemTime(std::chrono::seconds(1'700'000'000)))
      : now_us_(std::chrono::duration_cast<std::chrono::microseconds>(start.time_since_epoch())
                    .count()) {}
  SystemTime Now() const override { return SystemTime(std::chrono::microseconds(now_us_.load())); }
  // Moves with Advance only: Set is a jump of the wall clock.
  SteadyTime SteadyNow() const override {
    return SteadyTime(std::chrono::microseconds(steady_us_.load()));
  }
  void Advance(std::chrono::microseconds d) {
    now_us_ += d.count();
    steady_us_ += d.count();
  }
  void Set(SystemTime t) {
    now_us_ = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  }

 private:
  std::atomic<int64_t> now_us_;
  std::atomic<int64_t> steady_us_{0};
};

// Milliseconds since the Unix epoch: the form every store column uses.
inline int64_t ToUnixMillis(SystemTime t) {
  return std::chrono::duration_cast<Millis>(t.time_since_epoch()).count();
}
inline SystemTime FromUnixMillis(int64_t ms) { return SystemTime(Millis(ms)); }

}  // namespace bramka
