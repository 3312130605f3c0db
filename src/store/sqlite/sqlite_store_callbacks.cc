// SqliteStore::ClaimCallbacks, the engine's own part of the callback outbox
// (ADR 0007); the rest is sql::SqlStore's (store/sql/sql_store_callbacks.h).

#include <string>
#include <utility>

#include "store/sqlite/account_row.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

using sqlite::Connection;
using sqlite::Stmt;
using sqlite::WriteContext;

Result<std::vector<CallbackEntry>> SqliteStore::ClaimCallbacks(int64_t now_ms, int limit,
                                                               const std::string& owner,
                                                               int64_t lease_until_ms) {
  if (limit <= 0) return std::vector<CallbackEntry>();
  return writer_->Call<std::vector<CallbackEntry>>(
      [&](WriteContext& ctx) -> Result<std::vector<CallbackEntry>> {
        std::vector<CallbackEntry> out;
        {
          BRAMKA_ASSIGN_OR_RETURN(
              Stmt stmt, ctx.conn.Prepare("SELECT " BRAMKA_CALLBACK_COLUMNS " FROM callback_outbox "
                                          "WHERE state = 0 AND next_attempt_ms <= ?1 "
                                          "ORDER BY next_attempt_ms, id LIMIT ?2"));
          stmt.BindInt(1, now_ms).BindInt(2, limit);
          BRAMKA_ASSIGN_OR_RETURN(out, sqlite::ReadEntries(stmt));
        }
        BRAMKA_ASSIGN_OR_RETURN(
            Stmt update, ctx.conn.Prepare("UPDATE callback_outbox SET attempts = attempts + 1, "
                                          "next_attempt_ms = ?2, lease_owner = ?3 WHERE id = ?1"));
        for (CallbackEntry& e : out) {
          update.Reset();
          update.BindInt(1, e.id).BindInt(2, lease_until_ms).BindText(3, owner);
          BRAMKA_RETURN_IF_ERROR(update.Run());
          e.attempts += 1;
          e.next_attempt_ms = lease_until_ms;
        }
        return out;
      });
}

}  // namespace bramka::store
