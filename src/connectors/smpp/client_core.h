#pragma once
// ClientCore: everything an SMSC connector does, sans I/O (the transport is smpp/net,
// wired in smpp_connector.cc). On top of the SMPP session of the current link it adds what
// the Connector contract needs:
//
//   * the bind (transceiver, transmitter or receiver) with system_id / password / system_type;
//   * a queue of messages waiting for the window (Session) and the TPS limit
//     (TokenBucket), kept in submit order: a part sent back by ESME_RTHROTTLED goes back
//     to its place, never behind later messages, and the bucket slows down;
//   * long messages as several submit_sm: a message is kAccepted when every part is,
//     with the first part's id; a part refused permanently makes it kPermanent, a
//     temporary refusal, timeout or disconnect kTemporary (submit_errors.h);
//   * receipts (deliver_sm, esm_class 0x04): from the TLVs receipted_message_id /
//     message_state, else the text (sms::ParseReceipt); ids canonicalised
//     (upstream_id.h). A long message is accepted with every part's id
//     (SendOutcome::part_ids), which the store records with its kSent; each part's
//     receipt is reported with the part's own id and the store decides the message
//     (delivered when all its parts are, undelivered when one is not; docs/adr/0028),
//     so nothing about parts is kept here and a restart loses nothing.
//   * a receipt that is reported is acknowledged (deliver_sm_resp) only through
//     AnswerReceipt, once the store committed it (connector.h rule 5; docs/adr/0019,
//     "Receipts acknowledged after commit"), a part's too; one that reports nothing
//     (not final, unreadable) is acknowledged at once.
//
// It drives a Link (link.h): smpp::net::Connection in production, a Session wired to a
// test SMSC in unit tests. The link owner feeds the link's events in (LinkUp, OnRequest,
// OnResponse, OnRequestFailed, OnState, LinkDown) and takes the output (Send answers and
// receipts) with TakeOutput(), running the callbacks with no lock held (contract rule 3).
// Not thread-safe: call everything on the link's strand.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "connectors/smpp/link.h"
#include "connectors/smpp/options.h"
#include "connectors/smpp/token_bucket.h"
#include "delivery/connector.h"
#include "smpp/session/session.h"
#include "store/model.h"

namespace bramka::smpp_client {

class ClientCore {
 public:
  using TimePoint = smpp::TimePoint;

  struct Completion {
    delivery::SendCallback done;
    delivery::SendOutcome outcome;
  };
  // An incoming message (MO) part: report it, then AnswerIncoming (connector.h rule 12).
  struct Incoming {
    delivery::IncomingSms sms;
    smpp::Pdu request;  // the deliver_sm, answered by AnswerIncoming
  };
  // A receipt to report, then AnswerReceipt with its completion (connector.h rule 5).
  struct Receipt {
    store::ReceiptUpdate update;
    smpp::Pdu request;  // the deliver_sm's header (empty body), answered by AnswerReceipt
    uint64_t link = 0;  // the link it came on (link_generation())
  };
  struct Output {
    std::vector<Completion> completions;  // run these first (acceptances before receipts)
    std::vector<Receipt> receipts;        // not yet acknowledged upstream
    std::vector<Incoming> incoming;       // not yet acknowledged upstream
  };

  // `clock` stamps receipts (at_ms); borrowed. options.bind_mode kTransmitter,
  // kTransceiver or kReceiver (a receiver only receives: Submit answers handed back).
  ClientCore(SmppConnectorOptions options, Clock& clock, TimePoint now);

  // The session options a link for these connector options should use.
  static smpp::SessionOptions SessionOptionsFor(const SmppConnectorOptions& options);

