#include "smpp/session/session.h"

#include "common/check.h"

namespace bramka::smpp {
namespace {

std::string Millis(Duration d) { return std::to_string(d.count()) + " ms"; }

std::string Describe(const Pdu& pdu) {
  return std::string(pdu.name()) + " seq=" + std::to_string(pdu.sequence_number);
}

}  // namespace

std::string_view CloseReasonName(CloseReason reason) {
  switch (reason) {
    case CloseReason::kUnbound:
      return "unbound";
    case CloseReason::kPeerUnbound:
      return "peer unbound";
    case CloseReason::kSessionInitTimeout:
      return "session init timeout";
    case CloseReason::kBindTimeout:
      return "bind timeout";
    case CloseReason::kEnquireLinkTimeout:
      return "enquire_link timeout";
    case CloseReason::kUnbindTimeout:
      return "unbind timeout";
    case CloseReason::kInactivity:
      return "inactivity";
    case CloseReason::kProtocolError:
      return "protocol error";
    case CloseReason::kLocal:
      return "closed locally";
  }
  return "?";
}

std::string_view FailReasonName(FailReason reason) {
  switch (reason) {
    case FailReason::kTimeout:
      return "response timeout";
    case FailReason::kSessionClosed:
      return "session closed";
    case FailReason::kMalformedResponse:
      return "malformed response";
  }
  return "?";
}

Session::Session(SessionOptions options, TimePoint now)
    : options_(options),
      framer_(options.max_command_length),
      next_sequence_(options.first_sequence_number),
      opened_at_(now),
      last_received_(now) {
  BRAMKA_CHECK(options_.window >= 1);
  BRAMKA_CHECK(options_.first_sequence_number >= 1 &&
               options_.first_sequence_number <= kMaxSequenceNumber);
}

// --- Input ---------------------------------------------------------------------------

void Session::OnBytes(std::string_view bytes, TimePoint now) {
  if (state_ == SessionState::kClosed) return;
  framer_.Feed(bytes);
  while (state_ != SessionState::kClosed) {
    const FrameResult r = framer_.Next();
    if (r.status == FrameResult::kNeedMore) return;
    if (r.status == FrameResult::kError) {
      last_received_ = now;
      HandleDecodeError(r.error, now);
      return;
    }
    OnFrame(r.frame, now);
  }
}

void Session::OnFrame(std::string_view frame, TimePoint now) {
  if (state_ == SessionState::kClosed) return;
  last_received_ = now;
  DecodeResult decoded = Decode(frame);
  if (!decoded.ok()) return HandleDecodeError(decoded.error(), now);
  HandleDecoded(std::move(decoded).value(), now);
}

void Session::OnTimer(TimePoint now) {
  if (state_ == SessionState::kClosed) return;

  // response_timer of each outstanding request.
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const uint32_t seq = deadlines_.begin()->second;
    const Outstanding o = *Untrack(seq);
    const std::string waited = " within " + Millis(options_.response_timeout);
    if (o.internal && o.command == CommandId::kEnquireLink) {
      return Shutdown(CloseReason::kEnquireLinkTimeout, "no enquire_link_resp" + waited);
    }
    if (o.internal && o.command == CommandId::kUnbind) {
      return Shutdown(CloseReason::kUnbindTimeout, "no unbind_resp" + waited);
    }
    actions_.push_back(action::RequestFailed{seq, o.command, o.context, FailReason::kTimeout});
    if (BoundStateFor(o.command)) {
      return Shutdown(CloseReason::kBindTimeout,
                      "no " + std::string(CommandName(o.command)) + "_resp" + waited);
    }
  }

  // session_init_timer (§7.2): bound in time, or closed.
  const Duration init = options_.session_init_timeout;
  if (state_ == SessionState::kOpen && init > Duration::zero() && now >= opened_at_ + init) {
    return Shutdown(CloseReason::kSessionInitTimeout, "not bound within " + Millis(init));
  }

  // inactivity_timer (§7.2): "either close the session or issue an unbind request".
  const Duration idle = options_.inactivity_timeout;
  if ((state_ == SessionState::kOpen || bound()) && idle > Duration::zero() &&
      now >= last_received_ + idle) {
    if (!bound()) return Shutdown(CloseReason::kInactivity, "nothing received for " + Millis(idle));
    Warn("nothing received for " + Millis(idle) + "; unbinding");
    StartUnbind(now);
    return;
  }

