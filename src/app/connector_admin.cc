// `bramka admin --config FILE connector add|list` and `route add|list`: edit the
// [[connector]] / [[route]] tables of bramka.toml. New tables are appended as text, so the
// operator's comments and layout stay; the result is loaded (LoadConfig) before it
// replaces the file, so a mistake never leaves an invalid config behind. A running
// `bramka serve` picks the change up when restarted (no live reload yet).
#include <boost/asio/ip/tcp.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/runtime.h"
#include "config/config.h"

namespace bramka::app {
namespace {

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Quote(items[i]);
  return out + "]";
}

// Appends `text` to the config file if the result still loads; else reports why.
int AppendChecked(const std::string& path, const std::string& text) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string content = buf.str();
  if (!content.empty() && content.back() != '\n') content += '\n';
  content += text;
  std::string tmp = path + ".tmp";
  std::ofstream(tmp) << content;
  auto loaded = config::LoadConfig(tmp);
  if (!loaded.ok()) {
    std::filesystem::remove(tmp);
    return Die(loaded.error());
  }
  std::filesystem::rename(tmp, path);
  return 0;
}

// GET /metrics from a running serve (its ports are in <data_dir>/listeners.json).
std::string FetchMetrics(const config::Config& c) {
  std::ifstream f(std::filesystem::path(c.Resolve(c.data_dir)) / "listeners.json");
  if (!f) return "";
  auto j = nlohmann::json::parse(f, nullptr, false);
  if (j.is_discarded() || !j.contains("http")) return "";
  int port = j["http"].get<int>();
  try {
    boost::asio::ip::tcp::iostream s;
    s.expires_after(std::chrono::seconds(2));
    s.connect(c.http.bind == "0.0.0.0" ? "127.0.0.1" : c.http.bind, std::to_string(port));
    if (!s) return "";
    s << "GET /metrics HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" << std::flush;
    std::stringstream body;
    body << s.rdbuf();
    return body.str();
  } catch (...) {
    return "";
  }
}

// The value of `metric{connector="name"}` in a Prometheus text page, or "-".
std::string Metric(const std::string& page, const std::string& metric, const std::string& name) {
  std::string key = fmt::format("{}{{connector=\"{}\"}} ", metric, name);
  auto pos = page.find(key);
  if (pos == std::string::npos) return "-";
  auto end = page.find('\n', pos);
  return page.substr(pos + key.size(), end - pos - key.size());
}

}  // namespace

int RunConnectorAdmin(const std::string& config_path, const ConnectorAdminOptions& o) {
  auto cfg = config::LoadConfig(config_path);
  if (!cfg.ok()) return Die(cfg.error());
  if (o.verb == "connector add") {
    for (const auto& k : cfg->connectors) {
      if (k.name == o.name) return Die(fmt::format("connector {} already exists", o.name));
    }
    std::string text = fmt::format(
        "\n[[connector]]\nname = {}\nhost = {}\nport = {}\nsystem_id = {}\npassword = {}\n"
        "tps = {}\nwindow = {}\n",
        Quote(o.name), Quote(o.host), o.port, Quote(o.system_id), Quote(o.password), o.tps,
        o.window);
    if (int rc = AppendChecked(config_path, text); rc != 0) return rc;
    std::printf("connector %s added (restart bramka serve to use it)\n", o.name.c_str());
    return 0;
  }
  if (o.verb == "route add") {
    std::string text = "\n[[route]]\n";
    if (!o.prefixes.empty()) text += "prefixes = " + List(o.prefixes) + "\n";
    if (!o.types.empty()) text += "types = " + List(o.types) + "\n";
    text += "connectors = " + List(o.connectors) + "\n";
    if (o.round_robin) text += "round_robin = true\n";
    if (!o.route_name.empty()) text += "name = " + Quote(o.route_name) + "\n";
    if (!o.senders.empty()) text += "senders = " + List(o.senders) + "\n";
    if (!o.accounts.empty()) text += fmt::format("accounts = [{}]\n", fmt::join(o.accounts, ", "));
    if (!o.weights.empty()) text += fmt::format("weights = [{}]\n", fmt::join(o.weights, ", "));
    if (o.price > 0) text += fmt::format("price = {}\n", o.price);
    // Every named connector must exist (simnet is built in).
    for (const auto& name : o.connectors) {
      bool known = name == "simnet";
      for (const auto& k : cfg->connectors) known = known || k.name == name;
      if (!known) return Die(fmt::format("no connector named {}", name));
    }
    if (int rc = AppendChecked(config_path, text); rc != 0) return rc;
    std::printf("route added (a running bramka serve uses it within a second)\n");
    return 0;
  }
  if (o.verb == "connector list") {
    std::string page = FetchMetrics(*cfg);
    std::printf("%-16s %-24s %-12s %-6s %-6s %-8s %-6s %-6s\n", "NAME", "ADDRESS", "SYSTEM_ID",
                "TPS", "WINDOW", "BOUND", "IN_USE", "QUEUE");
    if (cfg->simnet.enabled) {
      std::printf("%-16s %-24s %-12s %-6s %-6s %-8s %-6s %-6s\n", "simnet", "(built in)", "-", "-",
                  "-", "-", "-", "-");
    }
    for (const auto& k : cfg->connectors) {
      std::string bound = page.empty() ? "?" : Metric(page, "bramka_connector_bound", k.name);
      std::printf("%-16s %-24s %-12s %-6g %-6d %-8s %-6s %-6s\n", k.name.c_str(),
                  fmt::format("{}:{}", k.host, k.port).c_str(), k.system_id.c_str(), k.tps,
                  k.window,
                  bound == "1"   ? "yes"
                  : bound == "0" ? "no"
                                 : bound.c_str(),
                  Metric(page, "bramka_connector_window_in_use", k.name).c_str(),
                  Metric(page, "bramka_connector_queue", k.name).c_str());
    }
    if (page.empty()) std::printf("(bramka serve is not running: configured values only)\n");
    return 0;
  }
  if (o.verb == "route list") {
    int i = 0;
    for (const auto& r : cfg->routes) {
      std::string extra;
      if (!r.name.empty()) extra += " name=" + r.name;
      if (!r.senders.empty()) extra += " senders=" + List(r.senders);
      if (!r.accounts.empty()) extra += fmt::format(" accounts=[{}]", fmt::join(r.accounts, ", "));
      if (!r.weights.empty()) extra += fmt::format(" weights=[{}]", fmt::join(r.weights, ", "));
      if (r.price > 0) extra += fmt::format(" price={} PLN", r.price);
      std::printf("%d. types=%s prefixes=%s connectors=%s%s%s\n", ++i, List(r.types).c_str(),
                  List(r.prefixes).c_str(), List(r.connectors).c_str(),
                  r.round_robin ? " round_robin" : "", extra.c_str());
    }
    std::printf("default: %s\n", cfg->simnet.enabled ? "[\"simnet\"]" : "every connector in order");
    return 0;
  }
  return Die("unknown admin command " + o.verb);
}

}  // namespace bramka::app
