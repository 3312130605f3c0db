#include "config/config.h"

#include <filesystem>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace bramka::config {
namespace {

namespace fs = std::filesystem;

// Reads one table, checking every key it holds is known.
class TableReader {
 public:
  TableReader(const toml::table* t, std::string name, std::vector<std::string>& errors)
      : t_(t), name_(std::move(name)), errors_(errors) {}

  template <typename T>
  void Get(const char* key, T& out) {
    known_.insert(key);
    if (!t_) return;
    const toml::node* n = t_->get(key);
    if (!n) return;
    if constexpr (std::is_same_v<T, bool>) {
      if (auto v = n->value<bool>()) {
        out = *v;
        return;
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      if (auto v = n->value<std::string>()) {
        out = *v;
        return;
      }
    } else if constexpr (std::is_floating_point_v<T>) {
      if (auto v = n->value<double>()) {
        out = static_cast<T>(*v);
        return;
      }
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      // Large keys are written as hex strings: TOML integers are signed 64-bit.
      if (auto v = n->value<std::string>()) {
        try {
          out = std::stoull(*v, nullptr, 16);
          return;
        } catch (...) {
        }
      }
      if (auto v = n->value<int64_t>()) {
        if (*v >= 0) {
          out = static_cast<uint64_t>(*v);
          return;
        }
      }
    } else {
      if (auto v = n->value<int64_t>()) {
        out = static_cast<T>(*v);
        return;
      }
    }
    errors_.push_back(fmt::format("[{}] {}: wrong type", name_, key));
  }

  // An array of strings or integers.
  template <typename T>
  void GetList(const char* key, std::vector<T>& out) {
    known_.insert(key);
    if (!t_) return;
    const toml::node* n = t_->get(key);
    if (!n) return;
    const toml::array* a = n->as_array();
    bool ok = a != nullptr;
    for (size_t i = 0; ok && i < a->size(); ++i) {
      if constexpr (std::is_same_v<T, std::string>) {
        auto v = (*a)[i].value<std::string>();
        if (v)
          out.push_back(*v);
        else
          ok = false;
      } else {
        auto v = (*a)[i].value<int64_t>();
        if (v)
          out.push_back(static_cast<T>(*v));
        else
          ok = false;
      }
    }
    if (!ok) errors_.push_back(fmt::format("[{}] {}: wrong type (an array expected)", name_, key));
  }

  void Known(const char* key) { known_.insert(key); }

  void CheckUnknown() {
    if (!t_) return;
    for (const auto& [k, v] : *t_) {
      if (!known_.count(std::string(k.str()))) {
        errors_.push_back(fmt::format("[{}] unknown key '{}'", name_, k.str()));
      }
    }
  }

 private:
  const toml::table* t_;
  std::string name_;
  std::vector<std::string>& errors_;
  std::set<std::string> known_;
};

void Require(bool ok, std::string what, std::vector<std::string>& errors) {
  if (!ok) errors.push_back(std::move(what));
}

void ReadConnectorsAndRoutes(const toml::table& root, Config& c, std::vector<std::string>& errors) {
  auto one_of = [](const std::string& v, std::initializer_list<const char*> allowed) {
    for (const char* a : allowed) {
      if (v == a) return true;
    }
    return false;
  };
  std::set<std::string> names;
  if (const toml::node* n = root.get("connector")) {
    const toml::array* list = n->as_array();
    if (!list) errors.push_back("connector: use [[connector]] tables");
    for (size_t i = 0; list && i < list->size(); ++i) {
      ConnectorConfig k;
      TableReader r((*list)[i].as_table(), "connector", errors);
      r.Get("name", k.name);
      r.Get("host", k.host);
      r.Get("port", k.port);
      r.Get("tls", k.tls);
      r.Get("system_id", k.system_id);
      r.Get("password", k.password);
      r.Get("system_type", k.system_type);
      r.Get("bind_mode", k.bind_mode);
      r.Get("tps", k.tps);
      r.Get("window", k.window);
      r.Get("long_messages", k.long_messages);
      r.Get("data_coding", k.data_coding);
      r.Get("receipt_id_format", k.receipt_id_format);
      r.Get("enquire_link_s", k.enquire_link_s);
      r.Get("reconnect_s", k.reconnect_s);
      r.Get("reconnect_max_s", k.reconnect_max_s);
      r.Get("response_timeout_s", k.response_timeout_s);
      r.Get("max_queue", k.max_queue);
      r.Get("eco_sender", k.eco_sender);
      r.CheckUnknown();
      std::string where = fmt::format("[[connector]] '{}'", k.name);
      Require(!k.name.empty(), "[[connector]] name is required", errors);
      Require(k.name != "simnet", where + ": the name simnet is the built-in network's", errors);
      Require(names.insert(k.name).second, where + ": name used twice", errors);
      Require(k.port > 0 && k.port <= 65535, where + ": port must be 1..65535", errors);
      Require(!k.system_id.empty() && k.system_id.size() <= 15,
              where + ": system_id is required (at most 15 characters)", errors);
      Require(k.password.size() <= 8, where + ": password: at most 8 characters (SMPP 3.4)",
              errors);
      Require(one_of(k.bind_mode, {"transceiver", "transmitter", "pair"}),
              where + ": bind_mode must be transceiver, transmitter or pair", errors);
      Require(one_of(k.long_messages, {"udh", "sar", "payload"}),
              where + ": long_messages must be udh, sar or payload", errors);
      Require(one_of(k.receipt_id_format, {"as_is", "hex", "decimal"}),
              where + ": receipt_id_format must be as_is, hex or decimal", errors);
      Require(k.data_coding == 0 || k.data_coding == 1, where + ": data_coding must be 0 or 1",
              errors);
      Require(k.tps >= 0, where + ": tps must be >= 0", errors);
      Require(k.window >= 1 && k.window <= 1000, where + ": window must be 1..1000", errors);
      Require(k.max_queue >= 1, where + ": max_queue must be >= 1", errors);
      c.connectors.push_back(std::move(k));
    }
  }
  if (const toml::node* n = root.get("route")) {
    const toml::array* list = n->as_array();
    if (!list) errors.push_back("route: use [[route]] tables");
    for (size_t i = 0; list && i < list->size(); ++i) {
      RouteConfig rc;
      TableReader r((*list)[i].as_table(), "route", errors);
      r.Get("name", rc.name);
      r.GetList("types", rc.types);
      r.GetList("prefixes", rc.prefixes);
      r.GetList("accounts", rc.accounts);
      r.GetList("connectors", rc.connectors);
      r.Get("round_robin", rc.round_robin);
      r.GetList("senders", rc.senders);
      r.GetList("weights", rc.weights);
      r.Get("price", rc.price);
      r.CheckUnknown();
      Require(rc.weights.empty() || rc.weights.size() == rc.connectors.size(),
              fmt::format("[[route]] {}: weights must give one weight per connector", i + 1),
              errors);
      for (int64_t w : rc.weights) {
        Require(w >= 0 && w <= 1'000'000,
                fmt::format("[[route]] {}: weights must be 0..1000000", i + 1), errors);
      }
      Require(rc.price >= 0, fmt::format("[[route]] {}: price cannot be negative", i + 1), errors);
      Require(!rc.connectors.empty(),
              fmt::format("[[route]] {}: connectors must not be empty", i + 1), errors);
      for (const auto& t : rc.types) {
        Require(one_of(t, {"eco", "full", "voice", "mms", "hlr", "lookup"}),
                fmt::format("[[route]] {}: unknown type '{}'", i + 1, t), errors);
      }
      c.routes.push_back(std::move(rc));
    }
  }
}

}  // namespace

std::string Config::Resolve(const std::string& p) const {
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(base_dir) / p).lexically_normal().string();
}

