#pragma once
// SqlConnection: the few operations the poller needs from a customer's
// database, over MariaDB Connector/C (mariadb_client.cc) or libpq
// (postgres_client.cc). Blocking, one thread at a time per connection.
// Statements use '?' placeholders; values travel as parameters (text, or NULL
// for nullopt), never spliced into SQL. Every failure is kUnavailable with the
// server's message (the poller backs off and reconnects); the password is never
// part of a message.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "ingest/sql/layout.h"

namespace bramka::ingest::sql {

using SqlValue = std::optional<std::string>;
using SqlRow = std::vector<SqlValue>;

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  // A statement without parameters that returns rows (every value as text).
  virtual Result<std::vector<SqlRow>> Query(const std::string& sql) = 0;
  // A statement with parameters that returns rows (every value as text, NULL as nullopt).
  // On PostgreSQL it ends a pipeline first (its pending results are read: an earlier
  // pipelined error fails this call).
  virtual Result<std::vector<SqlRow>> QueryParams(const std::string& sql,
                                                  const std::vector<SqlValue>& params) = 0;
  // A statement with parameters; returns the number of affected rows. On PostgreSQL inside
  // a transaction the statement is pipelined (docs/adr/0055): its error, if any, is
  // returned by a later Exec or by Commit (the transaction fails either way), and the count
  // is not known yet (1 is returned). Callers here ignore the count.
  virtual Result<int64_t> Exec(const std::string& sql, const std::vector<SqlValue>& params) = 0;
  // The same statement once per element of `rows` (each a full parameter list), in order,
  // inside the caller's transaction: the poller's per-row write-backs of one batch. Any
  // failure fails the call; rows before it may have been applied, so the caller must not
  // commit after it (the poller drops the connection: the server rolls back). This default
  // runs Exec per row (PostgreSQL pipelines those, docs/adr/0055); MariaDB sends up to 256
  // rows per bulk execution (array binding, docs/adr/0056).
  virtual Result<void> ExecBatch(const std::string& sql,
                                 const std::vector<std::vector<SqlValue>>& rows) {
    for (const std::vector<SqlValue>& params : rows) {
      BRAMKA_RETURN_IF_ERROR(Exec(sql, params));
    }
    return Ok();
  }
  virtual Result<void> Begin() = 0;
  virtual Result<void> Commit() = 0;
  virtual Result<void> Rollback() = 0;
};

struct ConnectParams {
  Engine engine = Engine::kMysql;
  std::string host;
  int port = 0;
  std::string database;
  std::string user;
  std::string password;
  std::string tls = "prefer";  // disable | prefer | require | verify
  int timeout_s = 10;          // connect, read and lock waits
};

Result<std::unique_ptr<SqlConnection>> ConnectMysql(const ConnectParams& p);
Result<std::unique_ptr<SqlConnection>> ConnectPostgres(const ConnectParams& p);
inline Result<std::unique_ptr<SqlConnection>> Connect(const ConnectParams& p) {
  return p.engine == Engine::kMysql ? ConnectMysql(p) : ConnectPostgres(p);
}

}  // namespace bramka::ingest::sql
