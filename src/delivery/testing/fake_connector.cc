#include "delivery/testing/fake_connector.h"

#include <chrono>
#include <cstdio>
#include <utility>

namespace bramka::delivery::testing {

FakeConnector::FakeConnector(std::string name) : name_(std::move(name)) {
  script_ = [this](const store::Message&) -> std::optional<SendOutcome> {
    return SendOutcome::Accepted(NextUpstreamId());
  };
}

std::string FakeConnector::NextUpstreamId() {
  std::lock_guard lock(mu_);
  return name_ + "-" + std::to_string(++counter_);
}

void FakeConnector::SetScript(Script script) {
  std::lock_guard lock(mu_);
  script_ = std::move(script);
}

void FakeConnector::HoldAll() {
  SetScript([](const store::Message&) -> std::optional<SendOutcome> { return std::nullopt; });
}

void FakeConnector::SetReady(bool ready) {
  ConnectorEvents* events;
  {
    std::lock_guard lock(mu_);
    ready_ = ready;
    events = started_ && !stopped_ ? events_ : nullptr;
  }
  if (events != nullptr) events->OnReadyChanged(name_, ready);
}

bool FakeConnector::AnswerHeld(SendOutcome outcome) {
  SendCallback done;
  {
    std::lock_guard lock(mu_);
    if (held_.empty()) return false;
    done = std::move(held_.front());
    held_.pop_front();
  }
  done(std::move(outcome));
  return true;
}

size_t FakeConnector::held() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

std::vector<store::Message> FakeConnector::sends() const {
  std::lock_guard lock(mu_);
  return sends_;
}

bool FakeConnector::WaitForSends(size_t n, int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return sends_.size() >= n; });
}

bool FakeConnector::WaitForHeld(size_t n, int timeout_ms) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                      [&] { return held_.size() >= n; });
}

ConnectorEvents* FakeConnector::events() const {
  std::lock_guard lock(mu_);
  return events_;
}

bool FakeConnector::started() const {
  std::lock_guard lock(mu_);
  return started_;
}

bool FakeConnector::stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

Result<void> FakeConnector::Start(ConnectorEvents& events) {
  std::lock_guard lock(mu_);
  started_ = true;
  events_ = &events;
  return Ok();
}

bool FakeConnector::Ready() const {
  std::lock_guard lock(mu_);
  return ready_ && !stopped_;
}

void FakeConnector::Send(const store::Message& message, SendCallback done) {
  Script script;
  bool ready;
  {
    std::lock_guard lock(mu_);
    sends_.push_back(message);
    ready = ready_ && !stopped_;
    script = script_;
    cv_.notify_all();
  }
  if (!ready) {
    done(SendOutcome::Temporary(name_ + " is not ready"));
    return;
  }
  std::optional<SendOutcome> outcome = script(message);
  if (outcome.has_value()) {
    done(std::move(*outcome));
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      held_.push_back(std::move(done));
      cv_.notify_all();
      return;
    }
  }
  done(SendOutcome::Temporary(name_ + " stopped"));  // Stop ran meanwhile
}

void FakeConnector::SetStopAnswer(SendOutcome outcome) {
  std::lock_guard lock(mu_);
  stop_answer_ = std::move(outcome);
}

void FakeConnector::Stop() {
  std::deque<SendCallback> held;
  SendOutcome answer = SendOutcome::Temporary(name_ + " stopped");
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    held.swap(held_);
    if (stop_answer_) answer = *stop_answer_;
  }
  for (SendCallback& done : held) done(answer);
}

store::Message QueuedEcoMessage(unsigned n, int64_t now_ms) {
  store::Message m;
  char id[11];
  std::snprintf(id, sizeof id, "%010x", n);
  m.id = id;
  m.phone = "+48500100200";
  m.type = store::MessageType::kEco;
  m.text = "hello";
  m.cost_units = 1;
  m.queued_ms = m.due_ms = now_ms;
  m.status = store::MessageStatus::kQueued;
  return m;
}

Result<store::AccountId> NewEcoAccount(store::Store& store, int64_t now_ms) {
  BRAMKA_ASSIGN_OR_RETURN(store::AccountId account, store.CreateAccount("acme", "", 0, now_ms));
  BRAMKA_RETURN_IF_ERROR(
      store.AdjustBalance(account, store::MessageType::kEco, 100, "top-up", now_ms));
  return account;
}

}  // namespace bramka::delivery::testing
