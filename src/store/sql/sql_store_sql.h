#pragma once
// SqlStore<B>'s SQL API sources, their row claims and MO queue (docs/adr/0013).
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

#define BRAMKA_SQL_SOURCE_COLUMNS                                                           \
  "id, account_id, engine, host, port, database, user_name, password_enc, tls, structure, " \
  "columns, interval_s, created_ms, state, last_error, last_ok_ms, failures"

template <class Stmt>
SqlSource ReadSqlSource(const Stmt& s) {
  SqlSource o;
  o.id = s.Int(0);
  o.account_id = s.Int(1);
  s.TextInto(2, o.engine);
  s.TextInto(3, o.host);
  o.port = static_cast<int>(s.Int(4));
  s.TextInto(5, o.database);
  s.TextInto(6, o.user);
  s.TextInto(7, o.password_enc);
  s.TextInto(8, o.tls);
  s.TextInto(9, o.structure);
  s.TextInto(10, o.columns);
  o.interval_s = static_cast<int>(s.Int(11));
  o.created_ms = s.Int(12);
  s.TextInto(13, o.state);
  s.TextInto(14, o.last_error);
  o.last_ok_ms = s.Int(15);
  o.failures = static_cast<int>(s.Int(16));
  return o;
}

#define BRAMKA_SQL_MO_COLUMNS \
  "id, source_id, account_id, message_id, phone_from, phone_to, text, received_ms"

template <class Stmt>
SqlMoEntry ReadMo(const Stmt& s) {
  SqlMoEntry e;
  e.id = s.Int(0);
  e.source_id = s.Int(1);
  e.account_id = s.Int(2);
  s.TextInto(3, e.message_id);
  s.TextInto(4, e.from);
  s.TextInto(5, e.to);
  s.TextInto(6, e.text);
  e.received_ms = s.Int(7);
  return e;
}

template <class B>
Result<int64_t> SqlStore<B>::CreateSqlSource(const SqlSource& o) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, o.account_id));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare(
                       "INSERT INTO sql_sources (account_id, engine, host, port, database, "
                       "user_name, password_enc, tls, structure, columns, interval_s, created_ms) "
                       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
    stmt.BindInt(1, o.account_id).BindText(2, o.engine).BindText(3, o.host).BindInt(4, o.port);
    stmt.BindText(5, o.database).BindText(6, o.user).BindText(7, o.password_enc);
    stmt.BindText(8, o.tls).BindText(9, o.structure).BindText(10, o.columns);
    stmt.BindInt(11, o.interval_s).BindInt(12, o.created_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<SqlSource>> SqlStore<B>::ListSqlSources(AccountId account_id) {
  return Read([&](Connection& c) -> Result<std::vector<SqlSource>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_SQL_SOURCE_COLUMNS " FROM sql_sources "
                                      "WHERE ?1 <= 0 OR account_id = ?1 ORDER BY id"));
    stmt.BindInt(1, account_id);
    std::vector<SqlSource> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadSqlSource(stmt));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteSqlSource(AccountId account_id, int64_t source_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, ctx.conn.Prepare("DELETE FROM sql_sources WHERE id = ?1 AND account_id = ?2"));
      stmt.BindInt(1, source_id).BindInt(2, account_id);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      if (ctx.conn.Changes() == 0) {
        return Fail(ErrorCode::kNotFound, "sql source " + std::to_string(source_id) + " not found");
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt claims,
                            ctx.conn.Prepare("DELETE FROM sql_claims WHERE source_id = ?1"));
    claims.BindInt(1, source_id);
    BRAMKA_RETURN_IF_ERROR(claims.Run());
    BRAMKA_ASSIGN_OR_RETURN(Stmt mo,
                            ctx.conn.Prepare("DELETE FROM sql_mo_outbox WHERE source_id = ?1"));
    mo.BindInt(1, source_id);
    return mo.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::SetSqlSourceStatus(int64_t source_id, const std::string& state,
                                             const std::string& last_error, int64_t last_ok_ms,
                                             int failures) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("UPDATE sql_sources SET state = ?2, last_error = ?3, "
                                             "last_ok_ms = ?4, failures = ?5 WHERE id = ?1"));
    stmt.BindInt(1, source_id).BindText(2, state).BindText(3, last_error);
    stmt.BindInt(4, last_ok_ms).BindInt(5, failures);
    return stmt.Run();
  });
}

