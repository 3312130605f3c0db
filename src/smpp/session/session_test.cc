// Session tests: bind flows, the operation matrix as enforced on a live session, the
// window, response matching, decode errors, unbind. Timers: session_timer_test.cc.
#include "smpp/session/session.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "smpp/session/session_test_util.h"

namespace bramka::smpp {
namespace {

using ::testing::HasSubstr;
using namespace testing;  // NOLINT: session test helpers

struct BindCase {
  CommandId bind;
  SessionState bound;
};
class BindFlowTest : public ::testing::TestWithParam<BindCase> {};

TEST_P(BindFlowTest, EsmeBinds) {
  const BindCase c = GetParam();
  Session s(SessionOptions{.role = Role::kEsme}, kT0);
  EXPECT_EQ(s.state(), SessionState::kOpen);
  auto seq = s.SendRequest(BindOf(c.bind), kT0, /*context=*/42);
  ASSERT_TRUE(seq.ok()) << seq.error().message;
  EXPECT_EQ(*seq, 1u);
  auto actions = Drain(s);
  ASSERT_EQ(Sent(actions).size(), 1u);
  EXPECT_EQ(Sent(actions)[0].command_id(), c.bind);
  EXPECT_EQ(s.state(), SessionState::kOpen);  // until the response
  EXPECT_EQ(s.outstanding(), 1u);

  Receive(s, MakeResponse(c.bind, *seq, kEsmeRok), kT0 + 5ms);
  actions = Drain(s);
  const auto responses = OfType<action::ResponseReceived>(actions);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].request, c.bind);
  EXPECT_EQ(responses[0].context, 42u);
  EXPECT_EQ(responses[0].pdu.command_status, kEsmeRok);
  const auto changes = OfType<action::StateChanged>(actions);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].from, SessionState::kOpen);
  EXPECT_EQ(changes[0].to, c.bound);
  EXPECT_EQ(s.state(), c.bound);
  EXPECT_EQ(s.outstanding(), 0u);
}

TEST_P(BindFlowTest, SmscAcceptsBind) {
  const BindCase c = GetParam();
  Session s(SessionOptions{.role = Role::kSmsc}, kT0);
  Receive(s, BindOf(c.bind, 7), kT0);
  auto actions = Drain(s);
  const auto requests = OfType<action::RequestReceived>(actions);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].pdu.command_id(), c.bind);
  EXPECT_EQ(s.pending_inbound(), 1u);
  EXPECT_EQ(s.state(), SessionState::kOpen);  // the application authenticates first

  Pdu resp = MakeResponse(requests[0].pdu);
  std::visit(
      [](auto& b) {
        if constexpr (requires { b.system_id; }) b.system_id = "bramka";
      },
      resp.body);
  ASSERT_TRUE(s.Respond(resp, kT0).ok());
  actions = Drain(s);
  ASSERT_EQ(Sent(actions).size(), 1u);
  EXPECT_EQ(Sent(actions)[0], resp);
  EXPECT_EQ(s.state(), c.bound);
  EXPECT_EQ(OfType<action::StateChanged>(actions).size(), 1u);
  EXPECT_EQ(s.pending_inbound(), 0u);
}

INSTANTIATE_TEST_SUITE_P(
    AllBinds, BindFlowTest,
    ::testing::Values(BindCase{CommandId::kBindTransmitter, SessionState::kBoundTx},
                      BindCase{CommandId::kBindReceiver, SessionState::kBoundRx},
                      BindCase{CommandId::kBindTransceiver, SessionState::kBoundTrx}));

TEST(SessionBindTest, RejectedBindStaysOpen) {
  Session s(SessionOptions{.role = Role::kEsme}, kT0);
  auto seq = s.SendRequest(BindOf(CommandId::kBindTransceiver), kT0);
  ASSERT_TRUE(seq.ok());
  Drain(s);
  Receive(s, MakeResponse(CommandId::kBindTransceiver, *seq, kEsmeRinvpaswd), kT0);
  const auto actions = Drain(s);
  ASSERT_EQ(OfType<action::ResponseReceived>(actions).size(), 1u);
  EXPECT_EQ(OfType<action::ResponseReceived>(actions)[0].pdu.command_status, kEsmeRinvpaswd);
  EXPECT_TRUE(OfType<action::StateChanged>(actions).empty());
  EXPECT_EQ(s.state(), SessionState::kOpen);
  // A new bind may be tried.
  EXPECT_TRUE(s.SendRequest(BindOf(CommandId::kBindTransceiver), kT0).ok());
}

