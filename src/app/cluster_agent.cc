#include "app/cluster_agent.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace bramka::app {

namespace {

std::string LeaseName(const std::string& connector) { return "connector:" + connector; }

constexpr std::string_view kLeasePrefix = "connector:";
constexpr std::string_view kRolePrefix = "role:";

}  // namespace

void ResolveClusterNodeId(config::Config& cfg) {
  if (!cfg.cluster.enabled) return;
  if (const char* env = std::getenv("BRAMKA_NODE_ID"); env != nullptr && *env != '\0') {
    cfg.server.node_id = env;
  } else if (!cfg.cluster.node_id.empty()) {
    cfg.server.node_id = cfg.cluster.node_id;
  } else {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') {
      std::snprintf(host, sizeof host, "node");
    }
    std::random_device rd;
    cfg.server.node_id = fmt::format("{}-{:06x}", host, rd() & 0xffffff);
  }
  cfg.cluster.node_id = cfg.server.node_id;
}

// ---- ClusterConnector ----------------------------------------------------------------

ClusterConnector::ClusterConnector(std::string name, Make make, ClusterAgent& agent)
    : name_(std::move(name)), make_(std::move(make)), agent_(agent) {
  agent_.Register(this);
}

ClusterConnector::~ClusterConnector() {
  agent_.Unregister(this);
  Stop();
}

std::shared_ptr<delivery::Connector> ClusterConnector::Inner() const {
  std::lock_guard lock(mu_);
  return inner_;
}

Result<void> ClusterConnector::Start(delivery::ConnectorEvents& events) {
  std::lock_guard lock(life_mu_);
  events_ = &events;
  started_ = true;  // it binds when the agent gives it the lease (SetOwned)
  return Ok();
}

bool ClusterConnector::Ready() const {
  auto inner = Inner();
  return inner && inner->Ready();
}

bool ClusterConnector::Bound() const { return Inner() != nullptr; }

void ClusterConnector::Send(const store::Message& message, delivery::SendCallback done) {
  // A copy of the pointer: SetOwned(false) may stop the connector meanwhile, which then
  // answers this Send kTemporary itself (connector.h rule 7).
  if (auto inner = Inner()) return inner->Send(message, std::move(done));
  done(delivery::SendOutcome::HandedBack(name_ + ": not bound on this node"));
}

void ClusterConnector::SetOwned(bool owned) {
  std::lock_guard lock(life_mu_);
  if (owned) {
    if (stopped_ || !started_ || Inner()) return;
    std::unique_ptr<delivery::Connector> made = make_();
    if (auto r = made->Start(*events_); !r.ok()) {
      spdlog::warn("cluster: connector {} did not start: {}", name_, r.error().ToString());
      return;
    }
    spdlog::info("cluster: connector {} is bound by this node", name_);
    std::lock_guard inner_lock(mu_);
    inner_ = std::move(made);
    return;
  }
  std::shared_ptr<delivery::Connector> inner;
  {
    std::lock_guard inner_lock(mu_);
    inner.swap(inner_);
  }
  if (!inner) return;
  inner->Stop();  // drains: what it holds goes back to the dispatcher
  spdlog::info("cluster: connector {} unbound on this node", name_);
}

void ClusterConnector::Stop() {
  {
    std::lock_guard lock(life_mu_);
    stopped_ = true;
  }
  std::shared_ptr<delivery::Connector> inner;
  {
    std::lock_guard inner_lock(mu_);
    inner.swap(inner_);
  }
  if (inner) inner->Stop();
}

// ---- ClusterAgent --------------------------------------------------------------------

