// SmppConnector against an in-process SmscSimulator over loopback (port 0): the real
// transport, bounded waits, no sleeps.
#include "smsc/smsc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "common/metrics.h"
#include "common/testing/test_certificate.h"
#include "connectors/smpp/smpp_connector.h"

namespace bramka::smsc {
namespace {

using delivery::SendOutcome;
using namespace std::chrono_literals;

class Events : public delivery::ConnectorEvents {
 public:
  void OnReceipt(store::ReceiptUpdate r, ReceiptDone done) override {
    {
      std::lock_guard lock(mu);
      receipts.push_back(std::move(r));
      cv.notify_all();
      if (hold_acks) {
        held_acks.push_back(std::move(done));
        return;
      }
    }
    if (done) done(true);  // stored (connector.h rule 5)
  }
  // Runs the held completions (stored) outside the lock.
  void ReleaseAcks() {
    std::vector<ReceiptDone> todo;
    {
      std::lock_guard lock(mu);
      hold_acks = false;
      todo = std::move(held_acks);
    }
    for (auto& done : todo) done(true);
  }
  void OnReadyChanged(const std::string&, bool) override { cv.notify_all(); }

  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, pred);
  }
  // For states no event announces (both binds of a pair up): polls, bounded.
  template <typename Pred>
  bool PollFor(Pred pred, std::chrono::milliseconds timeout = 10s) {
    for (auto waited = 0ms; waited < timeout; waited += 10ms) {
      if (pred()) return true;
      std::unique_lock lock(mu);
      cv.wait_for(lock, 10ms);
    }
    return pred();
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<store::ReceiptUpdate> receipts;
  std::vector<std::pair<std::string, SendOutcome>> outcomes;
  bool hold_acks = false;  // keep completions in held_acks instead of running them
  std::vector<ReceiptDone> held_acks;
};

using bramka::testing::TestCertificate;

class SmscTest : public ::testing::Test {
 protected:
  void StartSmsc(Misbehaviour mb = {}, bool tls = false, int receipt_delay_ms = 20) {
    SmscOptions o;
    o.receipt_delay_ms = receipt_delay_ms;
    o.on_event = [this](const std::string& json) {
      std::lock_guard lock(events_.mu);
      smsc_events_.push_back(json);
    };
    o.misbehave = mb;
    if (tls) {
      o.tls_port = 0;
      o.cert_file = cert_.cert;
      o.key_file = cert_.key;
    }
    smsc_ = std::make_unique<SmscSimulator>(io_, o);
    ASSERT_TRUE(smsc_->Start().ok());
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    if (connector_) connector_->Stop();
    if (smsc_) smsc_->Stop();
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  smpp_client::SmppConnector& StartConnector(smpp_client::SmppConnectorOptions o = {}) {
    o.name = "smsc-a";
    o.host = "127.0.0.1";
    o.port = o.tls ? static_cast<uint16_t>(smsc_->tls_port()) : smsc_->port();
    o.system_id = "bramka";
    o.password = "pw";
    connector_ = std::make_unique<smpp_client::SmppConnector>(o, clock_, metrics_);
    EXPECT_TRUE(connector_->Start(events_).ok());
    return *connector_;
  }

  void Send(const std::string& id, const std::string& phone = "+48500600700",
            const std::string& text = "Hello") {
    store::Message m;
    m.id = id;
    m.phone = phone;
    m.sender = "Bramka";
    m.text = text;
    connector_->Send(m, [this, id](SendOutcome o) {
      std::lock_guard lock(events_.mu);
      events_.outcomes.emplace_back(id, o);
      events_.cv.notify_all();
    });
  }

  TestCertificate cert_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_{
      io_.get_executor()};
  std::thread thread_;
  std::unique_ptr<SmscSimulator> smsc_;
  FakeClock clock_;
  MetricsRegistry metrics_;
  Events events_;
  std::unique_ptr<smpp_client::SmppConnector> connector_;
  std::vector<std::string> smsc_events_;  // guarded by events_.mu
};

TEST_F(SmscTest, SendAcceptedThenDelivered) {
  StartSmsc();
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  Send("m1");
  Send("m2", "+48600000101");  // simnet test number: undelivered, wrong_number
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 2; }));
  std::lock_guard lock(events_.mu);
  ASSERT_EQ(events_.outcomes.size(), 2u);
  std::map<std::string, std::string> upstream;
  for (auto& [id, o] : events_.outcomes) {
    EXPECT_EQ(o.kind, SendOutcome::Kind::kAccepted);
    upstream[o.upstream_id] = id;
  }
  for (auto& r : events_.receipts) {
    ASSERT_TRUE(upstream.count(r.upstream_id)) << r.upstream_id;
    if (upstream[r.upstream_id] == "m1") {
      EXPECT_EQ(r.status, store::MessageStatus::kDelivered);
    } else {
      EXPECT_EQ(r.status, store::MessageStatus::kUndelivered);
      EXPECT_EQ(r.reason, "wrong_number");
    }
  }
  EXPECT_NE(metrics_.RenderPrometheus().find("bramka_connector_bound{connector=\"smsc-a\"} 1"),
            std::string::npos);
}