TEST(SessionBindTest, SmscRejectsBindWithStatus) {
  Session s(SessionOptions{.role = Role::kSmsc}, kT0);
  Receive(s, BindOf(CommandId::kBindTransmitter, 3), kT0);
  Drain(s);
  ASSERT_TRUE(s.Respond(MakeResponse(CommandId::kBindTransmitter, 3, kEsmeRbindfail), kT0).ok());
  EXPECT_EQ(Sent(Drain(s))[0].command_status, kEsmeRbindfail);
  EXPECT_EQ(s.state(), SessionState::kOpen);
}

TEST(SessionBindTest, SecondBindInFlight) {
  Session esme(SessionOptions{.role = Role::kEsme}, kT0);
  ASSERT_TRUE(esme.SendRequest(BindOf(CommandId::kBindTransmitter), kT0).ok());
  auto again = esme.SendRequest(BindOf(CommandId::kBindReceiver), kT0);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kRejected);

  Session smsc(SessionOptions{.role = Role::kSmsc}, kT0);
  Receive(smsc, BindOf(CommandId::kBindTransmitter, 1), kT0);
  Receive(smsc, BindOf(CommandId::kBindTransmitter, 2), kT0);
  const auto actions = Drain(smsc);
  EXPECT_EQ(OfType<action::RequestReceived>(actions).size(), 1u);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<BindTransmitterResp>());
  EXPECT_EQ(sent[0].sequence_number, 2u);
  EXPECT_EQ(sent[0].command_status, kEsmeRinvbndsts);
}

TEST(SessionBindTest, BindWhileBoundIsAlreadyBound) {
  Session s = BoundSmsc(CommandId::kBindTransmitter);
  Receive(s, BindOf(CommandId::kBindReceiver, 9), kT0);
  const auto sent = Sent(Drain(s));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<BindReceiverResp>());
  EXPECT_EQ(sent[0].command_status, kEsmeRalybnd);
  EXPECT_EQ(s.state(), SessionState::kBoundTx);
  auto local =
      BoundEsme(CommandId::kBindTransceiver).SendRequest(BindOf(CommandId::kBindTransceiver), kT0);
  ASSERT_FALSE(local.ok());
  EXPECT_EQ(local.error().detail, static_cast<int>(kEsmeRalybnd));
}

TEST(SessionMatrixTest, SubmitInWrongStateIsRefusedLocally) {
  Session open(SessionOptions{.role = Role::kEsme}, kT0);
  auto r = open.SendRequest(Submit(), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRejected);
  EXPECT_EQ(r.error().detail, static_cast<int>(kEsmeRinvbndsts));
  EXPECT_THAT(r.error().message, HasSubstr("submit_sm not allowed for ESME in OPEN"));
  EXPECT_FALSE(open.HasActions());

  Session rx = BoundEsme(CommandId::kBindReceiver);
  r = rx.SendRequest(Submit(), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("BOUND_RX (ESME_RINVBNDSTS)"));
  // An ESME never sends deliver_sm.
  r = BoundEsme(CommandId::kBindTransceiver).SendRequest(DeliverReceipt(), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().detail, static_cast<int>(kEsmeRinvcmdid));
}

TEST(SessionMatrixTest, SubmitInWrongStateIsAnsweredInvBndSts) {
  for (std::optional<CommandId> bind :
       {std::optional<CommandId>(), std::optional(CommandId::kBindReceiver)}) {
    Session s = bind ? BoundSmsc(*bind) : Session(SessionOptions{.role = Role::kSmsc}, kT0);
    Pdu submit = Submit();
    submit.sequence_number = 5;
    Receive(s, submit, kT0);
    const auto actions = Drain(s);
    EXPECT_TRUE(OfType<action::RequestReceived>(actions).empty());
    EXPECT_EQ(OfType<action::Warning>(actions).size(), 1u);
    const auto sent = Sent(actions);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_TRUE(sent[0].is<SubmitSmResp>());
    EXPECT_EQ(sent[0].sequence_number, 5u);
    EXPECT_EQ(sent[0].command_status, kEsmeRinvbndsts);
  }
}

