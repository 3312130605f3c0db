// Session timers with fake time (SMPP 3.4 §7.2): response_timer, enquire_link_timer,
// session_init_timer, inactivity_timer; and two sessions talking to each other.
#include <gtest/gtest.h>

#include "smpp/session/session.h"
#include "smpp/session/session_test_util.h"

namespace bramka::smpp {
namespace {

using namespace testing;  // NOLINT: session test helpers

SessionOptions Quiet() {
  // Only the timer under test runs.
  return SessionOptions{.response_timeout = 10s,
                        .enquire_link_interval = Duration::zero(),
                        .session_init_timeout = Duration::zero(),
                        .inactivity_timeout = Duration::zero()};
}

TEST(SessionTimerTest, NoTimersNoDeadline) {
  Session s(Quiet(), kT0);
  EXPECT_EQ(s.NextDeadline(), std::nullopt);
  s.OnTimer(kT0 + std::chrono::hours(100));
  EXPECT_FALSE(s.HasActions());
}

TEST(SessionTimerTest, ResponseTimeout) {
  Session s = BoundEsme(CommandId::kBindTransmitter, Quiet());
  auto seq = s.SendRequest(Submit(), kT0 + 1s, 55);
  Drain(s);
  EXPECT_EQ(s.NextDeadline(), kT0 + 11s);
  s.OnTimer(kT0 + 11s - 1ms);
  EXPECT_FALSE(s.HasActions());
  s.OnTimer(kT0 + 11s);
  const auto actions = Drain(s);
  ASSERT_EQ(actions.size(), 1u);
  const auto& failed = std::get<action::RequestFailed>(actions[0]);
  EXPECT_EQ(failed.sequence_number, *seq);
  EXPECT_EQ(failed.request, CommandId::kSubmitSm);
  EXPECT_EQ(failed.context, 55u);
  EXPECT_EQ(failed.reason, FailReason::kTimeout);
  EXPECT_EQ(s.outstanding(), 0u);
  EXPECT_TRUE(s.bound());  // one lost response does not end the session
  EXPECT_EQ(s.NextDeadline(), std::nullopt);
  // The late response is only a warning.
  Receive(s, MakeResponse(CommandId::kSubmitSm, *seq, kEsmeRok), kT0 + 12s);
  const auto late = Drain(s);
  ASSERT_EQ(late.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<action::Warning>(late[0]));
}

TEST(SessionTimerTest, SeveralTimeoutsInOneCallInSendOrder) {
  Session s = BoundEsme(CommandId::kBindTransmitter, Quiet());
  for (int i = 0; i < 3; ++i) s.SendRequest(Submit(), kT0 + i * 1s, i).value();
  Drain(s);
  s.OnTimer(kT0 + 1h);
  const auto failed = OfType<action::RequestFailed>(Drain(s));
  ASSERT_EQ(failed.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(failed[i].context, static_cast<uint64_t>(i));
}

TEST(SessionTimerTest, AnsweredRequestsDoNotTimeOut) {
  Session s = BoundEsme(CommandId::kBindTransmitter, Quiet());
  auto seq = s.SendRequest(Submit(), kT0, 1);
  Receive(s, MakeResponse(CommandId::kSubmitSm, *seq, kEsmeRok), kT0 + 1s);
  Drain(s);
  EXPECT_EQ(s.NextDeadline(), std::nullopt);
  s.OnTimer(kT0 + 1h);
  EXPECT_FALSE(s.HasActions());
}

TEST(SessionTimerTest, EnquireLinkAfterSilence) {
  SessionOptions options = Quiet();
  options.enquire_link_interval = 30s;
  Session s = BoundEsme(CommandId::kBindTransceiver, options);
  EXPECT_EQ(s.NextDeadline(), kT0 + 30s);
  // Traffic from the peer pushes the enquire_link back.
  Receive(s, Pdu{.sequence_number = 1, .body = DeliverSm{}}, kT0 + 20s);
  Drain(s);
  EXPECT_EQ(s.NextDeadline(), kT0 + 50s);
  s.OnTimer(kT0 + 49s);
  EXPECT_FALSE(s.HasActions());
  s.OnTimer(kT0 + 50s);
  auto sent = Sent(Drain(s));
  ASSERT_EQ(sent.size(), 1u);
  ASSERT_TRUE(sent[0].is<EnquireLink>());
  EXPECT_EQ(s.outstanding(), 0u);  // internal: not in the application's window
  // Only one enquire_link in flight; its response timer is the next deadline.
  EXPECT_EQ(s.NextDeadline(), kT0 + 60s);
  s.OnTimer(kT0 + 55s);
  EXPECT_FALSE(s.HasActions());
  Receive(s, MakeResponse(sent[0]), kT0 + 51s);
  EXPECT_FALSE(s.HasActions());  // answered inside the session
  EXPECT_EQ(s.NextDeadline(), kT0 + 81s);
}

TEST(SessionTimerTest, EnquireLinkTimeoutClosesTheSession) {
  SessionOptions options = Quiet();
  options.enquire_link_interval = 30s;
  Session s = BoundEsme(CommandId::kBindTransceiver, options);
  auto submit = s.SendRequest(Submit(), kT0 + 25s, 8);
  Drain(s);
  s.OnTimer(kT0 + 30s);
  ASSERT_TRUE(Sent(Drain(s))[0].is<EnquireLink>());
  s.OnTimer(kT0 + 35s);  // the submit times out first (25 + 10)
  auto actions = Drain(s);
  ASSERT_EQ(OfType<action::RequestFailed>(actions).size(), 1u);
  s.OnTimer(kT0 + 40s);
  actions = Drain(s);
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kEnquireLinkTimeout);
  EXPECT_EQ(s.state(), SessionState::kClosed);
  (void)submit;
}

TEST(SessionTimerTest, NoEnquireLinkBeforeBind) {
  SessionOptions options = Quiet();
  options.enquire_link_interval = 5s;
  Session s(options, kT0);
  EXPECT_EQ(s.NextDeadline(), std::nullopt);
  s.OnTimer(kT0 + 1h);
  EXPECT_FALSE(s.HasActions());
}

TEST(SessionTimerTest, SessionInitTimeout) {
  SessionOptions options = Quiet();
  options.role = Role::kSmsc;
  options.session_init_timeout = 15s;
  Session s(options, kT0);
  EXPECT_EQ(s.NextDeadline(), kT0 + 15s);
  Receive(s, Pdu{.sequence_number = 1, .body = EnquireLink{}}, kT0 + 5s);  // not a bind
  Drain(s);
  s.OnTimer(kT0 + 15s);
  const auto actions = Drain(s);
  ASSERT_FALSE(actions.empty());
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kSessionInitTimeout);
  // A session bound in time is not affected.
  Session bound = BoundSmsc(CommandId::kBindTransceiver, options);
  EXPECT_EQ(bound.NextDeadline(), std::nullopt);
  bound.OnTimer(kT0 + 1h);
  EXPECT_FALSE(bound.HasActions());
}

TEST(SessionTimerTest, BindTimeoutFailsTheBindAndCloses) {
  Session s(Quiet(), kT0);
  auto seq = s.SendRequest(BindOf(CommandId::kBindTransceiver), kT0, 3);
  Drain(s);
  s.OnTimer(kT0 + 10s);
  const auto actions = Drain(s);
  const auto failed = OfType<action::RequestFailed>(actions);
  ASSERT_EQ(failed.size(), 1u);  // exactly once, not again at close
  EXPECT_EQ(failed[0].sequence_number, *seq);
  EXPECT_EQ(failed[0].request, CommandId::kBindTransceiver);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kBindTimeout);
}

