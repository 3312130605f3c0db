#pragma once
// Thin RAII wrappers over one sqlite3 connection and its prepared statements.
// Internal to store/sqlite; not thread-safe: a Connection (and every Stmt it
// hands out) is used by one thread at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/result.h"

namespace bramka::store::sqlite {

// Maps an SQLite result code to bramka's error codes: a full disk, an I/O
// error, a read-only or locked file -> kUnavailable; a damaged file -> kCorrupt;
// a UNIQUE/PRIMARY KEY violation -> kAlreadyExists; a FOREIGN KEY violation ->
// kNotFound; anything else -> kInternal. The message keeps SQLite's text.
Error SqliteError(int rc, std::string_view what, sqlite3* db = nullptr);

class Connection;

// A cached prepared statement borrowed from its Connection. Reset (and its
// bindings cleared) when the Stmt goes out of scope, so it can be reused.
// Text is bound without copying: the bound string must outlive the last Step.
class Stmt {
 public:
  Stmt(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  Stmt(Stmt&& other) noexcept : conn_(other.conn_), stmt_(other.stmt_) { other.stmt_ = nullptr; }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt& operator=(Stmt&&) = delete;
  ~Stmt();

  // Parameters are 1-based, as in SQLite.
  Stmt& BindInt(int index, int64_t value);
  Stmt& BindText(int index, std::string_view value);
  Stmt& BindBlob(int index, std::string_view bytes);  // SQLITE_STATIC: `bytes` outlives the Step

  // true: a row is ready; false: done.
  Result<bool> Step();
  // Steps to the end, ignoring rows, then resets the statement so that it
  // can be bound and run again (bindings are kept).
  Result<void> Run();
  // Makes the statement runnable again, keeping its bindings.
  void Reset() { sqlite3_reset(stmt_); }

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;
  void TextInto(int column, std::string& out) const;
  void BlobInto(int column, std::string& out) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
};

class Connection {
 public:
  enum class Mode { kWriter, kReader };
  // Opens (creating if needed, for the writer) and applies the per-connection
  // pragmas: WAL, synchronous=FULL, foreign keys, busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, Mode mode,
                                                  int busy_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements without results.
  Result<void> Exec(const char* sql);

  // A statement from the cache, prepared on first use. `sql` must be a string
  // literal (or have static storage): the cache is keyed by its address.
  Result<Stmt> Prepare(const char* static_sql);
  // For SQL assembled at run time; the cache is keyed by the text and bounded:
  // finish with one dynamic Stmt before preparing the next.
  Result<Stmt> PrepareDynamic(const std::string& sql);

  // false when SQLite rolled the open transaction back on its own (after a
  // full disk or an I/O error, for example).
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  int64_t Changes() const { return sqlite3_changes64(db_); }
  // The rowid of the last INSERT (shaped like postgres::Connection's).
  Result<int64_t> LastInsertId() const {
    return static_cast<int64_t>(sqlite3_last_insert_rowid(db_));
  }
  sqlite3* db() const { return db_; }
  // The busy timeout Open set (latency, docs/adr/0044: restored after a checkpoint's own).
  int busy_timeout_ms() const { return busy_timeout_ms_; }
  Error LastError(int rc, std::string_view what) const { return SqliteError(rc, what, db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  Result<sqlite3_stmt*> PrepareRaw(std::string_view sql);

  sqlite3* db_;
  int busy_timeout_ms_ = 0;
  std::unordered_map<const char*, sqlite3_stmt*> static_cache_;
  std::unordered_map<std::string, sqlite3_stmt*> dynamic_cache_;
};

}  // namespace bramka::store::sqlite
