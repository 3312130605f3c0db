// reliability (issue 12, docs/adr/0025): a wall clock that jumps forward past the lease
// must not make the Dispatcher send its own in-flight messages again
// (tests/integration/test_clock_jumps.py is the end-to-end form).
#include <gtest/gtest.h>

#include <cstdio>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using testing::FakeConnector;

class DispatcherClockTest : public ::testing::Test {
 protected:
  DispatcherClockTest() : a_("a") {
    account_ = *store_.CreateAccount("acme", "", 0, Now());
    EXPECT_TRUE(
        store_.AdjustBalance(account_, store::MessageType::kEco, 1000, "top-up", Now()).ok());
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
    m.queued_ms = m.due_ms = Now();
    m.status = MessageStatus::kQueued;
    EXPECT_TRUE(store_.Accept({account_, {m}}).ok());
    return m.id;
  }
  std::unique_ptr<Dispatcher> Make() {
    RoutingOptions o;
    o.default_route = {"a"};
    return std::make_unique<Dispatcher>(store_, clock_, *RoutingTable::Create(o),
                                        std::map<std::string, Connector*>{{"a", &a_}}, options_,
                                        metrics_);
  }

  FakeClock clock_;
  store::InMemoryStore store_;
  MetricsRegistry metrics_;
  FakeConnector a_;
  DispatcherOptions options_;
  store::AccountId account_ = 0;
  unsigned next_id_ = 0;
};

TEST_F(DispatcherClockTest, ForwardJumpPastTheLeaseDoesNotSendInFlightMessagesTwice) {
  const std::string id = Accept();
  a_.HoldAll();  // the SMSC has not answered yet
  auto d = Make();
  EXPECT_EQ(d->DispatchOnce(), 1);
  ASSERT_EQ(a_.held(), 1u);
  clock_.Advance(std::chrono::hours(2));  // the lease looks expired
  EXPECT_EQ(d->DispatchOnce(), 0) << "claimed again while in flight";
  EXPECT_EQ(a_.sends().size(), 1u);
  ASSERT_TRUE(a_.AnswerHeld(SendOutcome::Accepted("a-1")));
  auto m = store_.GetMessage(account_, id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, MessageStatus::kSent);
  EXPECT_EQ(d->in_flight(), 0);
  EXPECT_EQ(d->DispatchOnce(), 0);
  EXPECT_EQ(a_.sends().size(), 1u);
}

TEST_F(DispatcherClockTest, ARetriedMessageIsClaimedAgainAfterItsAttemptEnded) {
  const std::string id = Accept();
  a_.HoldAll();
  auto d = Make();
  EXPECT_EQ(d->DispatchOnce(), 1);
  ASSERT_TRUE(a_.AnswerHeld(SendOutcome::Temporary("busy")));  // MarkRetry at backoff
  EXPECT_EQ(d->in_flight(), 0);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(d->DispatchOnce(), 1) << "no longer in flight: due again";
  EXPECT_EQ(a_.sends().size(), 2u);
}

}  // namespace
}  // namespace bramka::delivery
