#include "app/runtime.h"

#include <cstdio>
#include <filesystem>

#include "app/cluster_agent.h"
#include "common/time_format.h"
#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::app {

Result<std::unique_ptr<Runtime>> OpenRuntime(const std::string& config_path) {
  auto rt = std::make_unique<Runtime>();
  BRAMKA_ASSIGN_OR_RETURN(rt->config, config::LoadConfig(config_path));
  SetProcessTimeZone(rt->config.server.timezone);
  ResolveClusterNodeId(rt->config);  // cluster (docs/adr/0023): [server] node_id
  if (rt->config.store.engine == "postgres") {
    // ---- PostgreSQL (docs/adr/0022) ----
    store::PostgresOptions pg;
    pg.conninfo = rt->config.store.url;
    pg.connections = rt->config.store.connections;
    pg.message_id_key = rt->config.core.id_key;
    pg.node_id = rt->config.server.node_id;  // cluster: its SMPP outbox leases
    BRAMKA_ASSIGN_OR_RETURN(auto opened, store::PostgresStore::Open(pg));
    rt->store = std::move(opened);
  } else {
    std::string db_path = rt->config.Resolve(rt->config.store.path);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(db_path).parent_path(), ec);
    if (ec)
      return Fail(ErrorCode::kUnavailable,
                  "cannot create the folder of " + db_path + ": " + ec.message());
    store::SqliteOptions sqlite;
    sqlite.path = db_path;
    sqlite.message_id_key = rt->config.core.id_key;
    sqlite.sync_wake_us = rt->config.store.sync_wake_us;  // s6-latency (docs/adr/0035)
    BRAMKA_ASSIGN_OR_RETURN(auto opened, store::SqliteStore::Open(sqlite));
    rt->store = std::move(opened);
  }
  core::CoreOptions core;
  core.default_region = rt->config.core.default_region;
  core.id_key = rt->config.core.id_key;
  core.max_recipients = rt->config.core.max_recipients;
  core.vat_percent = rt->config.billing.vat_percent;
  // accounts area (docs/adr/0008)
  const config::OperatorConfig& op = rt->config.operator_;
  core.operator_contact = core::OperatorContact{op.telephone,
                                                op.email,
                                                op.form,
                                                op.faq,
                                                op.maintainer_name,
                                                op.maintainer_email,
                                                op.maintainer_telephone,
                                                op.maintainer_photo};
  core.predefined_senders = op.predefined_senders;
  core.demo_accounts = op.demo_accounts;
  const config::LoginThrottleConfig& lt = rt->config.login_throttle;
  core.login_throttle.max_failures_per_address = lt.max_failures_per_address;
  core.login_throttle.max_failures_per_username = lt.max_failures_per_username;
  core.login_throttle.window = std::chrono::seconds(lt.window_s);
  core.login_throttle.block = std::chrono::seconds(lt.block_s);
  core.allow_private_callback_urls = rt->config.notify.allow_private_urls;  // SSRF (ADR 0025)
  rt->gateway = std::make_unique<core::GatewayService>(*rt->store, rt->clock, core);
  core::CurlFetcherOptions fetch;
  fetch.allow_private_addresses = rt->config.media.allow_private_urls;  // SSRF guard (ADR 0021)
  rt->media_fetcher = core::MakeCurlMediaFetcher(fetch);
  rt->gateway->SetMediaFetcher(rt->media_fetcher.get());
  return rt;
}

std::optional<int64_t> ParseGrosze(const std::string& text) {
  int64_t whole = 0;
  int64_t cents = 0;
  int decimals = -1;  // -1: before the separator
  if (text.empty()) return std::nullopt;
  for (char c : text) {
    if (c == '.' || c == ',') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
    } else if (c >= '0' && c <= '9') {
      if (decimals < 0) {
        whole = whole * 10 + (c - '0');
        if (whole > 1'000'000'000'000) return std::nullopt;
      } else if (++decimals <= 2) {
        cents = cents * 10 + (c - '0');
      } else {
        return std::nullopt;
      }
    } else {
      return std::nullopt;
    }
  }
  if (decimals == 1) cents *= 10;
  return whole * 100 + cents;
}

int Die(const Error& error) { return Die(error.message); }

int Die(const std::string& message) {
  std::fprintf(stderr, "bramka: %s\n", message.c_str());
  return 1;
}

}  // namespace bramka::app