TEST(SessionMatrixTest, WrongDirectionIsInvalidCommand) {
  Session smsc = BoundSmsc(CommandId::kBindTransceiver);
  Pdu deliver = DeliverReceipt();
  deliver.sequence_number = 4;
  Receive(smsc, deliver, kT0);
  auto sent = Sent(Drain(smsc));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<DeliverSmResp>());
  EXPECT_EQ(sent[0].command_status, kEsmeRinvcmdid);

  Session esme(SessionOptions{.role = Role::kEsme}, kT0);
  Receive(esme, BindOf(CommandId::kBindTransceiver, 2), kT0);
  sent = Sent(Drain(esme));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].command_status, kEsmeRinvcmdid);
  // alert_notification has no response: a generic_nack says no.
  Session tx = BoundEsme(CommandId::kBindTransmitter);
  Receive(tx, Pdu{.sequence_number = 8, .body = AlertNotification{}}, kT0);
  sent = Sent(Drain(tx));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<GenericNack>());
  EXPECT_EQ(sent[0].command_status, kEsmeRinvbndsts);
}

TEST(SessionMatrixTest, SmscSendsReceiptsOnlyToReceivers) {
  // A client bound as transmitter cannot get deliver_sm: receipts wait for an RX/TRX bind.
  auto r = BoundSmsc(CommandId::kBindTransmitter).SendRequest(DeliverReceipt(), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRejected);
  for (CommandId bind : {CommandId::kBindReceiver, CommandId::kBindTransceiver}) {
    Session s = BoundSmsc(bind);
    auto seq = s.SendRequest(DeliverReceipt(), kT0, 7);
    ASSERT_TRUE(seq.ok()) << seq.error().message;
    ASSERT_EQ(Sent(Drain(s)).size(), 1u);
    Receive(s, MakeResponse(CommandId::kDeliverSm, *seq, kEsmeRok), kT0);
    const auto responses = OfType<action::ResponseReceived>(Drain(s));
    ASSERT_EQ(responses.size(), 1u);
    EXPECT_EQ(responses[0].context, 7u);
  }
}

TEST(SessionMatrixTest, DataSmBothWays) {
  Session esme = BoundEsme(CommandId::kBindTransceiver);
  ASSERT_TRUE(esme.SendRequest(Pdu{.body = DataSm{}}, kT0).ok());
  Receive(esme, Pdu{.sequence_number = 3, .body = DataSm{}}, kT0);
  const auto requests = OfType<action::RequestReceived>(Drain(esme));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(esme.Respond(MakeResponse(requests[0].pdu), kT0).ok());
  // A transmitter-bound SMSC may not send data_sm.
  EXPECT_FALSE(BoundSmsc(CommandId::kBindTransmitter).SendRequest(Pdu{.body = DataSm{}}, kT0).ok());
}

TEST(SessionMatrixTest, OutbindFlow) {
  Session smsc(SessionOptions{.role = Role::kSmsc}, kT0);
  auto seq = smsc.SendRequest(Pdu{.body = Outbind{"SMSC", "pw"}}, kT0);
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(smsc.outstanding(), 0u);  // no response to wait for
  Session esme(SessionOptions{.role = Role::kEsme}, kT0);
  for (const auto& send : OfType<action::Send>(Drain(smsc))) esme.OnBytes(send.bytes, kT0);
  const auto requests = OfType<action::RequestReceived>(Drain(esme));
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_TRUE(requests[0].pdu.is<Outbind>());
  EXPECT_EQ(esme.pending_inbound(), 0u);
}

