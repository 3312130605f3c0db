// `bramka admin --config FILE sql add|list|remove|create-tables|mo`: SQL API
// sources (src/ingest/sql, docs/adr/0013). The password of a source is sealed
// with the data directory's secret key before it reaches core and the store;
// nothing here prints it.
#include <sodium.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"
#include "ingest/sql/client.h"
#include "ingest/sql/layout.h"
#include "ingest/sql/secret_box.h"
#include "ingest/sql/sql_url.h"

namespace bramka::app {
namespace {

namespace isql = ingest::sql;

std::string Mapping(const std::vector<std::string>& maps) {
  std::string out;
  for (const auto& m : maps) out += (out.empty() ? "" : ";") + m;
  return out;
}

std::string KeyPath(const config::Config& cfg) {
  return (std::filesystem::path(cfg.Resolve(cfg.data_dir)) / "secret.key").string();
}

int CreateTables(const config::Config& cfg, const SqlAdminOptions& o) {
  auto layout = isql::MakeLayout(o.structure, Mapping(o.maps));
  if (!layout.ok()) return Die(layout.error());
  std::optional<isql::SqlUrl> url;
  if (!o.url.empty()) {
    auto parsed = isql::ParseSqlUrl(o.url);
    if (!parsed.ok()) return Die(parsed.error());
    url = *parsed;
  }
  isql::Engine engine = url ? url->engine : isql::Engine::kMysql;
  if (!o.engine.empty()) {
    auto e = isql::ParseEngine(o.engine);
    if (!e.ok()) return Die(e.error());
    if (url && *e != url->engine) return Die("--engine differs from the --url scheme");
    engine = *e;
  } else if (!url) {
    return Die("create-tables needs --engine mysql|postgres (or --url)");
  }
  const auto ddl = isql::CreateTablesDdl(engine, *layout);
  if (!url) {
    for (const auto& s : ddl) std::cout << s;
    return 0;
  }
  (void)cfg;
  isql::ConnectParams p;
  p.engine = engine;
  p.host = url->host;
  p.port = url->port;
  p.database = url->database;
  p.user = url->user;
  p.password = url->password;
  auto conn = isql::Connect(p);
  if (!conn.ok()) return Die(conn.error());
  for (const auto& s : ddl) {
    auto r = (*conn)->Query(s);
    if (!r.ok()) return Die(r.error());
  }
  std::cout << "tables " << (*layout)["mt_table"] << " and " << (*layout)["mo_table"]
            << " ready in " << url->database << "\n";
  return 0;
}

}  // namespace

int RunSqlAdmin(const std::string& config_path, const SqlAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  Runtime& rt = **rt_or;
  core::GatewayService& gw = *rt.gateway;
  if (o.verb == "create-tables") return CreateTables(rt.config, o);
  if (o.verb == "add") {
    auto url = isql::ParseSqlUrl(o.url);
    if (!url.ok()) return Die(url.error());
    auto layout = isql::MakeLayout(o.structure, Mapping(o.maps));
    if (!layout.ok()) return Die(layout.error());
    if (!o.password_file.empty()) {
      std::ifstream in(o.password_file);
      if (!in) return Die("cannot read --password-file " + o.password_file);
      std::getline(in, url->password);
      if (!url->password.empty() && url->password.back() == '\r') url->password.pop_back();
    }
    auto box = isql::SecretBox::OpenOrCreate(KeyPath(rt.config));
    if (!box.ok()) return Die(box.error());
    store::SqlSource s;
    s.engine = std::string(isql::EngineName(url->engine));
    s.host = url->host;
    s.port = url->port;
    s.database = url->database;
    s.user = url->user;
    s.password_enc = box->Seal(url->password);
    s.tls = o.tls;
    s.structure = o.structure;
    s.columns = Mapping(o.maps);
    s.interval_s = o.interval_s;
    auto id = gw.AddSqlSource(o.account, s);
    if (!id.ok()) return Die(id.error());
    std::cout << "sql source " << *id << " added for " << o.account << " (" << s.engine << "://"
              << s.user << "@" << s.host << ":" << s.port << "/" << s.database
              << "); a running bramka serve starts polling it within a second\n";
    return 0;
  }
  if (o.verb == "list") {
    auto list = gw.ListSqlSources(o.account);
    if (!list.ok()) return Die(list.error());
    auto accounts = gw.ListAccounts();
    std::map<store::AccountId, std::string> names;
    if (accounts.ok()) {
      for (const auto& a : *accounts) names[a.id] = a.name;
    }
    for (const auto& s : *list) {
      std::cout << fmt::format(
          "{} account={} {}://{}@{}:{}/{} structure={} interval={}s tls={} state={} "
          "failures={} last_ok={} last_error={}\n",
          s.id, names[s.account_id], s.engine, s.user, s.host, s.port, s.database, s.structure,
          s.interval_s, s.tls, s.state, s.failures,
          s.last_ok_ms ? FormatApiTimeMs(s.last_ok_ms) : "never",
          s.last_error.empty() ? "-" : s.last_error);
    }
    return 0;
  }
  if (o.verb == "remove") {
    auto r = gw.RemoveSqlSource(o.account, o.id);
    if (!r.ok()) return Die(r.error());
    std::cout << "sql source " << o.id << " removed\n";
    return 0;
  }
  if (o.verb == "mo") {
    auto account = rt.store->FindAccountByName(o.account);
    if (!account.ok()) return Die("no account named '" + o.account + "'");
    core::GatewayService::IncomingCallback in;
    in.account_id = account->id;
    in.message_id = o.message_id;
    if (in.message_id.empty()) {
      unsigned char b[5];
      randombytes_buf(b, sizeof b);
      in.message_id = fmt::format("{:02x}{:02x}{:02x}{:02x}{:02x}", b[0], b[1], b[2], b[3], b[4]);
    }
    in.from = o.from;
    in.to = o.to;
    in.text = o.text;
    in.received_ms = ToUnixMillis(rt.clock.Now());
    auto n = gw.QueueIncomingForSql(in);
    if (!n.ok()) return Die(n.error());
    std::cout << "incoming " << in.message_id << " queued for " << *n << " sql sources\n";
    return 0;
  }
  return Die("unknown sql command");
}

}  // namespace bramka::app
