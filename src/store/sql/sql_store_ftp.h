#pragma once
// SqlStore<B>'s FTP sources and their file progress (SMS via FTP, SQLite migration 9,
// docs/adr/0012).
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

#define BRAMKA_FTP_COLUMNS                                                            \
  "id, account_id, host, port, username, password_sealed, directory, tls, ca_file, "  \
  "interval_s, text, sender, after, move_dir, created_ms, last_poll_ms, last_error, " \
  "files_processed, lines_processed"

template <class Stmt>
FtpSource ReadFtpSource(const Stmt& s) {
  FtpSource f;
  f.id = s.Int(0);
  f.account_id = s.Int(1);
  s.TextInto(2, f.host);
  f.port = static_cast<int>(s.Int(3));
  s.TextInto(4, f.username);
  s.TextInto(5, f.password_sealed);
  s.TextInto(6, f.directory);
  f.tls = static_cast<FtpTls>(s.Int(7));
  s.TextInto(8, f.ca_file);
  f.interval_s = static_cast<int>(s.Int(9));
  s.TextInto(10, f.text);
  s.TextInto(11, f.sender);
  f.after = static_cast<FtpAfter>(s.Int(12));
  s.TextInto(13, f.move_dir);
  f.created_ms = s.Int(14);
  f.last_poll_ms = s.Int(15);
  s.TextInto(16, f.last_error);
  f.files_processed = s.Int(17);
  f.lines_processed = s.Int(18);
  return f;
}

template <class Connection>
Result<bool> SourceExists(Connection& c, int64_t source_id) {
  BRAMKA_ASSIGN_OR_RETURN(auto stmt, c.Prepare("SELECT 1 FROM ftp_sources WHERE id = ?1"));
  stmt.BindInt(1, source_id);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  stmt.Reset();
  return row;
}

template <class B>
Result<int64_t> SqlStore<B>::AddFtpSource(const FtpSource& s) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, s.account_id));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare("INSERT INTO ftp_sources (account_id, host, port, username, "
                         "password_sealed, directory, tls, ca_file, interval_s, text, sender, "
                         "after, move_dir, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                         "?9, ?10, ?11, ?12, ?13, ?14)"));
    insert.BindInt(1, s.account_id)
        .BindText(2, s.host)
        .BindInt(3, s.port)
        .BindText(4, s.username)
        .BindText(5, s.password_sealed)
        .BindText(6, s.directory)
        .BindInt(7, static_cast<int64_t>(s.tls))
        .BindText(8, s.ca_file)
        .BindInt(9, s.interval_s)
        .BindText(10, s.text)
        .BindText(11, s.sender)
        .BindInt(12, static_cast<int64_t>(s.after))
        .BindText(13, s.move_dir)
        .BindInt(14, s.created_ms);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<FtpSource>> SqlStore<B>::ListFtpSources(AccountId id) {
  return Read([&](Connection& c) -> Result<std::vector<FtpSource>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_FTP_COLUMNS " FROM ftp_sources "
                                                 "WHERE ?1 = 0 OR account_id = ?1 ORDER BY id"));
    stmt.BindInt(1, id);
    std::vector<FtpSource> out;
    while (true) {
      auto row = stmt.Step();
      if (!row.ok()) {
        stmt.Reset();
        return row.take_error();
      }
      if (!*row) break;
      out.push_back(ReadFtpSource(stmt));
    }
    stmt.Reset();
    return out;
  });
}

template <class B>
Result<void> SqlStore<B>::RemoveFtpSource(AccountId id, int64_t source_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt del, ctx.conn.Prepare("DELETE FROM ftp_sources WHERE id = ?1 AND account_id = ?2"));
    del.BindInt(1, source_id).BindInt(2, id);
    BRAMKA_RETURN_IF_ERROR(del.Run());
    if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such FTP source");
    for (const char* sql : {"DELETE FROM ftp_files WHERE source_id = ?1",
                            "DELETE FROM ftp_lines WHERE source_id = ?1"}) {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare(sql));
      stmt.BindInt(1, source_id);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                             const std::string& error) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("UPDATE ftp_sources SET last_poll_ms = ?2, "
                                                        "last_error = ?3 WHERE id = ?1"));
    stmt.BindInt(1, source_id).BindInt(2, poll_ms).BindText(3, error);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such FTP source");
    return Ok();
  });
}

