// PostgresStore::ClaimCallbacks, the engine's own part of the callback outbox
// (ADR 0007); the rest is sql::SqlStore's (store/sql/sql_store_callbacks.h).

#include <algorithm>
#include <string>
#include <utility>

#include "store/postgres/account_row.h"
#include "store/postgres/callbacks_tx.h"
#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/postgres_store.h"

namespace bramka::store {

using postgres::Connection;
using postgres::Stmt;
using postgres::WriteContext;

Result<std::vector<CallbackEntry>> PostgresStore::ClaimCallbacks(int64_t now_ms, int limit,
                                                                 const std::string& owner,
                                                                 int64_t lease_until_ms) {
  if (limit <= 0) return std::vector<CallbackEntry>();
  // One statement: lock the due rows other nodes have not locked (SKIP LOCKED,
  // READ COMMITTED: nodes never wait for each other), lease them, return them
  // as updated.
  return writer_->Call<std::vector<CallbackEntry>>(
      [&](WriteContext& ctx) -> Result<std::vector<CallbackEntry>> {
        BRAMKA_ASSIGN_OR_RETURN(
            Stmt stmt,
            ctx.conn.Prepare(
                "UPDATE callback_outbox o SET attempts = o.attempts + 1, "
                "next_attempt_ms = ?3, lease_owner = ?4 FROM ("
                "SELECT id, next_attempt_ms AS due FROM callback_outbox WHERE state = 0 "
                "AND next_attempt_ms <= ?1 ORDER BY next_attempt_ms, id LIMIT ?2 "
                "FOR UPDATE SKIP LOCKED) d WHERE o.id = d.id RETURNING o.id, "
                "o.account_id, o.kind, o.url_template, o.message_id, o.unique_id, "
                "o.phone, o.sender, o.status, o.reason, o.text, o.event_ms, "
                "o.created_ms, o.state, o.attempts, o.next_attempt_ms, o.last_error, d.due"));
        stmt.BindInt(1, now_ms).BindInt(2, limit).BindInt(3, lease_until_ms).BindText(4, owner);
        std::vector<std::pair<int64_t, CallbackEntry>> rows;
        while (true) {
          BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
          if (!row) break;
          rows.emplace_back(stmt.Int(17), postgres::ReadEntry(stmt));
        }
        // RETURNING has no order: the order they were due in, then id.
        std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
          return x.first != y.first ? x.first < y.first : x.second.id < y.second.id;
        });
        std::vector<CallbackEntry> out;
        for (auto& r : rows) out.push_back(std::move(r.second));
        return out;
      },
      postgres::Isolation::kReadCommitted);
}

}  // namespace bramka::store