TEST(SessionWindowTest, WindowFullIsRefusedLocally) {
  Session s = BoundEsme(CommandId::kBindTransmitter, SessionOptions{.window = 2});
  EXPECT_EQ(s.WindowAvailable(), 2u);
  auto a = s.SendRequest(Submit("a"), kT0, 1);
  auto b = s.SendRequest(Submit("b"), kT0, 2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(s.WindowAvailable(), 0u);
  auto c = s.SendRequest(Submit("c"), kT0, 3);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(Sent(Drain(s)).size(), 2u);  // nothing was sent for c
  // Session-internal requests do not need window room.
  EXPECT_TRUE(s.Unbind(kT0).ok());

  Session t = BoundEsme(CommandId::kBindTransmitter, SessionOptions{.window = 1});
  auto first = t.SendRequest(Submit(), kT0);
  ASSERT_TRUE(first.ok());
  Pdu resp = MakeResponse(CommandId::kSubmitSm, *first, kEsmeRok);
  resp.get<SubmitSmResp>()->message_id = "abc";
  Receive(t, resp, kT0);
  const auto responses = OfType<action::ResponseReceived>(Drain(t));
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].pdu.get<SubmitSmResp>()->message_id, "abc");
  EXPECT_EQ(t.WindowAvailable(), 1u);
  EXPECT_TRUE(t.SendRequest(Submit(), kT0).ok());
}

TEST(SessionWindowTest, ResponsesMatchedBySequenceInAnyOrder) {
  Session s = BoundEsme(CommandId::kBindTransceiver, SessionOptions{.window = 10});
  std::vector<uint32_t> seqs;
  for (uint64_t i = 0; i < 5; ++i) seqs.push_back(*s.SendRequest(Submit(), kT0, 100 + i));
  Drain(s);
  for (int i = 4; i >= 0; --i) {
    Receive(s, MakeResponse(CommandId::kSubmitSm, seqs[i], kEsmeRok), kT0);
  }
  const auto responses = OfType<action::ResponseReceived>(Drain(s));
  ASSERT_EQ(responses.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(responses[i].pdu.sequence_number, seqs[4 - i]);
    EXPECT_EQ(responses[i].context, 100u + (4 - i));
  }
  EXPECT_EQ(s.outstanding(), 0u);
}

TEST(SessionWindowTest, GenericNackEndsTheRequest) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  auto seq = s.SendRequest(Submit(), kT0, 5);
  Drain(s);
  Receive(s, MakeGenericNack(*seq, kEsmeRinvcmdlen), kT0);
  const auto responses = OfType<action::ResponseReceived>(Drain(s));
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_TRUE(responses[0].pdu.is<GenericNack>());
  EXPECT_EQ(responses[0].request, CommandId::kSubmitSm);
  EXPECT_EQ(s.outstanding(), 0u);
}

TEST(SessionWindowTest, UnexpectedOrMismatchedResponsesAreIgnored) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  auto seq = s.SendRequest(Submit(), kT0);
  Drain(s);
  Receive(s, MakeResponse(CommandId::kSubmitSm, *seq + 100, kEsmeRok), kT0);
  Receive(s, MakeResponse(CommandId::kQuerySm, *seq, kEsmeRok), kT0);
  Receive(s, MakeGenericNack(0, kEsmeRinvcmdid), kT0);
  const auto actions = Drain(s);
  EXPECT_EQ(OfType<action::Warning>(actions).size(), 3u);
  EXPECT_TRUE(OfType<action::ResponseReceived>(actions).empty());
  EXPECT_EQ(s.outstanding(), 1u);
}

TEST(SessionSequenceTest, WrapsFrom0x7FFFFFFFTo1) {
  Session s = BoundEsme(CommandId::kBindTransmitter,
                        SessionOptions{.window = 10, .first_sequence_number = 0x7FFFFFFE});
  // The bind took 0x7FFFFFFE.
  EXPECT_EQ(*s.SendRequest(Submit(), kT0), 0x7FFFFFFFu);
  EXPECT_EQ(*s.SendRequest(Submit(), kT0), 1u);
  EXPECT_EQ(*s.SendRequest(Submit(), kT0), 2u);
  for (const Pdu& p : Sent(Drain(s))) EXPECT_LE(p.sequence_number, kMaxSequenceNumber);
}

