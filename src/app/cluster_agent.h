#pragma once
// ClusterAgent: this `bramka serve` as one node of several on one PostgreSQL (issue 13,
// docs/adr/0023). One thread that, every [cluster] heartbeat_ms:
//   1. refreshes this node's heartbeat row and reads the live nodes and leases;
//   2. reaps dead nodes (silent for lease_ms): their claimed messages, callbacks and
//      SMPP outbox entries are released at once for the others;
//   3. spreads the [[connector]] binds: each connector is bound by the one node holding
//      its lease "connector:<name>"; a node takes free ones up to its fair share
//      (ceil(connectors / live nodes)), renews its own (with whether it is bound), and
//      gives up one above its share per beat (unbound first, then released), so binds
//      move to nodes that join and away from nodes that die;
//   4. renews or takes the roles (AddRole: one node at a time does that work);
//   5. runs the tick hook (the SMPP server's outbox: entries other nodes queued).
// A node that cannot renew (the database is unreachable) unbinds everything before its
// leases can expire, so no connector is ever bound on two nodes — a connector's `tps`
// and `window` hold for the whole cluster.
//
// The dispatcher asks RemoteRoute which node should send a message: on a failover
// route, the first candidate that is bound and ready here or on another live node
// decides (every node sees the same order, so a message moves at most once); on a
// spreading route (round_robin, weights), any candidate ready here keeps it here (the
// claims already spread it over the nodes; a rotation per node would bounce it). A
// message for another node's connector is handed over (Store::HandOverMessages).
//
// Life cycle: construct; Factory() into LiveConnectors; Start() before the Dispatcher
// starts; Stop() after the Dispatcher stopped; destroy after the connectors.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/live_connectors.h"
#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "config/config.h"
#include "delivery/connector.h"
#include "store/cluster.h"

namespace bramka::app {

// The node id of this process: BRAMKA_NODE_ID, else [cluster] node_id, else
// "<hostname>-<6 random hex>". Written into cfg.server.node_id (the lease owner of the
// dispatcher, the callback sender and the store) when [cluster] is enabled.
void ResolveClusterNodeId(config::Config& cfg);

class ClusterAgent;

// A [[connector]] that binds only while this node holds its lease: the real connector
// is made (and started) when the agent gives it the lease and stopped (drained,
// unbound) before the lease is released. Without it, Send hands the message back.
class ClusterConnector : public delivery::Connector {
 public:
  using Make = std::function<std::unique_ptr<delivery::Connector>()>;
  ClusterConnector(std::string name, Make make, ClusterAgent& agent);
  ~ClusterConnector() override;

  const std::string& name() const override { return name_; }
  Result<void> Start(delivery::ConnectorEvents& events) override;
  bool Ready() const override;
  void Send(const store::Message& message, delivery::SendCallback done) override;
  void Stop() override;

  // The agent's thread: bind (owned) or drain and unbind (not owned). Idempotent; a
  // failed start is tried again at the next call.
  void SetOwned(bool owned);
  bool Bound() const;

 private:
  std::shared_ptr<delivery::Connector> Inner() const;

  const std::string name_;
  const Make make_;
  ClusterAgent& agent_;
  std::mutex life_mu_;  // orders Start / Stop / SetOwned
  delivery::ConnectorEvents* events_ = nullptr;
  bool started_ = false;
  bool stopped_ = false;
  mutable std::mutex mu_;  // guards inner_
  std::shared_ptr<delivery::Connector> inner_;
};

struct ClusterAgentOptions {
  std::string node_id;
  int heartbeat_ms = 1'000;
  int lease_ms = 5'000;
};

class ClusterAgent {
 public:
  ClusterAgent(store::ClusterCoordinator& coordinator, ClusterAgentOptions options,
               MetricsRegistry& metrics);
  ~ClusterAgent();
  ClusterAgent(const ClusterAgent&) = delete;
  ClusterAgent& operator=(const ClusterAgent&) = delete;

  // LiveConnectors' factory: every [[connector]] a ClusterConnector around what
  // `inner` makes.
  LiveConnectors::Factory Factory(LiveConnectors::Factory inner);
  // The Dispatcher's RemoteRoute (see above). Thread-safe.
  std::optional<std::string> RemoteRoute(const std::vector<std::string>& candidates,
                                         bool spread) const;
  // Runs on the agent's thread after each beat. Set before Start().
  void SetOnTick(std::function<void()> fn) { on_tick_ = std::move(fn); }
  // What other nodes and operators see of this node (its listeners). Once started, a
  // changed value is published at once by an extra heartbeat on the agent's thread.
  void SetInfo(const std::string& info);
  // Roles: work that one live node at a time must do, each held through a lease
  // "role:<name>" (the FTP and SQL API pollers run on the node holding "ingest"). A free
  // role is taken at a beat and renewed at every beat; it is dropped with the connectors
  // when the database stops answering (before the lease can expire), so two nodes never
  // hold it at once. AddRole before Start; HoldsRole from any thread.
  void AddRole(const std::string& role);
  bool HoldsRole(const std::string& role) const;

  // Registers the node (kUnavailable when the database does not answer) and starts
  // the thread.
  Result<void> Start();
  // Joins the thread, unbinds what this node holds and leaves the cluster (its
  // leases go at once). Idempotent.
  void Stop();

 private:
  friend class ClusterConnector;
  void Register(ClusterConnector* c);
  void Unregister(ClusterConnector* c);
  void Run();
  void Beat();
  // A heartbeat that only refreshes this node's row (and its info) and counts the live
  // nodes: no reaping, connectors or roles.
  void LookOnly();
  // Unbinds every connector (the database is unreachable, or stopping).
  void DropAll();
  void DropAllLocked();  // beat_mu_ held
  // The roles' part of a beat: renew or take each (beat_mu_ held).
  void BeatRoles(const store::ClusterView& view);

  store::ClusterCoordinator& coordinator_;
  const ClusterAgentOptions options_;
  MetricsRegistry& metrics_;
  std::function<void()> on_tick_;

  // Held by Beat and DropAll, which call connectors outside mu_; Unregister (a
  // connector's destructor) waits for it, so no connector goes away under them.
  std::mutex beat_mu_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool publish_ = false;  // SetInfo changed info_ after Start: heartbeat now
  std::string info_;
  std::map<std::string, std::set<ClusterConnector*>> connectors_;  // by name
  std::set<std::string> owned_;                                    // leases held
  std::set<std::string> roles_;                                    // AddRole
  std::set<std::string> roles_held_;
  // The last view: connector name -> (owner, until on the database clock, ready).
  struct Owner {
    std::string node;
    int64_t until_ms = 0;
    bool ready = false;
  };
  std::map<std::string, Owner> owners_;
  int64_t view_db_ms_ = 0;                         // the database clock at the view
  std::chrono::steady_clock::time_point view_at_;  // when it was read
  std::chrono::steady_clock::time_point last_ok_;  // last successful beat
  int live_nodes_ = 0;
  std::thread thread_;
  bool started_ = false;
};

}  // namespace bramka::app
