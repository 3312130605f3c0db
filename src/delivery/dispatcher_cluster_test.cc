// Dispatcher: messages whose connector is bound on another node are handed over
// (Dispatcher::SetRemoteRoute, Store::HandOverMessages; docs/adr/0023).

#include <gtest/gtest.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using testing::FakeConnector;

class HandOverStore : public store::InMemoryStore {
 public:
  Result<void> HandOverMessages(const std::vector<std::string>& ids, const std::string& connector,
                                int64_t now_ms) override {
    {
      std::lock_guard lock(mu_);
      calls_.emplace_back(connector, ids);
    }
    return InMemoryStore::HandOverMessages(ids, connector, now_ms);
  }
  std::vector<std::pair<std::string, std::vector<std::string>>> calls() {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  std::mutex mu_;
  std::vector<std::pair<std::string, std::vector<std::string>>> calls_;
};

TEST(DispatcherClusterTest, MessagesForAnotherNodesConnectorAreHandedOverNotSent) {
  FakeClock clock;
  HandOverStore store;
  MetricsRegistry metrics;
  FakeConnector local("local");
  local.SetScript([](const store::Message& m) -> std::optional<SendOutcome> {
    return SendOutcome::Accepted("up-" + m.id);
  });
  const int64_t now = ToUnixMillis(clock.Now());
  auto account = store.CreateAccount("acme", "", 0, now);
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE(store.AdjustBalance(*account, store::MessageType::kEco, 100, "top-up", now).ok());
  std::vector<store::Message> ms;
  for (int i = 0; i < 4; ++i) {
    store::Message m;
    char id[11];
    std::snprintf(id, sizeof id, "%010x", i + 1);
    m.id = id;
    m.phone = i % 2 == 0 ? "+48500100200" : "+48600100200";  // even: the remote route
    m.type = store::MessageType::kEco;
    m.text = "hello";
    m.cost_units = 1;
    m.queued_ms = m.due_ms = now;
    m.status = MessageStatus::kQueued;
    ms.push_back(m);
  }
  ASSERT_TRUE(store.Accept({*account, ms}).ok());
  RoutingOptions ro;
  RouteRule remote;
  remote.prefixes = {"+4850"};
  remote.connectors = {"remote", "local"};
  ro.rules = {remote};
  ro.default_route = {"local"};
  FakeConnector remote_connector("remote");
  remote_connector.SetReady(false);  // not bound here
  Dispatcher d(store, clock, *RoutingTable::Create(ro),
               {{"local", &local}, {"remote", &remote_connector}}, DispatcherOptions{}, metrics);
  std::vector<bool> spreads;
  d.SetRemoteRoute(
      [&](const std::vector<std::string>& candidates, bool spread) -> std::optional<std::string> {
        spreads.push_back(spread);
        if (candidates.front() == "remote") return std::string("remote");
        return std::nullopt;
      });
  ASSERT_EQ(d.DispatchOnce(), 4);
  ASSERT_TRUE(d.WaitIdle(5000));
  // The local route's messages were sent here; the others handed over in one call.
  ASSERT_EQ(local.sends().size(), 2u);
  EXPECT_EQ(local.sends()[0].id, ms[1].id);
  EXPECT_TRUE(remote_connector.sends().empty());
  auto calls = store.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].first, "remote");
  EXPECT_EQ(calls[0].second, (std::vector<std::string>{ms[0].id, ms[2].id}));
  EXPECT_EQ(spreads, (std::vector<bool>{false, false, false, false}));
  EXPECT_EQ(store.GetMessage(*account, ms[0].id)->status, MessageStatus::kQueued);
  EXPECT_EQ(d.in_flight(), 0);
}

}  // namespace
}  // namespace bramka::delivery