Result<Config> LoadConfig(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Fail(ErrorCode::kNotFound, "config file not found: " + path);
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("{}:{}:{}: {}", path, e.source().begin.line, e.source().begin.column,
                            e.description()));
  }
  Config c;
  c.path = fs::absolute(path).lexically_normal().string();
  c.base_dir = fs::path(c.path).parent_path().string();
  std::vector<std::string> errors;

  TableReader top(&root, "top level", errors);
  top.Get("data_dir", c.data_dir);
  for (const char* k : {"server", "http", "smpp", "store", "core", "delivery", "simnet",
                        "connector", "route", "billing", "notify", "inbound"})
    top.Known(k);
  for (const char* k : {"operator", "login_throttle"}) top.Known(k);  // accounts area
  top.Known("ftp");                                                   // SMS via FTP
  top.Known("media");                                                 // reliability area
  top.Known("cluster");                                               // cluster (docs/adr/0023)
  top.CheckUnknown();

  TableReader server(root["server"].as_table(), "server", errors);
  server.Get("timezone", c.server.timezone);
  server.Get("log_format", c.server.log_format);
  server.Get("log_level", c.server.log_level);
  server.Get("node_id", c.server.node_id);
  server.Get("threads", c.server.threads);
  server.CheckUnknown();

  TableReader http(root["http"].as_table(), "http", errors);
  http.Get("bind", c.http.bind);
  http.Get("port", c.http.port);
  http.Get("https", c.http.https);
  http.Get("https_port", c.http.https_port);
  http.Get("cert_file", c.http.cert_file);
  http.Get("key_file", c.http.key_file);
  http.Get("max_body_bytes", c.http.max_body_bytes);
  http.Get("idle_timeout_s", c.http.idle_timeout_s);  // reliability area
  http.CheckUnknown();

  TableReader smpp(root["smpp"].as_table(), "smpp", errors);
  smpp.Get("bind", c.smpp.bind);
  smpp.Get("port", c.smpp.port);
  smpp.Get("tls_port", c.smpp.tls_port);
  smpp.Get("session_init_timeout_s", c.smpp.session_init_timeout_s);  // reliability area
  smpp.Get("max_pending_requests", c.smpp.max_pending_requests);      // reliability area
  smpp.CheckUnknown();

  TableReader store(root["store"].as_table(), "store", errors);
  store.Get("engine", c.store.engine);
  store.Get("path", c.store.path);
  store.Get("url", c.store.url);                    // engine = "postgres" (docs/adr/0022)
  store.Get("connections", c.store.connections);    // engine = "postgres"
  store.Get("sync_wake_us", c.store.sync_wake_us);  // engine = "sqlite" (docs/adr/0035)
  store.CheckUnknown();

  TableReader core(root["core"].as_table(), "core", errors);
  core.Get("default_region", c.core.default_region);
  core.Get("id_key", c.core.id_key);
  core.Get("max_recipients", c.core.max_recipients);
  core.CheckUnknown();

  TableReader billing(root["billing"].as_table(), "billing", errors);
  billing.Get("seller_name", c.billing.seller_name);
  billing.GetList("seller_address", c.billing.seller_address);
  billing.Get("seller_tax_id", c.billing.seller_tax_id);
  billing.Get("bank_account", c.billing.bank_account);
  billing.Get("place", c.billing.place);
  billing.Get("vat_percent", c.billing.vat_percent);
  billing.CheckUnknown();
  Require(c.billing.vat_percent >= 0 && c.billing.vat_percent <= 100,
          "[billing] vat_percent must be between 0 and 100", errors);

  TableReader delivery(root["delivery"].as_table(), "delivery", errors);
  delivery.Get("batch_size", c.delivery.batch_size);
  delivery.Get("poll_interval_ms", c.delivery.poll_interval_ms);
  delivery.Get("lease_ms", c.delivery.lease_ms);
  delivery.CheckUnknown();

  const toml::table* simnet_table = root["simnet"].as_table();
  TableReader simnet(simnet_table, "simnet", errors);
  simnet.Get("enabled", c.simnet.enabled);
  simnet.Get("submit_delay_ms", c.simnet.submit_delay_ms);
  simnet.Get("receipt_delay_ms", c.simnet.receipt_delay_ms);
  simnet.Get("seed", c.simnet.seed);
  simnet.Get("auto_reply_prefix", c.simnet.auto_reply_prefix);
  simnet.Get("auto_reply_delay_ms", c.simnet.auto_reply_delay_ms);
  simnet.Known("failure");
  simnet.CheckUnknown();
  {
    TableReader inbound(root["inbound"].as_table(), "inbound", errors);
    inbound.Get("reply_window_s", c.inbound.reply_window_s);
    inbound.Get("reassembly_timeout_s", c.inbound.reassembly_timeout_s);
    inbound.CheckUnknown();
    Require(c.inbound.reply_window_s > 0, "inbound.reply_window_s must be positive", errors);
    Require(c.inbound.reassembly_timeout_s > 0, "inbound.reassembly_timeout_s must be positive",
            errors);
  }
  if (simnet_table) {
    if (const toml::array* rules = (*simnet_table)["failure"].as_array()) {
      for (const auto& node : *rules) {
        SimnetFailure f;
        TableReader r(node.as_table(), "simnet.failure", errors);
        r.Get("prefix", f.prefix);
        r.Get("rate", f.rate);
        r.Get("effect", f.effect);
        r.Get("reason", f.reason);
        r.CheckUnknown();
        Require(!f.prefix.empty() && f.prefix[0] == '+',
                "[simnet.failure] prefix must start with '+'", errors);
        Require(f.rate >= 0 && f.rate <= 1, "[simnet.failure] rate must be between 0 and 1",
                errors);
        Require(f.effect == "undelivered" || f.effect == "reject" || f.effect == "temporary",
                "[simnet.failure] effect must be undelivered, reject or temporary", errors);
        c.simnet.failures.push_back(f);
      }
    }
  }

  ReadConnectorsAndRoutes(root, c, errors);

  TableReader notify(root["notify"].as_table(), "notify", errors);
  notify.Get("enabled", c.notify.enabled);
  notify.Get("max_concurrency", c.notify.max_concurrency);
  notify.Get("connect_timeout_ms", c.notify.connect_timeout_ms);
  notify.Get("timeout_ms", c.notify.timeout_ms);
  notify.Get("poll_interval_ms", c.notify.poll_interval_ms);
  notify.Get("initial_backoff_ms", c.notify.initial_backoff_ms);
  notify.Get("max_backoff_ms", c.notify.max_backoff_ms);
  notify.Get("max_age_s", c.notify.max_age_s);
  notify.Get("verify_tls", c.notify.verify_tls);
  notify.Get("allow_private_urls", c.notify.allow_private_urls);  // SSRF (ADR 0025)
  notify.CheckUnknown();
  Require(c.notify.max_concurrency >= 1 && c.notify.max_concurrency <= 1024,
          "[notify] max_concurrency must be 1..1024", errors);
  Require(c.notify.connect_timeout_ms > 0 && c.notify.timeout_ms > 0 &&
              c.notify.poll_interval_ms > 0 && c.notify.initial_backoff_ms > 0 &&
              c.notify.max_age_s > 0,
          "[notify] timeouts, poll interval, backoff and max_age_s must be positive", errors);
  Require(c.notify.max_backoff_ms >= c.notify.initial_backoff_ms,
          "[notify] max_backoff_ms must be at least initial_backoff_ms", errors);
  // ---- accounts area (docs/adr/0008) ----
  TableReader op(root["operator"].as_table(), "operator", errors);
  op.Get("telephone", c.operator_.telephone);
  op.Get("email", c.operator_.email);
  op.Get("form", c.operator_.form);
  op.Get("faq", c.operator_.faq);
  op.Get("maintainer_name", c.operator_.maintainer_name);
  op.Get("maintainer_email", c.operator_.maintainer_email);
  op.Get("maintainer_telephone", c.operator_.maintainer_telephone);
  op.Get("maintainer_photo", c.operator_.maintainer_photo);
  if (root["operator"]["predefined_senders"]) c.operator_.predefined_senders.clear();
  op.GetList("predefined_senders", c.operator_.predefined_senders);
  if (root["operator"]["demo_accounts"]) c.operator_.demo_accounts.clear();
  op.GetList("demo_accounts", c.operator_.demo_accounts);
  op.CheckUnknown();
  for (const auto& name : c.operator_.predefined_senders) {
    Require(!name.empty() && name.size() <= 11,
            "[operator] predefined_senders: '" + name + "' must be 1 to 11 characters", errors);
  }
  TableReader throttle(root["login_throttle"].as_table(), "login_throttle", errors);
  throttle.Get("max_failures_per_address", c.login_throttle.max_failures_per_address);
  throttle.Get("max_failures_per_username", c.login_throttle.max_failures_per_username);
  throttle.Get("window_s", c.login_throttle.window_s);
  throttle.Get("block_s", c.login_throttle.block_s);
  throttle.CheckUnknown();
  Require(c.login_throttle.max_failures_per_address >= 0 &&
              c.login_throttle.max_failures_per_username >= 0,
          "[login_throttle] max_failures_* must be >= 0 (0 = off)", errors);
  Require(c.login_throttle.window_s > 0 && c.login_throttle.block_s > 0,
          "[login_throttle] window_s and block_s must be positive", errors);

  // ---- reliability area (ADR 0021) ----
  {  // ---- cluster (docs/adr/0023) ----
    TableReader cluster(root["cluster"].as_table(), "cluster", errors);
    cluster.Get("enabled", c.cluster.enabled);
    cluster.Get("node_id", c.cluster.node_id);
    cluster.Get("heartbeat_ms", c.cluster.heartbeat_ms);
    cluster.Get("lease_ms", c.cluster.lease_ms);
    cluster.CheckUnknown();
    Require(c.cluster.heartbeat_ms > 0 && c.cluster.lease_ms >= 3 * c.cluster.heartbeat_ms,
            "[cluster] heartbeat_ms must be positive and lease_ms at least 3 heartbeats", errors);
    Require(!c.cluster.enabled || c.store.engine == "postgres",
            "[cluster] enabled needs [store] engine = \"postgres\"", errors);
  }
  TableReader media(root["media"].as_table(), "media", errors);
  media.Get("allow_private_urls", c.media.allow_private_urls);
  media.CheckUnknown();
  Require(c.http.idle_timeout_s > 0, "[http] idle_timeout_s must be positive", errors);
  Require(c.smpp.session_init_timeout_s > 0 && c.smpp.max_pending_requests > 0,
          "[smpp] session_init_timeout_s and max_pending_requests must be positive", errors);

  // ---- SMS via FTP (ADR 0012) ----
  TableReader ftp(root["ftp"].as_table(), "ftp", errors);
  ftp.Get("enabled", c.ftp.enabled);
  ftp.Get("tick_ms", c.ftp.tick_ms);
  ftp.Get("batch_size", c.ftp.batch_size);
  ftp.Get("connect_timeout_s", c.ftp.connect_timeout_s);
  ftp.Get("stall_timeout_s", c.ftp.stall_timeout_s);
  ftp.Get("max_file_bytes", c.ftp.max_file_bytes);
  ftp.Get("max_files", c.ftp.max_files);
  ftp.CheckUnknown();
  Require(c.ftp.tick_ms > 0 && c.ftp.batch_size > 0 && c.ftp.connect_timeout_s > 0 &&
              c.ftp.stall_timeout_s > 0 && c.ftp.max_file_bytes > 0 && c.ftp.max_files > 0,
          "[ftp] tick_ms, batch_size, timeouts, max_file_bytes and max_files must be positive",
          errors);

  auto port_ok = [](int p) { return p >= 0 && p <= 65535; };
  Require(port_ok(c.http.port), "[http] port must be 0..65535", errors);
  Require(port_ok(c.http.https_port), "[http] https_port must be 0..65535", errors);
  Require(port_ok(c.smpp.port) && port_ok(c.smpp.tls_port), "[smpp] ports must be 0..65535",
          errors);
  Require(c.server.threads >= 1 && c.server.threads <= 64, "[server] threads must be 1..64",
          errors);
  Require(c.server.log_format == "text" || c.server.log_format == "json" ||
              c.server.log_format == "logfmt",
          "[server] log_format must be text, json or logfmt", errors);
  Require(c.server.log_level == "trace" || c.server.log_level == "debug" ||
              c.server.log_level == "info" || c.server.log_level == "warn" ||
              c.server.log_level == "error",
          "[server] log_level must be trace, debug, info, warn or error", errors);
  Require(c.store.engine == "sqlite" || c.store.engine == "postgres",
          "[store] engine must be sqlite or postgres", errors);
  Require(c.store.engine != "postgres" || !c.store.url.empty(),
          "[store] engine = \"postgres\" needs url = \"postgres://user@host:port/db\"", errors);
  Require(c.store.connections >= 2 && c.store.connections <= 200,
          "[store] connections must be 2..200", errors);
  Require(c.store.sync_wake_us >= 0 && c.store.sync_wake_us <= 10'000,  // docs/adr/0035
          "[store] sync_wake_us must be 0..10000", errors);
  Require(c.delivery.batch_size > 0 && c.delivery.poll_interval_ms > 0 && c.delivery.lease_ms > 0,
          "[delivery] values must be positive", errors);
  Require(c.http.max_body_bytes > 0, "[http] max_body_bytes must be positive", errors);

  if (!errors.empty()) {
    std::string msg = path + ": ";
    for (size_t i = 0; i < errors.size(); ++i) msg += (i ? "; " : "") + errors[i];
    return Fail(ErrorCode::kInvalidArgument, msg);
  }
  return c;
}