TEST(SessionSequenceTest, RequestsGetFreshNumbersWhateverTheCallerSet) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  Pdu submit = Submit();
  submit.sequence_number = 999;
  submit.command_status = 5;
  const uint32_t seq = *s.SendRequest(submit, kT0);
  EXPECT_EQ(seq, 2u);
  const auto sent = Sent(Drain(s));
  EXPECT_EQ(sent[0].sequence_number, 2u);
  EXPECT_EQ(sent[0].command_status, kEsmeRok);
}

TEST(SessionRespondTest, Errors) {
  Session s = BoundSmsc(CommandId::kBindTransceiver);
  Pdu submit = Submit();
  submit.sequence_number = 11;
  Receive(s, submit, kT0);
  Drain(s);
  EXPECT_EQ(s.Respond(MakeResponse(CommandId::kSubmitSm, 12, 0), kT0).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(s.Respond(MakeResponse(CommandId::kDataSm, 11, 0), kT0).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.Respond(submit, kT0).error().code, ErrorCode::kInvalidArgument);
  Pdu too_long = MakeResponse(submit);
  too_long.get<SubmitSmResp>()->message_id = std::string(65, 'x');
  auto r = s.Respond(too_long, kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("message_id longer than 64"));
  EXPECT_FALSE(s.HasActions());
  EXPECT_EQ(s.pending_inbound(), 1u);  // still waiting for a valid answer
  EXPECT_TRUE(s.Respond(MakeGenericNack(11, kEsmeRsyserr), kT0).ok());
  EXPECT_EQ(s.pending_inbound(), 0u);
  auto as_request = s.SendRequest(MakeResponse(submit), kT0);
  EXPECT_EQ(as_request.error().code, ErrorCode::kInvalidArgument);
}

TEST(SessionRespondTest, ReusedSequenceNumbersAreTrackedSeparately) {
  Session s = BoundSmsc(CommandId::kBindTransceiver);
  Pdu submit = Submit();
  submit.sequence_number = 4;
  Receive(s, submit, kT0);
  Receive(s, submit, kT0);
  EXPECT_EQ(OfType<action::RequestReceived>(Drain(s)).size(), 2u);
  EXPECT_TRUE(s.Respond(MakeResponse(submit), kT0).ok());
  EXPECT_TRUE(s.Respond(MakeResponse(submit), kT0).ok());
  EXPECT_FALSE(s.Respond(MakeResponse(submit), kT0).ok());
}

TEST(SessionRespondTest, InboundThrottle) {
  Session s = BoundSmsc(CommandId::kBindTransceiver, SessionOptions{.max_pending_inbound = 2});
  for (uint32_t seq = 1; seq <= 3; ++seq) {
    Pdu submit = Submit();
    submit.sequence_number = seq;
    Receive(s, submit, kT0);
  }
  auto actions = Drain(s);
  EXPECT_EQ(OfType<action::RequestReceived>(actions).size(), 2u);
  auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].sequence_number, 3u);
  EXPECT_EQ(sent[0].command_status, kEsmeRthrottled);
  // enquire_link is answered by the session whatever the backlog.
  Receive(s, Pdu{.sequence_number = 9, .body = EnquireLink{}}, kT0);
  sent = Sent(Drain(s));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<EnquireLinkResp>());
}

TEST(SessionDecodeErrorTest, RecoverableErrorsAreAnsweredAndSessionStays) {
  Session s = BoundSmsc(CommandId::kBindTransceiver);
  // A submit_sm whose source_addr has 21 characters (max 20).
  const std::string frame = Bytes(Pdu{.sequence_number = 6, .body = SubmitSm{}});
  std::string body = frame.substr(16);
  body.replace(3, 0, std::string(21, 'a'));  // service_type NUL, ton, npi, then source_addr
  std::string header = frame.substr(0, 16);
  const uint32_t len = static_cast<uint32_t>(16 + body.size());
  header[2] = static_cast<char>(len >> 8);
  header[3] = static_cast<char>(len);
  s.OnBytes(header + body, kT0);
  // And an unknown command.
  s.OnBytes(std::string("\x00\x00\x00\x10\x00\x00\x00\x99\x00\x00\x00\x00\x00\x00\x00\x07", 16),
            kT0);
  const auto actions = Drain(s);
  EXPECT_EQ(OfType<action::Warning>(actions).size(), 2u);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_TRUE(sent[0].is<SubmitSmResp>());
  EXPECT_EQ(sent[0].sequence_number, 6u);
  EXPECT_EQ(sent[0].command_status, kEsmeRinvsrcadr);
  EXPECT_TRUE(sent[1].is<GenericNack>());
  EXPECT_EQ(sent[1].sequence_number, 7u);
  EXPECT_EQ(sent[1].command_status, kEsmeRinvcmdid);
  EXPECT_EQ(s.state(), SessionState::kBoundTrx);
}