TEST(SessionTimerTest, InactivityUnbindsWhenBound) {
  SessionOptions options = Quiet();
  options.role = Role::kSmsc;
  options.inactivity_timeout = 60s;
  Session s = BoundSmsc(CommandId::kBindTransceiver, options);
  EXPECT_EQ(s.NextDeadline(), kT0 + 60s);
  s.OnTimer(kT0 + 60s);
  auto actions = Drain(s);
  const auto sent = Sent(actions);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_TRUE(sent[0].is<Unbind>());
  EXPECT_EQ(s.state(), SessionState::kUnbound);
  EXPECT_EQ(OfType<action::Warning>(actions).size(), 1u);
  // The unbind has its own response timer; silence closes the session.
  EXPECT_EQ(s.NextDeadline(), kT0 + 70s);
  s.OnTimer(kT0 + 70s);
  actions = Drain(s);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kUnbindTimeout);
}

TEST(SessionTimerTest, InactivityClosesWhenOpen) {
  SessionOptions options = Quiet();
  options.inactivity_timeout = 20s;
  Session s(options, kT0);
  s.OnTimer(kT0 + 20s);
  const auto actions = Drain(s);
  EXPECT_EQ(std::get<action::Close>(actions.back()).reason, CloseReason::kInactivity);
}