template <class B>
Result<std::vector<SqlRowClaim>> SqlStore<B>::ClaimSqlRows(const std::vector<SqlRowClaim>& claims) {
  if (claims.empty()) return std::vector<SqlRowClaim>();
  return Write<std::vector<SqlRowClaim>>(
      [&](WriteContext& ctx) -> Result<std::vector<SqlRowClaim>> {
        BRAMKA_ASSIGN_OR_RETURN(
            Stmt insert,
            ctx.conn.Prepare("INSERT INTO sql_claims (source_id, row_id, message_seq, "
                             "message_id, parts, invalid_code, invalid_description, claimed_ms) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING"));
        BRAMKA_ASSIGN_OR_RETURN(Stmt read,
                                ctx.conn.Prepare("SELECT message_id, parts, invalid_code, "
                                                 "invalid_description, claimed_ms FROM sql_claims "
                                                 "WHERE source_id = ?1 AND row_id = ?2"));
        std::vector<SqlRowClaim> out;
        out.reserve(claims.size());
        for (const SqlRowClaim& c : claims) {
          insert.Reset();
          insert.BindInt(1, c.source_id).BindInt(2, c.row_id);
          insert.BindInt(3, c.message_id.empty() ? 0 : SeqOf(c.message_id).value_or(0));
          insert.BindText(4, c.message_id).BindInt(5, c.parts).BindInt(6, c.invalid_code);
          insert.BindText(7, c.invalid_description).BindInt(8, c.claimed_ms);
          BRAMKA_RETURN_IF_ERROR(insert.Run());
          read.Reset();
          read.BindInt(1, c.source_id).BindInt(2, c.row_id);
          BRAMKA_ASSIGN_OR_RETURN(bool row, read.Step());
          if (!row) return Fail(ErrorCode::kInternal, "sql claim vanished");
          SqlRowClaim stored = c;
          read.TextInto(0, stored.message_id);
          stored.parts = static_cast<int>(read.Int(1));
          stored.invalid_code = static_cast<int>(read.Int(2));
          read.TextInto(3, stored.invalid_description);
          stored.claimed_ms = read.Int(4);
          out.push_back(std::move(stored));
        }
        return out;
      });
}

template <class B>
Result<std::vector<SqlPendingReport>> SqlStore<B>::PendingSqlReports(int64_t source_id, int limit) {
  return Read([&](Connection& c) -> Result<std::vector<SqlPendingReport>> {
    // Final statuses: kDelivered 3, kUndelivered 4, kUnsent 5, kCancelled 6 (model.h).
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        c.Prepare("SELECT c.row_id, c.message_id, c.invalid_code, c.invalid_description, "
                  "c.claimed_ms, m.status, m.reason, m.done_ms FROM sql_claims c "
                  "LEFT JOIN messages m ON m.seq = c.message_seq AND c.message_seq <> 0 "
                  "WHERE c.source_id = ?1 AND c.reported = 0 "
                  "AND (c.message_seq = 0 OR m.status IN (3, 4, 5, 6)) "
                  "ORDER BY c.row_id LIMIT ?2"));
    stmt.BindInt(1, source_id).BindInt(2, limit < 0 ? -1 : limit);
    std::vector<SqlPendingReport> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      SqlPendingReport r;
      r.row_id = stmt.Int(0);
      stmt.TextInto(1, r.message_id);
      r.invalid_code = static_cast<int>(stmt.Int(2));
      stmt.TextInto(3, r.invalid_description);
      if (r.message_id.empty()) {
        r.status = MessageStatus::kUnsent;
        r.done_ms = stmt.Int(4);
      } else {
        r.status = static_cast<MessageStatus>(stmt.Int(5));
        stmt.TextInto(6, r.reason);
        r.done_ms = stmt.Int(7);
      }
      out.push_back(std::move(r));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::MarkSqlReported(int64_t source_id, const std::vector<int64_t>& row_ids) {
  if (row_ids.empty()) return Ok();
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("UPDATE sql_claims SET reported = 1 "
                                                        "WHERE source_id = ?1 AND row_id = ?2"));
    for (int64_t row : row_ids) {
      stmt.Reset();
      stmt.BindInt(1, source_id).BindInt(2, row);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    return Ok();
  });
}

template <class B>
Result<int> SqlStore<B>::QueueSqlMo(const SqlMoEntry& e) {
  return Write<int>([&](WriteContext& ctx) -> Result<int> {
    BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, e.account_id));
    BRAMKA_RETURN_IF_ERROR(QueueSqlMoInTx(ctx.conn, e));
    return static_cast<int>(ctx.conn.Changes());
  });
}

template <class B>
Result<std::vector<SqlMoEntry>> SqlStore<B>::PendingSqlMo(int64_t source_id, int limit) {
  return Read([&](Connection& c) -> Result<std::vector<SqlMoEntry>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_SQL_MO_COLUMNS " FROM sql_mo_outbox "
                                      "WHERE source_id = ?1 ORDER BY id LIMIT ?2"));
    stmt.BindInt(1, source_id).BindInt(2, limit < 0 ? -1 : limit);
    std::vector<SqlMoEntry> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadMo(stmt));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::AckSqlMo(const std::vector<int64_t>& entry_ids) {
  if (entry_ids.empty()) return Ok();
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("DELETE FROM sql_mo_outbox WHERE id = ?1"));
    for (int64_t id : entry_ids) {
      stmt.Reset();
      stmt.BindInt(1, id);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    return Ok();
  });
}

}  // namespace bramka::store::sql
