#include "app/live_connectors.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/connectors_wiring.h"
#include "connectors/smpp/smpp_connector.h"

namespace bramka::app {
namespace {

std::string Account(const smpp_client::SmppConnectorOptions& o) {
  return fmt::format("{}:{}/{}", o.host, o.port, o.system_id);
}

}  // namespace

LiveConnectors::LiveConnectors(Clock& clock, MetricsRegistry& metrics,
                               std::set<std::string> builtin, Factory factory)
    : clock_(clock), metrics_(metrics), builtin_(std::move(builtin)), factory_(std::move(factory)) {
  if (!factory_) {
    factory_ = [this](const smpp_client::SmppConnectorOptions& o) {
      return std::make_unique<smpp_client::SmppConnector>(o, clock_, metrics_);
    };
  }
}

LiveConnectors::~LiveConnectors() = default;

Result<std::map<std::string, smpp_client::SmppConnectorOptions>> LiveConnectors::OptionsOf(
    const config::Config& cfg) const {
  std::map<std::string, smpp_client::SmppConnectorOptions> out;
  for (const auto& k : cfg.connectors) {
    BRAMKA_ASSIGN_OR_RETURN(auto o, SmppOptionsFrom(k));
    if (builtin_.count(o.name) > 0 || !out.emplace(o.name, o).second) {
      return Fail(ErrorCode::kInvalidArgument, "connector name " + o.name + " is used twice");
    }
  }
  return out;
}

std::unique_ptr<LiveConnectors::Entry> LiveConnectors::Make(
    const smpp_client::SmppConnectorOptions& options) {
  auto e = std::make_unique<Entry>();
  e->options = options;
  e->connector = factory_(options);
  accounts_[options.name] = Account(options);
  return e;
}

Result<void> LiveConnectors::Build(const config::Config& cfg) {
  BRAMKA_ASSIGN_OR_RETURN(auto options, OptionsOf(cfg));
  for (const auto& [name, o] : options) entries_[name] = Make(o);
  return {};
}

std::map<std::string, delivery::Connector*> LiveConnectors::connectors() const {
  std::map<std::string, delivery::Connector*> out;
  for (const auto& [name, e] : entries_) out[name] = e->connector.get();
  return out;
}

std::set<std::string> LiveConnectors::names() const {
  std::set<std::string> out = builtin_;
  for (const auto& [name, e] : entries_) out.insert(name);
  return out;
}

std::map<std::string, std::vector<std::string>> LiveConnectors::ReceiptAliases() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& [name, e] : entries_) {
    const std::string& account = accounts_.at(name);
    for (const auto& [other, other_account] : accounts_) {
      if (other != name && other_account == account) out[name].push_back(other);
    }
  }
  return out;
}

Result<LiveConnectors::Changes> LiveConnectors::Apply(const config::Config& cfg,
                                                      bool simnet_enabled,
                                                      delivery::Dispatcher& dispatcher) {
  // 0. Check everything before touching anything.
  BRAMKA_ASSIGN_OR_RETURN(auto wanted, OptionsOf(cfg));
  BRAMKA_ASSIGN_OR_RETURN(auto routing_options, RoutingOptionsFrom(cfg, simnet_enabled));
  BRAMKA_ASSIGN_OR_RETURN(auto table, delivery::RoutingTable::Create(std::move(routing_options)));
  std::set<std::string> known = builtin_;
  for (const auto& [name, o] : wanted) known.insert(name);
  BRAMKA_RETURN_IF_ERROR(table.CheckConnectors(known));

  Changes changes;
  for (const auto& [name, o] : wanted) {
    auto it = entries_.find(name);
    if (it == entries_.end()) {
      changes.added.push_back(name);
    } else if (!(it->second->options == o)) {
      changes.changed.push_back(name);
    }
  }
  for (const auto& [name, e] : entries_) {
    if (wanted.count(name) == 0) changes.removed.push_back(name);
  }

  // 1. New connectors first, so that the new routes find them.
  for (const auto& name : changes.added) {
    auto e = Make(wanted.at(name));
    if (auto r = dispatcher.AddConnector(*e->connector); !r.ok()) return r.take_error();
    entries_[name] = std::move(e);
    spdlog::info("connector {} added", name);
  }
  // 2. Routes: from now on nothing new is routed to a removed connector.
  dispatcher.SetRouting(std::move(table));
  // 3. Removed connectors: drained, unbound, destroyed.
  for (const auto& name : changes.removed) {
    dispatcher.RemoveConnector(name);
    entries_.erase(name);
    spdlog::info("connector {} removed", name);
  }
  // 4. Changed connectors: the old one drained and unbound, then its successor started.
  for (const auto& name : changes.changed) {
    dispatcher.RemoveConnector(name);
    entries_.erase(name);
    auto e = Make(wanted.at(name));
    if (auto r = dispatcher.AddConnector(*e->connector); !r.ok()) return r.take_error();
    entries_[name] = std::move(e);
    spdlog::info("connector {} replaced with its new settings", name);
  }
  dispatcher.SetReceiptAliases(ReceiptAliases());
  return changes;
}

}  // namespace bramka::app
