#pragma once
// SqlStore<B>'s media files (files/*) and metered balance charges (HLR, lookup).
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

#define BRAMKA_MEDIA_COLUMNS "id, account_id, type, name, content_type, size, created_ms"

template <class Stmt>
MediaFile ReadMediaFile(const Stmt& s) {
  MediaFile f;
  s.TextInto(0, f.id);
  f.account_id = s.Int(1);
  f.type = static_cast<MessageType>(s.Int(2));
  s.TextInto(3, f.name);
  s.TextInto(4, f.content_type);
  f.size = s.Int(5);
  f.created_ms = s.Int(6);
  return f;
}

inline bool IsMediaType(MessageType t) {
  return t == MessageType::kMms || t == MessageType::kVoice;
}

template <class B>
Result<void> SqlStore<B>::AddMediaFile(const MediaFile& file) {
  if (!MessageIdCodec::IsWellFormed(file.id)) {
    return Fail(ErrorCode::kInvalidArgument, "media file id must be 10 lowercase hex characters");
  }
  if (!IsMediaType(file.type))
    return Fail(ErrorCode::kInvalidArgument, "media files are mms or voice");
  if (file.size != static_cast<int64_t>(file.data.size())) {
    return Fail(ErrorCode::kInvalidArgument, "media file size differs from its data");
  }
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, file.account_id));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare("INSERT INTO media_files (id, account_id, type, name, content_type, size, "
                         "data, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    insert.BindText(1, file.id)
        .BindInt(2, file.account_id)
        .BindInt(3, static_cast<int64_t>(file.type))
        .BindText(4, file.name)
        .BindText(5, file.content_type)
        .BindInt(6, file.size)
        .BindBlob(7, file.data)
        .BindInt(8, file.created_ms);
    auto inserted = insert.Run();
    if (!inserted.ok() && inserted.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "media file id already used: " + file.id);
    }
    return inserted;
  });
}

template <class B>
Result<MediaFile> SqlStore<B>::GetMediaFile(AccountId id, const std::string& file_id,
                                            bool with_data) {
  return Read([&](Connection& c) -> Result<MediaFile> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, with_data ? c.Prepare("SELECT " BRAMKA_MEDIA_COLUMNS ", data FROM media_files "
                                         "WHERE id = ?1 AND account_id = ?2")
                             : c.Prepare("SELECT " BRAMKA_MEDIA_COLUMNS " FROM media_files "
                                         "WHERE id = ?1 AND account_id = ?2"));
    stmt.BindText(1, file_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      stmt.Reset();
      return Fail(ErrorCode::kNotFound, "no such file");
    }
    MediaFile f = ReadMediaFile(stmt);
    if (with_data) stmt.BlobInto(7, f.data);
    stmt.Reset();
    return f;
  });
}

template <class B>
Result<std::vector<MediaFile>> SqlStore<B>::ListMediaFiles(AccountId id,
                                                           std::optional<MessageType> type) {
  return Read([&](Connection& c) -> Result<std::vector<MediaFile>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_MEDIA_COLUMNS " FROM media_files "
                                                 "WHERE account_id = ?1 AND (?2 < 0 OR type = ?2) "
                                                 "ORDER BY created_ms, id"));
    stmt.BindInt(1, id).BindInt(2, type ? static_cast<int64_t>(*type) : -1);
    std::vector<MediaFile> out;
    while (true) {
      auto row = stmt.Step();
      if (!row.ok()) {
        stmt.Reset();
        return row.take_error();
      }
      if (!*row) break;
      out.push_back(ReadMediaFile(stmt));
    }
    stmt.Reset();
    return out;
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteMediaFile(AccountId id, const std::string& file_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("DELETE FROM media_files WHERE id = ?1 AND account_id = ?2"));
    stmt.BindText(1, file_id).BindInt(2, id);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such file");
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::ChargeBalance(AccountId id, MessageType type, int64_t units,
                                        const std::string& note, int64_t now_ms) {
  if (!ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  if (units <= 0) return Fail(ErrorCode::kInvalidArgument, "a charge must be positive");
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    bool unlimited = false;
    int64_t have = 0;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt read, ctx.conn.Prepare("SELECT unlimited, units FROM balances "
                                                          "WHERE account_id = ?1 AND type = ?2"));
      read.BindInt(1, id).BindInt(2, static_cast<int64_t>(type));
      BRAMKA_ASSIGN_OR_RETURN(bool row, read.Step());
      if (!row) {
        read.Reset();
        return Fail(ErrorCode::kNotFound, "no such account");
      }
      unlimited = read.Int(0) != 0;
      have = read.Int(1);
      read.Reset();
    }
    if (unlimited) return Ok();
    if (have < units) {
      return Fail(ErrorCode::kRejected, "balance too low", static_cast<int>(type) + 1);
    }
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt update,
                              ctx.conn.Prepare("UPDATE balances SET units = units - ?3 "
                                               "WHERE account_id = ?1 AND type = ?2"));
      update.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, units);
      BRAMKA_RETURN_IF_ERROR(update.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt ledger, ctx.conn.Prepare("INSERT INTO ledger (account_id, type, delta, note, at_ms) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5)"));
    ledger.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, -units);
    ledger.BindText(4, note).BindInt(5, now_ms);
    return ledger.Run();
  });
}

}  // namespace bramka::store::sql