  // --- Link events ---------------------------------------------------------------------
  // A new link (connected, OPEN): the bind is sent. `link` is borrowed until LinkDown.
  void LinkUp(Link& link, TimePoint now);
  void OnRequest(const smpp::Pdu& request, TimePoint now);
  // Answers an Output::incoming deliver_sm: ESME_ROK when it was stored, else
  // ESME_RX_T_APPN so that the SMSC delivers it again. No-op without a link.
  void AnswerIncoming(const smpp::Pdu& request, bool stored);
  // Answers an Output::receipts deliver_sm once OnReceipt's completion ran: ESME_ROK when
  // stored, else ESME_RX_T_APPN so that the SMSC repeats it. Nothing when the link it came
  // on is gone (the SMSC repeats it after the reconnect).
  void AnswerReceipt(const smpp::Pdu& request, uint64_t link, bool stored);
  void OnResponse(const smpp::Pdu& response, uint64_t context, TimePoint now);
  void OnRequestFailed(uint64_t context, smpp::FailReason reason, TimePoint now);
  void OnState(smpp::SessionState to, TimePoint now);
  // The link is gone. Every message not yet answered is answered kTemporary (contract
  // rule 6). Idempotent.
  void LinkDown(const std::string& why, TimePoint now);
  // Time passed (the TPS bucket may have refilled; see NextDeadline).
  void OnTimer(TimePoint now);

  // --- Commands ------------------------------------------------------------------------
  // Queues one message (copied). Answered at once kTemporary when not bound, stopping or
  // the queue is full; kPermanent when the text cannot be encoded.
  void Submit(const store::Message& message, delivery::SendCallback done, TimePoint now);
  // Stop taking messages; answer the queued ones kTemporary; once the submits in flight
  // are answered (response or response timer), unbind.
  void Stop(TimePoint now);

  Output TakeOutput();
  // When OnTimer has work: the TPS bucket refilling for queued parts; nullopt if none.
  std::optional<TimePoint> NextDeadline(TimePoint now);

  bool link_up() const { return link_ != nullptr; }
  // Changes with every LinkUp: tells a late answer's link from the current one.
  uint64_t link_generation() const { return link_generation_; }
  bool bound() const { return link_ != nullptr && bound_; }
  bool Ready() const { return bound() && !stopping_ && pending_.size() < options_.max_queue; }
  // The last bind was refused (bind_resp with an error status).
  bool bind_refused() const { return bind_refused_; }
  // Messages taken and not yet answered (queued or in flight).
  size_t queued_messages() const { return pending_.size(); }
  // submit_sm sent and not yet answered.
  size_t outstanding() const { return in_flight_; }
  double current_tps() const { return bucket_.current_rate(); }
  uint64_t throttled_count() const { return throttled_count_; }
  // submit_sm sent since construction (parts, not messages).
  uint64_t submitted_count() const { return submitted_count_; }

  static constexpr int kMaxThrottlesPerMessage = 30;

 private:
  struct Pending {
    std::string message_id;
    std::vector<smpp::Pdu> parts;
    std::vector<std::string> part_ids;  // canonical, per part, once accepted
    size_t accepted = 0;
    size_t unresolved = 0;  // parts queued or in flight
    uint64_t order = 0;
    int throttles = 0;
    bool answered = false;
    bool sent = false;  // a part went upstream (else a disconnect hands it back)
    delivery::SendCallback done;
  };
  using QueueKey = std::tuple<uint64_t, uint64_t, uint32_t>;  // (order, key, part)

  void Pump(TimePoint now);
  void MaybeUnbind();
  void HandleSubmitResponse(const smpp::Pdu& pdu, uint64_t context, TimePoint now);
  void HandlePartFailure(uint64_t key, uint32_t part, uint32_t status, std::string error,
                         TimePoint now);
  // True when it reported the receipt (answered later, through AnswerReceipt).
  bool HandleReceipt(const smpp::Pdu& pdu);
  void Answer(uint64_t key, delivery::SendOutcome outcome);
  void ResolvePart(uint64_t key);
  void FailAll(std::string_view why);
  void Report(const smpp::Pdu& request, const std::string& id, store::MessageStatus status,
              std::string reason);

  const SmppConnectorOptions options_;
  Clock& clock_;
  Link* link_ = nullptr;
  uint64_t link_generation_ = 0;
  bool bound_ = false;
  size_t in_flight_ = 0;
  TokenBucket bucket_;
  Output out_;
  bool stopping_ = false;
  bool bind_refused_ = false;
  bool unbind_sent_ = false;

  uint64_t next_key_ = 1;
  uint64_t next_order_ = 1;
  uint16_t next_reference_ = 1;
  std::map<uint64_t, Pending> pending_;
  std::set<QueueKey> queue_;
  uint64_t throttled_count_ = 0;
  uint64_t submitted_count_ = 0;
};

}  // namespace bramka::smpp_client
