#include "notify/policy.h"

#include <algorithm>
#include <cctype>

namespace bramka::notify {

bool IsAcknowledged(long http_status, std::string_view body) {
  if (http_status < 200 || http_status > 299) return false;
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
  };
  while (!body.empty() && space(body.front())) body.remove_prefix(1);
  while (!body.empty() && space(body.back())) body.remove_suffix(1);
  return body.size() == 2 && std::toupper(static_cast<unsigned char>(body[0])) == 'O' &&
         std::toupper(static_cast<unsigned char>(body[1])) == 'K';
}

int64_t BackoffMs(int attempts, const RetryOptions& o, double jitter) {
  int64_t d = std::max<int64_t>(o.initial_backoff_ms, 1);
  for (int i = 1; i < attempts && d < o.max_backoff_ms; ++i) d *= 2;
  d = std::min(d, std::max<int64_t>(o.max_backoff_ms, 1));
  jitter = std::clamp(jitter, 0.0, 1.0);
  return d / 2 + static_cast<int64_t>(static_cast<double>(d - d / 2) * jitter);
}

Decision Decide(const store::CallbackEntry& e, bool acknowledged, int64_t now_ms,
                const RetryOptions& o, double jitter) {
  if (acknowledged) return {Decision::Action::kAck, 0};
  const int64_t deadline = e.created_ms + o.max_age_ms;
  if (now_ms >= deadline) return {Decision::Action::kFail, 0};
  const int64_t next = now_ms + BackoffMs(std::max(e.attempts, 1), o, jitter);
  return {Decision::Action::kRetry, std::min(next, deadline)};
}

}  // namespace bramka::notify
