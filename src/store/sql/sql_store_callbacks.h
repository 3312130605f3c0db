#pragma once
// SqlStore<B>'s callbacks: URL templates per account and the durable callback
// outbox (ADR 0007). ClaimCallbacks stays with each engine (SQLite's single
// writer vs PostgreSQL's FOR UPDATE SKIP LOCKED). Included only by the files
// that instantiate SqlStore (see sql_store.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql/callbacks_tx.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

template <class B>
Result<void> SqlStore<B>::SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(ctx.conn, id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO account_callbacks (account_id, dlr_url, mo_url) "
                                    "VALUES (?1, ?2, ?3) ON CONFLICT (account_id) DO UPDATE "
                                    "SET dlr_url = excluded.dlr_url, mo_url = excluded.mo_url"));
    stmt.BindInt(1, id).BindText(2, callbacks.dlr_url).BindText(3, callbacks.mo_url);
    return stmt.Run();
  });
}

template <class B>
Result<AccountCallbacks> SqlStore<B>::GetAccountCallbacks(AccountId id) {
  return Read([&](Connection& c) -> Result<AccountCallbacks> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(c, id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        c.Prepare("SELECT dlr_url, mo_url FROM account_callbacks WHERE account_id = ?1"));
    stmt.BindInt(1, id);
    AccountCallbacks out;
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) {
      stmt.TextInto(0, out.dlr_url);
      stmt.TextInto(1, out.mo_url);
    }
    return out;
  });
}

template <class B>
Result<bool> SqlStore<B>::QueueMoCallback(const CallbackEntry& entry) {
  return Write<bool>(
      [&](WriteContext& ctx) -> Result<bool> { return QueueMoCallbackInTx(ctx.conn, entry); });
}

template <class B>
Result<void> SqlStore<B>::AckCallback(int64_t entry_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("DELETE FROM callback_outbox WHERE id = ?1"));
    stmt.BindInt(1, entry_id);
    return stmt.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                                        const std::string& error) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE callback_outbox SET next_attempt_ms = ?2, "
                         "last_error = ?3, lease_owner = '' WHERE id = ?1 AND state = 0"));
    stmt.BindInt(1, entry_id).BindInt(2, next_attempt_ms).BindText(3, error);
    return stmt.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::FailCallback(int64_t entry_id, const std::string& error) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE callback_outbox SET state = 1, last_error = ?2, "
                                    "lease_owner = '' WHERE id = ?1"));
    stmt.BindInt(1, entry_id).BindText(2, error);
    return stmt.Run();
  });
}

template <class B>
Result<int64_t> SqlStore<B>::ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare(
            "UPDATE callback_outbox SET lease_owner = '', "
            "next_attempt_ms = CASE WHEN next_attempt_ms < ?2 THEN next_attempt_ms ELSE ?2 END "
            "WHERE state = 0 AND lease_owner = ?1"));
    stmt.BindText(1, owner).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes();
  });
}

template <class B>
Result<std::vector<CallbackEntry>> SqlStore<B>::ListCallbacks(AccountId id, int limit) {
  return Read([&](Connection& c) -> Result<std::vector<CallbackEntry>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_CALLBACK_COLUMNS " FROM callback_outbox "
                                      "WHERE account_id = ?1 ORDER BY id LIMIT ?2"));
    stmt.BindInt(1, id).BindInt(2, limit < 0 ? -1 : limit);
    return ReadEntries(stmt);
  });
}

template <class B>
Result<int64_t> SqlStore<B>::RetryFailedCallbacks(AccountId id, int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE callback_outbox SET state = 0, next_attempt_ms = ?2, "
                                    "created_ms = ?2 WHERE account_id = ?1 AND state = 1"));
    stmt.BindInt(1, id).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes();
  });
}

template <class B>
Result<CallbackCounts> SqlStore<B>::CountCallbacks() {
  return Read([&](Connection& c) -> Result<CallbackCounts> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT state, COUNT(*) FROM callback_outbox GROUP BY state"));
    CallbackCounts out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      if (stmt.Int(0) == 0) out.pending = stmt.Int(1);
      if (stmt.Int(0) == 1) out.failed = stmt.Int(1);
    }
  });
}

}  // namespace bramka::store::sql
