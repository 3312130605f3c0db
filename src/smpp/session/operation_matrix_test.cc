// The operation matrix against SMPP 3.4 Table 2-1, exhaustively: every command id x
// every state x both originators.
#include "smpp/session/operation_matrix.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace bramka::smpp {
namespace {

constexpr SessionState kStates[] = {SessionState::kOpen,    SessionState::kBoundTx,
                                    SessionState::kBoundRx, SessionState::kBoundTrx,
                                    SessionState::kUnbound, SessionState::kClosed};

// Expected result for a request from `sender`, written out from Table 2-1 independently
// of the implementation's rule table: "O" = OPEN, "T"/"R"/"X" = BOUND_TX/RX/TRX,
// "U" = UNBOUND, "C" = CLOSED; listed states are allowed.
struct Expect {
  CommandId command;
  const char* esme_states;  // nullptr: an ESME never sends it
  const char* smsc_states;  // nullptr: an SMSC never sends it
};

constexpr Expect kTable[] = {
    {CommandId::kBindTransmitter, "O", nullptr},
    {CommandId::kBindReceiver, "O", nullptr},
    {CommandId::kBindTransceiver, "O", nullptr},
    {CommandId::kOutbind, nullptr, "O"},
    {CommandId::kUnbind, "TRX", "TRX"},
    {CommandId::kEnquireLink, "OTRXU", "OTRXU"},
    {CommandId::kGenericNack, "OTRXUC", "OTRXUC"},
    {CommandId::kSubmitSm, "TX", nullptr},
    {CommandId::kSubmitMulti, "TX", nullptr},
    {CommandId::kQuerySm, "TX", nullptr},
    {CommandId::kCancelSm, "TX", nullptr},
    {CommandId::kReplaceSm, "TX", nullptr},
    {CommandId::kDeliverSm, nullptr, "RX"},
    {CommandId::kAlertNotification, nullptr, "RX"},
    {CommandId::kDataSm, "TX", "RX"},
};

char Letter(SessionState s) {
  switch (s) {
    case SessionState::kOpen:
      return 'O';
    case SessionState::kBoundTx:
      return 'T';
    case SessionState::kBoundRx:
      return 'R';
    case SessionState::kBoundTrx:
      return 'X';
    case SessionState::kUnbound:
      return 'U';
    case SessionState::kClosed:
      return 'C';
  }
  return '?';
}

uint32_t ExpectedStatus(const char* allowed, CommandId command, SessionState state) {
  if (allowed == nullptr) return kEsmeRinvcmdid;
  if (std::string(allowed).find(Letter(state)) != std::string::npos) return kEsmeRok;
  if (BoundStateFor(command) && IsBound(state)) return kEsmeRalybnd;
  return kEsmeRinvbndsts;
}

TEST(OperationMatrixTest, RequestsMatchTable2_1) {
  int checked = 0;
  for (const Expect& e : kTable) {
    for (SessionState state : kStates) {
      EXPECT_EQ(CheckOperation(Role::kEsme, state, e.command),
                ExpectedStatus(e.esme_states, e.command, state))
          << "ESME " << CommandName(e.command) << " in " << SessionStateName(state);
      EXPECT_EQ(CheckOperation(Role::kSmsc, state, e.command),
                ExpectedStatus(e.smsc_states, e.command, state))
          << "SMSC " << CommandName(e.command) << " in " << SessionStateName(state);
      checked += 2;
    }
  }
  EXPECT_EQ(checked, 15 * 6 * 2);
}

TEST(OperationMatrixTest, ResponsesFollowTheirRequestReversed) {
  // submit_sm_resp is sent by the SMSC where the ESME may send submit_sm.
  EXPECT_EQ(CheckOperation(Role::kSmsc, SessionState::kBoundTx, CommandId::kSubmitSmResp),
            kEsmeRok);
  EXPECT_EQ(CheckOperation(Role::kEsme, SessionState::kBoundTx, CommandId::kSubmitSmResp),
            kEsmeRinvcmdid);
  EXPECT_EQ(CheckOperation(Role::kSmsc, SessionState::kBoundRx, CommandId::kSubmitSmResp),
            kEsmeRinvbndsts);
  EXPECT_EQ(CheckOperation(Role::kEsme, SessionState::kBoundRx, CommandId::kDeliverSmResp),
            kEsmeRok);
  EXPECT_EQ(CheckOperation(Role::kSmsc, SessionState::kOpen, CommandId::kBindReceiverResp),
            kEsmeRok);
  // Both sides answer data_sm and unbind.
  EXPECT_EQ(CheckOperation(Role::kEsme, SessionState::kBoundTrx, CommandId::kDataSmResp), kEsmeRok);
  EXPECT_EQ(CheckOperation(Role::kSmsc, SessionState::kBoundTrx, CommandId::kUnbindResp), kEsmeRok);
  // After our unbind, responses to what the peer sent before are still allowed.
  EXPECT_EQ(CheckOperation(Role::kEsme, SessionState::kUnbound, CommandId::kDeliverSmResp),
            kEsmeRok);
  EXPECT_EQ(CheckOperation(Role::kSmsc, SessionState::kUnbound, CommandId::kDeliverSmResp),
            kEsmeRinvcmdid);
}

TEST(OperationMatrixTest, UnknownCommands) {
  EXPECT_EQ(CheckOperation(Role::kEsme, SessionState::kBoundTrx, static_cast<CommandId>(0x99)),
            kEsmeRinvcmdid);
  EXPECT_EQ(
      CheckOperation(Role::kEsme, SessionState::kBoundTrx, static_cast<CommandId>(0x80000099)),
      kEsmeRinvcmdid);
}

TEST(OperationMatrixTest, BoundStateForBinds) {
  EXPECT_EQ(BoundStateFor(CommandId::kBindTransmitter), SessionState::kBoundTx);
  EXPECT_EQ(BoundStateFor(CommandId::kBindReceiverResp), SessionState::kBoundRx);
  EXPECT_EQ(BoundStateFor(CommandId::kBindTransceiver), SessionState::kBoundTrx);
  EXPECT_EQ(BoundStateFor(CommandId::kSubmitSm), std::nullopt);
}

TEST(OperationMatrixTest, Names) {
  EXPECT_EQ(RoleName(Role::kEsme), "ESME");
  EXPECT_EQ(RoleName(Role::kSmsc), "SMSC");
  EXPECT_EQ(Peer(Role::kEsme), Role::kSmsc);
  std::map<std::string, int> names;
  for (SessionState s : kStates) ++names[std::string(SessionStateName(s))];
  EXPECT_EQ(names.size(), 6u);
  EXPECT_EQ(SessionStateName(SessionState::kBoundTrx), "BOUND_TRX");
  EXPECT_FALSE(IsBound(SessionState::kUnbound));
  EXPECT_TRUE(IsBound(SessionState::kBoundRx));
}

}  // namespace
}  // namespace bramka::smpp
