// ClientCore against an SMSC-role smpp::Session wired back to back (no sockets, fake
// time): bind, window, TPS, throttling, long messages, receipts, disconnects, stop.
#include "connectors/smpp/client_core.h"

#include <gtest/gtest.h>

#include <deque>

#include "connectors/smpp/testing/session_link.h"
#include "connectors/smpp/upstream_id.h"
#include "smpp/pdu/codec.h"
#include "smpp/pdu/short_message.h"
#include "sms/receipt.h"

namespace bramka::smpp_client {
namespace {

using namespace std::chrono_literals;
using delivery::SendOutcome;

const smpp::TimePoint kT0 = smpp::TimePoint{} + 1000h;

class Harness {
 public:
  explicit Harness(SmppConnectorOptions o = Defaults())
      : options_(o), core_(o, clock_, kT0), smsc_(SmscOptions(), kT0) {}

  static SmppConnectorOptions Defaults() {
    SmppConnectorOptions o;
    o.name = "smsc-a";
    o.system_id = "bramka";
    o.password = "pw";
    o.window = 3;
    return o;
  }
  static smpp::SessionOptions SmscOptions() {
    smpp::SessionOptions so;
    so.role = smpp::Role::kSmsc;
    so.window = 100;
    return so;
  }

  void Connect(uint32_t bind_status = smpp::kEsmeRok) {
    bind_status_ = bind_status;
    link_ = std::make_unique<testing::SessionLink>(ClientCore::SessionOptionsFor(options_), now_);
    core_.LinkUp(*link_, now_);
    Pump();
  }

  // Moves bytes both ways until quiet; the SMSC answers binds itself and keeps the
  // other requests in `requests` for the test to answer.
  void Pump() {
    for (int i = 0; i < 100; ++i) {
      bool any = false;
      std::string bytes;
      if (link_) any = link_->Drain(core_, bytes);
      auto out = core_.TakeOutput();
      for (auto& c : out.completions) c.done(c.outcome);
      for (auto& r : out.receipts) {
        receipts.push_back(r.update);
        if (ack_receipts) {
          core_.AnswerReceipt(r.request, r.link, /*stored=*/true);
          any = true;
        } else {
          held_receipts.push_back(r);
        }
      }
      for (auto& in : out.incoming) incoming.push_back(in);
      if (!bytes.empty()) {
        any = true;
        smsc_.OnBytes(bytes, now_);
      }
      while (auto a = smsc_.NextAction()) {
        any = true;
        if (auto* send = std::get_if<smpp::action::Send>(&*a)) {
          if (link_ && !link_->closed()) link_->session().OnBytes(send->bytes, now_);
        } else if (auto* resp = std::get_if<smpp::action::ResponseReceived>(&*a)) {
          if (resp->pdu.is<smpp::DeliverSmResp>()) mo_answers.push_back(resp->pdu.command_status);
        } else if (auto* req = std::get_if<smpp::action::RequestReceived>(&*a)) {
          if (req->pdu.is<smpp::BindTransceiver>() || req->pdu.is<smpp::BindTransmitter>() ||
              req->pdu.is<smpp::BindReceiver>()) {
            (void)smsc_.Respond(smpp::MakeResponse(req->pdu, bind_status_), now_);
          } else {
            requests.push_back(req->pdu);
          }
        }
      }
      if (!any) return;
    }
    FAIL() << "pump did not settle";
  }

  bool closed() const { return link_ && link_->closed(); }

  // After Disconnect: a new SMSC session and a new link.
  void Reconnect() {
    smsc_ = smpp::Session(SmscOptions(), now_);
    Connect();
  }

  void Disconnect() {
    std::string ignored;
    link_->Disconnect(core_, ignored);
    Pump();
  }

  // Submit keeping the outcome in order of answers (outcomes vector).
  void Submit(const std::string& id, const std::string& text = "Hello") {
    store::Message m;
    m.id = id;
    m.phone = "+48500600700";
    m.sender = "Bramka";
    m.text = text;
    core_.Submit(
        m, [this, id](SendOutcome o) { answered.emplace_back(id, o); }, now_);
    Pump();
  }

