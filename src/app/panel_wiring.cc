// The web panel in `bramka serve` (docs/adr/0017).
#include "app/panel_wiring.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "app/runtime.h"
#include "common/metrics.h"
#include "common/secret_box.h"

namespace bramka::app {

namespace {
// The value of `name{connector="c"}` in the Prometheus text; "" when absent.
std::string Metric(const std::string& page, const std::string& name, const std::string& c) {
  const std::string key = name + "{connector=\"" + c + "\"} ";
  const size_t at = page.find(key);
  if (at == std::string::npos) return "";
  const size_t end = page.find('\n', at);
  return page.substr(at + key.size(), end - at - key.size());
}
}  // namespace

void MountPanel(Runtime& rt, api::http::HttpServer& http, const api::http::HttpOptions& hopts,
                const std::set<std::string>& connector_names, MetricsRegistry& metrics) {
  panel::PanelOptions o;
  o.billing = hopts.billing;
  o.secret_key_file = SecretKeyPath(rt.config.Resolve(rt.config.data_dir));
  const config::Config& cfg = rt.config;
  o.health_json = [&cfg, connector_names, &metrics] {
    using Json = nlohmann::json;
    const std::string page = metrics.RenderPrometheus();
    // A running serve applies changes of bramka.toml (connectors and routes, ADR 0015):
    // show the file as it is now. While the file does not load, serve keeps its last
    // valid configuration; this page then falls back to the one read at start.
    const Result<config::Config> now = config::LoadConfig(cfg.path);
    const config::Config& current = now.ok() ? *now : cfg;
    Json connectors = Json::array();
    connectors.push_back({{"name", "simnet"}, {"address", "built in"}, {"bound", "1"}});
    for (const auto& c : current.connectors) {
      connectors.push_back(
          {{"name", c.name},
           {"address", c.host + ":" + std::to_string(c.port)},
           {"bind", c.bind_mode},
           {"bound", Metric(page, "bramka_connector_bound", c.name)},
           {"queue", Metric(page, "bramka_connector_queue", c.name)},
           {"window_in_use", Metric(page, "bramka_connector_window_in_use", c.name)},
           {"known", connector_names.count(c.name) > 0 ||
                         !Metric(page, "bramka_connector_bound", c.name).empty()}});
    }
    Json routes = Json::array();
    for (const auto& r : current.routes) {
      routes.push_back({{"name", r.name},
                        {"types", r.types},
                        {"prefixes", r.prefixes},
                        {"connectors", r.connectors},
                        {"round_robin", r.round_robin}});
    }
    return Json{{"status", "ok"}, {"connectors", connectors}, {"routes", routes}}.dump();
  };
  // The server holds the panel (shared), so it lives as long as any worker may call it.
  http.Mount("/panel", std::make_shared<panel::Panel>(*rt.gateway, rt.clock, std::move(o)),
             /*subtree=*/true);
}

}  // namespace bramka::app
