#pragma once
// LoginThrottle: refuses logins for a while after too many failed ones, so that
// passwords and tokens cannot be guessed at the speed of the network. Failures
// are counted per remote address and per username in a sliding window; when a
// key reaches its limit it is blocked for `block`, and every attempt on a
// blocked key is refused without checking the password (no argon2id cost, no
// oracle). A successful login forgets the username's failures (not the
// address's: an attacker with one valid account must not reset the counter
// that protects the others). docs/adr/0008.
//
// Pure apart from a mutex: time comes in as a SystemTime. Thread-safe.
// Memory: at most `max_tracked` keys; beyond that the stalest are dropped.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"

namespace bramka::core {

struct LoginThrottleOptions {
  int max_failures_per_address = 20;   // 0 = do not throttle by address
  int max_failures_per_username = 10;  // 0 = do not throttle by username
  std::chrono::seconds window{300};    // failures older than this are forgotten
  std::chrono::seconds block{300};     // how long a key stays blocked
  size_t max_tracked = 100'000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(LoginThrottleOptions options);

  // How long the address or the username (either may be empty) is still
  // blocked; zero when the attempt may go ahead. A refusal is counted.
  std::chrono::seconds Blocked(std::string_view address, std::string_view username, SystemTime now);
  // A failed password or token check from `address` for `username`.
  void RecordFailure(std::string_view address, std::string_view username, SystemTime now);
  // A successful login of `username`.
  void RecordSuccess(std::string_view username);

  uint64_t failures_total() const { return failures_.load(std::memory_order_relaxed); }
  uint64_t refused_total() const { return refused_.load(std::memory_order_relaxed); }
  // Keys blocked at `now` (a gauge).
  size_t BlockedKeys(SystemTime now);

 private:
  struct Entry {
    std::deque<SystemTime> failures;  // within the window, oldest first
    SystemTime blocked_until{};
    SystemTime last_seen{};
  };
  std::chrono::seconds BlockedLocked(const std::string& key, SystemTime now);
  void FailLocked(const std::string& key, int limit, SystemTime now);
  void TrimLocked(SystemTime now);

  const LoginThrottleOptions options_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> refused_{0};
  std::atomic<size_t> tracked_{0};  // entries_.size(), read without the lock
};

}  // namespace bramka::core