  // Answers the oldest unanswered submit_sm.
  void AnswerSubmit(uint32_t status, const std::string& message_id) {
    ASSERT_FALSE(requests.empty());
    smpp::Pdu req = requests.front();
    requests.pop_front();
    smpp::Pdu resp = smpp::MakeResponse(req, status);
    if (status == smpp::kEsmeRok) resp.get<smpp::SubmitSmResp>()->message_id = message_id;
    (void)smsc_.Respond(resp, now_);
    Pump();
  }

  void SendReceipt(const std::string& text_id, const std::string& stat,
                   std::optional<std::string> tlv_id = std::nullopt, std::string err = "000") {
    sms::DeliveryReceipt r;
    r.id = text_id;
    r.stat = stat;
    r.err = err;
    smpp::Pdu pdu{.body = smpp::DeliverSm{.source_addr = "48500600700",
                                          .destination_addr = "Bramka",
                                          .esm_class = smpp::kEsmClassDeliveryReceipt,
                                          .short_message = sms::FormatReceipt(r)}};
    if (tlv_id) pdu.tlvs.set_receipted_message_id(*tlv_id);
    ASSERT_TRUE(smsc_.SendRequest(pdu, now_).ok());
    Pump();
  }

  void Advance(smpp::Duration d) {
    now_ += d;
    if (link_) {
      link_->set_now(now_);
      link_->session().OnTimer(now_);
    }
    Pump();
    core_.OnTimer(now_);
    smsc_.OnTimer(now_);
    Pump();
  }

  ClientCore& core() { return core_; }
  smpp::Session& smsc() { return smsc_; }
  smpp::TimePoint now() const { return now_; }

  std::deque<smpp::Pdu> requests;
  std::vector<std::pair<std::string, SendOutcome>> answered;
  std::vector<store::ReceiptUpdate> receipts;
  std::vector<ClientCore::Incoming> incoming;  // MO parts reported, not yet answered
  std::vector<uint32_t> mo_answers;            // deliver_sm_resp statuses the SMSC got
  // Reported receipts are answered stored at once unless this is false; then they wait
  // in held_receipts for the test to answer (AnswerReceipt).
  bool ack_receipts = true;
  std::vector<ClientCore::Receipt> held_receipts;

 private:
  SmppConnectorOptions options_;
  FakeClock clock_;
  smpp::TimePoint now_ = kT0;
  std::unique_ptr<testing::SessionLink> link_;
  ClientCore core_;
  smpp::Session smsc_;
  uint32_t bind_status_ = smpp::kEsmeRok;
};

TEST(ClientCore, BindsAndIsReady) {
  Harness h;
  EXPECT_FALSE(h.core().Ready());
  h.Connect();
  EXPECT_TRUE(h.core().bound());
  EXPECT_TRUE(h.core().Ready());
  EXPECT_EQ(h.smsc().state(), smpp::SessionState::kBoundTrx);
}

TEST(ClientCore, BindRefusedClosesAndRemembers) {
  Harness h;
  h.Connect(smpp::kEsmeRinvpaswd);
  EXPECT_FALSE(h.core().Ready());
  EXPECT_TRUE(h.core().bind_refused());
  EXPECT_TRUE(h.closed());
}

TEST(ClientCore, NotBoundAnswersTemporaryAtOnce) {
  Harness h;
  h.Submit("m1");
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kTemporary);
  EXPECT_TRUE(h.answered[0].second.handed_back) << "never went upstream (rule 13)";
}

TEST(ClientCore, AcceptedWithCanonicalId) {
  Harness h;
  h.Connect();
  h.Submit("m1");
  ASSERT_EQ(h.requests.size(), 1u);
  const auto& sm = *h.requests[0].get<smpp::SubmitSm>();
  EXPECT_EQ(sm.destination_addr, "48500600700");
  EXPECT_EQ(sm.dest_addr_ton, 1);
  EXPECT_EQ(sm.source_addr_ton, 5);
  h.AnswerSubmit(smpp::kEsmeRok, "00ABCDEF");
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kAccepted);
  EXPECT_EQ(h.answered[0].second.upstream_id, "abcdef");
}

