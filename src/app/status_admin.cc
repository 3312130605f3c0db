// `bramka admin --config FILE status`: one screen of health for the operator
// (docs/adr/0018). The store is read directly (a cluster's nodes and connector
// holders too, docs/adr/0023); the running serve is found
// through <data_dir>/listeners.json and asked for /healthz and /metrics
// (connectors' binds, SMPP server binds, messages in flight).

#include <signal.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"
#include "store/cluster.h"
#include "store/postgres/migrations.h"
#include "store/sqlite/migrations.h"

#ifndef BRAMKA_VERSION
#define BRAMKA_VERSION "unknown"
#endif

namespace bramka::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

struct HttpAnswer {
  int status = 0;
  std::string body;
};

// A blocking GET with a 2-second budget; nullopt when nothing answered.
std::optional<HttpAnswer> HttpGet(const std::string& host, int port, const std::string& target) {
  asio::io_context io;
  asio::ip::tcp::resolver resolver(io);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) return std::nullopt;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(2));
  stream.connect(endpoints, ec);
  if (ec) return std::nullopt;
  bhttp::request<bhttp::empty_body> req{bhttp::verb::get, target, 11};
  req.set(bhttp::field::host, host);
  req.set(bhttp::field::connection, "close");
  bhttp::write(stream, req, ec);
  if (ec) return std::nullopt;
  beast::flat_buffer buffer;
  bhttp::response<bhttp::string_body> res;
  bhttp::read(stream, buffer, res, ec);
  if (ec) return std::nullopt;
  return HttpAnswer{static_cast<int>(res.result_int()), res.body()};
}

// "name{labels} value" lines of the Prometheus text format: name -> labels -> value.
std::map<std::string, std::map<std::string, double>> ParseMetrics(const std::string& text) {
  std::map<std::string, std::map<std::string, double>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == std::string::npos) continue;
    std::string key = line.substr(0, space);
    double value = std::strtod(line.c_str() + space + 1, nullptr);
    std::string labels;
    if (const size_t brace = key.find('{'); brace != std::string::npos) {
      labels = key.substr(brace + 1, key.size() - brace - 2);
      key.resize(brace);
    }
    out[key][labels] = value;
  }
  return out;
}

// `connector="smsc-1"` -> smsc-1.
std::string LabelValue(const std::string& labels, const std::string& name) {
  const std::string prefix = name + "=\"";
  const size_t at = labels.find(prefix);
  if (at == std::string::npos) return "";
  const size_t start = at + prefix.size();
  return labels.substr(start, labels.find('"', start) - start);
}

std::string Ago(int64_t now_ms, int64_t then_ms) {
  if (then_ms <= 0) return "never";
  return fmt::format("{}s ago", (now_ms - then_ms) / 1000);
}

// A cluster's nodes and the holder of each [[connector]] (docs/adr/0023); false when a
// connector is held by no live node or not bound by its holder, or the view is unreadable.
bool PrintCluster(Runtime& rt, const std::string& this_node) {
  const config::Config& cfg = rt.config;
  auto* coordinator = dynamic_cast<store::ClusterCoordinator*>(rt.store.get());
  if (coordinator == nullptr) {
    std::printf("cluster: enabled, but the store is not shared ([store] engine = \"postgres\")\n");
    return false;
  }
  auto view = coordinator->ReadClusterView(cfg.cluster.lease_ms);
  if (!view.ok()) {
    std::printf("cluster: %s\n", view.error().ToString().c_str());
    return false;
  }
  std::printf("cluster: %zu live node%s\n", view->nodes.size(), view->nodes.size() == 1 ? "" : "s");
  for (const store::ClusterNode& n : view->nodes) {
    std::printf("  node %s%s: %s, up %llds, heartbeat %s\n", n.id.c_str(),
                n.id == this_node ? " (this serve)" : "", n.info.empty() ? "-" : n.info.c_str(),
                static_cast<long long>((view->now_ms - n.started_ms) / 1000),
                Ago(view->now_ms, n.heartbeat_ms).c_str());
  }
  bool healthy = !view->nodes.empty();
  std::string line;
  for (const config::ConnectorConfig& c : cfg.connectors) {
    const store::ClusterLease* lease = nullptr;
    for (const store::ClusterLease& l : view->leases) {
      if (l.name == "connector:" + c.name) lease = &l;
    }
    healthy = healthy && lease != nullptr && lease->ready;
    line += lease == nullptr ? fmt::format(" {} HELD BY NO NODE,", c.name)
                             : fmt::format(" {} {} on {},", c.name, lease->ready ? "bound" : "DOWN",
                                           lease->owner);
  }
  if (cfg.simnet.enabled) line += " simnet built-in (on every node),";
  if (!line.empty()) line.pop_back();
  std::printf("connectors:%s\n", line.empty() ? " none" : line.c_str());
  return healthy;
}

}  // namespace