TEST(SessionDecodeErrorTest, BrokenLengthClosesAfterGenericNack) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  auto seq = s.SendRequest(Submit(), kT0, 77);
  Drain(s);
  s.OnBytes(std::string("\x00\x00\x00\x04", 4), kT0);
  const auto actions = Drain(s);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<GenericNack>());
  EXPECT_EQ(sent[0].command_status, kEsmeRinvcmdlen);
  const auto failed = OfType<action::RequestFailed>(actions);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].sequence_number, *seq);
  EXPECT_EQ(failed[0].context, 77u);
  EXPECT_EQ(failed[0].reason, FailReason::kSessionClosed);
  ASSERT_TRUE(std::holds_alternative<action::Close>(actions.back()));
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kProtocolError);
  EXPECT_EQ(s.state(), SessionState::kClosed);
  s.OnBytes(Bytes(Pdu{.body = EnquireLink{}}), kT0);  // ignored once closed
  EXPECT_FALSE(s.HasActions());
}

TEST(SessionDecodeErrorTest, MalformedResponseFailsTheRequest) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  auto seq = s.SendRequest(Submit(), kT0, 3);
  Drain(s);
  // submit_sm_resp followed by a broken TLV.
  std::string frame = Bytes(MakeResponse(CommandId::kSubmitSm, *seq, 0)) + "\x01";
  frame[3] = static_cast<char>(frame.size());
  s.OnBytes(frame, kT0);
  const auto actions = Drain(s);
  EXPECT_TRUE(Sent(actions).empty());  // responses are never answered
  const auto failed = OfType<action::RequestFailed>(actions);
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, FailReason::kMalformedResponse);
  EXPECT_EQ(failed[0].context, 3u);
  EXPECT_EQ(s.outstanding(), 0u);
}

TEST(SessionUnbindTest, LocalUnbindWaitsForOutstandingResponses) {
  Session s = BoundEsme(CommandId::kBindTransceiver);
  auto seq = s.SendRequest(Submit(), kT0, 1);
  Drain(s);
  ASSERT_TRUE(s.Unbind(kT0).ok());
  auto actions = Drain(s);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<Unbind>());
  EXPECT_EQ(s.state(), SessionState::kUnbound);
  EXPECT_EQ(OfType<action::StateChanged>(actions)[0].to, SessionState::kUnbound);
  EXPECT_EQ(s.SendRequest(Submit(), kT0).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(s.Unbind(kT0).error().code, ErrorCode::kRejected);

  // The submit_sm_resp still arrives and is delivered; a new deliver_sm is refused.
  Receive(s, MakeResponse(CommandId::kSubmitSm, *seq, kEsmeRok), kT0);
  Receive(s, Pdu{.sequence_number = 50, .body = DeliverSm{}}, kT0);
  actions = Drain(s);
  EXPECT_EQ(OfType<action::ResponseReceived>(actions).size(), 1u);
  ASSERT_EQ(Sent(actions).size(), 1u);
  EXPECT_EQ(Sent(actions)[0].command_status, kEsmeRinvbndsts);

  Receive(s, MakeResponse(CommandId::kUnbind, sent[0].sequence_number, kEsmeRok), kT0);
  actions = Drain(s);
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kUnbound);
  EXPECT_EQ(s.state(), SessionState::kClosed);
}

