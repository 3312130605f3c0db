#pragma once
// Connector: a way out of bramka (an SMPP client bound to an operator's SMSC,
// the built-in simulated network, ...). The Dispatcher is the only caller.
//
// CONTRACT. Every implementation follows these rules; the Dispatcher relies on
// them and on nothing else (after Kannel's gw/smscconn_p.h):
//
//  1. Send MUST NOT block. It MAY queue the message internally (a window of
//     outstanding submits, a TPS limit), but returns at once. It MUST copy what
//     it keeps of `message`; the reference is valid only during the call.
//  2. Every Send MUST be answered exactly once through its `done` callback, as
//     kAccepted (the upstream took it and gave it `upstream_id`), kTemporary
//     (not taken, may be tried again: throttled, window full, disconnected,
//     stopping) or kPermanent (refused for good; `reason` is a spec §5 reason,
//     e.g. "unsupported_number", "message_rejected", "wrong_number").
//     Never zero times, never twice; a second call is a bug and is ignored.
//  3. `done` MAY run on any thread, including synchronously inside Send. The
//     connector MUST NOT hold its own locks while it runs `done` or an events
//     method: the Dispatcher may call Send (of another connector) or the store
//     from inside them.
//  4. Ready() and Send() are thread-safe. Ready() is true when a Send now would
//     very likely be accepted (bound/connected, queue not full). Send while not
//     ready SHOULD be answered kTemporary at once.
//  5. Receipts are reported through ConnectorEvents::OnReceipt, matched by
//     (name(), upstream_id). They MAY repeat and MAY arrive for messages this
//     process never sent (a previous run's); the Dispatcher copes with both.
//     The upstream_id in a receipt MUST be spelled as in the kAccepted outcome
//     (its upstream_id or one of its part_ids: a part's receipt is reported as
//     it came; normalise hex/decimal/case in the connector). A connector whose
//     upstream repeats unacknowledged receipts (SMPP) MUST acknowledge a
//     receipt only when OnReceipt's completion says it is stored (true), and
//     answer a temporary error on false, so that a crash between the two never
//     loses a receipt (docs/adr/0019, "Receipts acknowledged after commit").
//     The completion runs once, on any thread: post back to the connector's
//     own thread. Without a link any more, answer nothing (the upstream
//     repeats it after the reconnect).
//  6. On a disconnect the connector MUST answer every Send it has not yet
//     answered (kTemporary) instead of holding it until reconnect, unless it
//     knows the upstream has taken it (then kAccepted).
//  7. Stop() MUST drain: stop taking new Sends (answer them kTemporary), answer
//     every outstanding Send (kAccepted or kTemporary) and stop calling events,
//     all before it returns. It SHOULD return within a few seconds.
//  8. A connector SHOULD call ConnectorEvents::OnReadyChanged when Ready()
//     changes, so that the Dispatcher can dispatch at once instead of at its
//     next poll.
//  9. name() is constant and unique among configured connectors; it is what
//     the store records (Message::connector) and what routes name.
// 10. A Send SHOULD be answered well within the Dispatcher's lease
//     (DispatcherOptions::lease_ms, 60 s by default): after it, the message
//     may be claimed again and go out twice. A connector that queues while
//     disconnected answers kTemporary rather than waiting for the link (rule 6).
// 11. A connector SHOULD report an acceptance before the receipt for the same
//     message. (The Dispatcher keeps a receipt that overtakes its acceptance
//     and applies it once the acceptance is recorded, but only a bounded
//     number of them, for a bounded time: one it gives up on is completed
//     true then, as an unknown one.)
// 12. Incoming messages (MO; docs/adr/0011) are reported through
//     ConnectorEvents::OnIncoming, one call per received part, with the text
//     decoded to UTF-8 and the concatenation info (UDH or SAR) filled in. The
//     connector MUST acknowledge the upstream (deliver_sm_resp ESME_ROK) only
//     after OnIncoming returned success, and answer a temporary error
//     otherwise, so that the upstream delivers it again: an incoming message is
//     never dropped. OnIncoming blocks for one store write. (Receipts follow
//     the same rule through OnReceipt's completion, rule 5, without blocking.)
// 13. A kTemporary answer for a message the upstream never saw (never
//     submitted: queued behind the window or the TPS limit, not bound,
//     stopping) SHOULD be SendOutcome::HandedBack, so that the message is not
//     charged an attempt. Connectors MAY be added and removed while the
//     Dispatcher runs (Dispatcher::AddConnector / RemoveConnector); a removed
//     connector is Stop()ped, so rule 7 is what hands its window back.
//
// Ownership: the application owns connectors; the Dispatcher borrows them and
// calls Start/Stop (see delivery/dispatcher.h).

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/model.h"

