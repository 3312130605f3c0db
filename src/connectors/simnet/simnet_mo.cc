// SimnetConnector: incoming messages (docs/adr/0011). The simulated network
// delivers what `bramka admin simnet mo` and messages/send_nd(i) queued in the
// store, and lets its auto-reply test numbers answer the messages they get.

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "connectors/simnet/simnet.h"

namespace bramka::simnet {

void SimnetConnector::MaybeScheduleAutoReplyLocked(const store::Message& message,
                                                   const Fate& fate) {
  if (options_.auto_reply_prefix.empty() || message.sender.empty()) return;
  if (fate.kind != Fate::Kind::kDelivered) return;
  if (message.phone.rfind(options_.auto_reply_prefix, 0) != 0) return;
  delivery::IncomingSms sms;
  sms.connector = name_;
  sms.from = message.phone;
  sms.to = message.sender;
  sms.text = "Re: " + message.text.substr(0, 100);
  auto_replies_.emplace(
      std::chrono::steady_clock::now() +
          std::chrono::milliseconds(options_.submit_delay_ms + options_.auto_reply_delay_ms),
      std::move(sms));
  mo_cv_.notify_all();
}

int SimnetConnector::DeliverInjected() {
  delivery::ConnectorEvents* events = nullptr;
  {
    std::lock_guard lock(mu_);
    events = events_;
  }
  if (events == nullptr) return 0;
  auto queued = store_.ListInjectedMo(100);
  if (!queued.ok()) {
    spdlog::warn("simnet: reading injected messages failed: {}", queued.error().ToString());
    return 0;
  }
  int n = 0;
  for (const store::InjectedMo& mo : *queued) {
    delivery::IncomingSms sms;
    sms.connector = name_;
    sms.from = mo.from;
    sms.to = mo.to;
    sms.text = mo.text;
    sms.at_ms = ToUnixMillis(clock_.Now());
    auto handled = events->OnIncoming(std::move(sms));
    if (!handled.ok()) {
      spdlog::warn("simnet: injected message {} not taken (kept): {}", mo.id,
                   handled.error().ToString());
      break;
    }
    // At least once: a crash before this delete delivers it again.
    if (auto d = store_.DeleteInjectedMo(mo.id); !d.ok()) {
      spdlog::warn("simnet: injected message {} not removed: {}", mo.id, d.error().ToString());
    }
    ++n;
  }
  return n;
}

// The MO thread. Auto-replies live in memory only: a restart forgets the ones
// not yet sent (a test number's whim, not a customer's message).
void SimnetConnector::RunMo() {
  const auto poll = std::chrono::milliseconds(std::max(options_.mo_poll_ms, 10));
  auto next_poll = std::chrono::steady_clock::now();
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto now = std::chrono::steady_clock::now();
    if (options_.mo_poll_ms > 0 && now >= next_poll) {
      lock.unlock();
      DeliverInjected();
      lock.lock();
      next_poll = std::chrono::steady_clock::now() + poll;
      continue;
    }
    if (!auto_replies_.empty() && auto_replies_.begin()->first <= now) {
      delivery::IncomingSms sms = std::move(auto_replies_.begin()->second);
      auto_replies_.erase(auto_replies_.begin());
      delivery::ConnectorEvents* events = events_;
      lock.unlock();
      sms.at_ms = ToUnixMillis(clock_.Now());
      auto handled = events->OnIncoming(sms);
      if (!handled.ok()) {
        spdlog::warn("simnet: auto-reply from {} not taken: {}", sms.from,
                     handled.error().ToString());
      }
      lock.lock();
      continue;
    }
    auto wake = options_.mo_poll_ms > 0 ? next_poll : now + std::chrono::hours(1);
    if (!auto_replies_.empty()) wake = std::min(wake, auto_replies_.begin()->first);
    mo_cv_.wait_until(lock, wake);
  }
}

}  // namespace bramka::simnet
