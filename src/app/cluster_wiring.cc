#include "app/cluster_wiring.h"

#include <spdlog/spdlog.h>

#include "api/smpp/server.h"
#include "connectors/smpp/smpp_connector.h"
#include "store/cluster.h"

namespace bramka::app {

Result<std::unique_ptr<ClusterAgent>> MakeClusterAgent(Runtime& rt, MetricsRegistry& metrics) {
  const config::Config& cfg = rt.config;
  if (!cfg.cluster.enabled) return std::unique_ptr<ClusterAgent>();
  auto* coordinator = dynamic_cast<store::ClusterCoordinator*>(rt.store.get());
  if (coordinator == nullptr) {
    return Fail(ErrorCode::kInvalidArgument,
                "[cluster] enabled needs a store shared by the nodes ([store] engine = "
                "\"postgres\")");
  }
  ClusterAgentOptions options;
  options.node_id = cfg.server.node_id;
  options.heartbeat_ms = cfg.cluster.heartbeat_ms;
  options.lease_ms = cfg.cluster.lease_ms;
  return std::make_unique<ClusterAgent>(*coordinator, options, metrics);
}

LiveConnectors::Factory ClusterConnectorFactory(ClusterAgent* agent, Clock& clock,
                                                MetricsRegistry& metrics) {
  if (agent == nullptr) return nullptr;
  return agent->Factory([&clock, &metrics](const smpp_client::SmppConnectorOptions& o)
                            -> std::unique_ptr<delivery::Connector> {
    return std::make_unique<smpp_client::SmppConnector>(o, clock, metrics);
  });
}

Result<void> StartCluster(ClusterAgent* agent, Runtime& rt, delivery::Dispatcher& dispatcher,
                          std::atomic<api::smpp::SmppServer*>& smpp_server) {
  if (agent == nullptr) return Ok();
  dispatcher.SetRemoteRoute([agent](const std::vector<std::string>& candidates, bool spread) {
    return agent->RemoteRoute(candidates, spread);
  });
  store::Store& store = *rt.store;
  agent->SetOnTick([&store, &smpp_server] {
    auto* server = smpp_server.load();
    if (server == nullptr) return;
    auto users = store.ListSmppUsers();
    if (!users.ok()) return;
    for (const store::SmppUser& u : *users) server->NotifyOutbox(u.id);
  });
  return agent->Start();
}

}  // namespace bramka::app