// Receipts are acknowledged only once stored (connector.h rule 5, docs/adr/0019): with
// the completions held, the SMSC's window of unanswered deliver_sm (100) fills and no
// further receipt comes; once they run, the rest arrive.
TEST_F(SmscTest, ReceiptsAreAcknowledgedOnlyOnceStored) {
  StartSmsc();
  {
    std::lock_guard lock(events_.mu);
    events_.hold_acks = true;
  }
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  constexpr size_t kMessages = 110;
  for (size_t i = 0; i < kMessages; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 100; }));
  EXPECT_FALSE(events_.WaitFor([&] { return events_.receipts.size() > 100; }, 300ms))
      << "receipts acknowledged before their completion ran";
  events_.ReleaseAcks();
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= kMessages; }));
}

// e2e (docs/adr/0043): receipts at delay 0 go out from the submit's handler (no timer);
// the window still holds (100 unanswered, then one per answer) and every message gets
// exactly one receipt, or two with duplicate_receipts.
TEST_F(SmscTest, ReceiptsAtOnceKeepTheWindowOnePerMessage) {
  StartSmsc({}, false, 0);
  {
    std::lock_guard lock(events_.mu);
    events_.hold_acks = true;
  }
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  constexpr size_t kMessages = 130;
  for (size_t i = 0; i < kMessages; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 100; }));
  EXPECT_FALSE(events_.WaitFor([&] { return events_.receipts.size() > 100; }, 300ms))
      << "more deliver_sm unanswered than the window";
  events_.ReleaseAcks();
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= kMessages; }));
  EXPECT_FALSE(events_.WaitFor([&] { return events_.receipts.size() > kMessages; }, 200ms));
  std::lock_guard lock(events_.mu);
  std::set<std::string> ids;
  for (auto& r : events_.receipts) EXPECT_TRUE(ids.insert(r.upstream_id).second) << r.upstream_id;
  EXPECT_EQ(ids.size(), kMessages);
}

// wire (docs/adr/0052): Sends that arrive before the connector's thread takes them go
// over in one hop; each is still answered exactly once, and they go upstream in the order
// Send was called (the simulator numbers submits as they arrive), past the window of 100.
TEST_F(SmscTest, SendsCalledTogetherGoUpstreamInOrderEachAnsweredOnce) {
  StartSmsc({}, false, 0);
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  constexpr int kMessages = 250;
  for (int i = 0; i < kMessages; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() >= kMessages; }));
  EXPECT_FALSE(events_.WaitFor([&] { return events_.outcomes.size() > kMessages; }, 200ms));
  std::lock_guard lock(events_.mu);
  std::map<std::string, uint64_t> upstream;
  for (auto& [id, o] : events_.outcomes) {
    ASSERT_EQ(o.kind, SendOutcome::Kind::kAccepted) << id << ": " << o.error;
    EXPECT_TRUE(upstream.emplace(id, std::stoull(o.upstream_id)).second) << id << " twice";
  }
  for (int i = 1; i < kMessages; ++i) {
    EXPECT_LT(upstream["m" + std::to_string(i - 1)], upstream["m" + std::to_string(i)]) << i;
  }
}

TEST_F(SmscTest, DuplicateReceiptsAtOnceComeTwice) {
  Misbehaviour mb;
  mb.duplicate_receipts = true;
  StartSmsc(mb, false, 0);
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  for (int i = 0; i < 5; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 10; }));
  std::lock_guard lock(events_.mu);
  std::map<std::string, int> per_id;
  for (auto& r : events_.receipts) ++per_id[r.upstream_id];
  EXPECT_EQ(per_id.size(), 5u);
  for (auto& [id, n] : per_id) EXPECT_EQ(n, 2) << id;
}

TEST_F(SmscTest, RejectedNumbersArePermanent) {
  StartSmsc();
  auto& c = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  Send("m1", "+48600000201");
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() == 1; }));
  EXPECT_EQ(events_.outcomes[0].second.kind, SendOutcome::Kind::kPermanent);
}

