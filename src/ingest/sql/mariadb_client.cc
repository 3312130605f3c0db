// SqlConnection over MariaDB Connector/C (customers' MariaDB and MySQL).
#include <mariadb/mysql.h>
#include <mariadb/mysqld_error.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "ingest/sql/client.h"

namespace bramka::ingest::sql {
namespace {

class MariaDbConnection : public SqlConnection {
 public:
  MariaDbConnection(MYSQL* db, bool bulk) : db_(db), bulk_(bulk) {}
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
    BRAMKA_ASSIGN_OR_RETURN(MYSQL_STMT * stmt, Execute(sql, params));
    return static_cast<int64_t>(mysql_stmt_affected_rows(stmt));
  }

  // The MO check (docs/adr/0062): a prepared SELECT, its rows fetched unbuffered to the
  // end so the statement is ready for its next execution.
  Result<std::vector<SqlRow>> QueryParams(const std::string& sql,
                                          const std::vector<SqlValue>& params) override {
    BRAMKA_ASSIGN_OR_RETURN(MYSQL_STMT * stmt, Execute(sql, params));
    const size_t n = mysql_stmt_field_count(stmt);
    static constexpr size_t kInline = 64;  // longer values are fetched column by column
    std::vector<MYSQL_BIND> binds(n);
    std::vector<char> buffers(n * kInline);
    std::vector<unsigned long> lengths(n);
    std::vector<my_bool> nulls(n);
    for (size_t c = 0; c < n; ++c) {
      std::memset(&binds[c], 0, sizeof(MYSQL_BIND));
      binds[c].buffer_type = MYSQL_TYPE_STRING;
      binds[c].buffer = &buffers[c * kInline];
      binds[c].buffer_length = kInline;
      binds[c].length = &lengths[c];
      binds[c].is_null = &nulls[c];
    }
    if (n > 0 && mysql_stmt_bind_result(stmt, binds.data()) != 0) {
      return Drop(sql, StmtError(stmt, "bind result"));
    }
    std::vector<SqlRow> rows;
    while (true) {
      const int rc = mysql_stmt_fetch(stmt);
      if (rc == MYSQL_NO_DATA) break;
      if (rc != 0 && rc != MYSQL_DATA_TRUNCATED) return Drop(sql, StmtError(stmt, "fetch"));
      SqlRow row(n);
      for (size_t c = 0; c < n; ++c) {
        if (nulls[c]) continue;
        if (lengths[c] <= kInline) {
          row[c] = std::string(&buffers[c * kInline], lengths[c]);
          continue;
        }
        std::string value(lengths[c], '\0');
        MYSQL_BIND whole;
        std::memset(&whole, 0, sizeof whole);
        whole.buffer_type = MYSQL_TYPE_STRING;
        whole.buffer = value.data();
        whole.buffer_length = value.size();
        if (mysql_stmt_fetch_column(stmt, &whole, static_cast<unsigned int>(c), 0) != 0) {
          return Drop(sql, StmtError(stmt, "fetch column"));
        }
        row[c] = std::move(value);
      }
      rows.push_back(std::move(row));
    }
    mysql_stmt_free_result(stmt);
    return rows;
  }