// ---- accounts area: [operator] and [login_throttle] ----
// ---- SMS via FTP (ADR 0012) ----
static std::string RenderFtpDefaults(const Config& c) {
  return fmt::format(R"(
[ftp]                             # SMS via FTP: customers' FTP/FTPS folders polled for files
                                  # (`bramka admin ftp add ACCOUNT --url ftp://...`)
enabled = {}
tick_ms = {}                      # how often due sources are looked for
batch_size = {}                   # lines per submit and per progress record
connect_timeout_s = {}
stall_timeout_s = {}                # a stalled transfer fails; the next poll tries again
max_file_bytes = {}          # spec §8: 5 MB
max_files = {}                    # spec §8: more .txt/.csv files than this = nothing processed
)",
                     c.ftp.enabled, c.ftp.tick_ms, c.ftp.batch_size, c.ftp.connect_timeout_s,
                     c.ftp.stall_timeout_s, c.ftp.max_file_bytes, c.ftp.max_files);
}

static std::string RenderAccountsDefaults(const Config& c) {
  auto list = [](const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "\"" : ", \"") + s + "\"";
    return "[" + out + "]";
  };
  return fmt::format(
      R"(
[operator]                        # account/help answers these; empty = null
telephone = "{telephone}"
email = "{email}"
form = "{form}"                   # URL of a contact form
faq = "{faq}"
maintainer_name = "{mname}"
maintainer_email = "{memail}"
maintainer_telephone = "{mtel}"
maintainer_photo = "{mphoto}"
predefined_senders = {predefined}   # any account may send with these (senders/index predefined)
demo_accounts = {demos}             # account/add answers them 4312

[login_throttle]                  # failed API logins (docs/adr/0008); refused with 1012
max_failures_per_address = {per_address}    # 0 = off
max_failures_per_username = {per_username}  # 0 = off
window_s = {window}
block_s = {block}
)",
      fmt::arg("telephone", c.operator_.telephone), fmt::arg("email", c.operator_.email),
      fmt::arg("form", c.operator_.form), fmt::arg("faq", c.operator_.faq),
      fmt::arg("mname", c.operator_.maintainer_name),
      fmt::arg("memail", c.operator_.maintainer_email),
      fmt::arg("mtel", c.operator_.maintainer_telephone),
      fmt::arg("mphoto", c.operator_.maintainer_photo),
      fmt::arg("predefined", list(c.operator_.predefined_senders)),
      fmt::arg("demos", list(c.operator_.demo_accounts)),
      fmt::arg("per_address", c.login_throttle.max_failures_per_address),
      fmt::arg("per_username", c.login_throttle.max_failures_per_username),
      fmt::arg("window", c.login_throttle.window_s), fmt::arg("block", c.login_throttle.block_s));
}