  // enquire_link_timer (§7.2).
  const Duration interval = options_.enquire_link_interval;
  if (bound() && interval > Duration::zero() && !enquire_in_flight_ &&
      now >= last_received_ + interval) {
    QueueInternalRequest(Pdu{.body = EnquireLink{}}, now);
  }
}

void Session::OnDisconnected(TimePoint) { Shutdown(std::nullopt, {}); }

void Session::HandleDecoded(Pdu pdu, TimePoint now) {
  if (pdu.is_response()) return HandleResponse(std::move(pdu), now);
  HandleRequest(std::move(pdu), now);
}

void Session::HandleDecodeError(const DecodeError& error, TimePoint) {
  if (error.fatal()) {
    QueueSend(*ErrorResponseFor(error));
    return Shutdown(CloseReason::kProtocolError, error.ToString());
  }
  Warn(error.ToString());
  if (IsResponseId(error.command_id) && IsKnownCommandId(error.command_id)) {
    // A response we cannot read: never answered (§3.3 nacks requests), but it ends its
    // request with an unknown outcome.
    auto o =
        outstanding_.count(error.sequence_number) ? Untrack(error.sequence_number) : std::nullopt;
    if (!o) return;
    if (o->internal && o->command == CommandId::kUnbind) {
      return Shutdown(CloseReason::kUnbound, "unbind answered with a malformed PDU");
    }
    if (!o->internal) {
      actions_.push_back(action::RequestFailed{error.sequence_number, o->command, o->context,
                                               FailReason::kMalformedResponse});
    }
    return;
  }
  if (auto answer = ErrorResponseFor(error)) QueueSend(*answer);
}

void Session::HandleRequest(Pdu pdu, TimePoint) {
  const CommandId id = pdu.command_id();

  // Unbinds that cross: both sides sent unbind. Answer and close.
  if (id == CommandId::kUnbind && state_ == SessionState::kUnbound) {
    QueueSend(MakeResponse(pdu));
    return Shutdown(CloseReason::kPeerUnbound, {});
  }

  uint32_t status = CheckOperation(Peer(options_.role), state_, id);
  if (status == kEsmeRok && BoundStateFor(id) && bind_in_flight_) {
    status = kEsmeRinvbndsts;  // a second bind before the first was answered
  }
  if (status != kEsmeRok) {
    Warn(Describe(pdu) + " not allowed from " + std::string(RoleName(Peer(options_.role))) +
         " in " + std::string(SessionStateName(state_)) + ": answered " +
         FormatCommandStatus(status));
    QueueSend(MakeResponse(pdu, status));  // generic_nack for PDUs without a response
    return;
  }

  switch (id) {
    case CommandId::kEnquireLink:
      QueueSend(MakeResponse(pdu));
      return;
    case CommandId::kUnbind:
      QueueSend(MakeResponse(pdu));
      return Shutdown(CloseReason::kPeerUnbound, {});
    default:
      break;
  }

  if (ResponseIdFor(id)) {  // the application answers it with Respond()
    const uint32_t limit = options_.max_pending_inbound;
    if (limit > 0 && pending_inbound_.size() >= limit && !BoundStateFor(id)) {
      QueueSend(MakeResponse(pdu, kEsmeRthrottled));
      return;
    }
    pending_inbound_.emplace(pdu.sequence_number, id);
    if (BoundStateFor(id)) bind_in_flight_ = true;
  }
  actions_.push_back(action::RequestReceived{std::move(pdu)});
}

void Session::HandleResponse(Pdu pdu, TimePoint) {
  const uint32_t seq = pdu.sequence_number;
  auto it = outstanding_.find(seq);
  if (it == outstanding_.end()) {
    Warn("unexpected " + Describe(pdu) + " (" + FormatCommandStatus(pdu.command_status) +
         "): no request with that sequence_number");
    return;
  }
  const CommandId request = it->second.command;
  const bool nack = pdu.is<GenericNack>();
  if (!nack && ResponseIdFor(request) != pdu.command_id()) {
    Warn(Describe(pdu) + " does not answer " + std::string(CommandName(request)) +
         "; ignored (the request will time out)");
    return;
  }
  const Outstanding o = *Untrack(seq);
  if (o.internal) {
    if (request == CommandId::kUnbind) return Shutdown(CloseReason::kUnbound, {});
    return;  // enquire_link_resp (or its nack): the link is alive
  }
  if (auto bound_state = BoundStateFor(request);
      bound_state && !nack && pdu.command_status == kEsmeRok && state_ == SessionState::kOpen) {
    SetState(*bound_state);
  }
  actions_.push_back(action::ResponseReceived{std::move(pdu), request, o.context});
}

