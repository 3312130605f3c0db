#pragma once
// ClusterCoordinator: what several `bramka serve` nodes sharing one store need to know
// about each other (issue 13, docs/adr/0023): which nodes are alive (a heartbeat row
// each) and who holds which named lease ("connector:<name>": the SMPP binds of one
// [[connector]] are held by one node at a time). Implemented by PostgresStore; a store
// without it (SQLite, in-memory) is one node.
//
// Times: every expiry is measured on the database's clock, never a node's, so nodes
// with skewed clocks agree on who is alive. Thread-safe.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace bramka::store {

struct ClusterNode {
  std::string id;
  std::string info;  // free text the node registered (its listeners), for operators
  int64_t started_ms = 0;
  int64_t heartbeat_ms = 0;
};

struct ClusterLease {
  std::string name;   // "connector:<name>"
  std::string owner;  // a node id
  int64_t until_ms = 0;
  bool ready = false;  // what the owner last said about it (a connector: bound)
};

struct ClusterView {
  int64_t now_ms = 0;                // the database's clock
  std::vector<ClusterNode> nodes;    // alive (heartbeat within the timeout), by id
  std::vector<ClusterLease> leases;  // unexpired, by name
};

class ClusterCoordinator {
 public:
  virtual ~ClusterCoordinator() = default;

  // Registers `node` (first call) or refreshes its heartbeat, and returns the view:
  // the nodes whose heartbeat is within node_timeout_ms and the unexpired leases.
  virtual Result<ClusterView> Heartbeat(const std::string& node, const std::string& info,
                                        int64_t node_timeout_ms) = 0;
  // The view Heartbeat returns, read without registering anyone (`bramka admin status`).
  virtual Result<ClusterView> ReadClusterView(int64_t node_timeout_ms) = 0;
  // Takes lease `name` for `node` until now + lease_ms when it is free, expired or
  // already `node`'s (a renewal, which also records `ready`). Returns whether `node`
  // holds it now. Atomic: of two nodes racing for a free lease, one gets it.
  virtual Result<bool> AcquireLease(const std::string& name, const std::string& node,
                                    int64_t lease_ms, bool ready) = 0;
  // Gives the lease up if `node` holds it (else nothing).
  virtual Result<void> ReleaseLease(const std::string& name, const std::string& node) = 0;
  // Every node other than `self` whose heartbeat is older than node_timeout_ms is dead:
  // in one transaction per node, its message leases are released (its kQueued messages
  // claimable at once, as ReleaseLeases), its callback and SMPP outbox leases too, and
  // its node row and named leases deleted. Returns the ids reaped (each by one caller).
  virtual Result<std::vector<std::string>> ReapDeadNodes(const std::string& self,
                                                         int64_t node_timeout_ms) = 0;
  // A clean shutdown: the node's row and leases go at once.
  virtual Result<void> LeaveCluster(const std::string& node) = 0;
};

}  // namespace bramka::store
