#include "core/login_throttle.h"

#include <algorithm>
#include <vector>

namespace bramka::core {
namespace {

std::string AddressKey(std::string_view a) { return "a\n" + std::string(a); }
std::string UserKey(std::string_view u) { return "u\n" + std::string(u); }

}  // namespace

LoginThrottle::LoginThrottle(LoginThrottleOptions options) : options_(options) {}

std::chrono::seconds LoginThrottle::BlockedLocked(const std::string& key, SystemTime now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return std::chrono::seconds(0);
  // reliability area: a wall clock that jumped back must not stretch a block beyond
  // `block` (it would lock a user out for the size of the jump).
  if (it->second.blocked_until - now > options_.block)
    it->second.blocked_until = now + options_.block;
  auto left = std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now);
  return std::max(left, std::chrono::seconds(1));
}

std::chrono::seconds LoginThrottle::Blocked(std::string_view address, std::string_view username,
                                            SystemTime now) {
  // Every API request asks: with no failure on record, answer without the lock.
  if (tracked_.load(std::memory_order_acquire) == 0) return std::chrono::seconds(0);
  std::lock_guard lock(mu_);
  std::chrono::seconds left{0};
  if (options_.max_failures_per_address > 0 && !address.empty()) {
    left = std::max(left, BlockedLocked(AddressKey(address), now));
  }
  if (options_.max_failures_per_username > 0 && !username.empty()) {
    left = std::max(left, BlockedLocked(UserKey(username), now));
  }
  if (left.count() > 0) refused_.fetch_add(1, std::memory_order_relaxed);
  return left;
}

void LoginThrottle::FailLocked(const std::string& key, int limit, SystemTime now) {
  Entry& e = entries_[key];
  e.last_seen = now;
  while (!e.failures.empty() && e.failures.front() <= now - options_.window) e.failures.pop_front();
  e.failures.push_back(now);
  if (static_cast<int>(e.failures.size()) >= limit) {
    e.blocked_until = now + options_.block;
    e.failures.clear();
  }
}

void LoginThrottle::RecordFailure(std::string_view address, std::string_view username,
                                  SystemTime now) {
  failures_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mu_);
  if (options_.max_failures_per_address > 0 && !address.empty()) {
    FailLocked(AddressKey(address), options_.max_failures_per_address, now);
  }
  if (options_.max_failures_per_username > 0 && !username.empty()) {
    FailLocked(UserKey(username), options_.max_failures_per_username, now);
  }
  if (entries_.size() > options_.max_tracked) TrimLocked(now);
  tracked_.store(entries_.size(), std::memory_order_release);
}

void LoginThrottle::RecordSuccess(std::string_view username) {
  if (username.empty()) return;
  std::lock_guard lock(mu_);
  auto it = entries_.find(UserKey(username));
  // A blocked username stays blocked (the success cannot happen while
  // blocked anyway); only its count of recent failures is forgotten.
  if (it != entries_.end()) it->second.failures.clear();
}

void LoginThrottle::TrimLocked(SystemTime now) {
  // First whatever is neither blocked nor has recent failures...
  for (auto it = entries_.begin(); it != entries_.end();) {
    const Entry& e = it->second;
    const bool stale = e.blocked_until <= now &&
                       (e.failures.empty() || e.failures.back() <= now - options_.window);
    it = stale ? entries_.erase(it) : std::next(it);
  }
  if (entries_.size() <= options_.max_tracked) return;
  // ...then the least recently seen half.
  std::vector<std::pair<SystemTime, std::string>> by_age;
  by_age.reserve(entries_.size());
  for (const auto& [key, e] : entries_) by_age.emplace_back(e.last_seen, key);
  const size_t drop = entries_.size() - options_.max_tracked / 2;
  std::nth_element(by_age.begin(), by_age.begin() + static_cast<std::ptrdiff_t>(drop),
                   by_age.end());
  for (size_t i = 0; i < drop; ++i) entries_.erase(by_age[i].second);
}

size_t LoginThrottle::BlockedKeys(SystemTime now) {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [key, e] : entries_) n += e.blocked_until > now;
  return n;
}

}  // namespace bramka::core
