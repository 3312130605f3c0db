// GatewayService: SQL API sources (spec §9, docs/adr/0013). The polling itself
// lives in src/ingest/sql; core keeps the operator rules and the entry point
// for incoming messages.
#include "core/gateway_service.h"

namespace bramka::core {

Result<int64_t> GatewayService::AddSqlSource(const std::string& account_name,
                                             store::SqlSource source) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  auto bad = [](const std::string& what) { return Fail(ErrorCode::kInvalidArgument, what); };
  if (source.engine != "mysql" && source.engine != "postgres") {
    return bad("engine must be mysql or postgres");
  }
  if (source.host.empty()) return bad("host is empty");
  if (source.database.empty()) return bad("database is empty");
  if (source.user.empty()) return bad("user is empty");
  if (source.port < 1 || source.port > 65535) return bad("port must be 1 to 65535");
  if (source.tls != "disable" && source.tls != "prefer" && source.tls != "require" &&
      source.tls != "verify") {
    return bad("tls must be disable, prefer, require or verify");
  }
  if (source.structure != "standard" && source.structure != "individual") {
    return bad("structure must be standard or individual");
  }
  if (source.interval_s < 1 || source.interval_s > 86400) {
    return bad("interval must be 1 to 86400 seconds");
  }
  if (source.password_enc.rfind("v1:", 0) != 0) return bad("password is not sealed");
  source.id = 0;
  source.account_id = account.id;
  source.created_ms = ToUnixMillis(clock_.Now());
  source.state = "new";
  source.last_error.clear();
  source.last_ok_ms = 0;
  source.failures = 0;
  return store_.CreateSqlSource(source);
}

Result<std::vector<store::SqlSource>> GatewayService::ListSqlSources(
    const std::string& account_name) {
  store::AccountId id = 0;
  if (!account_name.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
    id = account.id;
  }
  return store_.ListSqlSources(id);
}

Result<void> GatewayService::RemoveSqlSource(const std::string& account_name, int64_t source_id) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  return store_.DeleteSqlSource(account.id, source_id);
}

Result<int> GatewayService::QueueIncomingForSql(const IncomingCallback& incoming) {
  store::SqlMoEntry e;
  e.account_id = incoming.account_id;
  e.message_id = incoming.message_id;
  e.from = incoming.from;
  e.to = incoming.to;
  e.text = incoming.text;
  e.received_ms = incoming.received_ms;
  BRAMKA_ASSIGN_OR_RETURN(int n, store_.QueueSqlMo(e));
  if (n > 0 && sql_queued_hook_) sql_queued_hook_();
  return n;
}

}  // namespace bramka::core