TEST(SessionUnbindTest, PeerUnbindIsAnsweredAndCloses) {
  Session s = BoundSmsc(CommandId::kBindTransceiver);
  auto seq = s.SendRequest(DeliverReceipt(), kT0, 9);
  Drain(s);
  Receive(s, Pdu{.sequence_number = 20, .body = Unbind{}}, kT0);
  const auto actions = Drain(s);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<UnbindResp>());
  EXPECT_EQ(sent[0].sequence_number, 20u);
  const auto failed = OfType<action::RequestFailed>(actions);
  ASSERT_EQ(failed.size(), 1u);  // the receipt must be redelivered on the next bind
  EXPECT_EQ(failed[0].sequence_number, *seq);
  EXPECT_EQ(failed[0].reason, FailReason::kSessionClosed);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kPeerUnbound);
}

TEST(SessionUnbindTest, CrossingUnbinds) {
  Session s = BoundEsme(CommandId::kBindTransceiver);
  auto seq = s.SendRequest(Pdu{.body = Unbind{}}, kT0);  // SendRequest(unbind) == Unbind()
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(s.state(), SessionState::kUnbound);
  Drain(s);
  Receive(s, Pdu{.sequence_number = 1, .body = Unbind{}}, kT0);
  const auto actions = Drain(s);
  EXPECT_TRUE(Sent(actions)[0].is<UnbindResp>());
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kPeerUnbound);
}

TEST(SessionUnbindTest, UnbindBeforeBindIsRefused) {
  Session s(SessionOptions{.role = Role::kSmsc}, kT0);
  EXPECT_EQ(s.Unbind(kT0).error().code, ErrorCode::kRejected);
  Receive(s, Pdu{.sequence_number = 2, .body = Unbind{}}, kT0);
  const auto sent = Sent(Drain(s));
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].command_status, kEsmeRinvbndsts);
  EXPECT_EQ(s.state(), SessionState::kOpen);
}

TEST(SessionCloseTest, DisconnectFailsOutstandingWithoutCloseAction) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  s.SendRequest(Submit("a"), kT0, 1).value();
  s.SendRequest(Submit("b"), kT0 + 1ms, 2).value();
  Drain(s);
  s.OnDisconnected(kT0 + 2ms);
  const auto actions = Drain(s);
  const auto failed = OfType<action::RequestFailed>(actions);
  ASSERT_EQ(failed.size(), 2u);
  EXPECT_EQ(failed[0].context, 1u);  // in the order sent
  EXPECT_EQ(failed[1].context, 2u);
  EXPECT_TRUE(OfType<action::Close>(actions).empty());
  EXPECT_EQ(s.state(), SessionState::kClosed);
  EXPECT_EQ(s.NextDeadline(), std::nullopt);
  EXPECT_EQ(s.SendRequest(Submit(), kT0).error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(s.Respond(MakeGenericNack(1, 0), kT0).error().code, ErrorCode::kUnavailable);
}

TEST(SessionCloseTest, LocalClose) {
  Session s = BoundEsme(CommandId::kBindTransmitter);
  s.Close("shutting down");
  const auto actions = Drain(s);
  ASSERT_EQ(actions.size(), 2u);  // StateChanged, Close
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kLocal);
  EXPECT_EQ(std::get<action::Close>(actions.back()).detail, "shutting down");
  s.Close();  // idempotent
  EXPECT_FALSE(s.HasActions());
  EXPECT_EQ(CloseReasonName(CloseReason::kLocal), "closed locally");
  EXPECT_EQ(FailReasonName(FailReason::kTimeout), "response timeout");
}

TEST(SessionStreamTest, OneByteAtATime) {
  Session s = BoundSmsc(CommandId::kBindTransceiver);
  std::string stream;
  for (uint32_t seq = 1; seq <= 3; ++seq) {
    Pdu submit = Submit("msg" + std::to_string(seq));
    submit.sequence_number = seq;
    stream += Bytes(submit);
  }
  stream += Bytes(Pdu{.sequence_number = 4, .body = EnquireLink{}});
  for (char c : stream) s.OnBytes(std::string_view(&c, 1), kT0);
  const auto actions = Drain(s);
  const auto requests = OfType<action::RequestReceived>(actions);
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[2].pdu.get<SubmitSm>()->short_message, "msg3");
  EXPECT_TRUE(Sent(actions).at(0).is<EnquireLinkResp>());
}

}  // namespace
}  // namespace bramka::smpp
