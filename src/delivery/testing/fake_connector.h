#pragma once
// FakeConnector: a scriptable Connector for tests of the Dispatcher and of the
// layers that wire it (core, app). Follows connector.h: Send never blocks,
// each Send is answered once (synchronously by the script, or later by the
// test through AnswerHeld), Stop answers what is held with kTemporary.
//
// Thread-safe. Answers run without the fake's lock held (rule 3).

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "delivery/connector.h"
#include "store/store.h"

namespace bramka::delivery::testing {

class FakeConnector final : public Connector {
 public:
  // Decides the answer to one Send: a value answers at once, inside Send;
  // nullopt holds the Send until AnswerHeld (or Stop).
  using Script = std::function<std::optional<SendOutcome>(const store::Message&)>;

  // Ready from the start; by default accepts everything with upstream ids
  // "<name>-1", "<name>-2", ...
  explicit FakeConnector(std::string name);

  void SetScript(Script script);
  // Holds every Send (a black hole until AnswerHeld).
  void HoldAll();
  // Changes Ready() and, when started, reports it to the events sink.
  void SetReady(bool ready);
  // What Stop answers the held Sends (default: kTemporary "<name> stopped").
  void SetStopAnswer(SendOutcome outcome);
  // Answers the oldest held Send; false when none is held.
  bool AnswerHeld(SendOutcome outcome);
  size_t held() const;
  // Every message passed to Send, in order (including those refused as not ready).
  std::vector<store::Message> sends() const;
  // Waits (bounded) until at least `n` Sends were made.
  bool WaitForSends(size_t n, int timeout_ms) const;
  // Waits (bounded) until at least `n` Sends are held.
  bool WaitForHeld(size_t n, int timeout_ms) const;
  // The sink given to Start, or nullptr.
  ConnectorEvents* events() const;
  bool started() const;
  bool stopped() const;
  // The next default upstream id this fake would give.
  std::string NextUpstreamId();

  const std::string& name() const override { return name_; }
  Result<void> Start(ConnectorEvents& events) override;
  bool Ready() const override;
  void Send(const store::Message& message, SendCallback done) override;
  void Stop() override;

 private:
  const std::string name_;
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  Script script_;
  bool ready_ = true;
  bool started_ = false;
  bool stopped_ = false;
  ConnectorEvents* events_ = nullptr;
  uint64_t counter_ = 0;
  std::vector<store::Message> sends_;
  std::deque<SendCallback> held_;
  std::optional<SendOutcome> stop_answer_;
};

// A queued, due eco message "hello" to +48500100200 whose id is `n` as ten hex digits,
// queued and due at `now_ms` (for tests that accept messages one by one).
store::Message QueuedEcoMessage(unsigned n, int64_t now_ms);
// A new account "acme" in `store` with 100 eco units.
Result<store::AccountId> NewEcoAccount(store::Store& store, int64_t now_ms);

}  // namespace bramka::delivery::testing