// --- Commands ------------------------------------------------------------------------

Result<uint32_t> Session::SendRequest(Pdu request, TimePoint now, uint64_t context) {
  if (state_ == SessionState::kClosed || state_ == SessionState::kUnbound) {
    return Fail(ErrorCode::kUnavailable, "session is " + std::string(SessionStateName(state_)));
  }
  const CommandId id = request.command_id();
  if (IsResponseId(id)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(request.name()) + " is a response: use Respond()");
  }
  const uint32_t status = CheckOperation(options_.role, state_, id);
  if (status != kEsmeRok) {
    return Fail(ErrorCode::kRejected,
                std::string(request.name()) + " not allowed for " +
                    std::string(RoleName(options_.role)) + " in " +
                    std::string(SessionStateName(state_)) + " (" +
                    std::string(CommandStatusName(status)) + ")",
                static_cast<int>(status));
  }
  if (id == CommandId::kUnbind) return StartUnbind(now);
  if (BoundStateFor(id) && bind_in_flight_) {
    return Fail(ErrorCode::kRejected, "a bind is already in flight");
  }
  const bool has_response = ResponseIdFor(id).has_value();
  if (has_response && app_outstanding_ >= options_.window) {
    return Fail(ErrorCode::kThrottled,
                "window full (" + std::to_string(options_.window) + " outstanding)");
  }
  request.command_status = kEsmeRok;  // §3.2: NULL in requests
  request.sequence_number = AllocateSequence();
  std::string error;
  if (!QueueSend(request, &error)) return Fail(ErrorCode::kInvalidArgument, error);
  if (has_response) Track(request.sequence_number, id, context, now, /*internal=*/false);
  if (BoundStateFor(id)) bind_in_flight_ = true;
  return request.sequence_number;
}

Result<void> Session::Respond(Pdu response, TimePoint) {
  if (state_ == SessionState::kClosed) return Fail(ErrorCode::kUnavailable, "session is CLOSED");
  const CommandId id = response.command_id();
  if (!IsResponseId(id)) {
    return Fail(ErrorCode::kInvalidArgument,
                std::string(response.name()) + " is a request: use SendRequest()");
  }
  auto [first, last] = pending_inbound_.equal_range(response.sequence_number);
  if (first == last) {
    return Fail(ErrorCode::kNotFound, "no unanswered request with sequence_number " +
                                          std::to_string(response.sequence_number));
  }
  auto match = first;
  while (match != last && id != CommandId::kGenericNack && ResponseIdFor(match->second) != id) {
    ++match;
  }
  if (match == last) {
    return Fail(ErrorCode::kInvalidArgument, std::string(response.name()) + " does not answer " +
                                                 std::string(CommandName(first->second)));
  }
  std::string error;
  if (!QueueSend(response, &error)) return Fail(ErrorCode::kInvalidArgument, error);
  const CommandId request = match->second;
  pending_inbound_.erase(match);
  if (auto bound_state = BoundStateFor(request)) {
    bind_in_flight_ = false;
    if (id != CommandId::kGenericNack && response.command_status == kEsmeRok &&
        state_ == SessionState::kOpen) {
      SetState(*bound_state);
    }
  }
  return Ok();
}

Result<void> Session::Unbind(TimePoint now) {
  if (!bound()) {
    return Fail(ErrorCode::kRejected,
                "unbind needs a bound session; state is " + std::string(SessionStateName(state_)));
  }
  StartUnbind(now);
  return Ok();
}

void Session::Close(std::string detail) { Shutdown(CloseReason::kLocal, std::move(detail)); }

// --- Output --------------------------------------------------------------------------

std::optional<Action> Session::NextAction() {
  if (actions_.empty()) return std::nullopt;
  Action a = std::move(actions_.front());
  actions_.pop_front();
  return a;
}