TEST_F(SmscTest, RefusedBindNeverReady) {
  Misbehaviour mb;
  mb.refuse_bind = true;
  StartSmsc(mb);
  auto& c = StartConnector();
  EXPECT_FALSE(events_.WaitFor([&] { return c.Ready(); }, 500ms));
  Send("m1");
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() == 1; }));
  EXPECT_EQ(events_.outcomes[0].second.kind, SendOutcome::Kind::kTemporary);
}

TEST_F(SmscTest, DecimalReceiptIdsAndLongMessages) {
  Misbehaviour mb;
  mb.receipt_ids_decimal = true;
  mb.no_receipt_tlvs = true;
  mb.duplicate_receipts = true;
  StartSmsc(mb);
  smpp_client::SmppConnectorOptions o;
  o.receipt_id_format = smpp_client::ReceiptIdFormat::kDecimal;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  Send("m1", "+48500600700", std::string(400, 'z'));  // 3 parts
  ASSERT_TRUE(events_.WaitFor([&] { return !events_.receipts.empty(); }));
  std::lock_guard lock(events_.mu);
  ASSERT_EQ(events_.outcomes.size(), 1u);
  EXPECT_EQ(events_.receipts[0].upstream_id, events_.outcomes[0].second.upstream_id);
  EXPECT_EQ(events_.receipts[0].status, store::MessageStatus::kDelivered);
  EXPECT_EQ(smsc_->submits_received(), 3u);
}

TEST_F(SmscTest, ThrottlingSlowsButLosesNothing) {
  Misbehaviour mb;
  mb.throttle_tps = 5;
  StartSmsc(mb);
  smpp_client::SmppConnectorOptions o;
  o.window = 10;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  for (int i = 0; i < 12; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() == 12; }, 20s));
  for (auto& [id, o2] : events_.outcomes) EXPECT_EQ(o2.kind, SendOutcome::Kind::kAccepted) << id;
  EXPECT_NE(metrics_.RenderPrometheus().find("bramka_connector_throttled_total"),
            std::string::npos);
}

TEST_F(SmscTest, UnbindMidWindowAnswersEverySendOnce) {
  Misbehaviour mb;
  mb.unbind_after = 3;
  mb.slow_ms = 20;
  StartSmsc(mb);
  smpp_client::SmppConnectorOptions o;
  o.window = 10;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  for (int i = 0; i < 8; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() == 8; }));
  std::set<std::string> ids;
  for (auto& [id, o2] : events_.outcomes) EXPECT_TRUE(ids.insert(id).second) << id;
}

TEST_F(SmscTest, StopUnbindsAndAnswersEverything) {
  Misbehaviour mb;
  mb.no_response = true;
  StartSmsc(mb);
  smpp_client::SmppConnectorOptions o;
  o.response_timeout_s = 2;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  Send("m1");
  Send("m2");
  c.Stop();
  std::lock_guard lock(events_.mu);
  ASSERT_EQ(events_.outcomes.size(), 2u);
  for (auto& [id, o2] : events_.outcomes) EXPECT_EQ(o2.kind, SendOutcome::Kind::kTemporary);
}

TEST_F(SmscTest, OverTls) {
  StartSmsc({}, /*tls=*/true);
  ASSERT_GT(smsc_->tls_port(), 0);
  smpp_client::SmppConnectorOptions o;
  o.tls = true;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.WaitFor([&] { return c.Ready(); }));
  Send("m1");
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() == 1; }));
  std::lock_guard lock(events_.mu);
  EXPECT_EQ(events_.outcomes[0].second.kind, SendOutcome::Kind::kAccepted);
  EXPECT_EQ(events_.receipts[0].upstream_id, events_.outcomes[0].second.upstream_id);
}