ClusterAgent::ClusterAgent(store::ClusterCoordinator& coordinator, ClusterAgentOptions options,
                           MetricsRegistry& metrics)
    : coordinator_(coordinator), options_(std::move(options)), metrics_(metrics) {
  metrics_.AddCallbackGauge(
      "bramka_cluster_nodes", "Live nodes of the cluster, as last seen.", [this] {
        std::lock_guard lock(mu_);
        return std::vector<std::pair<std::string, double>>{{"", static_cast<double>(live_nodes_)}};
      });
  metrics_.AddCallbackGauge(
      "bramka_cluster_connector_owned",
      "1 when this node holds the connector's lease (binds it), else 0.", [this] {
        std::lock_guard lock(mu_);
        std::vector<std::pair<std::string, double>> out;
        for (const auto& [name, set] : connectors_) {
          out.emplace_back(fmt::format("connector=\"{}\"", name), owned_.count(name) ? 1.0 : 0.0);
        }
        return out;
      });
  metrics_.AddCallbackGauge("bramka_cluster_role_held",
                            "1 when this node holds the role (does its work), else 0.", [this] {
                              std::lock_guard lock(mu_);
                              std::vector<std::pair<std::string, double>> out;
                              for (const std::string& role : roles_) {
                                out.emplace_back(fmt::format("role=\"{}\"", role),
                                                 roles_held_.count(role) ? 1.0 : 0.0);
                              }
                              return out;
                            });
}

void ClusterAgent::AddRole(const std::string& role) {
  std::lock_guard lock(mu_);
  roles_.insert(role);
}

bool ClusterAgent::HoldsRole(const std::string& role) const {
  std::lock_guard lock(mu_);
  return roles_held_.count(role) > 0;
}

void ClusterAgent::BeatRoles(const store::ClusterView& view) {
  std::set<std::string> roles, before;
  {
    std::lock_guard lock(mu_);
    roles = roles_;
    before = roles_held_;
  }
  std::set<std::string> held;
  for (const std::string& role : roles) {
    const std::string lease = std::string(kRolePrefix) + role;
    const bool elsewhere = std::any_of(view.leases.begin(), view.leases.end(), [&](const auto& l) {
      return l.name == lease && l.owner != options_.node_id;
    });
    if (elsewhere) continue;
    auto got = coordinator_.AcquireLease(lease, options_.node_id, options_.lease_ms, true);
    if (got.ok() && *got) held.insert(role);
  }
  for (const std::string& role : roles) {
    const bool was = before.count(role) > 0, is = held.count(role) > 0;
    if (!was && is) spdlog::info("cluster: took role {}", role);
    if (was && !is) spdlog::warn("cluster: lost role {}", role);
  }
  std::lock_guard lock(mu_);
  roles_held_ = std::move(held);
}

ClusterAgent::~ClusterAgent() { Stop(); }

LiveConnectors::Factory ClusterAgent::Factory(LiveConnectors::Factory inner) {
  return [this, inner](const smpp_client::SmppConnectorOptions& options)
             -> std::unique_ptr<delivery::Connector> {
    return std::make_unique<ClusterConnector>(
        options.name, [inner, options] { return inner(options); }, *this);
  };
}

void ClusterAgent::Register(ClusterConnector* c) {
  std::lock_guard lock(mu_);
  connectors_[c->name()].insert(c);
}

void ClusterAgent::Unregister(ClusterConnector* c) {
  std::lock_guard beat(beat_mu_);
  std::lock_guard lock(mu_);
  auto it = connectors_.find(c->name());
  if (it == connectors_.end()) return;
  it->second.erase(c);
  if (it->second.empty()) connectors_.erase(it);
}

void ClusterAgent::SetInfo(const std::string& info) {
  {
    std::lock_guard lock(mu_);
    if (info_ == info) return;
    info_ = info;
    publish_ = started_;  // before Start, the joining heartbeat publishes it
  }
  cv_.notify_all();
}

std::optional<std::string> ClusterAgent::RemoteRoute(const std::vector<std::string>& candidates,
                                                     bool spread) const {
  std::lock_guard lock(mu_);
  auto ready_here = [&](const std::string& name) {
    auto local = connectors_.find(name);
    if (local == connectors_.end()) return true;  // simnet: every node has one
    if (owned_.count(name) == 0) return false;
    return std::any_of(local->second.begin(), local->second.end(),
                       [](ClusterConnector* c) { return c->Ready(); });
  };
  if (spread && std::any_of(candidates.begin(), candidates.end(), ready_here)) {
    return std::nullopt;
  }
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - view_at_)
                           .count();
  const int64_t db_now = view_db_ms_ + elapsed;
  for (const std::string& name : candidates) {
    if (ready_here(name)) return std::nullopt;
    auto o = owners_.find(name);
    if (o != owners_.end() && o->second.node != options_.node_id && o->second.until_ms > db_now &&
        o->second.ready) {
      return name;  // bound and ready on a live node: its messages go there
    }
  }
  return std::nullopt;  // nothing ready anywhere: the dispatcher's own path (requeue)
}

