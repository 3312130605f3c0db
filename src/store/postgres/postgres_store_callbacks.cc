// PostgresStore: callback URL templates and the durable callback outbox (ADR 0007).

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

namespace postgres {
namespace {

#define BRAMKA_CALLBACK_COLUMNS                                                        \
  "id, account_id, kind, url_template, message_id, unique_id, phone, sender, status, " \
  "reason, text, event_ms, created_ms, state, attempts, next_attempt_ms, last_error"

CallbackEntry ReadEntry(const Stmt& s) {
  CallbackEntry e;
  e.id = s.Int(0);
  e.account_id = s.Int(1);
  e.kind = static_cast<CallbackKind>(s.Int(2));
  s.TextInto(3, e.url_template);
  s.TextInto(4, e.message_id);
  s.TextInto(5, e.unique_id);
  s.TextInto(6, e.phone);
  s.TextInto(7, e.sender);
  s.TextInto(8, e.status);
  s.TextInto(9, e.reason);
  s.TextInto(10, e.text);
  e.event_ms = s.Int(11);
  e.created_ms = s.Int(12);
  e.state = static_cast<CallbackState>(s.Int(13));
  e.attempts = static_cast<int>(s.Int(14));
  e.next_attempt_ms = s.Int(15);
  s.TextInto(16, e.last_error);
  return e;
}

Result<std::vector<CallbackEntry>> ReadEntries(Stmt& stmt) {
  std::vector<CallbackEntry> out;
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadEntry(stmt));
  }
}

// The account's template of `column` ("dlr_url" or "mo_url"); empty if none.
Result<std::string> AccountTemplate(Connection& c, AccountId account, bool mo) {
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt stmt, mo ? c.Prepare("SELECT mo_url FROM account_callbacks WHERE account_id = ?1")
                    : c.Prepare("SELECT dlr_url FROM account_callbacks WHERE account_id = ?1"));
  stmt.BindInt(1, account);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Text(0) : std::string();
}

Result<void> InsertEntry(Connection& c, const CallbackEntry& e) {
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt stmt,
      c.Prepare(
          "INSERT INTO callback_outbox (account_id, kind, url_template, message_id, "
          "unique_id, phone, sender, status, reason, text, event_ms, created_ms, "
          "next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"));
  stmt.BindInt(1, e.account_id).BindInt(2, static_cast<int64_t>(e.kind));
  stmt.BindText(3, e.url_template).BindText(4, e.message_id).BindText(5, e.unique_id);
  stmt.BindText(6, e.phone).BindText(7, e.sender).BindText(8, e.status);
  stmt.BindText(9, e.reason).BindText(10, e.text).BindInt(11, e.event_ms);
  stmt.BindInt(12, e.created_ms);
  return stmt.Run();
}

}  // namespace

Result<void> QueueDlrCallbackInTx(Connection& c, int64_t seq, int64_t now_ms) {
  CallbackEntry e;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT account_id, dlr_url, id, unique_id, phone, sender, status, "
                             "reason, text, done_ms FROM messages WHERE seq = ?1"));
    stmt.BindInt(1, seq);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Ok();
    e.account_id = stmt.Int(0);
    stmt.TextInto(1, e.url_template);
    stmt.TextInto(2, e.message_id);
    stmt.TextInto(3, e.unique_id);
    stmt.TextInto(4, e.phone);
    stmt.TextInto(5, e.sender);
    e.status = std::string(MessageStatusName(static_cast<MessageStatus>(stmt.Int(6))));
    stmt.TextInto(7, e.reason);
    stmt.TextInto(8, e.text);
    e.event_ms = stmt.Int(9);
  }
  if (e.url_template.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(e.url_template, AccountTemplate(c, e.account_id, false));
    if (e.url_template.empty()) return Ok();
  }
  e.kind = CallbackKind::kDlr;
  e.created_ms = now_ms;
  return InsertEntry(c, e);
}

