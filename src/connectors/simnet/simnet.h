#pragma once
// SimnetConnector: the built-in simulated mobile network, connector "simnet",
// the default route of a fresh install (so bramka works on one machine with
// no operator contract).
//
// It behaves like an operator's SMSC: it answers each submit after
// `submit_delay_ms` (accepted with a decimal message id, or rejected by a
// FailureRule), then after `receipt_delay_ms` reports a receipt (delivered, or
// undelivered with a spec §5 reason by a FailureRule). Like a real SMSC it
// keeps its receipts across a restart of bramka: Start() asks the store for
// the messages still kSent through "simnet" and reports their receipts too.
//
// Deterministic: the fate of a message is a hash of (seed, message id, rule)
// and, for temporary rejections only, the attempt number; so a message's
// receipt is the same before and after a restart, and a retry of a
// temporarily rejected message may succeed.
//
// Voice messages (type kVoice) are "played": with `voice_dir` set, a voice
// thread writes each delivered one to <voice_dir>/<id>.wav (espeak-ng renders a
// text; a WAV file from files/* is copied) before its receipt is scheduled, so a
// user can listen to what was sent. A failed rendering is logged; the message
// still counts as delivered (it is the simulator that failed, not the network).
// MMS messages are delivered like SMS.
//
// Threads: one timer thread, started by Start() and joined by Stop(); every
// Send answer and receipt runs on it, with no simnet lock held; and the voice
// thread (rendering only). Delays are
// real time (std::chrono::steady_clock: it simulates a network); the
// timestamps it reports come from the injected Clock. All methods are
// thread-safe.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <string>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "connectors/simnet/voice.h"
#include "delivery/connector.h"
#include "store/store.h"

namespace bramka::simnet {

inline constexpr char kSimnetName[] = "simnet";

// What happens to messages to numbers starting with `prefix`.
struct FailureRule {
  enum class Effect {
    kUndelivered,      // accepted, then an UNDELIV receipt with `reason`
    kRejectPermanent,  // the submit is refused for good: unsent with `reason`
    kRejectTemporary,  // the submit is refused for now: retried by the dispatcher
  };
  std::string prefix;  // E.164, "+48600000" (the '+' is optional)
  double rate = 1.0;   // share of matching messages affected, 0..1
  Effect effect = Effect::kUndelivered;
  // spec §5 reason; empty = "other_error" (kUndelivered) or "message_rejected".
  std::string reason;
};

// The documented test numbers (README.md): +48 600 000 1xx undelivered,
// 2xx rejected, 3xx temporarily rejected, 4xx undelivered half of the time.
std::vector<FailureRule> DefaultTestRules();

struct SimnetOptions {
  int submit_delay_ms = 0;                              // submit -> accepted/rejected
  int receipt_delay_ms = 500;                           // accepted -> receipt
  uint64_t seed = 1;                                    // fates; keep it stable across restarts
  std::vector<FailureRule> rules = DefaultTestRules();  // first matching rule that hits wins
  int resume_limit = 100'000;  // receipts re-scheduled at Start (kSent messages)
  // ---- voice (voice.h) ----
  // Where delivered voice messages are written as <message id>.wav (text-to-speech
  // rendered with espeak-ng, or the message's WAV file copied); empty = not at all.
  std::string voice_dir;
  SpeechOptions speech;
  // ---- incoming messages (simnet_mo.cc, docs/adr/0011) ----
  // Test numbers that reply on their own: a delivered message to a number
  // starting with this prefix is answered "Re: <its text>" from that number
  // to the message's sender after auto_reply_delay_ms (not when the sender is
  // empty). Empty = none.
  std::string auto_reply_prefix = "+486000009";
  int auto_reply_delay_ms = 500;
  // How often the store's queue of injected messages (bramka admin simnet mo,
  // messages/send_nd) is read; 0 = never.
  int mo_poll_ms = 200;
};

// kInvalidArgument for a negative delay, a rate outside 0..1 or a prefix that
// is not '+'/digits.
Result<void> ValidateSimnetOptions(const SimnetOptions& options);

// What the network does with one message. Pure; exposed for tests and for
// `bramka smsc`, which serves the same simulator over SMPP.
struct Fate {
  enum class Kind { kDelivered, kUndelivered, kRejectPermanent, kRejectTemporary };
  Kind kind = Kind::kDelivered;
  std::string reason;  // spec §5 reason for every kind but kDelivered
};
Fate DecideFate(const SimnetOptions& options, const std::string& phone,
                const std::string& message_id, int attempt);

class SimnetConnector final : public delivery::Connector {
 public:
  // Borrows `store` (read at Start for receipts to resume) and `clock`.
  SimnetConnector(store::Store& store, Clock& clock, SimnetOptions options);
  ~SimnetConnector() override;  // Stop()
  SimnetConnector(const SimnetConnector&) = delete;
  SimnetConnector& operator=(const SimnetConnector&) = delete;

