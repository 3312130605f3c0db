// SmppServer over loopback: a real smpp/net client against the server on port 0, with
// core over InMemoryStore. Bounded condition waits, no sleeps.

#include "api/smpp/server.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "smpp/net/connection.h"
#include "smpp/pdu/command_status.h"
#include "smpp/pdu/short_message.h"
#include "sms/segmentation.h"
#include "sms/ucs2.h"
#include "store/testing/in_memory_store.h"

namespace bramka::api::smpp {
namespace {

namespace net = bramka::smpp::net;
namespace wire = bramka::smpp;
constexpr auto kWait = std::chrono::seconds(10);

// An ESME over smpp/net that records everything and answers deliver_sm itself.
class Client {
 public:
  Client(boost::asio::io_context& io, uint16_t port) {
    net::ConnectOptions co;
    co.host = "127.0.0.1";
    co.port = port;
    net::Connect(io, co, [this](Result<std::shared_ptr<net::Connection>> r) {
      std::lock_guard lock(mu_);
      if (!r.ok()) {
        closed_ = true;
      } else {
        conn_ = *r;
        net::Connection::Handlers h;
        h.on_response = [this](wire::Pdu pdu, uint64_t ctx) {
          std::lock_guard l(mu_);
          responses_[ctx] = std::move(pdu);
          cv_.notify_all();
        };
        h.on_request = [this](wire::Pdu pdu) {
          bool answer;
          {
            std::lock_guard l(mu_);
            answer = answer_deliver_;
            delivers_.push_back(pdu);
            cv_.notify_all();
          }
          if (answer) conn_->Respond(wire::MakeResponse(pdu));
        };
        h.on_closed = [this](const std::string&) {
          std::lock_guard l(mu_);
          closed_ = true;
          cv_.notify_all();
        };
        conn_->Start(std::move(h));
      }
      cv_.notify_all();
    });
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return conn_ || closed_; });
  }
  ~Client() {
    if (conn_) conn_->Close("test end");
    WaitClosed();  // the handlers point at this object
  }

  // Sends and waits for the response; a generic_nack with ESME_RSYSERR on timeout.
  wire::Pdu Call(wire::Pdu request) {
    const uint64_t ctx = ++next_ctx_;
    conn_->SendRequest(std::move(request), ctx);
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWait, [&] { return responses_.count(ctx) > 0; })) {
      return wire::MakeGenericNack(0, wire::kEsmeRsyserr);
    }
    return responses_[ctx];
  }
  // Sends without waiting; Wait(ctx) later.
  uint64_t Send(wire::Pdu request) {
    const uint64_t ctx = ++next_ctx_;
    conn_->SendRequest(std::move(request), ctx);
    return ctx;
  }
  wire::Pdu Wait(uint64_t ctx) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, kWait, [&] { return responses_.count(ctx) > 0; })) {
      return wire::MakeGenericNack(0, wire::kEsmeRsyserr);
    }
    return responses_[ctx];
  }

  uint32_t Bind(const std::string& id, const std::string& pw,
                wire::CommandId kind = wire::CommandId::kBindTransceiver) {
    wire::Pdu pdu;
    if (kind == wire::CommandId::kBindTransmitter) {
      pdu.body = wire::BindTransmitter{.system_id = id, .password = pw};
    } else if (kind == wire::CommandId::kBindReceiver) {
      pdu.body = wire::BindReceiver{.system_id = id, .password = pw};
    } else {
      pdu.body = wire::BindTransceiver{.system_id = id, .password = pw};
    }
    return Call(std::move(pdu)).command_status;
  }

  bool WaitDelivers(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return delivers_.size() >= n; });
  }
  bool WaitClosed() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return closed_; });
  }
  std::vector<wire::Pdu> delivers() {
    std::lock_guard lock(mu_);
    return delivers_;
  }
  void set_answer_deliver(bool v) {
    std::lock_guard lock(mu_);
    answer_deliver_ = v;
  }
  void Unbind() { conn_->Unbind(); }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::shared_ptr<net::Connection> conn_;
  std::map<uint64_t, wire::Pdu> responses_;
  std::vector<wire::Pdu> delivers_;
  bool closed_ = false;
  bool answer_deliver_ = true;
  std::atomic<uint64_t> next_ctx_{0};
};

using wire::CommandId;