Result<bool> QueueMoCallbackInTx(Connection& c, const CallbackEntry& entry) {
  BRAMKA_ASSIGN_OR_RETURN(bool exists, postgres::AccountExists(c, entry.account_id));
  if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
  CallbackEntry e = entry;
  e.kind = CallbackKind::kMo;
  BRAMKA_ASSIGN_OR_RETURN(e.url_template, AccountTemplate(c, e.account_id, true));
  if (e.url_template.empty()) return false;
  BRAMKA_RETURN_IF_ERROR(InsertEntry(c, e));
  return true;
}

}  // namespace postgres

Result<void> PostgresStore::SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, postgres::AccountExists(ctx.conn, id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO account_callbacks (account_id, dlr_url, mo_url) "
                                    "VALUES (?1, ?2, ?3) ON CONFLICT (account_id) DO UPDATE "
                                    "SET dlr_url = excluded.dlr_url, mo_url = excluded.mo_url"));
    stmt.BindInt(1, id).BindText(2, callbacks.dlr_url).BindText(3, callbacks.mo_url);
    return stmt.Run();
  });
}

Result<AccountCallbacks> PostgresStore::GetAccountCallbacks(AccountId id) {
  return readers_->With([&](Connection& c) -> Result<AccountCallbacks> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, postgres::AccountExists(c, id));
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

Result<bool> PostgresStore::QueueMoCallback(const CallbackEntry& entry) {
  return writer_->Call<bool>([&](WriteContext& ctx) -> Result<bool> {
    return postgres::QueueMoCallbackInTx(ctx.conn, entry);
  });
}

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

Result<void> PostgresStore::AckCallback(int64_t entry_id) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("DELETE FROM callback_outbox WHERE id = ?1"));
    stmt.BindInt(1, entry_id);
    return stmt.Run();
  });
}

Result<void> PostgresStore::RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                                          const std::string& error) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE callback_outbox SET next_attempt_ms = ?2, "
                         "last_error = ?3, lease_owner = '' WHERE id = ?1 AND state = 0"));
    stmt.BindInt(1, entry_id).BindInt(2, next_attempt_ms).BindText(3, error);
    return stmt.Run();
  });
}

Result<void> PostgresStore::FailCallback(int64_t entry_id, const std::string& error) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE callback_outbox SET state = 1, last_error = ?2, "
                                    "lease_owner = '' WHERE id = ?1"));
    stmt.BindInt(1, entry_id).BindText(2, error);
    return stmt.Run();
  });
}

Result<int64_t> PostgresStore::ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) {
  return writer_->Call<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("UPDATE callback_outbox SET lease_owner = '', "
                                             "next_attempt_ms = LEAST(next_attempt_ms, ?2) "
                                             "WHERE state = 0 AND lease_owner = ?1"));
    stmt.BindText(1, owner).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes();
  });
}

Result<std::vector<CallbackEntry>> PostgresStore::ListCallbacks(AccountId id, int limit) {
  return readers_->With([&](Connection& c) -> Result<std::vector<CallbackEntry>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_CALLBACK_COLUMNS " FROM callback_outbox "
                                      "WHERE account_id = ?1 ORDER BY id LIMIT ?2"));
    stmt.BindInt(1, id).BindInt(2, limit < 0 ? -1 : limit);
    return postgres::ReadEntries(stmt);
  });
}

Result<int64_t> PostgresStore::RetryFailedCallbacks(AccountId id, int64_t now_ms) {
  return writer_->Call<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE callback_outbox SET state = 0, next_attempt_ms = ?2, "
                                    "created_ms = ?2 WHERE account_id = ?1 AND state = 1"));
    stmt.BindInt(1, id).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes();
  });
}

Result<CallbackCounts> PostgresStore::CountCallbacks() {
  return readers_->With([&](Connection& c) -> Result<CallbackCounts> {
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

}  // namespace bramka::store
