// `bramka admin --config FILE connector add|remove|set|list` and `route add|remove|list`:
// edit the [[connector]] / [[route]] tables of bramka.toml. New tables are appended as
// text and edits touch only their lines (toml_tables.h), so the operator's comments and
// layout stay; the result is loaded (LoadConfig) before it replaces the file, so a mistake
// never leaves an invalid config behind. A running `bramka serve` applies the change within
// a second (config_watcher.h, docs/adr/0015).
#include <boost/asio/ip/tcp.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "app/runtime.h"
#include "app/toml_tables.h"
#include "config/config.h"

namespace bramka::app {
namespace {

std::string Quote(const std::string& s) { return TomlQuote(s); }

std::string List(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + Quote(items[i]);
  return out + "]";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Replaces the config file with `content` if it loads and passes `check`; else reports
// why and leaves the file as it was. The rename is atomic: a running serve reads the old
// file or the new one.
int WriteChecked(const std::string& path, const std::string& content,
                 const std::function<std::string(const config::Config&)>& check = nullptr) {
  std::string tmp = path + ".tmp";
  std::ofstream(tmp) << content;
  auto loaded = config::LoadConfig(tmp);
  std::string problem = loaded.ok() ? (check ? check(*loaded) : "") : loaded.error().message;
  if (!problem.empty()) {
    std::filesystem::remove(tmp);
    return Die(problem);
  }
  std::filesystem::rename(tmp, path);
  return 0;
}

// Appends `text` to the config file if the result still loads; else reports why.
int AppendChecked(const std::string& path, const std::string& text) {
  std::string content = ReadFile(path);
  if (!content.empty() && content.back() != '\n') content += '\n';
  return WriteChecked(path, content + text);
}

// The [[route]] tables that name connector `name`, as "1, 3" (1-based), or "".
std::string RoutesNaming(const config::Config& c, const std::string& name) {
  std::string out;
  for (size_t i = 0; i < c.routes.size(); ++i) {
    for (const auto& k : c.routes[i].connectors) {
      if (k == name) out += (out.empty() ? "" : ", ") + std::to_string(i + 1);
    }
  }
  return out;
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

// The value of `metric{connector="name"}` (or `metric{labels}` when `raw_labels`) in a
// Prometheus text page, or "-".
std::string Metric(const std::string& page, const std::string& metric, const std::string& name,
                   bool raw_labels = false) {
  std::string key = raw_labels ? fmt::format("{}{{{}}} ", metric, name)
                               : fmt::format("{}{{connector=\"{}\"}} ", metric, name);
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
    if (o.bind_mode != "transceiver") text += "bind_mode = " + Quote(o.bind_mode) + "\n";
    if (int rc = AppendChecked(config_path, text); rc != 0) return rc;
    std::printf("connector %s added (a running bramka serve binds it within a second)\n",
                o.name.c_str());
    return 0;
  }
  if (o.verb == "connector remove" || o.verb == "connector set") {
    const std::string content = ReadFile(config_path);
    std::vector<TomlBlock> blocks;
    for (const auto& b : FindTomlBlocks(content, "connector")) {
      if (b.name == o.name) blocks.push_back(b);
    }
    if (blocks.size() != 1) return Die(fmt::format("no connector named {}", o.name));
    if (o.verb == "connector remove") {
      if (auto routes = RoutesNaming(*cfg, o.name); !routes.empty()) {
        return Die(fmt::format("route(s) {} name connector {}: remove them first (route remove N)",
                               routes, o.name));
      }
      const size_t before = cfg->connectors.size();
      int rc = WriteChecked(config_path, RemoveTomlBlock(content, blocks[0]),
                            [&](const config::Config& c) -> std::string {
                              if (c.connectors.size() + 1 == before) return "";
                              return "could not remove the table of connector " + o.name;
                            });
      if (rc != 0) return rc;
      std::printf("connector %s removed (a running bramka serve drains and unbinds it)\n",
                  o.name.c_str());
      return 0;
    }
    if (o.settings.empty()) return Die("connector set: nothing to set (see --help)");
    std::string edited = content;
    for (const auto& [key, value] : o.settings) {
      // Re-found each time: an inserted line moves the block's end.
      for (const auto& b : FindTomlBlocks(edited, "connector")) {
        if (b.name == o.name) edited = SetTomlKey(edited, b, key, value);
      }
    }
    if (int rc = WriteChecked(config_path, edited); rc != 0) return rc;
    std::printf("connector %s changed (a running bramka serve replaces it within a second)\n",
                o.name.c_str());
    return 0;
  }
  if (o.verb == "route remove") {
    const std::string content = ReadFile(config_path);
    auto blocks = FindTomlBlocks(content, "route");
    int index = -1;
    for (size_t i = 0; i < blocks.size(); ++i) {
      if (blocks[i].name == o.route_name || std::to_string(i + 1) == o.route_name) {
        index = static_cast<int>(i);
        break;
      }
    }
    if (index < 0)
      return Die(fmt::format("no route {} (give its name or its number)", o.route_name));
    const size_t before = cfg->routes.size();
    int rc = WriteChecked(config_path, RemoveTomlBlock(content, blocks[index]),
                          [&](const config::Config& c) -> std::string {
                            return c.routes.size() + 1 == before ? "" : "could not remove it";
                          });
    if (rc != 0) return rc;
    std::printf("route %d removed (a running bramka serve uses the others within a second)\n",
                index + 1);
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
    // Live state from the running serve's /metrics (connectors/smpp/smpp_connector.h).
    std::string page = FetchMetrics(*cfg);
    const char* row = "%-16s %-22s %-12s %-11s %-6s %-6s %-8s %-6s %-6s %-7s %-8s\n";
    std::printf(row, "NAME", "ADDRESS", "SYSTEM_ID", "MODE", "TPS", "WINDOW", "BOUND", "IN_USE",
                "QUEUE", "TPS_NOW", "SUBMITS");
    if (cfg->simnet.enabled) {
      std::printf(row, "simnet", "(built in)", "-", "-", "-", "-", "-", "-", "-", "-", "-");
    }
    for (const auto& k : cfg->connectors) {
      auto label = [&k](const char* bind) {
        return fmt::format("connector=\"{}\",bind=\"{}\"", k.name, bind);
      };
      std::string bound = page.empty() ? "?" : Metric(page, "bramka_connector_bound", k.name);
      if (bound == "1") {
        bound = "yes";
      } else if (bound == "0" && k.bind_mode == "pair") {
        // Which half is up: "tx" or "rx" (or "no").
        bool tx = Metric(page, "bramka_connector_bind_up", label("transmitter"), true) == "1";
        bool rx = Metric(page, "bramka_connector_bind_up", label("receiver"), true) == "1";
        bound = tx ? "tx only" : rx ? "rx only" : "no";
      } else if (bound == "0") {
        bound = "no";
      }
      std::printf(row, k.name.c_str(), fmt::format("{}:{}", k.host, k.port).c_str(),
                  k.system_id.c_str(), k.bind_mode.c_str(), fmt::format("{:g}", k.tps).c_str(),
                  std::to_string(k.window).c_str(), bound.c_str(),
                  Metric(page, "bramka_connector_window_in_use", k.name).c_str(),
                  Metric(page, "bramka_connector_queue", k.name).c_str(),
                  Metric(page, "bramka_connector_tps", k.name).c_str(),
                  Metric(page, "bramka_connector_submits_total", k.name).c_str());
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