class SmppServerTest : public ::testing::Test {
 protected:
  SmppServerTest() : work_(io_.get_executor()) {
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    EXPECT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    EXPECT_TRUE(gw_->TopUp("acme", store::MessageType::kEco, 100, "").ok());
    EXPECT_TRUE(gw_->TopUp("acme", store::MessageType::kFull, 100, "").ok());
    EXPECT_TRUE(gw_->TopUp("acme", store::MessageType::kVoice, 100, "").ok());
    EXPECT_TRUE(gw_->SetSenderStatus("acme", "Firma", store::SenderStatus::kAuthorized).ok());
    user_id_ = *gw_->CreateSmppUser("acme", "acme1", "pw", {}, 2, 3);
    EXPECT_TRUE(gw_->CreateSmppUser("acme", "fenced", "pw", {"10.0.0.0/8"}, 0, 0).ok());
    SmppServerOptions o;
    o.port = 0;
    o.redelivery_delay = std::chrono::milliseconds(200);
    server_ = std::make_unique<SmppServer>(io_, *gw_, o);
    auto started = server_->Start();
    EXPECT_TRUE(started.ok()) << started.error().ToString();
    for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { io_.run(); });
  }
  ~SmppServerTest() override {
    server_->Stop();
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();
    server_.reset();
  }

  std::unique_ptr<Client> NewClient() { return std::make_unique<Client>(io_, server_->port()); }

  static wire::Pdu Submit(std::string source, std::string text, uint8_t dc = 0) {
    return wire::Pdu{.body = wire::SubmitSm{.source_addr = std::move(source),
                                            .dest_addr_ton = 1,
                                            .destination_addr = "48500600700",
                                            .registered_delivery = 1,
                                            .data_coding = dc,
                                            .short_message = std::move(text)}};
  }
  static std::string IdOf(const wire::Pdu& resp) {
    auto* s = resp.get<wire::SubmitSmResp>();
    return s ? s->message_id : "";
  }

  store::InMemoryStore store_;
  SystemClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  int64_t user_id_ = 0;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
  std::unique_ptr<SmppServer> server_;
};

TEST_F(SmppServerTest, WrongPasswordIsRefusedAndClosed) {
  auto c = NewClient();
  EXPECT_EQ(c->Bind("acme1", "nope"), wire::kEsmeRinvpaswd);
  EXPECT_TRUE(c->WaitClosed());
  auto d = NewClient();
  EXPECT_EQ(d->Bind("ghost", "pw"), wire::kEsmeRinvpaswd);
}

TEST_F(SmppServerTest, AddressOutsideAllowlistIsRefused) {
  auto c = NewClient();
  EXPECT_EQ(c->Bind("fenced", "pw"), wire::kEsmeRbindfail);
  EXPECT_TRUE(c->WaitClosed());
}

TEST_F(SmppServerTest, BindLimit) {
  auto a = NewClient();
  auto b = NewClient();
  auto c = NewClient();
  EXPECT_EQ(a->Bind("acme1", "pw"), wire::kEsmeRok);
  EXPECT_EQ(b->Bind("acme1", "pw", CommandId::kBindTransmitter), wire::kEsmeRok);
  EXPECT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRbindfail);
  EXPECT_EQ(server_->bound_sessions(), 2u);
}

TEST_F(SmppServerTest, SubmitIsStoredWithTheBramkaId) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  auto resp = c->Call(Submit("Firma", "Hello"));
  ASSERT_EQ(resp.command_status, wire::kEsmeRok);
  const std::string id = IdOf(resp);
  ASSERT_EQ(id.size(), 10u);
  auto m = store_.GetMessage(store_.FindAccountByName("acme")->id, id);
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->phone, "+48500600700");
  EXPECT_EQ(m->sender, "Firma");
  EXPECT_EQ(m->source, "smpp");
  EXPECT_EQ(m->smpp_user_id, user_id_);
  EXPECT_EQ(m->smpp_registered_delivery, 1);

  EXPECT_EQ(c->Call(Submit("Unknown", "x")).command_status, wire::kEsmeRinvsrcadr);
  auto eco = c->Call(Submit("SMSECO", "Hello"));
  ASSERT_EQ(eco.command_status, wire::kEsmeRok);
  EXPECT_EQ(store_.GetMessage(1, IdOf(eco))->type, store::MessageType::kEco);
}

