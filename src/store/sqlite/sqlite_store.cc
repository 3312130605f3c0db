// SqliteStore: opening, status counts, ids. Messages and delivery are in
// sqlite_store_messages.cc; the areas both engines share are in store/sql/

#include "store/sqlite/sqlite_store.h"

#include <array>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/ids.h"
#include "store/sqlite/claim_leases.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/message_row.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

using sqlite::Connection;
using sqlite::Stmt;
using sqlite::WriteContext;

namespace {

Result<sqlite::StatusCounts> CountMessages(Connection& conn) {
  sqlite::StatusCounts counts{};
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                          conn.Prepare("SELECT status, COUNT(*) FROM messages GROUP BY status"));
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    int64_t status = stmt.Int(0);
    if (status < 0 || status >= static_cast<int64_t>(sqlite::kStatusCount)) {
      return Fail(ErrorCode::kCorrupt, "message with unknown status " + std::to_string(status));
    }
    counts[static_cast<size_t>(status)] = stmt.Int(1);
  }
  return counts;
}

}  // namespace

// ---- opening -----------------------------------------------------------------

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  // Every connection must reach the same file (an in-memory or temporary
  // database would be private to one connection).
  if (options.path.empty() || options.path == ":memory:") {
    return Fail(ErrorCode::kInvalidArgument, "SqliteStore needs a file path");
  }
  BRAMKA_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, Connection::Mode::kWriter, options.busy_timeout_ms));
  // Upgrades copy the file first (docs/adr/0018).
  BRAMKA_ASSIGN_OR_RETURN(std::string backup, sqlite::BackupBeforeUpgrade(*writer, options.path));
  if (!backup.empty()) {
    spdlog::warn("store: upgrading {} to schema {}; the previous file is copied to {}",
                 options.path, sqlite::LatestSchemaVersion(), backup);
  }
  BRAMKA_RETURN_IF_ERROR(sqlite::Migrate(*writer));
  if (options.max_page_count > 0) {
    std::string pragma = "PRAGMA max_page_count=" + std::to_string(options.max_page_count);
    BRAMKA_RETURN_IF_ERROR(writer->Exec(pragma.c_str()));
  }
  BRAMKA_ASSIGN_OR_RETURN(sqlite::StatusCounts counts, CountMessages(*writer));

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> reader,
        Connection::Open(options.path, Connection::Mode::kReader, options.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }
  // s10-claim (docs/adr/0047): a rolled-back transaction takes its jobs' lease changes
  // with it (ROLLBACK TO a job's savepoint does not call the hook: the job undoes its own).
  auto leases = std::make_unique<sqlite::ClaimLeases>();
  sqlite3_rollback_hook(
      writer->db(), [](void* l) { static_cast<sqlite::ClaimLeases*>(l)->OnRollback(); },
      leases.get());
  return std::unique_ptr<SqliteStore>(new SqliteStore(
      std::make_unique<sqlite::ReaderPool>(std::move(readers)), std::move(leases),
      std::make_unique<sqlite::Writer>(std::move(writer), options.max_batch, counts,
                                       options.pipelined_commit ? sqlite::CommitSync::kSyncThread
                                                                : sqlite::CommitSync::kInCommit,
                                       std::chrono::microseconds(options.sync_wake_us)),
      options.message_id_key));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::ReaderPool> readers,
                         std::unique_ptr<sqlite::ClaimLeases> leases,
                         std::unique_ptr<sqlite::Writer> writer, uint64_t message_id_key)
    : SqlStore(message_id_key),
      readers_(std::move(readers)),
      leases_(std::move(leases)),
      writer_(std::move(writer)) {
  leases_->SetCommitCount([w = writer_.get()] { return w->commit_count(); });
  AttachSql(readers_.get(), writer_.get());
}

SqliteStore::~SqliteStore() = default;

uint64_t SqliteStore::commit_count() const { return writer_->commit_count(); }

Result<std::vector<std::pair<MessageStatus, int64_t>>> SqliteStore::CountByStatus() {
  sqlite::StatusCounts counts = writer_->status_counts();
  std::vector<std::pair<MessageStatus, int64_t>> out;
  for (size_t i = 0; i < counts.size(); ++i) {
    out.emplace_back(static_cast<MessageStatus>(i), counts[i]);
  }
  return out;
}

// Accounts, tokens, balances, senders and the blacklist are sql::SqlStore's
// (store/sql/sql_store_basics.h).

// ---- ids ------------------------------------------------------------------------------

Result<uint64_t> SqliteStore::ReserveIdBlock(uint64_t count) {
  if (count == 0) return Fail(ErrorCode::kInvalidArgument, "empty id block");
  if (count > kMessageIdSpace) return Fail(ErrorCode::kUnavailable, "message id space exhausted");
  return writer_->Call<uint64_t>([&](WriteContext& ctx) -> Result<uint64_t> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("UPDATE meta SET value = value + ?1 "
                                             "WHERE key = 'next_id_sequence' AND value + ?1 <= ?2 "
                                             "RETURNING value - ?1"));
    stmt.BindInt(1, static_cast<int64_t>(count)).BindInt(2, static_cast<int64_t>(kMessageIdSpace));
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kUnavailable, "message id space exhausted");
    uint64_t first = static_cast<uint64_t>(stmt.Int(0));
    BRAMKA_RETURN_IF_ERROR(stmt.Run());  // RETURNING: finish the statement
    return first;
  });
}

}  // namespace bramka::store