namespace bramka::delivery {

// What became of one Send.
struct SendOutcome {
  enum class Kind { kAccepted, kTemporary, kPermanent };
  Kind kind = Kind::kTemporary;
  std::string upstream_id;  // kAccepted: the upstream's id for the message (for receipts)
  std::string reason;       // kPermanent: spec §5 failure reason; empty = "message_rejected"
  std::string error;        // human text for logs and the store's last_error
  // kTemporary only: the upstream never saw the message (not bound, queue full, the
  // connector is stopping or being removed). It is not an attempt: the Dispatcher
  // tries the next candidate or puts it back in the store due at once, without the
  // backoff a real refusal earns (rule 13).
  bool handed_back = false;
  // kAccepted of a message the upstream took in several parts (an SMPP long message):
  // every part's id, in part order (the first is upstream_id), recorded with the
  // message so that each part's receipt resolves to it (docs/adr/0028). Empty for one.
  std::vector<std::string> part_ids = {};

  static SendOutcome Accepted(std::string upstream_id) {
    return {Kind::kAccepted, std::move(upstream_id), "", ""};
  }
  static SendOutcome Temporary(std::string error) {
    return {Kind::kTemporary, "", "", std::move(error)};
  }
  static SendOutcome Permanent(std::string reason, std::string error) {
    return {Kind::kPermanent, "", std::move(reason), std::move(error)};
  }
  static SendOutcome HandedBack(std::string error) {
    return {Kind::kTemporary, "", "", std::move(error), true};
  }
};

std::string_view SendOutcomeKindName(SendOutcome::Kind kind);  // "accepted", ...

using SendCallback = std::function<void(SendOutcome)>;

// One incoming part as a connector received it (rule 12).
struct IncomingSms {
  std::string connector;  // name() of the connector it came through
  std::string from;       // the sender's number as the upstream spelled it
  std::string to;         // the number (or short code) it was sent to
  std::string text;       // UTF-8, this part only (UDH stripped)
  // Concatenation: total parts (0 or 1 = a single message), this part's number
  // (1-based) and the reference shared by the parts.
  int parts_total = 0;
  int part_number = 0;
  int reference = 0;
  int64_t at_ms = 0;  // when it was received
};

// The sink a connector reports to. Implemented by the Dispatcher. Methods are
// thread-safe and do not block for long (one store write).
class ConnectorEvents {
 public:
  virtual ~ConnectorEvents() = default;
  // Told once whether a reported receipt is committed (rule 5): true = stored,
  // or it matches no message and never will (nothing to lose); false = a store
  // error, ask the upstream to repeat it. Runs on any thread, possibly inside
  // OnReceipt.
  using ReceiptDone = std::function<void(bool stored)>;
  // A delivery receipt: status kDelivered or kUndelivered, `reason` a spec §5
  // reason for kUndelivered, `at_ms` when the upstream says it happened.
  // `done` (may be empty) is called exactly once, after the store committed
  // the receipt's status.
  virtual void OnReceipt(store::ReceiptUpdate receipt, ReceiptDone done) = 0;
  // Without a completion: for connectors whose receipts survive a restart by
  // other means (simnet re-reports the kSent messages at Start).
  void OnReceipt(store::ReceiptUpdate receipt) { OnReceipt(std::move(receipt), nullptr); }
  // Ready() of `connector` changed to `ready`.
  virtual void OnReadyChanged(const std::string& connector, bool ready) = 0;
  // An incoming part (rule 12). Success: it is stored (or, for a part of a
  // multipart message, held for reassembly); acknowledge it upstream. An
  // error: answer the upstream a temporary error. The default has no inbound
  // path and refuses (kUnavailable).
  virtual Result<void> OnIncoming(IncomingSms sms);
};

class Connector {
 public:
  virtual ~Connector() = default;

  // Constant, unique: "simnet", "smsc-orange", ...
  virtual const std::string& name() const = 0;

  // Starts the connector (threads, connecting). `events` outlives the
  // connector's Stop(). Called once. An error here is a start-up failure
  // (kInvalidArgument for bad options, kUnavailable for an unreachable
  // dependency that the connector cannot retry by itself).
  virtual Result<void> Start(ConnectorEvents& events) = 0;

  // Whether a Send now would likely be accepted (rule 4).
  virtual bool Ready() const = 0;

  // Submits one message; `done` is called exactly once (rules 1–3).
  virtual void Send(const store::Message& message, SendCallback done) = 0;

  // Drains and stops (rule 7). Idempotent; safe without Start.
  virtual void Stop() = 0;
};

}  // namespace bramka::delivery