TEST(ClientCore, WindowLimitsOutstanding) {
  Harness h;  // window 3
  h.Connect();
  for (int i = 0; i < 5; ++i) h.Submit("m" + std::to_string(i));
  EXPECT_EQ(h.requests.size(), 3u);
  EXPECT_EQ(h.core().outstanding(), 3u);
  h.AnswerSubmit(smpp::kEsmeRok, "1");
  EXPECT_EQ(h.requests.size(), 3u);  // the 4th went out
  h.AnswerSubmit(smpp::kEsmeRok, "2");
  h.AnswerSubmit(smpp::kEsmeRok, "3");
  h.AnswerSubmit(smpp::kEsmeRok, "4");
  h.AnswerSubmit(smpp::kEsmeRok, "5");
  ASSERT_EQ(h.answered.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(h.answered[i].first, "m" + std::to_string(i));
}

TEST(ClientCore, TpsLimitPacesSubmits) {
  auto o = Harness::Defaults();
  o.tps = 2;
  o.window = 100;
  Harness h(o);
  h.Connect();
  for (int i = 0; i < 4; ++i) h.Submit("m" + std::to_string(i));
  EXPECT_EQ(h.requests.size(), 1u);
  auto deadline = h.core().NextDeadline(h.now());
  ASSERT_TRUE(deadline);
  EXPECT_LE(*deadline - h.now(), 501ms);
  h.Advance(500ms);
  EXPECT_EQ(h.requests.size(), 2u);
  h.Advance(500ms);
  h.Advance(500ms);
  EXPECT_EQ(h.requests.size(), 4u);
}

TEST(ClientCore, PermanentAndTemporaryErrors) {
  auto o = Harness::Defaults();
  o.window = 10;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Submit("m2");
  h.AnswerSubmit(smpp::kEsmeRinvdstadr, "");
  h.AnswerSubmit(smpp::kEsmeRmsgqful, "");
  ASSERT_EQ(h.answered.size(), 2u);
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kPermanent);
  EXPECT_EQ(h.answered[0].second.reason, "wrong_number");
  EXPECT_EQ(h.answered[1].second.kind, SendOutcome::Kind::kTemporary);
}

TEST(ClientCore, ThrottledSlowsDownKeepsOrder) {
  auto o = Harness::Defaults();
  o.window = 10;
  o.tps = 100;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Advance(10ms);
  h.Submit("m2");
  h.Advance(10ms);
  h.Submit("m3");
  ASSERT_EQ(h.requests.size(), 3u);
  // All three throttled: they come back in their original order after the pause.
  h.AnswerSubmit(smpp::kEsmeRthrottled, "");
  h.AnswerSubmit(smpp::kEsmeRthrottled, "");
  h.AnswerSubmit(smpp::kEsmeRthrottled, "");
  EXPECT_TRUE(h.answered.empty());
  EXPECT_EQ(h.core().throttled_count(), 3u);
  EXPECT_LT(h.core().current_tps(), 100);
  EXPECT_TRUE(h.requests.empty());
  for (int i = 0; i < 40 && h.requests.size() < 3; ++i) h.Advance(100ms);
  ASSERT_EQ(h.requests.size(), 3u);
  h.AnswerSubmit(smpp::kEsmeRok, "a1");
  h.AnswerSubmit(smpp::kEsmeRok, "a2");
  h.AnswerSubmit(smpp::kEsmeRok, "a3");
  ASSERT_EQ(h.answered.size(), 3u);
  EXPECT_EQ(h.answered[0].first, "m1");
  EXPECT_EQ(h.answered[0].second.upstream_id, "a1");
  EXPECT_EQ(h.answered[2].first, "m3");
  EXPECT_EQ(h.answered[2].second.upstream_id, "a3");
}

