#pragma once
// The cluster's part of `bramka serve` (docs/adr/0023), kept out of serve_command.cc.

#include <atomic>
#include <memory>

#include "app/cluster_agent.h"
#include "app/live_connectors.h"
#include "app/runtime.h"
#include "common/metrics.h"
#include "delivery/dispatcher.h"

namespace bramka::api::smpp {
class SmppServer;
}

namespace bramka::app {

// The node's agent when [cluster] is enabled (null otherwise). kInvalidArgument when the
// store cannot coordinate nodes (not PostgreSQL).
Result<std::unique_ptr<ClusterAgent>> MakeClusterAgent(Runtime& rt, MetricsRegistry& metrics);

// LiveConnectors' factory: null (the default) without a cluster.
LiveConnectors::Factory ClusterConnectorFactory(ClusterAgent* agent, Clock& clock,
                                                MetricsRegistry& metrics);

// Hooks the dispatcher (hand-overs) and the SMPP server's outbox (woken every beat: the
// receipts and incoming messages other nodes queued for this node's binds) to the
// agent, and starts it. Nothing without an agent. Before the dispatcher starts.
Result<void> StartCluster(ClusterAgent* agent, Runtime& rt, delivery::Dispatcher& dispatcher,
                          std::atomic<api::smpp::SmppServer*>& smpp_server);

}  // namespace bramka::app