  // One bulk execution (COM_STMT_BULK_EXECUTE: the parameters of every row bound as
  // column arrays, STMT_ATTR_ARRAY_SIZE) per kBatchChunk rows instead of one round trip per
  // row (docs/adr/0056). The server runs the statement once per row, in order, and stops at
  // the first error, which fails the call. The rows before it stay applied inside the
  // transaction (a bulk execution is not undone as one statement), so nothing may be
  // committed after a failure: the poller drops the connection and the server rolls the
  // transaction back. Servers without bulk operations (MySQL, MariaDB before 10.2) get one
  // Exec per row as before.
  Result<void> ExecBatch(const std::string& sql,
                         const std::vector<std::vector<SqlValue>>& rows) override {
    if (!bulk_ || no_bulk_.count(sql)) return SqlConnection::ExecBatch(sql, rows);
    for (size_t start = 0; start < rows.size(); start += kBatchChunk) {
      const size_t n = std::min(kBatchChunk, rows.size() - start);
      if (n == 1) {
        BRAMKA_RETURN_IF_ERROR(Exec(sql, rows[start]));
        continue;
      }
      Result<void> r = Bulk(sql, rows, start, n);
      if (!r.ok() && last_errno_ == ER_UNSUPPORTED_PS) {
        // The server runs only some statements in bulk (UPDATE, INSERT ... VALUES; not
        // INSERT ... SELECT) and refuses the others before running any row (docs/adr/0056):
        // this text goes row by row on this connection from now on, from this chunk's
        // first row. None of the poller's statements is refused since the MO insert became
        // INSERT ... VALUES (docs/adr/0062); kept for servers that refuse more.
        no_bulk_.insert(sql);
        std::vector<std::vector<SqlValue>> rest(rows.begin() + static_cast<ptrdiff_t>(start),
                                                rows.end());
        return SqlConnection::ExecBatch(sql, rest);
      }
      BRAMKA_RETURN_IF_ERROR(r);
    }
    return Ok();
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
  // Rows per bulk execution (a poll batch of 500 is two): bounds the request, which
  // Connector/C builds in memory and the server takes only up to max_allowed_packet (16 MB
  // by default; a report row is ~150 bytes). 256 and 500 measured level
  // (docs/performance/session12-mariadb.md).
  static constexpr size_t kBatchChunk = 256;

  Result<void> Bulk(const std::string& sql, const std::vector<std::vector<SqlValue>>& rows,
                    size_t start, size_t n) {
    last_errno_ = 0;
    BRAMKA_ASSIGN_OR_RETURN(MYSQL_STMT * stmt, Prepared(sql));
    const size_t columns = mysql_stmt_param_count(stmt);
    // Column-wise binding: per parameter an array of n pointers, lengths and indicators.
    std::vector<MYSQL_BIND> binds(columns);
    std::vector<char*> buffers(columns * n);
    std::vector<unsigned long> lengths(columns * n);
    std::vector<char> indicators(columns * n);
    for (size_t r = 0; r < n; ++r) {
      const std::vector<SqlValue>& params = rows[start + r];
      if (params.size() != columns) {
        return Fail(ErrorCode::kInternal, "mysql bulk: a row has " + std::to_string(params.size()) +
                                              " values for " + std::to_string(columns) +
                                              " parameters");
      }
      for (size_t c = 0; c < columns; ++c) {
        const size_t k = c * n + r;
        if (params[c]) {
          buffers[k] = const_cast<char*>(params[c]->data());
          lengths[k] = params[c]->size();
          indicators[k] = STMT_INDICATOR_NONE;
        } else {
          indicators[k] = STMT_INDICATOR_NULL;
        }
      }
    }
    for (size_t c = 0; c < columns; ++c) {
      std::memset(&binds[c], 0, sizeof(MYSQL_BIND));
      binds[c].buffer_type = MYSQL_TYPE_STRING;
      binds[c].buffer = &buffers[c * n];
      binds[c].length = &lengths[c * n];
      binds[c].u.indicator = &indicators[c * n];
    }
    unsigned int size = static_cast<unsigned int>(n);
    if (mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &size) != 0) {
      return Drop(sql, StmtError(stmt, "bulk size"));
    }
    if (columns > 0 && mysql_stmt_bind_param(stmt, binds.data()) != 0) {
      return Drop(sql, StmtError(stmt, "bulk bind"));
    }
    if (mysql_stmt_execute(stmt) != 0) return Drop(sql, StmtError(stmt, "bulk execute"));
    // Back to single executions for Exec of the same text.
    size = 0;
    if (mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &size) != 0) {
      return Drop(sql, StmtError(stmt, "bulk size"));
    }
    return Ok();
  }

  // The prepared statement of `sql`, executed once with `params`.
  Result<MYSQL_STMT*> Execute(const std::string& sql, const std::vector<SqlValue>& params) {
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
    return stmt;
  }

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
    last_errno_ = mysql_stmt_errno(s);
    return Fail(ErrorCode::kUnavailable, "mysql " + what + ": " + mysql_stmt_error(s) + " (" +
                                             std::to_string(mysql_stmt_errno(s)) + ")");
  }
  MYSQL* db_;
  const bool bulk_;  // the server takes array-bound executions (MariaDB 10.2+)
  std::unordered_set<std::string> no_bulk_;  // statement texts the server runs only singly
  unsigned int last_errno_ = 0;              // of the last failed statement
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
  // Bulk executions are MariaDB's (10.2+): the server says so in its extended capabilities
  // and by clearing CLIENT_MYSQL (as Connector/C's MARIADB_STMT_BULK_SUPPORTED checks).
  unsigned long caps = 0;
  unsigned long extended = 0;
  mariadb_get_infov(db, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps);
  mariadb_get_infov(db, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &extended);
  const bool bulk =
      (caps & CLIENT_MYSQL) == 0 && (extended & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
  auto conn = std::make_unique<MariaDbConnection>(db, bulk);
  // A locked row fails fast (and is retried with backoff) instead of blocking the poller.
  const std::string lock_wait =
      "SET SESSION innodb_lock_wait_timeout = " + std::to_string(std::max(1, p.timeout_s / 2));
  BRAMKA_RETURN_IF_ERROR(conn->Simple(lock_wait.c_str()));
  return std::unique_ptr<SqlConnection>(std::move(conn));
}

}  // namespace bramka::ingest::sql