TEST(SessionTimerTest, NextDeadlineIsTheEarliest) {
  SessionOptions options{.response_timeout = 10s,
                         .enquire_link_interval = 30s,
                         .session_init_timeout = Duration::zero(),
                         .inactivity_timeout = 300s};
  Session s = BoundEsme(CommandId::kBindTransmitter, options);
  EXPECT_EQ(s.NextDeadline(), kT0 + 30s);
  s.SendRequest(Submit(), kT0 + 5s).value();
  EXPECT_EQ(s.NextDeadline(), kT0 + 15s);
}

// An ESME session and an SMSC session wired back to back: every byte one sends is fed
// to the other.
class PairTest : public ::testing::Test {
 protected:
  // Moves Send actions across; returns the other actions of each side.
  void Pump(TimePoint now) {
    for (int round = 0; round < 20; ++round) {
      bool moved = false;
      for (auto& a : Drain(esme_)) {
        if (auto* send = std::get_if<action::Send>(&a)) {
          smsc_.OnBytes(send->bytes, now);
          moved = true;
        } else {
          esme_events_.push_back(std::move(a));
        }
      }
      for (auto& a : Drain(smsc_)) {
        if (auto* send = std::get_if<action::Send>(&a)) {
          esme_.OnBytes(send->bytes, now);
          moved = true;
        } else {
          smsc_events_.push_back(std::move(a));
        }
      }
      if (!moved) return;
    }
    FAIL() << "sessions did not settle";
  }

  Session esme_{SessionOptions{.role = Role::kEsme}, kT0};
  Session smsc_{SessionOptions{.role = Role::kSmsc}, kT0};
  std::vector<Action> esme_events_;
  std::vector<Action> smsc_events_;
};

TEST_F(PairTest, BindSubmitReceiptUnbind) {
  ASSERT_TRUE(esme_.SendRequest(BindOf(CommandId::kBindTransceiver), kT0).ok());
  Pump(kT0);
  auto requests = OfType<action::RequestReceived>(smsc_events_);
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].pdu.get<BindTransceiver>()->system_id, "client");
  Pdu bind_resp = MakeResponse(requests[0].pdu);
  bind_resp.get<BindTransceiverResp>()->system_id = "bramka";
  ASSERT_TRUE(smsc_.Respond(bind_resp, kT0).ok());
  Pump(kT0);
  EXPECT_EQ(esme_.state(), SessionState::kBoundTrx);
  EXPECT_EQ(smsc_.state(), SessionState::kBoundTrx);

  ASSERT_TRUE(esme_.SendRequest(Submit("Hi"), kT0, 1001).ok());
  Pump(kT0);
  requests = OfType<action::RequestReceived>(smsc_events_);
  ASSERT_EQ(requests.size(), 2u);
  Pdu submit_resp = MakeResponse(requests[1].pdu);
  submit_resp.get<SubmitSmResp>()->message_id = "0a1b2c3d4e";
  ASSERT_TRUE(smsc_.Respond(submit_resp, kT0).ok());
  ASSERT_TRUE(smsc_.SendRequest(DeliverReceipt(), kT0, 2002).ok());
  Pump(kT0);
  const auto esme_responses = OfType<action::ResponseReceived>(esme_events_);
  ASSERT_EQ(esme_responses.size(), 2u);  // bind_resp, submit_sm_resp
  EXPECT_EQ(esme_responses[1].context, 1001u);
  EXPECT_EQ(esme_responses[1].pdu.get<SubmitSmResp>()->message_id, "0a1b2c3d4e");
  const auto esme_requests = OfType<action::RequestReceived>(esme_events_);
  ASSERT_EQ(esme_requests.size(), 1u);
  ASSERT_TRUE(esme_.Respond(MakeResponse(esme_requests[0].pdu), kT0).ok());
  Pump(kT0);
  ASSERT_EQ(OfType<action::ResponseReceived>(smsc_events_).size(), 1u);
  EXPECT_EQ(OfType<action::ResponseReceived>(smsc_events_)[0].context, 2002u);

  ASSERT_TRUE(esme_.Unbind(kT0).ok());
  Pump(kT0);
  EXPECT_EQ(esme_.state(), SessionState::kClosed);
  EXPECT_EQ(smsc_.state(), SessionState::kClosed);
  EXPECT_EQ(OfType<action::Close>(esme_events_)[0].reason, CloseReason::kUnbound);
  EXPECT_EQ(OfType<action::Close>(smsc_events_)[0].reason, CloseReason::kPeerUnbound);
  EXPECT_TRUE(OfType<action::Warning>(esme_events_).empty());
  EXPECT_TRUE(OfType<action::Warning>(smsc_events_).empty());
}

}  // namespace
}  // namespace bramka::smpp
