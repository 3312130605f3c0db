#include "smpp/session/operation_matrix.h"

namespace bramka::smpp {
namespace {

enum class Originator : uint8_t { kEsme, kSmsc, kEither };

// What a request needs of the session state.
enum class Need : uint8_t {
  kOpen,     // OPEN only (binds, outbind)
  kAlive,    // OPEN, bound or UNBOUND (enquire_link)
  kBound,    // any BOUND_* (unbind)
  kAny,      // any state (generic_nack)
  kTraffic,  // messaging in the sender's direction: ESME->SMSC needs BOUND_TX/TRX,
             // SMSC->ESME needs BOUND_RX/TRX
};

struct Rule {
  CommandId command;
  Originator originator;
  Need need;
};

// SMPP 3.4 Table 2-1 (see the header for the two deviations).
constexpr Rule kRules[] = {
    {CommandId::kBindTransmitter, Originator::kEsme, Need::kOpen},
    {CommandId::kBindReceiver, Originator::kEsme, Need::kOpen},
    {CommandId::kBindTransceiver, Originator::kEsme, Need::kOpen},
    {CommandId::kOutbind, Originator::kSmsc, Need::kOpen},
    {CommandId::kUnbind, Originator::kEither, Need::kBound},
    {CommandId::kEnquireLink, Originator::kEither, Need::kAlive},
    {CommandId::kGenericNack, Originator::kEither, Need::kAny},
    {CommandId::kSubmitSm, Originator::kEsme, Need::kTraffic},
    {CommandId::kSubmitMulti, Originator::kEsme, Need::kTraffic},
    {CommandId::kQuerySm, Originator::kEsme, Need::kTraffic},
    {CommandId::kCancelSm, Originator::kEsme, Need::kTraffic},
    {CommandId::kReplaceSm, Originator::kEsme, Need::kTraffic},
    {CommandId::kDeliverSm, Originator::kSmsc, Need::kTraffic},
    {CommandId::kAlertNotification, Originator::kSmsc, Need::kTraffic},
    {CommandId::kDataSm, Originator::kEither, Need::kTraffic},
};

const Rule* FindRule(CommandId command) {
  for (const Rule& r : kRules) {
    if (r.command == command) return &r;
  }
  return nullptr;
}

bool MayOriginate(Originator o, Role sender) {
  return o == Originator::kEither || (o == Originator::kEsme) == (sender == Role::kEsme);
}

bool StateAllows(Need need, Role sender, SessionState state) {
  switch (need) {
    case Need::kOpen:
      return state == SessionState::kOpen;
    case Need::kAlive:
      return state != SessionState::kClosed;
    case Need::kBound:
      return IsBound(state);
    case Need::kAny:
      return true;
    case Need::kTraffic:
      if (state == SessionState::kBoundTrx) return true;
      return state == (sender == Role::kEsme ? SessionState::kBoundTx : SessionState::kBoundRx);
  }
  return false;
}

}  // namespace

std::string_view RoleName(Role role) { return role == Role::kEsme ? "ESME" : "SMSC"; }

std::string_view SessionStateName(SessionState s) {
  switch (s) {
    case SessionState::kOpen:
      return "OPEN";
    case SessionState::kBoundTx:
      return "BOUND_TX";
    case SessionState::kBoundRx:
      return "BOUND_RX";
    case SessionState::kBoundTrx:
      return "BOUND_TRX";
    case SessionState::kUnbound:
      return "UNBOUND";
    case SessionState::kClosed:
      return "CLOSED";
  }
  return "?";
}

std::optional<SessionState> BoundStateFor(CommandId bind) {
  switch (bind) {
    case CommandId::kBindTransmitter:
    case CommandId::kBindTransmitterResp:
      return SessionState::kBoundTx;
    case CommandId::kBindReceiver:
    case CommandId::kBindReceiverResp:
      return SessionState::kBoundRx;
    case CommandId::kBindTransceiver:
    case CommandId::kBindTransceiverResp:
      return SessionState::kBoundTrx;
    default:
      return std::nullopt;
  }
}

uint32_t CheckOperation(Role sender, SessionState state, CommandId command) {
  if (IsResponseId(command) && command != CommandId::kGenericNack) {
    const std::optional<CommandId> request = RequestIdFor(command);
    if (!request) return kEsmeRinvcmdid;
    if (state == SessionState::kUnbound) {
      const Rule* rule = FindRule(*request);
      return rule && MayOriginate(rule->originator, Peer(sender)) ? kEsmeRok : kEsmeRinvcmdid;
    }
    return CheckOperation(Peer(sender), state, *request);
  }
  const Rule* rule = FindRule(command);
  if (rule == nullptr || !MayOriginate(rule->originator, sender)) return kEsmeRinvcmdid;
  if (StateAllows(rule->need, sender, state)) return kEsmeRok;
  if (rule->need == Need::kOpen && IsBound(state) && BoundStateFor(command)) return kEsmeRalybnd;
  return kEsmeRinvbndsts;
}

}  // namespace bramka::smpp