// parts (docs/adr/0028): accepted with the first part's id and every part's; each part's
// receipt is reported with its own id (the store decides the message).
TEST(ClientCore, LongMessageAcceptedWithEveryPartIdAndEachPartReported) {
  auto o = Harness::Defaults();
  o.window = 10;
  Harness h(o);
  h.Connect();
  h.Submit("m1", std::string(300, 'x'));  // 2 parts
  ASSERT_EQ(h.requests.size(), 2u);
  h.AnswerSubmit(smpp::kEsmeRok, "100");
  EXPECT_TRUE(h.answered.empty());
  h.AnswerSubmit(smpp::kEsmeRok, "101");
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.upstream_id, "100");
  EXPECT_EQ(h.answered[0].second.part_ids, (std::vector<std::string>{"100", "101"}));
  h.SendReceipt("101", "UNDELIV");
  h.SendReceipt("100", "DELIVRD");
  ASSERT_EQ(h.receipts.size(), 2u);
  EXPECT_EQ(h.receipts[0].upstream_id, "101");
  EXPECT_EQ(h.receipts[0].status, store::MessageStatus::kUndelivered);
  EXPECT_EQ(h.receipts[1].upstream_id, "100");
  EXPECT_EQ(h.receipts[1].status, store::MessageStatus::kDelivered);
  EXPECT_EQ(h.receipts[1].connector, "smsc-a");
}

TEST(ClientCore, SinglePartMessageHasNoPartIds) {
  Harness h;
  h.Connect();
  h.Submit("m1");
  h.AnswerSubmit(smpp::kEsmeRok, "200");
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.upstream_id, "200");
  EXPECT_TRUE(h.answered[0].second.part_ids.empty());
}

TEST(ClientCore, LongMessageOnePartPermanentRejectsMessage) {
  auto o = Harness::Defaults();
  o.window = 10;
  Harness h(o);
  h.Connect();
  h.Submit("m1", std::string(300, 'x'));
  h.AnswerSubmit(smpp::kEsmeRok, "100");
  h.AnswerSubmit(smpp::kEsmeRinvsrcadr, "");
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kPermanent);
  EXPECT_EQ(h.answered[0].second.reason, "wrong_sender_name");
}

TEST(ClientCore, ReceiptFormsMatch) {
  auto o = Harness::Defaults();
  o.receipt_id_format = ReceiptIdFormat::kDecimal;  // resp hex, text decimal
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.AnswerSubmit(smpp::kEsmeRok, "00001A2B");
  EXPECT_EQ(h.answered[0].second.upstream_id, "1a2b");
  h.SendReceipt("6699", "UNDELIV", std::nullopt, "001");
  ASSERT_EQ(h.receipts.size(), 1u);
  EXPECT_EQ(h.receipts[0].upstream_id, "1a2b");
  EXPECT_EQ(h.receipts[0].status, store::MessageStatus::kUndelivered);
  EXPECT_EQ(h.receipts[0].reason, "wrong_number");
  // The TLV wins over the text and is compared in the resp's spelling (any case).
  h.SendReceipt("garbage", "DELIVRD", std::string("1A2B"));
  ASSERT_EQ(h.receipts.size(), 2u);
  EXPECT_EQ(h.receipts[1].upstream_id, "1a2b");
  // Non-final states are not reported; duplicates are (the dispatcher copes).
  h.SendReceipt("6699", "ENROUTE");
  EXPECT_EQ(h.receipts.size(), 2u);
}

