// PostgresStore: opening, status counts, ids. Messages and delivery are in
// postgres_store_messages.cc; the areas both engines share are in store/sql/

#include "store/postgres/postgres_store.h"

#include <array>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/ids.h"
#include "store/postgres/connection.h"
#include "store/postgres/message_row.h"
#include "store/postgres/migrations.h"
#include "store/postgres/pool.h"

namespace bramka::store {

using postgres::Connection;
using postgres::Stmt;
using postgres::WriteContext;

// ---- opening -----------------------------------------------------------------

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const PostgresOptions& options) {
  if (options.conninfo.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "PostgresStore needs a connection string");
  }
  {
    BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(options.conninfo));
    BRAMKA_ASSIGN_OR_RETURN(int version, postgres::SchemaVersion(*conn));
    if (version != 0 && version < postgres::LatestSchemaVersion()) {
      spdlog::warn("store: upgrading the PostgreSQL schema from {} to {}", version,
                   postgres::LatestSchemaVersion());
    }
    BRAMKA_RETURN_IF_ERROR(postgres::Migrate(*conn));
  }
  BRAMKA_ASSIGN_OR_RETURN(
      std::unique_ptr<postgres::Pool> pool,
      postgres::Pool::Open(options.conninfo, options.connections, options.async_workers));
  auto store =
      std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool), options.message_id_key));
  store->node_id_ = options.node_id;                  // cluster (docs/adr/0023)
  store->outbox_lease_ms_ = options.outbox_lease_ms;  // cluster
  return store;
}

PostgresStore::PostgresStore(std::unique_ptr<postgres::Pool> pool, uint64_t message_id_key)
    : SqlStore(message_id_key),
      pool_(std::move(pool)),
      readers_(pool_.get()),
      writer_(pool_.get()) {
  AttachSql(pool_.get(), pool_.get());
}

PostgresStore::~PostgresStore() = default;

uint64_t PostgresStore::commit_count() const { return pool_->commit_count(); }
uint64_t PostgresStore::retry_count() const { return pool_->retry_count(); }

Result<std::vector<std::pair<MessageStatus, int64_t>>> PostgresStore::CountByStatus() {
  return readers_->With(
      [&](Connection& c) -> Result<std::vector<std::pair<MessageStatus, int64_t>>> {
        std::vector<std::pair<MessageStatus, int64_t>> out;
        for (int i = 0; i <= static_cast<int>(MessageStatus::kCancelled); ++i) {
          out.emplace_back(static_cast<MessageStatus>(i), 0);
        }
        BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                                c.Prepare("SELECT status, COUNT(*) FROM messages GROUP BY status"));
        while (true) {
          BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
          if (!row) return out;
          int64_t status = stmt.Int(0);
          if (status < 0 || status >= static_cast<int64_t>(out.size())) {
            return Fail(ErrorCode::kCorrupt,
                        "message with unknown status " + std::to_string(status));
          }
          out[static_cast<size_t>(status)].second = stmt.Int(1);
        }
      });
}

// Accounts, tokens, balances, senders and the blacklist are sql::SqlStore's
// (store/sql/sql_store_basics.h).

// ---- ids ------------------------------------------------------------------------------

Result<uint64_t> PostgresStore::ReserveIdBlock(uint64_t count) {
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
    return static_cast<uint64_t>(stmt.Int(0));
  });
}

}  // namespace bramka::store