template <class B>
Result<FtpFileState> SqlStore<B>::GetFtpFile(int64_t source_id, const std::string& name) {
  return Read([&](Connection& c) -> Result<FtpFileState> {
    FtpFileState out;
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, c.Prepare("SELECT done FROM ftp_files WHERE source_id = ?1 AND name = ?2"));
      stmt.BindInt(1, source_id).BindText(2, name);
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (row) out.done = stmt.Int(0) != 0;
      stmt.Reset();
      if (!row) return out;
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT line, col, phone, message_id, error FROM ftp_lines "
                                      "WHERE source_id = ?1 AND name = ?2 ORDER BY line, col"));
    stmt.BindInt(1, source_id).BindText(2, name);
    while (true) {
      auto row = stmt.Step();
      if (!row.ok()) {
        stmt.Reset();
        return row.take_error();
      }
      if (!*row) break;
      FtpLineResult l;
      l.line = static_cast<int>(stmt.Int(0));
      l.column = static_cast<int>(stmt.Int(1));
      stmt.TextInto(2, l.phone);
      stmt.TextInto(3, l.message_id);
      stmt.TextInto(4, l.error);
      out.lines.push_back(std::move(l));
    }
    stmt.Reset();
    return out;
  });
}

template <class B>
Result<void> SqlStore<B>::RecordFtpLines(int64_t source_id, const std::string& name,
                                         const std::vector<FtpLineResult>& lines, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, SourceExists(ctx.conn, source_id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such FTP source");
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt file, ctx.conn.Prepare("INSERT INTO ftp_files (source_id, name, done, "
                                      "started_ms) VALUES (?1, ?2, 0, ?3) ON CONFLICT DO NOTHING"));
      file.BindInt(1, source_id).BindText(2, name).BindInt(3, now_ms);
      BRAMKA_RETURN_IF_ERROR(file.Run());
    }
    int64_t added = 0;
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert, ctx.conn.Prepare("INSERT INTO ftp_lines (source_id, name, line, col, phone, "
                                      "message_id, error) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                                      "ON CONFLICT DO NOTHING"));
    for (const auto& l : lines) {
      insert.BindInt(1, source_id)
          .BindText(2, name)
          .BindInt(3, l.line)
          .BindInt(4, l.column)
          .BindText(5, l.phone)
          .BindText(6, l.message_id)
          .BindText(7, l.error);
      BRAMKA_RETURN_IF_ERROR(insert.Run());
      added += ctx.conn.Changes();
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt count,
        ctx.conn.Prepare("UPDATE ftp_sources SET lines_processed = lines_processed + ?2 "
                         "WHERE id = ?1"));
    count.BindInt(1, source_id).BindInt(2, added);
    return count.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::FinishFtpFile(int64_t source_id, const std::string& name,
                                        int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, SourceExists(ctx.conn, source_id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such FTP source");
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt file, ctx.conn.Prepare("INSERT INTO ftp_files (source_id, name, done, "
                                      "started_ms) VALUES (?1, ?2, 0, ?3) ON CONFLICT DO NOTHING"));
      file.BindInt(1, source_id).BindText(2, name).BindInt(3, now_ms);
      BRAMKA_RETURN_IF_ERROR(file.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt done, ctx.conn.Prepare("UPDATE ftp_files SET done = 1 WHERE source_id = ?1 AND "
                                    "name = ?2 AND done = 0"));
    done.BindInt(1, source_id).BindText(2, name);
    BRAMKA_RETURN_IF_ERROR(done.Run());
    if (ctx.conn.Changes() == 0) return Ok();
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt count, ctx.conn.Prepare("UPDATE ftp_sources SET files_processed = files_processed + 1 "
                                     "WHERE id = ?1"));
    count.BindInt(1, source_id);
    return count.Run();
  });
}

}  // namespace bramka::store::sql