TEST_F(SmppServerTest, LongUcs2MessageByUdhIsOneMessage) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  std::string text;
  for (int i = 0; i < 100; ++i) text += "\xC5\xBC";  // ż x 100: two UCS-2 parts
  auto ucs2 = *sms::EncodeUcs2(text);
  std::vector<uint64_t> ctx;
  for (uint8_t seq = 1; seq <= 2; ++seq) {
    auto pdu = Submit(
        "Firma", sms::MakeConcatUdh(0xBEEF, 2, seq, true) + ucs2.substr((seq - 1) * 134, 134), 8);
    pdu.get<wire::SubmitSm>()->esm_class = wire::kEsmClassUdhi;
    ctx.push_back(c->Send(std::move(pdu)));
  }
  auto r1 = c->Wait(ctx[0]);
  auto r2 = c->Wait(ctx[1]);
  ASSERT_EQ(r1.command_status, wire::kEsmeRok);
  ASSERT_EQ(r2.command_status, wire::kEsmeRok);
  EXPECT_EQ(IdOf(r1), IdOf(r2));
  auto m = store_.GetMessage(1, IdOf(r1));
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->text, text);
  EXPECT_TRUE(m->unicode);
  EXPECT_EQ(m->parts, 2);
  EXPECT_EQ(m->cost_units, 2);
}

TEST_F(SmppServerTest, ThrottledBeyondTps) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  std::vector<uint64_t> ctx;
  for (int i = 0; i < 6; ++i) ctx.push_back(c->Send(Submit("Firma", "x")));
  int throttled = 0;
  for (auto x : ctx) throttled += c->Wait(x).command_status == wire::kEsmeRthrottled;
  EXPECT_GE(throttled, 1);  // tps 3: a burst of 6 cannot all pass
}

TEST_F(SmppServerTest, ReceiptHeldUntilReceiverBindsThenDelivered) {
  auto tx = NewClient();
  ASSERT_EQ(tx->Bind("acme1", "pw", CommandId::kBindTransmitter), wire::kEsmeRok);
  const std::string id = IdOf(tx->Call(Submit("Firma", "Hello receipt")));
  ASSERT_EQ(id.size(), 10u);
  ASSERT_TRUE(store_.MarkSent(id, "simnet", "up-" + id, 1).ok());
  auto applied =
      store_.ApplyReceipt({"simnet", "up-" + id, store::MessageStatus::kDelivered, "", 2});
  ASSERT_TRUE(applied.ok() && *applied);
  // Queued by the store with the status (no PDU yet), then woken.
  server_->NotifyOutbox(user_id_);
  EXPECT_EQ(gw_->PendingSmppDelivers(user_id_, 10)->size(), 1u);  // transmitter only: held

  auto rx = NewClient();
  ASSERT_EQ(rx->Bind("acme1", "pw", CommandId::kBindReceiver), wire::kEsmeRok);
  ASSERT_TRUE(rx->WaitDelivers(1));
  auto d = rx->delivers()[0];
  EXPECT_EQ(d.tlvs.receipted_message_id(), id);
  EXPECT_EQ(d.get<wire::DeliverSm>()->esm_class, wire::kEsmClassDeliveryReceipt);
  // Removed once answered.
  bool empty = false;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!empty && std::chrono::steady_clock::now() < deadline) {
    empty = gw_->PendingSmppDelivers(user_id_, 10)->empty();
    if (!empty) std::this_thread::yield();
  }
  EXPECT_TRUE(empty);
}

TEST_F(SmppServerTest, UnansweredReceiptIsRetried) {
  auto rx = NewClient();
  rx->set_answer_deliver(false);
  ASSERT_EQ(rx->Bind("acme1", "pw"), wire::kEsmeRok);
  const std::string id = IdOf(rx->Call(Submit("Firma", "Hello")));
  ASSERT_EQ(id.size(), 10u);
  ASSERT_TRUE(store_.MarkSent(id, "simnet", "up-" + id, 1).ok());
  ASSERT_TRUE(
      store_.ApplyReceipt({"simnet", "up-" + id, store::MessageStatus::kUndelivered, "", 2}).ok());
  server_->NotifyOutbox(user_id_);
  ASSERT_TRUE(rx->WaitDelivers(1));
  rx.reset();  // closes without answering: the entry stays
  EXPECT_EQ(gw_->PendingSmppDelivers(user_id_, 10)->size(), 1u);
  auto again = NewClient();
  ASSERT_EQ(again->Bind("acme1", "pw", CommandId::kBindReceiver), wire::kEsmeRok);
  ASSERT_TRUE(again->WaitDelivers(1));
  EXPECT_EQ(again->delivers()[0].tlvs.message_state(), 5);
}

