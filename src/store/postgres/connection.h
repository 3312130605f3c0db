#pragma once
// Thin RAII wrappers over one libpq connection and its statements, shaped like
// store/sqlite/connection.h (Prepare, Bind*, Step, Run, Int/Text) so that the
// PostgresStore's queries read like the SqliteStore's. Internal to
// store/postgres; not thread-safe: a Connection (and every Stmt it hands out)
// is used by one thread at a time.
//
// SQL is written with SQLite-style parameters (`?1`, `?2`, or bare `?`);
// Prepare rewrites them to `$1`, `$2` (outside quotes) and turns `LIMIT ?N`
// into a limit where a negative value means "no limit", as SQLite's does.
// Statements are prepared on the server once per connection (named, keyed by
// the text and the parameter types) and then executed with one round trip.
// Parameters are sent as text typed int8/text, blobs as binary bytea; results
// come back as text (booleans read as 1/0 through Int).

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"

namespace bramka::store::postgres {

// Maps a failed result (SQLSTATE) to bramka's error codes: unique violation ->
// kAlreadyExists; foreign key violation -> kNotFound; a serialization failure
// or deadlock, a lost connection, a full disk, too many connections, a server
// shutting down -> kUnavailable; data corruption -> kCorrupt; anything else ->
// kInternal. The message keeps PostgreSQL's text.
Error PgError(const PGresult* result, PGconn* conn, std::string_view what);

// SQLite-style parameters to PostgreSQL's (see the header comment).
std::string TranslateSql(std::string_view sql);

class Connection;

class Stmt {
 public:
  Stmt(Connection* conn, const std::string* sql) : conn_(conn), sql_(sql) {}
  Stmt(Connection* conn, std::shared_ptr<const std::string> owned)
      : conn_(conn), sql_(owned.get()), owned_(std::move(owned)) {}
  Stmt(Stmt&& other) noexcept = default;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt() = default;

  // Parameters are 1-based. Values are copied.
  Stmt& BindInt(int index, int64_t value);
  Stmt& BindText(int index, std::string_view value);
  Stmt& BindBlob(int index, std::string_view bytes);

  // Executes on the first call (and after Reset / a new binding / the last
  // row); true: a row is ready; false: done.
  Result<bool> Step();
  // Executes, ignoring rows; the statement can then be run again.
  Result<void> Run();
  // Makes the statement runnable again, keeping its bindings.
  void Reset();

  int64_t Int(int column) const;
  std::string Text(int column) const;
  void TextInto(int column, std::string& out) const;
  void BlobInto(int column, std::string& out) const;
  // Rows of the last execution (for statements with RETURNING).
  int Rows() const { return result_ ? PQntuples(result_.get()) : 0; }

 private:
  struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  Result<void> Execute();
  void Slot(int index);

  Connection* conn_;
  const std::string* sql_;
  std::shared_ptr<const std::string> owned_;  // dynamic SQL
  std::vector<std::string> values_;
  std::vector<Oid> types_;
  std::vector<int> formats_;
  std::vector<bool> set_;
  std::unique_ptr<PGresult, ResultDeleter> result_;
  int row_ = -1;
};

class Connection {
 public:
  // Connects with a libpq connection string or postgres:// URL.
  // kUnavailable when the server cannot be reached or refuses the login.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without parameters or results.
  Result<void> Exec(const char* sql);
  Result<void> Exec(const std::string& sql) { return Exec(sql.c_str()); }

  // `static_sql` must have static storage (the translation is cached by address).
  Result<Stmt> Prepare(const char* static_sql);
  // For SQL assembled at run time.
  Result<Stmt> PrepareDynamic(const std::string& sql);

  // Rows changed by the last INSERT/UPDATE/DELETE run through a Stmt.
  int64_t Changes() const { return changes_; }
  // The id the last INSERT into a table with a BIGSERIAL id generated.
  Result<int64_t> LastInsertId();
  bool InTransaction() const;
  bool Healthy() const { return PQstatus(conn_) == CONNECTION_OK; }
  // The SQLSTATE of the last failure ("" after a success).
  const std::string& last_sqlstate() const { return last_sqlstate_; }
  PGconn* raw() const { return conn_; }

 private:
  friend class Stmt;
  explicit Connection(PGconn* conn) : conn_(conn) {}
  // The server-side statement name for (sql, types), preparing it on first use.
  Result<const std::string*> Prepared(const std::string& sql, const std::vector<Oid>& types);
  Error Failed(PGresult* result, std::string_view what);

  PGconn* conn_;
  int64_t changes_ = 0;
  std::string last_sqlstate_;
  std::unordered_map<const char*, std::string> translated_;
  std::unordered_map<std::string, std::string> prepared_;  // sql + types -> name
  uint64_t statement_counter_ = 0;
};

}  // namespace bramka::store::postgres