TEST(ClientCore, DisconnectAnswersEverythingTemporary) {
  auto o = Harness::Defaults();
  o.window = 2;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Submit("m2");
  h.Submit("m3");  // queued behind the window
  h.AnswerSubmit(smpp::kEsmeRok, "1");
  ASSERT_EQ(h.answered.size(), 1u);
  h.Disconnect();
  ASSERT_EQ(h.answered.size(), 3u);
  EXPECT_EQ(h.answered[1].second.kind, SendOutcome::Kind::kTemporary);
  EXPECT_FALSE(h.answered[1].second.handed_back) << "m2 was in flight: the SMSC may have it";
  EXPECT_EQ(h.answered[2].second.kind, SendOutcome::Kind::kTemporary);
  EXPECT_FALSE(h.answered[2].second.handed_back) << "m3 went out when m1 was answered";
  EXPECT_FALSE(h.core().Ready());
  EXPECT_EQ(h.core().queued_messages(), 0u);
}

TEST(ClientCore, DisconnectHandsBackWhatNeverLeftTheQueue) {
  auto o = Harness::Defaults();
  o.window = 1;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Submit("m2");  // queued behind the window
  h.Disconnect();
  ASSERT_EQ(h.answered.size(), 2u);
  EXPECT_EQ(h.answered[0].first, "m1");
  EXPECT_FALSE(h.answered[0].second.handed_back);
  EXPECT_EQ(h.answered[1].first, "m2");
  EXPECT_TRUE(h.answered[1].second.handed_back);
}

TEST(ClientCore, ResponseTimeoutIsTemporary) {
  auto o = Harness::Defaults();
  o.response_timeout_s = 5;
  o.enquire_link_s = 0;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Advance(6s);
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kTemporary);
}

TEST(ClientCore, StopUnbindsAnswersQueuedAndWaitsForInFlight) {
  auto o = Harness::Defaults();
  o.window = 1;
  Harness h(o);
  h.Connect();
  h.Submit("m1");
  h.Submit("m2");  // queued
  h.core().Stop(h.now());
  h.Pump();
  ASSERT_EQ(h.answered.size(), 1u);
  EXPECT_EQ(h.answered[0].first, "m2");
  EXPECT_EQ(h.answered[0].second.kind, SendOutcome::Kind::kTemporary);
  EXPECT_TRUE(h.answered[0].second.handed_back);
  h.AnswerSubmit(smpp::kEsmeRok, "9");  // in flight while unbinding: still accepted
  ASSERT_EQ(h.answered.size(), 2u);
  EXPECT_EQ(h.answered[1].second.kind, SendOutcome::Kind::kAccepted);
  // The unbind was sent (it is answered by the SMSC session itself).
  EXPECT_TRUE(h.closed());
  h.Submit("m3");
  EXPECT_EQ(h.answered.back().second.kind, SendOutcome::Kind::kTemporary);
}