// An incoming message the store recorded for the account goes out as a deliver_sm built
// from the inbox row; a receipt the client did not ask for (registered_delivery 2 =
// failures only, and the message was delivered) is dropped without a deliver_sm.
TEST_F(SmppServerTest, IncomingMessageAndUnwantedReceipt) {
  auto rx = NewClient();
  ASSERT_EQ(rx->Bind("acme1", "pw"), wire::kEsmeRok);
  wire::Pdu only_failures = Submit("Firma", "Hello");
  only_failures.get<wire::SubmitSm>()->registered_delivery = 2;
  const std::string id = IdOf(rx->Call(only_failures));
  ASSERT_EQ(id.size(), 10u);
  ASSERT_TRUE(store_.MarkSent(id, "simnet", "up-" + id, 1).ok());
  ASSERT_TRUE(
      store_.ApplyReceipt({"simnet", "up-" + id, store::MessageStatus::kDelivered, "", 2}).ok());
  store::InboxMessage in;
  in.account_id = store_.FindAccountByName("acme")->id;
  in.type = "ndi";
  in.phone = "+48600100200";
  in.to_number = "+48500000100";
  in.text = "Odpowiedź";
  in.received_ms = 3;
  ASSERT_TRUE(store_.RecordIncoming(in).ok());
  server_->NotifyOutbox(user_id_);
  ASSERT_TRUE(rx->WaitDelivers(1));
  const auto delivers = rx->delivers();
  const auto* d = delivers[0].get<wire::DeliverSm>();
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->esm_class, 0);  // an MO, not the receipt
  EXPECT_EQ(d->source_addr, "48600100200");
  bool empty = false;
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (!empty && std::chrono::steady_clock::now() < deadline) {
    empty = gw_->PendingSmppDelivers(user_id_, 10)->empty();
    if (!empty) std::this_thread::yield();
  }
  EXPECT_TRUE(empty);
  EXPECT_EQ(rx->delivers().size(), 1u);
}

TEST_F(SmppServerTest, QueryAndCancel) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  const std::string id = IdOf(c->Call(Submit("Firma", "now")));
  auto q = c->Call(wire::Pdu{.body = wire::QuerySm{.message_id = id}});
  ASSERT_EQ(q.command_status, wire::kEsmeRok);
  EXPECT_EQ(q.get<wire::QuerySmResp>()->message_state, 6);  // ACCEPTED (queued)
  EXPECT_EQ(c->Call(wire::Pdu{.body = wire::QuerySm{.message_id = "ffffffffff"}}).command_status,
            wire::kEsmeRinvmsgid);
  EXPECT_EQ(c->Call(wire::Pdu{.body = wire::CancelSm{.message_id = id}}).command_status,
            wire::kEsmeRcancelfail);

  auto later = Submit("Firma", "later");
  later.get<wire::SubmitSm>()->schedule_delivery_time = "000001000000000R";  // in a day
  const std::string sid = IdOf(c->Call(std::move(later)));
  ASSERT_EQ(sid.size(), 10u);
  // replace_sm: a scheduled message gets the new text and keeps its id.
  EXPECT_EQ(
      c->Call(wire::Pdu{.body = wire::ReplaceSm{.message_id = sid, .short_message = "replaced"}})
          .command_status,
      wire::kEsmeRok);
  EXPECT_EQ(store_.GetMessage(1, sid)->text, "replaced");
  EXPECT_EQ(c->Call(wire::Pdu{.body = wire::ReplaceSm{.message_id = sid}}).command_status,
            wire::kEsmeRinvmsglen);  // empty text
  EXPECT_EQ(c->Call(wire::Pdu{.body = wire::CancelSm{.message_id = sid}}).command_status,
            wire::kEsmeRok);
  EXPECT_EQ(
      c->Call(wire::Pdu{.body = wire::ReplaceSm{.message_id = sid, .short_message = "too late"}})
          .command_status,
      wire::kEsmeRreplacefail);  // cancelled: no longer scheduled
  EXPECT_EQ(c->Call(wire::Pdu{.body = wire::ReplaceSm{.message_id = id, .short_message = "queued"}})
                .command_status,
            wire::kEsmeRreplacefail);  // queued for sending now
}

