#pragma once
// SqlStore<B>'s web panel sessions and settings (SQLite migration 12, PostgreSQL migration 2,
// docs/adr/0017).
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

template <class B>
Result<void> SqlStore<B>::PutPanelSession(const PanelSession& s, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    if (s.account_id != 0) BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, s.account_id));
    BRAMKA_ASSIGN_OR_RETURN(Stmt purge,
                            ctx.conn.Prepare("DELETE FROM panel_sessions WHERE expires_ms <= ?1"));
    purge.BindInt(1, now_ms);
    BRAMKA_RETURN_IF_ERROR(purge.Run());
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare(
            "INSERT INTO panel_sessions (id_hash, account_id, csrf_token, "
            "created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id_hash) DO UPDATE "
            "SET account_id = excluded.account_id, csrf_token = excluded.csrf_token, "
            "created_ms = excluded.created_ms, expires_ms = excluded.expires_ms"));
    insert.BindText(1, s.id_hash)
        .BindInt(2, s.account_id)
        .BindText(3, s.csrf_token)
        .BindInt(4, s.created_ms)
        .BindInt(5, s.expires_ms);
    return insert.Run();
  });
}

template <class B>
Result<PanelSession> SqlStore<B>::GetPanelSession(const std::string& id_hash, int64_t now_ms) {
  return Read([&](Connection& c) -> Result<PanelSession> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT id_hash, account_id, csrf_token, created_ms, expires_ms FROM "
                             "panel_sessions WHERE id_hash = ?1 AND expires_ms > ?2"));
    stmt.BindText(1, id_hash).BindInt(2, now_ms);
    auto row = stmt.Step();
    if (!row.ok()) {
      stmt.Reset();
      return row.take_error();
    }
    if (!*row) {
      stmt.Reset();
      return Fail(ErrorCode::kNotFound, "no such panel session");
    }
    PanelSession s;
    stmt.TextInto(0, s.id_hash);
    s.account_id = stmt.Int(1);
    stmt.TextInto(2, s.csrf_token);
    s.created_ms = stmt.Int(3);
    s.expires_ms = stmt.Int(4);
    stmt.Reset();
    return s;
  });
}

template <class B>
Result<void> SqlStore<B>::DeletePanelSession(const std::string& id_hash) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt del,
                            ctx.conn.Prepare("DELETE FROM panel_sessions WHERE id_hash = ?1"));
    del.BindText(1, id_hash);
    return del.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::SetPanelSetting(const std::string& key, const std::string& value) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt put,
        ctx.conn.Prepare("INSERT INTO panel_settings (key, value) VALUES "
                         "(?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value"));
    put.BindText(1, key).BindText(2, value);
    return put.Run();
  });
}

template <class B>
Result<std::string> SqlStore<B>::GetPanelSetting(const std::string& key) {
  return Read([&](Connection& c) -> Result<std::string> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT value FROM panel_settings WHERE key = ?1"));
    stmt.BindText(1, key);
    auto row = stmt.Step();
    if (!row.ok()) {
      stmt.Reset();
      return row.take_error();
    }
    if (!*row) {
      stmt.Reset();
      return Fail(ErrorCode::kNotFound, "no panel setting '" + key + "'");
    }
    std::string value;
    stmt.TextInto(0, value);
    stmt.Reset();
    return value;
  });
}

}  // namespace bramka::store::sql