std::optional<TimePoint> Session::NextDeadline() const {
  if (state_ == SessionState::kClosed) return std::nullopt;
  std::optional<TimePoint> next;
  const auto consider = [&next](TimePoint t) {
    if (!next || t < *next) next = t;
  };
  if (!deadlines_.empty()) consider(deadlines_.begin()->first);
  if (state_ == SessionState::kOpen && options_.session_init_timeout > Duration::zero()) {
    consider(opened_at_ + options_.session_init_timeout);
  }
  if ((state_ == SessionState::kOpen || bound()) &&
      options_.inactivity_timeout > Duration::zero()) {
    consider(last_received_ + options_.inactivity_timeout);
  }
  if (bound() && options_.enquire_link_interval > Duration::zero() && !enquire_in_flight_) {
    consider(last_received_ + options_.enquire_link_interval);
  }
  return next;
}

uint32_t Session::WindowAvailable() const {
  return app_outstanding_ >= options_.window
             ? 0
             : options_.window - static_cast<uint32_t>(app_outstanding_);
}

// --- Internals -----------------------------------------------------------------------

uint32_t Session::AllocateSequence() {
  // §3.2: 0x00000001..0x7FFFFFFF, then wrap. Skipping numbers still in flight ends after
  // at most outstanding_.size() + 1 steps.
  for (;;) {
    const uint32_t seq = next_sequence_;
    next_sequence_ = seq >= kMaxSequenceNumber ? 1 : seq + 1;
    if (!outstanding_.contains(seq)) return seq;
  }
}

bool Session::QueueSend(const Pdu& pdu, std::string* error) {
  Result<std::string> bytes = Encode(pdu);
  if (!bytes.ok()) {
    BRAMKA_CHECK(error != nullptr);  // PDUs the session builds itself always encode
    *error = bytes.error().message;
    return false;
  }
  actions_.push_back(action::Send{std::move(bytes).value(), pdu.command_id(), pdu.sequence_number});
  return true;
}

uint32_t Session::QueueInternalRequest(Pdu pdu, TimePoint now) {
  pdu.sequence_number = AllocateSequence();
  QueueSend(pdu);
  Track(pdu.sequence_number, pdu.command_id(), 0, now, /*internal=*/true);
  if (pdu.is<EnquireLink>()) enquire_in_flight_ = true;
  return pdu.sequence_number;
}

void Session::Track(uint32_t seq, CommandId command, uint64_t context, TimePoint now,
                    bool internal) {
  const TimePoint deadline = now + options_.response_timeout;
  outstanding_.emplace(seq, Outstanding{command, context, deadline, internal});
  deadlines_.emplace(deadline, seq);
  if (!internal) ++app_outstanding_;
}

std::optional<Session::Outstanding> Session::Untrack(uint32_t seq) {
  auto it = outstanding_.find(seq);
  if (it == outstanding_.end()) return std::nullopt;
  const Outstanding o = it->second;
  deadlines_.erase({o.deadline, seq});
  outstanding_.erase(it);
  if (!o.internal) --app_outstanding_;
  if (o.internal && o.command == CommandId::kEnquireLink) enquire_in_flight_ = false;
  if (BoundStateFor(o.command)) bind_in_flight_ = false;
  return o;
}

uint32_t Session::StartUnbind(TimePoint now) {
  const uint32_t seq = QueueInternalRequest(Pdu{.body = smpp::Unbind{}}, now);
  SetState(SessionState::kUnbound);
  return seq;
}

void Session::SetState(SessionState to) {
  if (state_ == to) return;
  actions_.push_back(action::StateChanged{state_, to});
  state_ = to;
}

void Session::Warn(std::string message) { actions_.push_back(action::Warning{std::move(message)}); }

void Session::Shutdown(std::optional<CloseReason> reason, std::string detail) {
  if (state_ == SessionState::kClosed) return;
  // Every application request ends exactly once: those still in flight fail now, in the
  // order they were sent.
  for (const auto& [deadline, seq] : deadlines_) {
    const Outstanding& o = outstanding_.at(seq);
    if (!o.internal) {
      actions_.push_back(
          action::RequestFailed{seq, o.command, o.context, FailReason::kSessionClosed});
    }
  }
  outstanding_.clear();
  deadlines_.clear();
  app_outstanding_ = 0;
  bind_in_flight_ = false;
  enquire_in_flight_ = false;
  pending_inbound_.clear();
  SetState(SessionState::kClosed);
  if (reason) actions_.push_back(action::Close{*reason, std::move(detail)});
}

}  // namespace bramka::smpp