TEST_F(SmppServerTest, SubmitMultiAnswersUnsuccessfulDestinations) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  wire::SubmitMulti multi{.source_addr = "Firma", .short_message = "hi all"};
  multi.dest_addresses.push_back({.dest_flag = 1, .dest_addr_ton = 1, .address = "48500600700"});
  multi.dest_addresses.push_back({.dest_flag = 1, .dest_addr_ton = 1, .address = "12"});
  auto r = c->Call(wire::Pdu{.body = multi});
  ASSERT_EQ(r.command_status, wire::kEsmeRok);
  auto* body = r.get<wire::SubmitMultiResp>();
  ASSERT_NE(body, nullptr);
  EXPECT_EQ(body->message_id.size(), 10u);
  ASSERT_EQ(body->unsuccess_smes.size(), 1u);
  EXPECT_EQ(body->unsuccess_smes[0].destination_addr, "12");
  EXPECT_EQ(body->unsuccess_smes[0].error_status_code, wire::kEsmeRinvdstadr);
}

TEST_F(SmppServerTest, DataSmWithMessagePayload) {
  auto c = NewClient();
  ASSERT_EQ(c->Bind("acme1", "pw"), wire::kEsmeRok);
  wire::Pdu pdu{.body = wire::DataSm{
                    .source_addr = "Firma", .dest_addr_ton = 1, .destination_addr = "48500600700"}};
  pdu.tlvs.set_message_payload(std::string(300, 'a'));
  auto r = c->Call(std::move(pdu));
  ASSERT_EQ(r.command_status, wire::kEsmeRok);
  auto m = store_.GetMessage(1, r.get<wire::DataSmResp>()->message_id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->parts, 2);
}

}  // namespace
}  // namespace bramka::api::smpp

namespace bramka::api::smpp {
namespace {

// accept (docs/adr/0032): a burst of pipelined submit_sm on one bind goes to core as one
// SubmitManyAsync; every submit still gets its own answer, as if submitted alone.
TEST_F(SmppServerTest, PipelinedSubmitsEachGetTheirOwnAnswer) {
  ASSERT_TRUE(gw_->CreateSmppUser("acme", "burst", "pw", {}, 0, 0).ok());
  auto c = NewClient();
  ASSERT_EQ(c->Bind("burst", "pw"), wire::kEsmeRok);
  constexpr int kBurst = 10;  // the client's window (SessionOptions::window)
  std::vector<uint64_t> sent;
  for (int i = 0; i < kBurst; ++i) {
    auto pdu = Submit(i % 5 == 3 ? "Unknown" : "Firma", "burst " + std::to_string(i));
    pdu.get<wire::SubmitSm>()->destination_addr = "4850060" + std::to_string(1000 + i);
    sent.push_back(c->Send(std::move(pdu)));
  }
  std::set<std::string> ids;
  for (int i = 0; i < kBurst; ++i) {
    wire::Pdu resp = c->Wait(sent[i]);
    if (i % 5 == 3) {
      EXPECT_EQ(resp.command_status, wire::kEsmeRinvsrcadr) << i;
      continue;
    }
    ASSERT_EQ(resp.command_status, wire::kEsmeRok) << i;
    const std::string id = IdOf(resp);
    auto m = store_.GetMessage(store_.FindAccountByName("acme")->id, id);
    ASSERT_TRUE(m.ok()) << i << ": " << m.error().ToString();
    EXPECT_EQ(m->text, "burst " + std::to_string(i));
    EXPECT_EQ(m->phone, "+4850060" + std::to_string(1000 + i));
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kBurst - kBurst / 5));
  // A query right after the burst on the same bind is answered too.
  auto q = c->Call(wire::Pdu{.body = wire::QuerySm{.message_id = *ids.begin()}});
  EXPECT_EQ(q.command_status, wire::kEsmeRok);
}

}  // namespace
}  // namespace bramka::api::smpp
