#include "store/sqlite/connection.h"
#include "store/sqlite/page_cache.h"
#include "store/sqlite/wal_vfs.h"

#include <mutex>
#include <utility>

namespace bramka::store::sqlite {

Error SqliteError(int rc, std::string_view what, sqlite3* db) {
  ErrorCode code = ErrorCode::kInternal;
  switch (rc & 0xff) {
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_NOLFS:
    case SQLITE_PROTOCOL:
      code = ErrorCode::kUnavailable;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = ErrorCode::kCorrupt;
      break;
    case SQLITE_CONSTRAINT:
      code = rc == SQLITE_CONSTRAINT_FOREIGNKEY ? ErrorCode::kNotFound : ErrorCode::kAlreadyExists;
      break;
    default:
      break;
  }
  std::string message(what);
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on the connection, which
  // is this one when called right after it.
  message += db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return MakeError(code, std::move(message));
}

// ---- Stmt ------------------------------------------------------------------------

Stmt::~Stmt() {
  if (stmt_ == nullptr) return;
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Stmt& Stmt::BindInt(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Stmt& Stmt::BindText(int index, std::string_view value) {
  // SQLITE_STATIC: no copy; the caller keeps the text alive (see the header).
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Stmt& Stmt::BindBlob(int index, std::string_view bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_STATIC);
  return *this;
}

void Stmt::BlobInto(int column, std::string& out) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr || size <= 0) {
    out.clear();
    return;
  }
  out.assign(static_cast<const char*>(data), static_cast<size_t>(size));
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error e = conn_->LastError(rc, "sqlite step");
  sqlite3_reset(stmt_);
  return e;
}

Result<void> Stmt::Run() {
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      sqlite3_reset(stmt_);
      return Ok();
    }
  }
}

std::string Stmt::Text(int column) const {
  std::string out;
  TextInto(column, out);
  return out;
}

void Stmt::TextInto(int column, std::string& out) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    out.clear();
    return;
  }
  out.assign(reinterpret_cast<const char*>(text),
             static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

// ---- Connection ----------------------------------------------------------------------

namespace {

// s5-writer (docs/adr/0029): SQLite's memory statistics take one process-wide
// mutex around every allocation, shared by the writer and every reader. bramka
// reads none of them. Must run before SQLite initialises (the first open); if
// something else opened a database first, SQLITE_MISUSE leaves them on.
void ConfigureSqliteOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)InstallPageCacheWrapper();  // s8-smpp (docs/adr/0041): page_cache.h
    (void)WalVfsName();               // docs/adr/0064: registers it (SQLite initialises here)
  });
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, Mode mode,
                                                     int busy_timeout_ms) {
  ConfigureSqliteOnce();
  int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::kWriter ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY);
  sqlite3* db = nullptr;
  // docs/adr/0064: the writer's WAL in one write per commit (wal_vfs.h); readers never
  // write the WAL and keep the default VFS. Null (not registered): the default too.
  const char* vfs = mode == Mode::kWriter ? WalVfsName() : nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    Error e = SqliteError(rc, "cannot open " + path, db);
    sqlite3_close_v2(db);
    return e;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, busy_timeout_ms);
  conn->busy_timeout_ms_ = busy_timeout_ms;
  if (mode == Mode::kWriter) {
    // WAL lets the readers run beside the one writer; FULL syncs the WAL on
    // every commit, so an acknowledged write survives a power cut.
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt wal, conn->Prepare("PRAGMA journal_mode=WAL"));
      BRAMKA_ASSIGN_OR_RETURN(bool row, wal.Step());
      if (!row || wal.Text(0) != "wal") {
        return Fail(ErrorCode::kUnavailable, "cannot use WAL journaling for " + path);
      }
    }
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous=FULL"));
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA foreign_keys=ON"));
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA cache_size=-65536"));  // 64 MiB
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA temp_store=MEMORY"));
    // Truncate the WAL back to 64 MiB after a checkpoint that emptied it.
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA journal_size_limit=67108864"));
  } else {
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA query_only=ON"));
    BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA cache_size=-16384"));  // 16 MiB
  }
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : static_cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : dynamic_cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
}

Result<void> Connection::Exec(const char* sql) {
  int rc = sqlite3_exec(db_, sql, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Ok();
  std::string_view text(sql);
  return LastError(rc, "sqlite exec \"" + std::string(text.substr(0, 40)) + "\"");
}

Result<sqlite3_stmt*> Connection::PrepareRaw(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) return LastError(rc, "sqlite prepare");
  return stmt;
}

Result<Stmt> Connection::Prepare(const char* static_sql) {
  auto it = static_cache_.find(static_sql);
  if (it == static_cache_.end()) {
    BRAMKA_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, PrepareRaw(static_sql));
    it = static_cache_.emplace(static_sql, stmt).first;
  }
  return Stmt(this, it->second);
}

Result<Stmt> Connection::PrepareDynamic(const std::string& sql) {
  auto it = dynamic_cache_.find(sql);
  if (it == dynamic_cache_.end()) {
    BRAMKA_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, PrepareRaw(sql));
    // Query shapes vary with the filters used; keep the cache bounded.
    if (dynamic_cache_.size() >= 256) {
      for (auto& [text, old] : dynamic_cache_) sqlite3_finalize(old);
      dynamic_cache_.clear();
    }
    it = dynamic_cache_.emplace(sql, stmt).first;
  }
  return Stmt(this, it->second);
}

}  // namespace bramka::store::sqlite
