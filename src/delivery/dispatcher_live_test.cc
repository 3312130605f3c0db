// Connectors added and removed while the Dispatcher runs (docs/adr/0015), handed-back
// outcomes and receipt aliases.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <thread>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using ::testing::ElementsAre;
using testing::FakeConnector;

constexpr int kWaitMs = 5000;

class DispatcherLiveTest : public ::testing::Test {
 protected:
  DispatcherLiveTest() : a_("a"), b_("b") {
    auto account = store_.CreateAccount("acme", "", 0, Now());
    EXPECT_TRUE(account.ok());
    account_ = *account;
    EXPECT_TRUE(
        store_.AdjustBalance(account_, store::MessageType::kEco, 100000, "top-up", Now()).ok());
    options_.retry.jitter = 0;
    options_.stop_timeout_ms = 0;
  }

  int64_t Now() const { return ToUnixMillis(clock_.Now()); }

  std::string Accept() {
    store::Message m;
    char id[11];
    std::snprintf(id, sizeof id, "%010x", ++next_id_);
    m.id = id;
    m.phone = "+48500100200";
    m.type = store::MessageType::kEco;
    m.text = "hello";
    m.cost_units = 1;
    m.queued_ms = Now();
    m.due_ms = Now();
    m.status = MessageStatus::kQueued;
    EXPECT_TRUE(store_.Accept({account_, {m}}).ok());
    return m.id;
  }

  store::Message Get(const std::string& id) {
    auto m = store_.GetMessage(account_, id);
    EXPECT_TRUE(m.ok());
    return m.ok() ? *m : store::Message{};
  }

  static RoutingTable Route(std::vector<std::string> connectors) {
    RoutingOptions o;
    o.default_route = std::move(connectors);
    return *RoutingTable::Create(o);
  }

  int64_t Metric(const std::string& name, const std::string& labels) {
    return metrics_.GetCounter(name, "", labels).value();
  }

  FakeClock clock_;
  store::InMemoryStore store_;
  MetricsRegistry metrics_;
  FakeConnector a_;
  FakeConnector b_;
  DispatcherOptions options_;
  store::AccountId account_ = 0;
  unsigned next_id_ = 0;
};

TEST_F(DispatcherLiveTest, AddedConnectorIsStartedAndTakesTrafficOnceRouted) {
  options_.poll_interval_ms = 60'000;
  Dispatcher d(store_, clock_, Route({"a"}), {{"a", &a_}}, options_, metrics_);
  ASSERT_TRUE(d.Start().ok());
  ASSERT_TRUE(d.AddConnector(b_).ok());
  EXPECT_TRUE(b_.started());
  EXPECT_EQ(b_.events(), &d.events());
  EXPECT_THAT(d.ConnectorNames(), ElementsAre("a", "b"));
  EXPECT_EQ(d.AddConnector(b_).error().code, ErrorCode::kAlreadyExists);
  d.SetRouting(Route({"b"}));
  const std::string id = Accept();
  d.Wake();
  ASSERT_TRUE(b_.WaitForSends(1, kWaitMs));
  ASSERT_TRUE(d.WaitIdle(kWaitMs));
  EXPECT_EQ(Get(id).connector, "b");
  EXPECT_TRUE(a_.sends().empty());
  d.Stop();
  EXPECT_TRUE(b_.stopped()) << "the dispatcher stops added connectors too";
  EXPECT_EQ(d.AddConnector(b_).error().code, ErrorCode::kUnavailable);
}

TEST_F(DispatcherLiveTest, RemovedConnectorHandsBackItsWindowDueAtOnce) {
  Dispatcher d(store_, clock_, Route({"a"}), {{"a", &a_}}, options_, metrics_);
  a_.HoldAll();
  a_.SetStopAnswer(SendOutcome::HandedBack("a: stopping"));
  const std::string held = Accept();
  ASSERT_EQ(d.DispatchOnce(), 1);
  ASSERT_EQ(a_.held(), 1u);
  ASSERT_TRUE(d.RemoveConnector("a"));
  EXPECT_TRUE(a_.stopped());
  EXPECT_FALSE(d.RemoveConnector("a"));
  EXPECT_TRUE(d.ConnectorNames().empty());
  // Back in the store, due after one poll interval (no backoff), still charged.
  const store::Message m = Get(held);
  EXPECT_EQ(m.status, MessageStatus::kQueued);
  EXPECT_EQ(m.due_ms, Now() + options_.poll_interval_ms);
  EXPECT_EQ(*store_.LedgerSumForMessage(held), -1);
  EXPECT_EQ(Metric("bramka_messages_out_total", R"(connector="a",outcome="handed_back")"), 1);
  // Nothing reaches the removed connector any more; a new one takes it, with
  // the retry not counted as a failed attempt.
  ASSERT_TRUE(d.AddConnector(b_).ok());
  d.SetRouting(Route({"a", "b"}));
  clock_.Advance(std::chrono::milliseconds(options_.poll_interval_ms));
  EXPECT_EQ(d.DispatchOnce(), 1);
  EXPECT_EQ(a_.sends().size(), 1u);
  EXPECT_EQ(Get(held).status, MessageStatus::kSent);
  EXPECT_EQ(Get(held).connector, "b");
}