// Incoming messages (docs/adr/0011): reported with their text and concatenation,
// answered only by AnswerIncoming (ESME_ROK when stored, ESME_RX_T_APPN when not).
TEST(ClientCore, IncomingMessagesAreAnsweredOnlyAfterTheyAreStored) {
  Harness h;
  h.Connect();
  smpp::Pdu single{.body = smpp::DeliverSm{.source_addr_ton = 1,
                                           .source_addr = "48600100200",
                                           .dest_addr_ton = 1,
                                           .destination_addr = "48500000101",
                                           .short_message = "Hello"}};
  ASSERT_TRUE(h.smsc().SendRequest(single, h.now()).ok());
  h.Pump();
  ASSERT_EQ(h.incoming.size(), 1u);
  EXPECT_TRUE(h.receipts.empty());
  EXPECT_TRUE(h.mo_answers.empty());  // not before the core stored it
  const delivery::IncomingSms& sms = h.incoming[0].sms;
  EXPECT_EQ(sms.connector, "smsc-a");
  EXPECT_EQ(sms.from, "+48600100200");
  EXPECT_EQ(sms.to, "+48500000101");
  EXPECT_EQ(sms.text, "Hello");
  EXPECT_EQ(sms.parts_total, 0);
  h.core().AnswerIncoming(h.incoming[0].request, /*stored=*/true);
  h.Pump();
  ASSERT_EQ(h.mo_answers.size(), 1u);
  EXPECT_EQ(h.mo_answers[0], smpp::kEsmeRok);

  // Part 2 of 3 with a concatenation UDH, UCS-2 text; refused -> a temporary error.
  std::string udh("\x05\x00\x03\x2a\x03\x02", 6);
  smpp::Pdu part{.body = smpp::DeliverSm{.source_addr = "48600100200",
                                         .destination_addr = "7100",
                                         .esm_class = smpp::kEsmClassUdhi,
                                         .data_coding = smpp::kDataCodingUcs2,
                                         .short_message = udh + std::string("\x00\xf3\x00k", 4)}};
  ASSERT_TRUE(h.smsc().SendRequest(part, h.now()).ok());
  h.Pump();
  ASSERT_EQ(h.incoming.size(), 2u);
  EXPECT_EQ(h.incoming[1].sms.text, "\xc3\xb3k");    // "ók"
  EXPECT_EQ(h.incoming[1].sms.from, "48600100200");  // TON 0: as sent
  EXPECT_EQ(h.incoming[1].sms.to, "7100");
  EXPECT_EQ(h.incoming[1].sms.reference, 0x2a);
  EXPECT_EQ(h.incoming[1].sms.parts_total, 3);
  EXPECT_EQ(h.incoming[1].sms.part_number, 2);
  h.core().AnswerIncoming(h.incoming[1].request, /*stored=*/false);
  h.Pump();
  ASSERT_EQ(h.mo_answers.size(), 2u);
  EXPECT_EQ(h.mo_answers[1], smpp::kEsmeRxTAppn);
}

// Receipts (connector.h rule 5, docs/adr/0019): a reported receipt is acknowledged only
// after the store committed it; a temporary error when it did not; nothing when the link
// it came on is gone (the SMSC repeats it).
TEST(ClientCore, ReceiptsAreAnsweredOnlyAfterTheyAreStored) {
  Harness h;
  h.ack_receipts = false;
  h.Connect();
  h.Submit("m1");
  h.AnswerSubmit(smpp::kEsmeRok, "a1");
  h.SendReceipt("a1", "DELIVRD");
  ASSERT_EQ(h.held_receipts.size(), 1u);
  EXPECT_EQ(h.held_receipts[0].update.upstream_id, "a1");
  EXPECT_TRUE(h.mo_answers.empty()) << "not before the store committed it";
  h.Advance(std::chrono::milliseconds(100));
  EXPECT_TRUE(h.mo_answers.empty());
  h.core().AnswerReceipt(h.held_receipts[0].request, h.held_receipts[0].link, /*stored=*/true);
  h.Pump();
  ASSERT_EQ(h.mo_answers.size(), 1u);
  EXPECT_EQ(h.mo_answers[0], smpp::kEsmeRok);

  // Not stored: a temporary error, so that the SMSC delivers it again.
  h.SendReceipt("a1", "DELIVRD");
  ASSERT_EQ(h.held_receipts.size(), 2u);
  EXPECT_EQ(h.mo_answers.size(), 1u);
  h.core().AnswerReceipt(h.held_receipts[1].request, h.held_receipts[1].link, /*stored=*/false);
  h.Pump();
  ASSERT_EQ(h.mo_answers.size(), 2u);
  EXPECT_EQ(h.mo_answers[1], smpp::kEsmeRxTAppn);

  // A receipt that reports nothing (not final) is acknowledged at once, as before.
  h.SendReceipt("a1", "ENROUTE");
  EXPECT_EQ(h.held_receipts.size(), 2u);
  ASSERT_EQ(h.mo_answers.size(), 3u);
  EXPECT_EQ(h.mo_answers[2], smpp::kEsmeRok);
}