namespace {
// [store]'s keys: SQLite's file, or PostgreSQL's URL (docs/adr/0022).
std::string RenderStoreSection(const StoreConfig& s) {
  if (s.engine == "postgres") {
    return fmt::format(
        "engine = \"postgres\"\n"
        "url = \"{}\"  # password: PGPASSWORD or ~/.pgpass, not here\n"
        "connections = {}                  # pooled connections per node",
        s.url, s.connections);
  }
  return fmt::format("engine = \"sqlite\"\npath = \"{}\"", s.path);
}
}  // namespace

std::string RenderDefaultConfig(const Config& c) {
  return fmt::format(
             R"(# bramka configuration. Relative paths are relative to this file's folder.
# Unknown keys are an error.
data_dir = "{data_dir}"

[server]
timezone = "{tz}"      # API dates are in this zone
log_format = "{log_format}"          # text | json | logfmt (json/logfmt: message_id fields)
log_level = "{log_level}"            # trace | debug | info | warn | error
node_id = "{node_id}"
threads = {threads}                  # I/O threads

[http]
bind = "{http_bind}"        # 0.0.0.0 to serve other machines
port = {http_port}                  # plain HTTP (0 = any free port)
https = {https}
https_port = {https_port}
cert_file = "{cert}"
key_file = "{key}"
max_body_bytes = {max_body}

[smpp]
bind = "{smpp_bind}"
port = {smpp_port}
tls_port = {smpp_tls_port}

[store]
{store_section}

[core]
default_region = "{region}"          # numbers without a country code
id_key = "{id_key:x}"  # personalises message ids; keep it
max_recipients = {max_recipients}

[delivery]
batch_size = {batch}
poll_interval_ms = {poll}
lease_ms = {lease}

[simnet]                          # the built-in simulated network (default route)
enabled = {simnet_enabled}
submit_delay_ms = {submit_delay}
receipt_delay_ms = {receipt_delay}
seed = {seed}
# Without [[simnet.failure]] rules simnet uses its test numbers (src/connectors/simnet/README.md):
# +48600000 1xx undelivered, 2xx rejected, 3xx temporary failures, 4xx undelivered half the time.
# +48600000 9xx answer every message "Re: <text>" (auto_reply_prefix = "" turns that off;
# auto_reply_delay_ms = 500). Incoming messages: [inbound] reply_window_s = 604800,
# reassembly_timeout_s = 300 (docs/adr/0011).
# Rules given here replace them, for example:
# [[simnet.failure]]
# prefix = "+48799999"
# rate = 1.0
# effect = "undelivered"    # undelivered | reject | temporary
# reason = "unsupported_number"

[billing]                         # the seller on invoices of top-ups (payments/invoice)
seller_name = "{seller}"
seller_address = []               # lines, e.g. ["ul. Prosta 1", "00-001 Warszawa"]
seller_tax_id = ""                # NIP
bank_account = ""
place = ""                        # place of issue
vat_percent = {vat}

# SMPP connectors to operators' SMSCs (src/connectors/smpp/README.md), and routes to them.
# `bramka admin --config FILE connector add|list` and `route add|list` edit these tables.
# [[connector]]
# name = "smsc-a"
# host = "smsc.example.net"
# port = 2775
# system_id = "bramka"
# password = "secret"
# tps = 50                   # 0 = unlimited
# window = 10
# long_messages = "udh"      # udh | sar | payload
# receipt_id_format = "as_is"  # as_is | hex | decimal
#
# [[route]]                  # tried in order; unmatched messages go to simnet
# prefixes = ["+4850"]
# types = ["full"]
# connectors = ["smsc-a", "simnet"]   # failover order

[notify]                          # callbacks: delivery reports and incoming messages pushed to
                                  # customers' URLs (`bramka admin account callbacks NAME`)
enabled = {notify_enabled}
max_concurrency = {notify_conc}              # requests in flight at most
connect_timeout_ms = {notify_connect}
timeout_ms = {notify_timeout}                # per request; a hanging receiver holds one slot this long
poll_interval_ms = {notify_poll}
initial_backoff_ms = {notify_initial}        # after the first unacknowledged call, doubling...
max_backoff_ms = {notify_max_backoff}          # ...up to this (with jitter)
max_age_s = {notify_max_age}                # then give up: kept as failed for the operator
verify_tls = {notify_verify}
allow_private_urls = {notify_private}        # true: call receivers on loopback/private addresses (SSRF guard off)
)",
             fmt::arg("data_dir", c.data_dir), fmt::arg("tz", c.server.timezone),
             fmt::arg("log_format", c.server.log_format), fmt::arg("log_level", c.server.log_level),
             fmt::arg("node_id", c.server.node_id), fmt::arg("threads", c.server.threads),
             fmt::arg("http_bind", c.http.bind), fmt::arg("http_port", c.http.port),
             fmt::arg("https", c.http.https), fmt::arg("https_port", c.http.https_port),
             fmt::arg("cert", c.http.cert_file), fmt::arg("key", c.http.key_file),
             fmt::arg("max_body", c.http.max_body_bytes), fmt::arg("smpp_bind", c.smpp.bind),
             fmt::arg("smpp_port", c.smpp.port), fmt::arg("smpp_tls_port", c.smpp.tls_port),
             fmt::arg("store_section", RenderStoreSection(c.store)),
             fmt::arg("region", c.core.default_region), fmt::arg("id_key", c.core.id_key),
             fmt::arg("max_recipients", c.core.max_recipients),
             fmt::arg("batch", c.delivery.batch_size),
             fmt::arg("poll", c.delivery.poll_interval_ms), fmt::arg("lease", c.delivery.lease_ms),
             fmt::arg("simnet_enabled", c.simnet.enabled),
             fmt::arg("submit_delay", c.simnet.submit_delay_ms),
             fmt::arg("receipt_delay", c.simnet.receipt_delay_ms), fmt::arg("seed", c.simnet.seed),
             fmt::arg("seller", c.billing.seller_name), fmt::arg("vat", c.billing.vat_percent),
             fmt::arg("notify_enabled", c.notify.enabled),
             fmt::arg("notify_conc", c.notify.max_concurrency),
             fmt::arg("notify_connect", c.notify.connect_timeout_ms),
             fmt::arg("notify_timeout", c.notify.timeout_ms),
             fmt::arg("notify_poll", c.notify.poll_interval_ms),
             fmt::arg("notify_initial", c.notify.initial_backoff_ms),
             fmt::arg("notify_max_backoff", c.notify.max_backoff_ms),
             fmt::arg("notify_max_age", c.notify.max_age_s),
             fmt::arg("notify_verify", c.notify.verify_tls),
             fmt::arg("notify_private", c.notify.allow_private_urls)) +
         RenderAccountsDefaults(c) +  // accounts area
         RenderFtpDefaults(c);        // SMS via FTP
}

}  // namespace bramka::config
