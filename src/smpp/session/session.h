#pragma once
// Session: the SMPP 3.4 session state machine, sans I/O (model: Beast's parsers, Rusmpp's
// session_state.rs). It owns the protocol rules of one connection and nothing else:
//
//   * states OPEN -> BOUND_TX | BOUND_RX | BOUND_TRX -> UNBOUND -> CLOSED, for either role
//     (ESME: bramka's SMSC connectors; SMSC: bramka's SMPP server);
//   * the operation matrix (operation_matrix.h): a PDU the peer may not send in this
//     state is answered here (ESME_RINVBNDSTS, ESME_RALYBND, ESME_RINVCMDID) and never
//     reaches the application; one the application may not send is refused locally;
//   * sequence numbers 1..0x7FFFFFFF (wrapping to 1, skipping numbers still in flight);
//   * a window of outstanding requests and response matching by sequence_number;
//   * enquire_link (answered here; sent here after `enquire_link_interval` without
//     traffic from the peer), unbind (answered here), generic_nack;
//   * decode errors: recoverable ones answered (error response / generic_nack), fatal
//     ones (broken command_length) close the session;
//   * the SMPP timers (§7.2) as deadlines: session_init, enquire_link, inactivity,
//     response.
//
// It reads no clock and touches no socket: time arrives as a TimePoint argument, bytes
// arrive through OnBytes(), and everything the session wants done comes out as Actions.
// An Asio connection is a thin loop (see README.md):
//
//   on read:   session.OnBytes(bytes, now)
//   on timer:  session.OnTimer(now)
//   then:      while (auto a = session.NextAction()) { Send / deliver / close ... }
//              re-arm the timer at session.NextDeadline()
//
// The application answers each RequestReceived with Respond() (when it is ready: for a
// submit_sm, after the message is durable), and starts its own requests with
// SendRequest(). Calls made while handling an action just queue more actions.
//
// Not thread-safe: one session per connection, driven from one strand.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/result.h"
#include "smpp/pdu/codec.h"
#include "smpp/pdu/framer.h"
#include "smpp/pdu/pdu.h"
#include "smpp/session/operation_matrix.h"

namespace bramka::smpp {

// Monotonic time: pass std::chrono::steady_clock::now() (or a fake in tests). Wall-clock
// steps must not fire or stall response timers.
using TimePoint = std::chrono::steady_clock::time_point;
using Duration = std::chrono::milliseconds;

struct SessionOptions {
  Role role = Role::kEsme;
  // Requests this side may have outstanding (sent, no response yet); >= 1. enquire_link
  // and unbind sent by the session itself are not counted.
  uint32_t window = 10;
  // Requests from the peer that the application has not answered yet; beyond this the
  // session answers ESME_RTHROTTLED itself. 0 = unlimited.
  uint32_t max_pending_inbound = 0;
  // response_timer: how long a request waits for its response.
  Duration response_timeout = std::chrono::seconds(30);
  // enquire_link_timer: send enquire_link after this long without any PDU from the peer
  // while bound. 0 disables.
  Duration enquire_link_interval = std::chrono::seconds(30);
  // session_init_timer: close if the session is not bound this long after it opened.
  // 0 disables.
  Duration session_init_timeout = std::chrono::seconds(30);
  // inactivity_timer: after this long without any PDU from the peer, unbind (when bound)
  // or close. 0 disables.
  Duration inactivity_timeout = Duration::zero();
  // Larger command_length closes the session (Framer).
  uint32_t max_command_length = kDefaultMaxCommandLength;
  // The first sequence_number this side allocates (1..0x7FFFFFFF; tests use it to
  // exercise the wrap).
  uint32_t first_sequence_number = 1;
};

// Why the session asks to close the connection.
enum class CloseReason : uint8_t {
  kUnbound,             // our unbind was answered
  kPeerUnbound,         // the peer unbound (answered with unbind_resp)
  kSessionInitTimeout,  // not bound within session_init_timeout
  kBindTimeout,         // no bind_resp within response_timeout
  kEnquireLinkTimeout,  // no enquire_link_resp within response_timeout: link is dead
  kUnbindTimeout,       // no unbind_resp within response_timeout
  kInactivity,          // nothing from the peer within inactivity_timeout (not bound)
  kProtocolError,       // fatal decode error (command_length)
  kLocal,               // Close() was called
};
std::string_view CloseReasonName(CloseReason reason);

// Why a request we sent ended without a response.
enum class FailReason : uint8_t {
  kTimeout,            // no response within response_timeout
  kSessionClosed,      // the session closed first (the outcome at the peer is unknown)
  kMalformedResponse,  // the response could not be decoded (outcome unknown)
};
std::string_view FailReasonName(FailReason reason);

namespace action {

// Write these bytes to the transport, in order.
struct Send {
  std::string bytes;
  CommandId command_id;  // for logs and metrics
  uint32_t sequence_number;
};

// A request from the peer for the application: bind (SMSC role), submit_sm, deliver_sm,
// data_sm, query_sm, ... Answer with Respond() unless it has no response PDU (outbind,
// alert_notification).
struct RequestReceived {
  Pdu pdu;
};

// The response (possibly a generic_nack) to a request the application sent.
struct ResponseReceived {
  Pdu pdu;
  CommandId request;  // what was asked
  uint64_t context;   // as given to SendRequest
};

// A request the application sent ended without a response; each request ends exactly
// once, as ResponseReceived or RequestFailed.
struct RequestFailed {
  uint32_t sequence_number;
  CommandId request;
  uint64_t context;
  FailReason reason;
};

struct StateChanged {
  SessionState from;
  SessionState to;
};

// Something the peer did wrong that the session handled (answered or ignored); for logs.
struct Warning {
  std::string message;
};

// Close the transport. Always the last action; the session is kClosed.
struct Close {
  CloseReason reason;
  std::string detail;
};

}  // namespace action

using Action =
    std::variant<action::Send, action::RequestReceived, action::ResponseReceived,
                 action::RequestFailed, action::StateChanged, action::Warning, action::Close>;

class Session {
 public:
  // The connection is established at `now`: state kOpen, session_init_timer running.
  Session(SessionOptions options, TimePoint now);