TEST(ClientCore, ReceiptAnsweredAfterItsLinkIsGoneSendsNothing) {
  Harness h;
  h.ack_receipts = false;
  h.Connect();
  h.SendReceipt("b7", "UNDELIV", std::nullopt, "001");
  ASSERT_EQ(h.held_receipts.size(), 1u);
  const ClientCore::Receipt held = h.held_receipts[0];
  h.Disconnect();
  h.core().AnswerReceipt(held.request, held.link, /*stored=*/true);  // no link: no-op
  h.Pump();
  EXPECT_TRUE(h.mo_answers.empty());
  // Reconnected: the old link's answer does not go out on the new one.
  h.Reconnect();
  ASSERT_TRUE(h.core().bound());
  EXPECT_NE(h.core().link_generation(), held.link);
  h.core().AnswerReceipt(held.request, held.link, /*stored=*/true);
  h.Pump();
  EXPECT_TRUE(h.mo_answers.empty());
  // The SMSC repeats it on the new link; that one is answered.
  h.SendReceipt("b7", "UNDELIV", std::nullopt, "001");
  ASSERT_EQ(h.held_receipts.size(), 2u);
  EXPECT_EQ(h.held_receipts[1].link, h.core().link_generation());
  h.core().AnswerReceipt(h.held_receipts[1].request, h.held_receipts[1].link, true);
  h.Pump();
  ASSERT_EQ(h.mo_answers.size(), 1u);
  EXPECT_EQ(h.mo_answers[0], smpp::kEsmeRok);
}

// The receiving half of a bind pair (docs/adr/0015): bind_receiver, no submits, receipts
// reported as they came (a long message's parts resolve in the store, docs/adr/0028).
TEST(ClientCore, ReceiverBindsReportsReceiptsAndHandsSubmitsBack) {
  auto o = Harness::Defaults();
  Harness tx(o);
  o.bind_mode = BindMode::kReceiver;
  Harness rx(o);
  rx.Connect();
  EXPECT_TRUE(rx.core().bound());
  EXPECT_EQ(rx.smsc().state(), smpp::SessionState::kBoundRx);
  rx.Submit("m1");
  ASSERT_EQ(rx.answered.size(), 1u);
  EXPECT_TRUE(rx.answered[0].second.handed_back);
  rx.SendReceipt("abc", "DELIVRD", std::string("ABC"));
  ASSERT_EQ(rx.receipts.size(), 1u);
  EXPECT_EQ(rx.receipts[0].upstream_id, "abc");
  EXPECT_EQ(rx.receipts[0].status, store::MessageStatus::kDelivered);
}

}  // namespace
}  // namespace bramka::smpp_client

// s6-delivery: a message answered while parts of it are still queued drops exactly those
// (one range of the queue), and the messages queued around it go out as before.
namespace bramka::smpp_client {
namespace {

TEST(ClientCore, AnsweredMessageDropsOnlyItsOwnQueuedParts) {
  auto o = Harness::Defaults();
  o.window = 1;
  Harness h(o);
  h.Connect();
  h.Submit("m0", "first");
  h.Submit("m1", std::string(300, 'x'));  // three parts
  h.Submit("m2", "after");
  h.AnswerSubmit(smpp::kEsmeRok, "100");      // m0
  h.AnswerSubmit(smpp::kEsmeRinvsrcadr, "");  // m1 part 1: m1 refused
  ASSERT_EQ(h.answered.size(), 2u);
  EXPECT_EQ(h.answered[1].first, "m1");
  EXPECT_EQ(h.answered[1].second.kind, SendOutcome::Kind::kPermanent);
  // m1's two other parts never go out: the next submit_sm is m2's.
  ASSERT_EQ(h.requests.size(), 1u);
  EXPECT_EQ(h.requests.front().get<smpp::SubmitSm>()->short_message, "after");
  h.AnswerSubmit(smpp::kEsmeRok, "101");
  ASSERT_EQ(h.answered.size(), 3u);
  EXPECT_EQ(h.answered[2].first, "m2");
  EXPECT_EQ(h.answered[2].second.kind, SendOutcome::Kind::kAccepted);
  EXPECT_TRUE(h.requests.empty());
}

}  // namespace
}  // namespace bramka::smpp_client