Result<void> ClusterAgent::Start() {
  std::string info;
  {
    std::lock_guard lock(mu_);
    info = info_;
  }
  auto view = coordinator_.Heartbeat(options_.node_id, info, options_.lease_ms);
  if (!view.ok()) return view.take_error();
  {
    std::lock_guard lock(mu_);
    live_nodes_ = static_cast<int>(view->nodes.size());
    view_db_ms_ = view->now_ms;
    view_at_ = last_ok_ = std::chrono::steady_clock::now();
    started_ = true;
  }
  spdlog::info("cluster: node {} joined ({} live nodes)", options_.node_id, view->nodes.size());
  thread_ = std::thread([this] { Run(); });
  return Ok();
}

void ClusterAgent::Stop() {
  {
    std::lock_guard lock(mu_);
    if (!started_) return;
    started_ = false;
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  DropAll();
  if (auto r = coordinator_.LeaveCluster(options_.node_id); !r.ok()) {
    spdlog::warn("cluster: leaving: {}", r.error().ToString());
  }
  spdlog::info("cluster: node {} left", options_.node_id);
}

void ClusterAgent::Run() {
  const auto period = std::chrono::milliseconds(options_.heartbeat_ms);
  auto next_beat = std::chrono::steady_clock::now() + period;
  int beats = 0;
  while (true) {
    bool publish_only = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_beat, [&] { return stopping_ || publish_; });
      if (stopping_) return;
      publish_only = publish_ && std::chrono::steady_clock::now() < next_beat;
      publish_ = false;
    }
    // New listeners (SetInfo, once the ports are bound) are published at once, not at
    // the next beat, so `admin status` and the other nodes see them as soon as they
    // answer; the beats keep their schedule.
    // The first beat after joining only looks as well: peers starting at the same time
    // are seen before anyone takes connectors, so the binds do not all land here first.
    if (publish_only || ++beats == 1) {
      LookOnly();
    } else {
      Beat();
    }
    if (publish_only) continue;
    next_beat = std::chrono::steady_clock::now() + period;
    if (on_tick_) on_tick_();
  }
}

void ClusterAgent::LookOnly() {
  std::string info;
  {
    std::lock_guard lock(mu_);
    info = info_;
  }
  if (auto v = coordinator_.Heartbeat(options_.node_id, info, options_.lease_ms); v.ok()) {
    std::lock_guard lock(mu_);
    live_nodes_ = static_cast<int>(v->nodes.size());
    last_ok_ = std::chrono::steady_clock::now();
  }
}

