// ClusterAgent (docs/adr/0023) against an in-memory coordinator: binds spread by fair
// share, a partitioned node unbinds everything, the others reap it and take over.

#include "app/cluster_agent.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "delivery/testing/fake_connector.h"

namespace bramka::app {
namespace {

using Ms = std::chrono::milliseconds;

int64_t NowMs() {
  return std::chrono::duration_cast<Ms>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// The coordinator's contract (store/cluster.h) in memory; `down` nodes' calls fail.
class FakeCoordinator : public store::ClusterCoordinator {
 public:
  Result<store::ClusterView> Heartbeat(const std::string& node, const std::string& info,
                                       int64_t timeout) override {
    std::lock_guard lock(mu_);
    if (down_.count(node)) return Fail(ErrorCode::kUnavailable, "partitioned");
    const int64_t now_ms = NowMs();
    auto& n = nodes_[node];
    if (n.id.empty()) n = {node, info, now_ms, now_ms};
    n.info = info;  // as the stores do: every heartbeat publishes the node's info
    n.heartbeat_ms = now_ms;
    ++heartbeats_[node];
    return ViewLocked(now_ms, timeout);
  }
  Result<store::ClusterView> ReadClusterView(int64_t timeout) override {
    std::lock_guard lock(mu_);
    return ViewLocked(NowMs(), timeout);
  }
  Result<bool> AcquireLease(const std::string& name, const std::string& node, int64_t lease_ms,
                            bool ready) override {
    std::lock_guard lock(mu_);
    if (down_.count(node)) return Fail(ErrorCode::kUnavailable, "partitioned");
    auto it = leases_.find(name);
    if (it != leases_.end() && it->second.owner != node && it->second.until_ms > NowMs()) {
      return false;
    }
    leases_[name] = {name, node, NowMs() + lease_ms, ready};
    return true;
  }
  Result<void> ReleaseLease(const std::string& name, const std::string& node) override {
    std::lock_guard lock(mu_);
    if (down_.count(node)) return Fail(ErrorCode::kUnavailable, "partitioned");
    if (auto it = leases_.find(name); it != leases_.end() && it->second.owner == node) {
      leases_.erase(it);
    }
    return Ok();
  }
  Result<std::vector<std::string>> ReapDeadNodes(const std::string& self,
                                                 int64_t timeout) override {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (auto it = nodes_.begin(); it != nodes_.end();) {
      if (it->first != self && it->second.heartbeat_ms < NowMs() - timeout) {
        out.push_back(it->first);
        for (auto l = leases_.begin(); l != leases_.end();) {
          l = l->second.owner == it->first ? leases_.erase(l) : std::next(l);
        }
        it = nodes_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }
  Result<void> LeaveCluster(const std::string& node) override {
    std::lock_guard lock(mu_);
    nodes_.erase(node);
    for (auto l = leases_.begin(); l != leases_.end();) {
      l = l->second.owner == node ? leases_.erase(l) : std::next(l);
    }
    return Ok();
  }
  void SetDown(const std::string& node) {
    std::lock_guard lock(mu_);
    down_.insert(node);
  }
  std::string InfoOf(const std::string& node) {
    std::lock_guard lock(mu_);
    auto it = nodes_.find(node);
    return it == nodes_.end() ? "" : it->second.info;
  }
  int Heartbeats(const std::string& node) {
    std::lock_guard lock(mu_);
    return heartbeats_[node];
  }
  std::string OwnerOf(const std::string& connector) {
    std::lock_guard lock(mu_);
    auto it = leases_.find("connector:" + connector);
    return it == leases_.end() || it->second.until_ms <= NowMs() ? "" : it->second.owner;
  }

 private:
  store::ClusterView ViewLocked(int64_t now_ms, int64_t timeout) const {
    store::ClusterView v;
    v.now_ms = now_ms;
    for (const auto& [id, row] : nodes_) {
      if (row.heartbeat_ms >= now_ms - timeout) v.nodes.push_back(row);
    }
    for (const auto& [name, l] : leases_) {
      if (l.until_ms > now_ms) v.leases.push_back(l);
    }
    return v;
  }

  std::mutex mu_;
  std::map<std::string, store::ClusterNode> nodes_;
  std::map<std::string, store::ClusterLease> leases_;
  std::set<std::string> down_;
  std::map<std::string, int> heartbeats_;
};

class NullEvents : public delivery::ConnectorEvents {
 public:
  void OnReceipt(store::ReceiptUpdate, ReceiptDone done) override {
    if (done) done(true);
  }
  void OnReadyChanged(const std::string&, bool) override {}
};

// One node: an agent and its ClusterConnectors "c1" and "c2" around FakeConnectors.
struct Node {
  Node(FakeCoordinator& coordinator, const std::string& id, MetricsRegistry& metrics)
      : agent(coordinator, ClusterAgentOptions{id, 20, 300}, metrics) {
    for (const char* name : {"c1", "c2"}) {
      connectors.push_back(std::make_unique<ClusterConnector>(
          name, [name] { return std::make_unique<delivery::testing::FakeConnector>(name); },
          agent));
      EXPECT_TRUE(connectors.back()->Start(events).ok());
    }
    EXPECT_TRUE(agent.Start().ok());
  }
  int bound() const {
    int n = 0;
    for (const auto& c : connectors) n += c->Bound() ? 1 : 0;
    return n;
  }
  NullEvents events;
  ClusterAgent agent;
  std::vector<std::unique_ptr<ClusterConnector>> connectors;
};

bool WaitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 1000; ++i) {  // 20 s at most
    if (done()) return true;
    std::this_thread::sleep_for(Ms(20));
  }
  return done();
}

TEST(ClusterAgentTest, BindsSpreadAndMoveWhenANodeIsCutOff) {
  FakeCoordinator coordinator;
  MetricsRegistry ma, mb;
  Node a(coordinator, "a", ma);
  Node b(coordinator, "b", mb);
  // Two nodes, two connectors: one each, each bound exactly where its lease is.
  ASSERT_TRUE(WaitFor([&] { return a.bound() == 1 && b.bound() == 1; }));
  const std::string owner1 = coordinator.OwnerOf("c1");
  EXPECT_FALSE(owner1.empty());
  EXPECT_NE(owner1, coordinator.OwnerOf("c2"));
  // The hand-over hook: a failover route whose first connector is bound elsewhere goes
  // there; one bound here stays here.
  Node& holder = owner1 == "a" ? a : b;
  Node& other = owner1 == "a" ? b : a;
  ASSERT_TRUE(WaitFor([&] { return other.agent.RemoteRoute({"c1"}, false) == "c1"; }));
  EXPECT_EQ(holder.agent.RemoteRoute({"c1"}, false), std::nullopt);
  EXPECT_EQ(other.agent.RemoteRoute({"simnet", "c1"}, false), std::nullopt);
  // Cut the holder of c1 off the database: it unbinds everything before its leases
  // expire, the other reaps it and binds both.
  coordinator.SetDown(owner1);
  ASSERT_TRUE(WaitFor([&] { return holder.bound() == 0; }));
  ASSERT_TRUE(WaitFor([&] { return other.bound() == 2; }));
  EXPECT_EQ(coordinator.OwnerOf("c1"), owner1 == "a" ? "b" : "a");
  other.agent.Stop();
  EXPECT_EQ(other.bound(), 0);
  EXPECT_EQ(coordinator.OwnerOf("c1"), "");
}

TEST(ClusterAgentTest, OneNodeHoldsARoleAndAnotherTakesItOver) {
  FakeCoordinator coordinator;
  MetricsRegistry ma, mb;
  ClusterAgent a(coordinator, ClusterAgentOptions{"a", 20, 300}, ma);
  ClusterAgent b(coordinator, ClusterAgentOptions{"b", 20, 300}, mb);
  a.AddRole("ingest");
  b.AddRole("ingest");
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  bool both = false;  // never, at any instant we look
  auto one_of = [&](const std::function<bool()>& done) {
    return WaitFor([&] {
      both = both || (a.HoldsRole("ingest") && b.HoldsRole("ingest"));
      return done();
    });
  };
  ASSERT_TRUE(one_of([&] { return a.HoldsRole("ingest") || b.HoldsRole("ingest"); }));
  const bool a_holds = a.HoldsRole("ingest");
  ClusterAgent& holder = a_holds ? a : b;
  ClusterAgent& other = a_holds ? b : a;
  EXPECT_FALSE(other.HoldsRole("ingest"));
  // The holder is cut off the database: it drops the role before its lease expires, and
  // the other node takes it after.
  coordinator.SetDown(a_holds ? "a" : "b");
  ASSERT_TRUE(one_of([&] { return !holder.HoldsRole("ingest"); }));
  ASSERT_TRUE(one_of([&] { return other.HoldsRole("ingest"); }));
  EXPECT_FALSE(both);
  other.Stop();
  EXPECT_FALSE(other.HoldsRole("ingest"));
}

// The listeners are known only once bound, after the agent joined: SetInfo publishes
// them at once (an extra heartbeat), not at the next beat, which here is a minute away.
TEST(ClusterAgentTest, NewInfoIsPublishedAtOnceNotAtTheNextBeat) {
  FakeCoordinator coordinator;
  MetricsRegistry metrics;
  ClusterAgent agent(coordinator, ClusterAgentOptions{"a", 60'000, 180'000}, metrics);
  agent.SetInfo("http=0 smpp=0");  // before Start: the joining heartbeat carries it
  ASSERT_TRUE(agent.Start().ok());
  EXPECT_EQ(coordinator.InfoOf("a"), "http=0 smpp=0");
  EXPECT_EQ(coordinator.Heartbeats("a"), 1);
  agent.SetInfo("http=8080 smpp=2775");
  ASSERT_TRUE(WaitFor([&] { return coordinator.InfoOf("a") == "http=8080 smpp=2775"; }));
  EXPECT_EQ(coordinator.Heartbeats("a"), 2);  // one extra heartbeat, no beat
  agent.Stop();
}

}  // namespace
}  // namespace bramka::app