TEST_F(DispatcherLiveTest, HandedBackFailsOverToTheNextCandidateAtOnce) {
  Dispatcher d(store_, clock_, Route({"a", "b"}), {{"a", &a_}, {"b", &b_}}, options_, metrics_);
  a_.SetScript([](const store::Message&) { return SendOutcome::HandedBack("a: queue full"); });
  const std::string id = Accept();
  ASSERT_EQ(d.DispatchOnce(), 1);
  EXPECT_EQ(Get(id).connector, "b");
  EXPECT_EQ(Get(id).status, MessageStatus::kSent);
}

TEST_F(DispatcherLiveTest, RemovalWaitsForWhatTheSmscAnswersMeanwhile) {
  Dispatcher d(store_, clock_, Route({"a"}), {{"a", &a_}}, options_, metrics_);
  a_.HoldAll();
  a_.SetStopAnswer(SendOutcome::Accepted("late-7"));  // the window drains on stop
  const std::string id = Accept();
  ASSERT_EQ(d.DispatchOnce(), 1);
  ASSERT_TRUE(d.RemoveConnector("a"));
  EXPECT_EQ(Get(id).status, MessageStatus::kSent);
  EXPECT_EQ(Get(id).upstream_id, "late-7");
  // Its receipt arrives on the successor to the same SMSC account: matched by alias.
  d.events().OnReceipt({"b", "late-7", MessageStatus::kDelivered, "", Now()});
  EXPECT_EQ(Get(id).status, MessageStatus::kSent) << "no alias yet";
  d.SetReceiptAliases({{"b", {"a"}}});
  d.events().OnReceipt({"b", "late-7", MessageStatus::kDelivered, "", Now()});
  EXPECT_EQ(Get(id).status, MessageStatus::kDelivered);
  EXPECT_EQ(Metric("bramka_receipts_total", R"(connector="b",status="delivered")"), 1);
}

TEST_F(DispatcherLiveTest, AliasReceiptThatOvertakesItsSubmitIsAppliedAfterMarkSent) {
  Dispatcher d(store_, clock_, Route({"a"}), {{"a", &a_}, {"b", &b_}}, options_, metrics_);
  d.SetReceiptAliases({{"b", {"a"}}});
  a_.HoldAll();
  const std::string id = Accept();
  ASSERT_EQ(d.DispatchOnce(), 1);
  // The SMSC's receipt arrives on b before a's acceptance is recorded.
  d.events().OnReceipt({"b", "fast-1", MessageStatus::kDelivered, "", Now()});
  EXPECT_EQ(Get(id).status, MessageStatus::kQueued);
  ASSERT_TRUE(a_.AnswerHeld(SendOutcome::Accepted("fast-1")));
  EXPECT_EQ(Get(id).status, MessageStatus::kDelivered);
}

// Connectors come and go under traffic: every message still ends sent, exactly once
// answered, and no Send reaches a connector after its removal returned.
TEST_F(DispatcherLiveTest, AddAndRemoveUnderTrafficLosesNothing) {
  options_.poll_interval_ms = 5;
  options_.record_threads = 4;
  options_.batch_size = 8;
  Dispatcher d(store_, clock_, Route({"a", "b"}), {{"b", &b_}}, options_, metrics_);
  ASSERT_TRUE(d.Start().ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(Accept());
  d.Wake();
  for (int round = 0; round < 20; ++round) {
    auto c = std::make_unique<FakeConnector>("a");
    c->SetScript([round, n = std::make_shared<std::atomic<int>>(0)](
                     const store::Message&) -> std::optional<SendOutcome> {
      if (++*n % 3 == 0) return SendOutcome::HandedBack("busy");
      return SendOutcome::Accepted("r" + std::to_string(round) + "-" + std::to_string(*n));
    });
    ASSERT_TRUE(d.AddConnector(*c).ok());
    clock_.Advance(std::chrono::milliseconds(10));
    d.Wake();
    c->WaitForSends(3, 200);
    ASSERT_TRUE(d.RemoveConnector("a"));
    EXPECT_TRUE(c->stopped());
  }  // each `c` is destroyed right after its removal (a later Send would be a use after free)
  auto all_sent = [&] {
    for (const auto& id : ids) {
      if (Get(id).status != MessageStatus::kSent) return false;
    }
    return true;
  };
  for (int i = 0; i < 500 && !all_sent(); ++i) {
    clock_.Advance(std::chrono::milliseconds(100));
    d.Wake();
    d.WaitIdle(10);  // bounded
  }
  EXPECT_TRUE(all_sent());
  d.Stop();
  EXPECT_EQ(d.in_flight(), 0);
}

}  // namespace
}  // namespace bramka::delivery
