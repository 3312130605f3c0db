// SqlConnection over MariaDB Connector/C (customers' MariaDB and MySQL).
#include <mariadb/mysql.h>

#include <cstring>
#include <string>
#include <unordered_map>

#include "ingest/sql/client.h"

namespace bramka::ingest::sql {
namespace {

class MariaDbConnection : public SqlConnection {
 public:
  explicit MariaDbConnection(MYSQL* db) : db_(db) {}
  ~MariaDbConnection() override {
    for (auto& [sql, stmt] : prepared_) mysql_stmt_close(stmt);
    mysql_close(db_);
  }

  Result<std::vector<SqlRow>> Query(const std::string& sql) override {
    if (mysql_real_query(db_, sql.data(), sql.size()) != 0) return Error("query");
    MYSQL_RES* res = mysql_store_result(db_);
    if (res == nullptr) {
      if (mysql_field_count(db_) == 0) return std::vector<SqlRow>();
      return Error("query result");
    }
    std::vector<SqlRow> rows;
    const unsigned n = mysql_num_fields(res);
    while (MYSQL_ROW r = mysql_fetch_row(res)) {
      unsigned long* lengths = mysql_fetch_lengths(res);
      SqlRow row(n);
      for (unsigned i = 0; i < n; ++i) {
        if (r[i] != nullptr) row[i] = std::string(r[i], lengths[i]);
      }
      rows.push_back(std::move(row));
    }
    mysql_free_result(res);
    return rows;
  }

  // Each statement text is prepared once per connection and kept (the poller runs the same
  // few UPDATEs and INSERTs for every row): one round trip per row instead of three
  // (prepare, execute, close), and the server parses it once (session 11,
  // docs/performance/session11-stale.md). A failed Exec drops its statement; the poller
  // drops the whole connection after any failure anyway.
  Result<int64_t> Exec(const std::string& sql, const std::vector<SqlValue>& params) override {
    BRAMKA_ASSIGN_OR_RETURN(MYSQL_STMT * stmt, Prepared(sql));
    std::vector<MYSQL_BIND> binds(params.size());
    std::vector<unsigned long> lengths(params.size());
    std::vector<my_bool> nulls(params.size());
    for (size_t i = 0; i < params.size(); ++i) {
      std::memset(&binds[i], 0, sizeof(MYSQL_BIND));
      binds[i].buffer_type = MYSQL_TYPE_STRING;
      nulls[i] = params[i] ? 0 : 1;
      binds[i].is_null = &nulls[i];
      if (params[i]) {
        binds[i].buffer = const_cast<char*>(params[i]->data());
        lengths[i] = params[i]->size();
        binds[i].buffer_length = lengths[i];
        binds[i].length = &lengths[i];
      }
    }
    if (!params.empty() && mysql_stmt_bind_param(stmt, binds.data()) != 0) {
      return Drop(sql, StmtError(stmt, "bind"));
    }
    if (mysql_stmt_execute(stmt) != 0) return Drop(sql, StmtError(stmt, "execute"));
    return static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
  }

  Result<void> Begin() override { return Simple("START TRANSACTION"); }
  Result<void> Commit() override { return Simple("COMMIT"); }
  Result<void> Rollback() override { return Simple("ROLLBACK"); }

  Result<void> Simple(const char* sql) {
    if (mysql_query(db_, sql) != 0) return Error(sql);
    return Ok();
  }

 private:
  // A layout has a handful of statements; past this many (never expected) the cache
  // starts over.
  static constexpr size_t kMaxPrepared = 32;

  Result<MYSQL_STMT*> Prepared(const std::string& sql) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
    if (prepared_.size() >= kMaxPrepared) {
      for (auto& [text, stmt] : prepared_) mysql_stmt_close(stmt);
      prepared_.clear();
    }
    MYSQL_STMT* stmt = mysql_stmt_init(db_);
    if (stmt == nullptr) return Error("statement");
    if (mysql_stmt_prepare(stmt, sql.data(), sql.size()) != 0) {
      Unexpected e = StmtError(stmt, "prepare");
      mysql_stmt_close(stmt);
      return e;
    }
    prepared_.emplace(sql, stmt);
    return stmt;
  }
  Unexpected Drop(const std::string& sql, Unexpected e) {
    if (auto it = prepared_.find(sql); it != prepared_.end()) {
      mysql_stmt_close(it->second);
      prepared_.erase(it);
    }
    return e;
  }
  Unexpected Error(const std::string& what) {
    return Fail(ErrorCode::kUnavailable, "mysql " + what + ": " + mysql_error(db_) + " (" +
                                             std::to_string(mysql_errno(db_)) + ")");
  }
  Unexpected StmtError(MYSQL_STMT* s, const std::string& what) {
    return Fail(ErrorCode::kUnavailable, "mysql " + what + ": " + mysql_stmt_error(s) + " (" +
                                             std::to_string(mysql_stmt_errno(s)) + ")");
  }
  MYSQL* db_;
  std::unordered_map<std::string, MYSQL_STMT*> prepared_;
};

}  // namespace

Result<std::unique_ptr<SqlConnection>> ConnectMysql(const ConnectParams& p) {
  MYSQL* db = mysql_init(nullptr);
  if (db == nullptr) return Fail(ErrorCode::kUnavailable, "mysql: out of memory");
  unsigned int timeout = static_cast<unsigned int>(p.timeout_s);
  mysql_optionsv(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_optionsv(db, MYSQL_OPT_READ_TIMEOUT, &timeout);
  mysql_optionsv(db, MYSQL_OPT_WRITE_TIMEOUT, &timeout);
  mysql_optionsv(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  if (p.tls == "require" || p.tls == "verify") {
    my_bool on = 1;
    mysql_optionsv(db, MYSQL_OPT_SSL_ENFORCE, &on);
    my_bool verify = p.tls == "verify" ? 1 : 0;
    mysql_optionsv(db, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  if (mysql_real_connect(db, p.host.c_str(), p.user.c_str(), p.password.c_str(), p.database.c_str(),
                         static_cast<unsigned int>(p.port), nullptr, 0) == nullptr) {
    std::string msg = std::string("mysql connect to ") + p.host + ":" + std::to_string(p.port) +
                      ": " + mysql_error(db);
    mysql_close(db);
    return Fail(ErrorCode::kUnavailable, msg);
  }
  // Connector/C only refuses a server without TLS when it must verify the certificate;
  // with "require" it silently falls back to plain, so check what was negotiated (the
  // login is a challenge-response: no password crossed in clear).
  if ((p.tls == "require" || p.tls == "verify") && mysql_get_ssl_cipher(db) == nullptr) {
    mysql_close(db);
    return Fail(ErrorCode::kUnavailable,
                "mysql connect to " + p.host + ":" + std::to_string(p.port) +
                    ": TLS (SSL) required but the server does not offer it");
  }
  auto conn = std::make_unique<MariaDbConnection>(db);
  // A locked row fails fast (and is retried with backoff) instead of blocking the poller.
  const std::string lock_wait =
      "SET SESSION innodb_lock_wait_timeout = " + std::to_string(std::max(1, p.timeout_s / 2));
  BRAMKA_RETURN_IF_ERROR(conn->Simple(lock_wait.c_str()));
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace bramka::ingest::sql