int RunStatusAdmin(const std::string& config_path) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  Runtime& rt = **rt_or;
  const config::Config& cfg = rt.config;
  const int64_t now_ms = ToUnixMillis(rt.clock.Now());
  bool healthy = true;

  if (cfg.store.engine == "postgres") {  // docs/adr/0022
    std::printf("bramka %s, store schema %d (PostgreSQL)\n", BRAMKA_VERSION,
                store::postgres::LatestSchemaVersion());
  } else {
    std::printf("bramka %s, store schema %d (%s)\n", BRAMKA_VERSION,
                store::sqlite::LatestSchemaVersion(), cfg.Resolve(cfg.store.path).c_str());
  }

  // The running serve.
  std::map<std::string, std::map<std::string, double>> metrics;
  const std::filesystem::path listeners =
      std::filesystem::path(cfg.Resolve(cfg.data_dir)) / "listeners.json";
  int http_port = 0;
  long pid = 0;
  std::string node_id;  // the running serve's
  if (std::ifstream in(listeners); in) {
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::sscanf(text.c_str(), "{\"http\":%d", &http_port);
    if (const size_t at = text.find("\"pid\":"); at != std::string::npos) {
      pid = std::strtol(text.c_str() + at + 6, nullptr, 10);
    }
    if (const size_t at = text.find("\"node\":\""); at != std::string::npos) {
      node_id = text.substr(at + 8, text.find('"', at + 8) - at - 8);
    }
  }
  const std::string host =
      cfg.http.bind == "0.0.0.0" || cfg.http.bind == "::" ? "127.0.0.1" : cfg.http.bind;
  std::optional<HttpAnswer> health;
  if (http_port > 0 && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) == 0) {
    health = HttpGet(host, http_port, "/healthz");
  }
  if (!health) {
    std::printf("serve: not running (no answer from the address in %s)\n",
                listeners.string().c_str());
    healthy = false;
  } else {
    std::printf("serve: pid %ld, http %s:%d, /healthz %s\n", pid, host.c_str(), http_port,
                health->status == 200 ? "ok" : "not ready");
    healthy = healthy && health->status == 200;
    if (auto m = HttpGet(host, http_port, "/metrics"); m && m->status == 200) {
      metrics = ParseMetrics(m->body);
    }
  }

  // The store.
  if (auto counts = rt.store->CountByStatus(); counts.ok()) {
    std::string line;
    int64_t due = 0, scheduled = 0;
    for (const auto& [status, n] : *counts) {
      if (status == store::MessageStatus::kQueued) due = n;
      if (status == store::MessageStatus::kSaved) scheduled = n;
      line += fmt::format(" {} {},", store::MessageStatusName(status), n);
    }
    if (!line.empty()) line.pop_back();
    const double in_flight = metrics["bramka_dispatch_in_flight"][""];
    std::printf("queue: %lld due, %lld scheduled, %.0f in flight\n", static_cast<long long>(due),
                static_cast<long long>(scheduled), in_flight);
    std::printf("messages:%s\n", line.c_str());
  } else {
    std::printf("store: %s\n", counts.error().ToString().c_str());
    healthy = false;
  }
  if (auto cb = rt.store->CountCallbacks(); cb.ok()) {
    std::printf("callbacks outbox: %lld pending, %lld failed\n",
                static_cast<long long>(cb->pending), static_cast<long long>(cb->failed));
  }

  // Connectors and binds: in a cluster from the store's leases (any node may hold a
  // connector), else from the running serve.
  if (cfg.cluster.enabled) {
    healthy = PrintCluster(rt, node_id) && healthy;
    if (health) {
      std::printf("smpp server binds: %.0f\n", metrics["bramka_smpp_server_binds"][""]);
    }
  } else if (health) {
    std::string line;
    for (const auto& [labels, value] : metrics["bramka_connector_bound"]) {
      const bool bound = value > 0;
      healthy = healthy && bound;
      line += fmt::format(" {} {},", LabelValue(labels, "connector"), bound ? "bound" : "DOWN");
    }
    if (cfg.simnet.enabled) line += " simnet built-in,";
    if (!line.empty()) line.pop_back();
    std::printf("connectors:%s\n", line.empty() ? " none" : line.c_str());
    std::printf("smpp server binds: %.0f\n", metrics["bramka_smpp_server_binds"][""]);
  }

  // Ingest sources.
  if (auto ftp = rt.store->ListFtpSources(0); ftp.ok()) {
    for (const auto& s : *ftp) {
      healthy = healthy && s.last_error.empty();
      std::printf("ftp source %lld (account %lld, %s): %s, last poll %s\n",
                  static_cast<long long>(s.id), static_cast<long long>(s.account_id),
                  s.host.c_str(), s.last_error.empty() ? "ok" : s.last_error.c_str(),
                  Ago(now_ms, s.last_poll_ms).c_str());
    }
  }
  if (auto sql = rt.store->ListSqlSources(0); sql.ok()) {
    for (const auto& s : *sql) {
      healthy = healthy && s.failures == 0;
      std::printf("sql source %lld (account %lld, %s %s): %s%s, last ok %s\n",
                  static_cast<long long>(s.id), static_cast<long long>(s.account_id),
                  s.engine.c_str(), s.host.c_str(), s.state.c_str(),
                  s.last_error.empty() ? "" : (": " + s.last_error).c_str(),
                  Ago(now_ms, s.last_ok_ms).c_str());
    }
  }
  std::printf("health: %s\n", healthy ? "ok" : "degraded");
  return healthy ? 0 : 1;
}

}  // namespace bramka::app