  // --- Input -------------------------------------------------------------------------

  // Bytes read from the transport, in any chunking.
  void OnBytes(std::string_view bytes, TimePoint now);
  // One complete frame, for callers that frame themselves.
  void OnFrame(std::string_view frame, TimePoint now);
  // Processes every deadline <= now (see NextDeadline).
  void OnTimer(TimePoint now);
  // The transport closed (peer hung up, I/O error). Outstanding requests fail with
  // kSessionClosed; no Close action follows (the transport is already gone).
  void OnDisconnected(TimePoint now);

  // --- Commands ----------------------------------------------------------------------

  // Sends a request; its sequence_number is assigned here and returned. `context` comes
  // back in the ResponseReceived / RequestFailed that ends it. An unbind is handled as
  // Unbind(). Errors:
  //   kInvalidArgument  `request` is a response, or cannot be encoded (field too long...)
  //   kRejected         the operation matrix forbids it in this state or for this role
  //                     (e.g. submit_sm while OPEN or BOUND_RX: ESME_RINVBNDSTS), or a
  //                     bind is already in flight
  //   kThrottled        the window is full (WindowAvailable() == 0)
  //   kUnavailable      the session is unbinding or closed
  Result<uint32_t> SendRequest(Pdu request, TimePoint now, uint64_t context = 0);

  // Answers a RequestReceived; `response.sequence_number` names the request (use
  // MakeResponse(request, status)). A bind_*_resp with ESME_ROK binds the session (SMSC
  // role). Errors:
  //   kNotFound         no unanswered request with that sequence_number
  //   kInvalidArgument  not the response type of that request (generic_nack always is),
  //                     or cannot be encoded
  //   kUnavailable      the session is closed
  Result<void> Respond(Pdu response, TimePoint now);

  // Starts a graceful unbind (state kUnbound; responses to outstanding requests are
  // still delivered; Close(kUnbound) follows unbind_resp). Errors: kRejected if not bound.
  Result<void> Unbind(TimePoint now);

  // Aborts: outstanding requests fail (kSessionClosed), then Close(kLocal).
  void Close(std::string detail = {});

  // --- Output ------------------------------------------------------------------------

  // The next action, oldest first; nullopt when there is nothing to do.
  std::optional<Action> NextAction();
  bool HasActions() const { return !actions_.empty(); }
  // The earliest time OnTimer() has something to do; nullopt when closed or no timer runs.
  std::optional<TimePoint> NextDeadline() const;

  // --- Queries -----------------------------------------------------------------------

  SessionState state() const { return state_; }
  Role role() const { return options_.role; }
  const SessionOptions& options() const { return options_; }
  bool bound() const { return IsBound(state_); }
  // Requests the application may still send before the window is full.
  uint32_t WindowAvailable() const;
  // Requests the application sent that await a response.
  size_t outstanding() const { return app_outstanding_; }
  // Requests from the peer the application has not answered.
  size_t pending_inbound() const { return pending_inbound_.size(); }

 private:
  struct Outstanding {
    CommandId command;
    uint64_t context;
    TimePoint deadline;
    bool internal;  // sent by the session itself (enquire_link, unbind)
  };

  void HandleDecoded(Pdu pdu, TimePoint now);
  void HandleDecodeError(const DecodeError& error, TimePoint now);
  void HandleRequest(Pdu pdu, TimePoint now);
  void HandleResponse(Pdu pdu, TimePoint now);

  uint32_t AllocateSequence();
  // Encodes and queues; false (with `error`) if it cannot be encoded.
  bool QueueSend(const Pdu& pdu, std::string* error = nullptr);
  uint32_t QueueInternalRequest(Pdu pdu, TimePoint now);
  void Track(uint32_t seq, CommandId command, uint64_t context, TimePoint now, bool internal);
  std::optional<Outstanding> Untrack(uint32_t seq);
  uint32_t StartUnbind(TimePoint now);
  void SetState(SessionState to);
  void Warn(std::string message);
  // Fails every outstanding application request, clears state and queues Close (if
  // `reason` is set) as the last action.
  void Shutdown(std::optional<CloseReason> reason, std::string detail);

  SessionOptions options_;
  SessionState state_ = SessionState::kOpen;
  Framer framer_;
  std::deque<Action> actions_;

  uint32_t next_sequence_;
  std::map<uint32_t, Outstanding> outstanding_;         // by sequence_number
  std::set<std::pair<TimePoint, uint32_t>> deadlines_;  // response timers
  size_t app_outstanding_ = 0;
  bool bind_in_flight_ = false;  // ESME: a bind sent; SMSC: a bind not yet answered
  bool enquire_in_flight_ = false;
  // Requests delivered to the application and not answered yet, by sequence_number (a
  // multimap: a peer may wrongly reuse a number before we answered).
  std::multimap<uint32_t, CommandId> pending_inbound_;

  TimePoint opened_at_;
  TimePoint last_received_;
};

}  // namespace bramka::smpp