// bind_mode = pair: submits on a bind_transmitter, receipts on a bind_receiver; the parts
// of a long message sent on the one resolve with receipts arriving on the other.
TEST_F(SmscTest, PairBindsTransmitterAndReceiverAndMatchesReceipts) {
  StartSmsc();
  smpp_client::SmppConnectorOptions o;
  o.bind_mode = smpp_client::BindMode::kPair;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.PollFor([&] { return c.bound(); }));
  Send("m1");
  Send("m2", "+48500600701", std::string(400, 'p'));  // 3 parts
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 4; }));
  std::lock_guard lock(events_.mu);
  ASSERT_EQ(events_.outcomes.size(), 2u);
  std::set<std::string> accepted;  // every part's id (docs/adr/0028)
  for (auto& [id, o2] : events_.outcomes) {
    EXPECT_EQ(o2.kind, SendOutcome::Kind::kAccepted) << id;
    accepted.insert(o2.upstream_id);
    accepted.insert(o2.part_ids.begin(), o2.part_ids.end());
  }
  ASSERT_EQ(accepted.size(), 4u);
  ASSERT_EQ(events_.receipts.size(), 4u) << "one receipt per part";
  for (auto& r : events_.receipts) {
    EXPECT_TRUE(accepted.count(r.upstream_id)) << r.upstream_id;
    EXPECT_EQ(r.status, store::MessageStatus::kDelivered);
  }
  int transmitter = 0, receiver = 0;
  for (const auto& e : smsc_events_) {
    transmitter += e.find(R"("mode":"transmitter","ok":true)") != std::string::npos;
    receiver += e.find(R"("mode":"receiver","ok":true)") != std::string::npos;
  }
  EXPECT_EQ(transmitter, 1);
  EXPECT_EQ(receiver, 1);
  const std::string page = metrics_.RenderPrometheus();
  EXPECT_NE(page.find(R"(bramka_connector_bind_up{connector="smsc-a",bind="receiver"} 1)"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find(R"(bramka_connector_bind_up{connector="smsc-a",bind="transmitter"} 1)"),
            std::string::npos);
}

// A connector replaced by a reload: receipts of a long message's parts sent before the
// change, held by the SMSC meanwhile, come to its successor with the part ids the first
// one accepted the message with (the store resolves them; docs/adr/0028).
TEST_F(SmscTest, ReplacementReportsThePartsOfLongMessagesSentBefore) {
  StartSmsc({}, false, /*receipt_delay_ms=*/300);
  auto& first = StartConnector();
  ASSERT_TRUE(events_.WaitFor([&] { return first.Ready(); }));
  Send("long", "+48500600700", std::string(400, 'q'));  // 3 parts
  ASSERT_TRUE(events_.WaitFor([&] { return events_.outcomes.size() == 1; }));
  first.Stop();  // unbinds before the receipts are due: the SMSC holds them
  {
    std::lock_guard lock(events_.mu);
    ASSERT_TRUE(events_.receipts.empty());
  }
  auto& second = StartConnector();  // same name, e.g. a new window size
  // The SMSC counts a receipt once its deliver_sm_resp came back; the connector's receipt
  // event may still be on its way then (under load it came after the check), so wait for
  // the events themselves: a receipt answered but never reported fails here.
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 3; }));
  EXPECT_GE(smsc_->receipts_sent(), 3u);
  second.Stop();
  std::lock_guard lock(events_.mu);
  ASSERT_EQ(events_.receipts.size(), 3u);
  const auto& parts = events_.outcomes[0].second.part_ids;
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], events_.outcomes[0].second.upstream_id);
  std::set<std::string> reported;
  for (const auto& r : events_.receipts) reported.insert(r.upstream_id);
  EXPECT_EQ(reported, std::set<std::string>(parts.begin(), parts.end()));
}

// The two binds of a pair reconnect on their own: the SMSC unbinding the transmitter
// leaves the receiver bound (and receiving).
TEST_F(SmscTest, PairTransmitterReconnectsAloneAfterAnUnbind) {
  Misbehaviour mb;
  mb.unbind_after = 2;
  StartSmsc(mb);
  smpp_client::SmppConnectorOptions o;
  o.bind_mode = smpp_client::BindMode::kPair;
  o.window = 1;
  auto& c = StartConnector(o);
  ASSERT_TRUE(events_.PollFor([&] { return c.bound(); }));
  for (int i = 0; i < 2; ++i) Send("m" + std::to_string(i));
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 2; }));
  ASSERT_TRUE(events_.WaitFor([&] {
    int tx = 0;
    for (const auto& e : smsc_events_)
      tx += e.find(R"("mode":"transmitter","ok":true)") != std::string::npos;
    return tx >= 2 && c.Ready();
  })) << "the transmitter binds again";
  Send("m2");
  ASSERT_TRUE(events_.WaitFor([&] { return events_.receipts.size() >= 3; }));
  std::lock_guard lock(events_.mu);
  int receiver = 0;
  for (const auto& e : smsc_events_) {
    receiver += e.find(R"("mode":"receiver","ok":true)") != std::string::npos;
  }
  EXPECT_EQ(receiver, 1) << "the receiver never went down";
  for (auto& [id, o2] : events_.outcomes) EXPECT_EQ(o2.kind, SendOutcome::Kind::kAccepted) << id;
}

}  // namespace
}  // namespace bramka::smsc