void ClusterAgent::Beat() {
  std::lock_guard beat(beat_mu_);
  std::string info;
  std::vector<std::string> names;
  std::set<std::string> held;
  {
    std::lock_guard lock(mu_);
    info = info_;
    for (const auto& [name, set] : connectors_) names.push_back(name);
    held = owned_;
  }
  auto view = coordinator_.Heartbeat(options_.node_id, info, options_.lease_ms);
  const auto now = std::chrono::steady_clock::now();
  if (!view.ok()) {
    std::chrono::steady_clock::time_point last_ok;
    {
      std::lock_guard lock(mu_);
      last_ok = last_ok_;
    }
    spdlog::warn("cluster: heartbeat failed: {}", view.error().ToString());
    // Unbind before the leases can expire and another node binds the same connectors.
    if (now - last_ok > std::chrono::milliseconds(options_.lease_ms - 2 * options_.heartbeat_ms)) {
      DropAllLocked();
    }
    return;
  }
  if (auto reaped = coordinator_.ReapDeadNodes(options_.node_id, options_.lease_ms); reaped.ok()) {
    for (const std::string& dead : *reaped) {
      spdlog::warn("cluster: node {} is silent for {} ms: its leases released", dead,
                   options_.lease_ms);
    }
  } else {
    spdlog::warn("cluster: reaping dead nodes: {}", reaped.error().ToString());
  }
  // Who holds what, by the view.
  std::map<std::string, Owner> owners;
  for (const store::ClusterLease& l : view->leases) {
    if (l.name.rfind(kLeasePrefix, 0) != 0) continue;
    owners[l.name.substr(kLeasePrefix.size())] = Owner{l.owner, l.until_ms, l.ready};
  }
  const size_t live = std::max<size_t>(1, view->nodes.size());
  const size_t fair = (names.size() + live - 1) / live;
  auto ready_here = [&](const std::string& name) {
    std::lock_guard lock(mu_);
    auto it = connectors_.find(name);
    if (it == connectors_.end()) return false;
    return std::any_of(it->second.begin(), it->second.end(),
                       [](ClusterConnector* c) { return c->Ready(); });
  };
  auto set_owned = [&](const std::string& name, bool owned) {
    std::vector<ClusterConnector*> cs;
    {
      std::lock_guard lock(mu_);
      if (auto it = connectors_.find(name); it != connectors_.end()) {
        cs.assign(it->second.begin(), it->second.end());
      }
    }
    // Without mu_ (unbinding drains); beat_mu_ keeps them registered meanwhile.
    for (ClusterConnector* c : cs) c->SetOwned(owned);
  };
  // Renew what this node holds (a lease lost meanwhile is unbound at once), and give up
  // one above the fair share.
  std::set<std::string> still;
  for (const std::string& name : held) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      (void)coordinator_.ReleaseLease(LeaseName(name), options_.node_id);  // removed
      continue;
    }
    auto renewed = coordinator_.AcquireLease(LeaseName(name), options_.node_id, options_.lease_ms,
                                             ready_here(name));
    if (renewed.ok() && *renewed) {
      still.insert(name);
    } else {
      spdlog::warn("cluster: lost the lease of connector {}", name);
      set_owned(name, false);
    }
  }
  if (still.size() > fair) {
    const std::string& name = *still.rbegin();
    spdlog::info("cluster: giving connector {} up ({} held, fair share {})", name, still.size(),
                 fair);
    set_owned(name, false);
    (void)coordinator_.ReleaseLease(LeaseName(name), options_.node_id);
    still.erase(name);
  }
  // Take free ones up to the fair share, starting at a place of this node's own so that
  // nodes do not all reach for the same connector first.
  const size_t start =
      names.empty() ? 0 : std::hash<std::string>{}(options_.node_id) % names.size();
  for (size_t k = 0; k < names.size() && still.size() < fair; ++k) {
    const std::string& name = names[(start + k) % names.size()];
    if (still.count(name) > 0) continue;
    auto o = owners.find(name);
    if (o != owners.end() && o->second.node != options_.node_id) continue;  // someone's
    auto got =
        coordinator_.AcquireLease(LeaseName(name), options_.node_id, options_.lease_ms, false);
    if (got.ok() && *got) {
      spdlog::info("cluster: took connector {}", name);
      still.insert(name);
    }
  }
  for (const std::string& name : still) {
    set_owned(name, true);
    owners[name] = Owner{options_.node_id, view->now_ms + options_.lease_ms, ready_here(name)};
  }
  BeatRoles(*view);
  std::lock_guard lock(mu_);
  owned_ = std::move(still);
  owners_ = std::move(owners);
  live_nodes_ = static_cast<int>(view->nodes.size());
  view_db_ms_ = view->now_ms;
  view_at_ = last_ok_ = now;
}

void ClusterAgent::DropAll() {
  std::lock_guard beat(beat_mu_);
  DropAllLocked();
}

void ClusterAgent::DropAllLocked() {
  std::vector<ClusterConnector*> cs;
  std::set<std::string> held, roles;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, set] : connectors_) cs.insert(cs.end(), set.begin(), set.end());
    held.swap(owned_);
    roles.swap(roles_held_);
  }
  for (const std::string& role : roles) spdlog::warn("cluster: dropped role {}", role);
  for (ClusterConnector* c : cs) c->SetOwned(false);
  for (const std::string& name : held) {
    (void)coordinator_.ReleaseLease(LeaseName(name), options_.node_id);
  }
  for (const std::string& role : roles) {
    (void)coordinator_.ReleaseLease(std::string(kRolePrefix) + role, options_.node_id);
  }
}

}  // namespace bramka::app
