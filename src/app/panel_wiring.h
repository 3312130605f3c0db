#pragma once
// The web panel in `bramka serve` (src/panel, docs/adr/0017): what the operator's
// health page shows, and the panel mounted on the HTTP server.

#include <set>
#include <string>

#include "api/http/server.h"
#include "config/config.h"
#include "panel/panel.h"

namespace bramka {
class MetricsRegistry;
}  // namespace bramka

namespace bramka::app {

struct Runtime;

// Creates the panel and mounts it at /panel on `http` (before http.Start()); the
// server keeps it. `rt`, `metrics` and the config must outlive the server.
void MountPanel(Runtime& rt, api::http::HttpServer& http, const api::http::HttpOptions& hopts,
                const std::set<std::string>& connector_names, MetricsRegistry& metrics);

}  // namespace bramka::app