  const std::string& name() const override { return name_; }
  // kInvalidArgument for bad options; the store's error if ListSentVia fails.
  Result<void> Start(delivery::ConnectorEvents& events) override;
  bool Ready() const override;
  void Send(const store::Message& message, delivery::SendCallback done) override;
  // Answers pending submits kTemporary; scheduled receipts are kept by the
  // "network" (the store still has the messages as kSent) and resumed by the
  // next Start.
  void Stop() override;

  // Receipts scheduled and not yet reported. For tests.
  size_t pending_receipts() const;

  // Delivers the store's queued injected messages now (the MO thread does it
  // every mo_poll_ms); returns how many were taken. Each is deleted from the
  // queue only after the events sink accepted it.
  int DeliverInjected();

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;
  struct Submit {
    std::string message_id;
    Fate fate;
    delivery::SendCallback done;
    // A voice message to render when voice_dir is set (voice.h).
    bool voice = false;
    store::AccountId account_id = 0;
    std::string text;
    std::string file_id;
  };
  // A delivered voice message waiting for the voice thread; its receipt is
  // scheduled once the WAV is written.
  struct VoiceJob {
    Submit submit;
    store::ReceiptUpdate receipt;
  };
  struct Timer {
    SteadyTime when;
    uint64_t seq = 0;              // FIFO among equal times
    uint64_t submit = 0;           // != 0: answer pending_submits_[submit]
    store::ReceiptUpdate receipt;  // else: report this (at_ms set when fired)
    bool operator>(const Timer& o) const { return when != o.when ? when > o.when : seq > o.seq; }
  };

  void Run();
  void RunMo();  // the MO thread: injected messages and auto-replies (simnet_mo.cc)
  // Under mu_: schedules the auto-reply of a message about to be accepted.
  void MaybeScheduleAutoReplyLocked(const store::Message& message, const Fate& fate);
  void AnswerSubmit(Submit submit);
  void RunVoice();
  void RenderVoice(const Submit& submit);
  void ScheduleLocked(SteadyTime when, uint64_t submit, store::ReceiptUpdate receipt);
  std::string NextUpstreamIdLocked();

  const std::string name_ = kSimnetName;
  store::Store& store_;
  Clock& clock_;
  const SimnetOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  delivery::ConnectorEvents* events_ = nullptr;
  bool ready_ = false;
  bool stopping_ = false;
  bool started_ = false;
  uint64_t next_seq_ = 1;
  uint64_t next_upstream_id_ = 0;
  std::map<uint64_t, Submit> pending_submits_;
  size_t pending_receipts_ = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  std::thread thread_;
  // ---- voice ----
  std::condition_variable voice_cv_;
  std::queue<VoiceJob> voice_jobs_;
  std::thread voice_thread_;
  // ---- incoming (simnet_mo.cc) ----
  std::condition_variable mo_cv_;
  std::multimap<SteadyTime, delivery::IncomingSms> auto_replies_;
  std::thread mo_thread_;
};

}  // namespace bramka::simnet
