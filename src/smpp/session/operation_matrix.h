#pragma once
// The SMPP 3.4 operation matrix (§2.3, Table 2-1) as pure functions: which side may issue
// which PDU in which session state, and what a violation is answered with. Model:
// Rusmpp's rusmpp-core/src/session/session_state.rs.
//
// Table 2-1, as implemented (originator / states in which the request may be issued):
//
//   bind_transmitter, bind_receiver, bind_transceiver   ESME   OPEN
//   outbind                                             SMSC   OPEN
//   unbind                                              both   BOUND_TX, BOUND_RX, BOUND_TRX
//   enquire_link                                        both   OPEN*, BOUND_*, UNBOUND*
//   generic_nack                                        both   any
//   submit_sm, submit_multi, query_sm, cancel_sm,       ESME   BOUND_TX, BOUND_TRX
//     replace_sm
//   deliver_sm, alert_notification                      SMSC   BOUND_RX, BOUND_TRX
//   data_sm                                             ESME   BOUND_TX, BOUND_TRX
//                                                       SMSC   BOUND_RX, BOUND_TRX
//
// (*) Deviations, both following SMPP 5.0 §2.4 and what real peers do: enquire_link is
// accepted before the bind completes and after an unbind was sent. A response is allowed
// wherever its request was (the session matches responses by sequence_number and accepts
// them until it closes).
//
// Pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "smpp/pdu/pdu.h"

namespace bramka::smpp {

// Which end of the link this session is: an ESME (bramka's SMSC connectors) or an SMSC
// (bramka's SMPP server, which customers' ESMEs bind to).
enum class Role : uint8_t { kEsme, kSmsc };

// SMPP session states (§2.2; kUnbound is SMPP 5.0's name for "unbind sent, waiting for
// unbind_resp"). A fresh connection is kOpen.
enum class SessionState : uint8_t { kOpen, kBoundTx, kBoundRx, kBoundTrx, kUnbound, kClosed };

std::string_view RoleName(Role role);               // "ESME", "SMSC"
std::string_view SessionStateName(SessionState s);  // "OPEN", "BOUND_TX", ...
constexpr Role Peer(Role role) { return role == Role::kEsme ? Role::kSmsc : Role::kEsme; }
constexpr bool IsBound(SessionState s) {
  return s == SessionState::kBoundTx || s == SessionState::kBoundRx || s == SessionState::kBoundTrx;
}

// The state a successful bind of this kind leads to (bind_transmitter -> kBoundTx, and
// the same for the bind's response id); nullopt for other commands.
std::optional<SessionState> BoundStateFor(CommandId bind);

// Whether `sender` may issue `command` while the session is in `state`:
//   kEsmeRok          allowed
//   kEsmeRinvcmdid    `sender` never issues this command (e.g. an SMSC sending submit_sm)
//                     or the id is not an SMPP 3.4 command
//   kEsmeRalybnd      a bind while already bound
//   kEsmeRinvbndsts   not in this state (e.g. submit_sm while OPEN or BOUND_RX)
// For a response id the check is that of its request with the originator reversed,
// except that responses are also allowed in kUnbound (see above).
uint32_t CheckOperation(Role sender, SessionState state, CommandId command);

}  // namespace bramka::smpp
