#pragma once
// A message's delivery state read and changed inside a write transaction, for both SQL
// engines (docs/adr/0027): the row's state (FindCurrentInTx, locked with B::kLockRow
// where rows lock), a refund with its ledger entry (RefundInTx), and MarkSent's general
// path (MarkSentInTx). Used by the engines' cancel/replace/retry/MarkSent code.

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/message_parts_tx.h"
#include "store/store.h"

namespace bramka::store::sql {

// The delivery state of one message.
struct Current {
  int64_t seq = 0;
  MessageStatus status = MessageStatus::kQueued;
  AccountId account_id = 0;
  int64_t type = 0;
  int64_t charged = 0;
};

// The message `message_id` (whose sequence number is `seq`); nullopt: no such message.
// PostgreSQL locks the row (FOR UPDATE): its delivery path runs in READ COMMITTED, so a
// concurrent change of the same message waits and this one then sees it.
template <class B>
Result<std::optional<Current>> FindCurrentInTx(typename B::Connection& c,
                                               std::optional<int64_t> seq,
                                               const std::string& message_id) {
  if (!seq) return std::optional<Current>();
  static const std::string sql =
      std::string(
          "SELECT seq, status, account_id, type, charged_units FROM messages "
          "WHERE seq = ?1 AND id = ?2") +
      B::kLockRow;
  BRAMKA_ASSIGN_OR_RETURN(auto stmt, c.Prepare(sql.c_str()));
  stmt.BindInt(1, *seq).BindText(2, message_id);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return std::optional<Current>();
  return std::optional<Current>(Current{stmt.Int(0), static_cast<MessageStatus>(stmt.Int(1)),
                                        stmt.Int(2), stmt.Int(3), stmt.Int(4)});
}

// Returns `charged` units of `type` to the account, with a ledger entry.
template <class B>
Result<void> RefundInTx(typename B::Connection& c, AccountId account, int64_t type, int64_t charged,
                        int64_t seq, const std::string& message_id, const char* note,
                        int64_t now_ms) {
  if (charged == 0) return Ok();
  {
    BRAMKA_ASSIGN_OR_RETURN(auto stmt, c.Prepare("UPDATE balances SET units = units + ?3 "
                                                 "WHERE account_id = ?1 AND type = ?2"));
    stmt.BindInt(1, account).BindInt(2, type).BindInt(3, charged);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
  }
  BRAMKA_ASSIGN_OR_RETURN(
      auto ledger, c.Prepare("INSERT INTO ledger (account_id, type, delta, message_seq, "
                             "message_id, note, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  ledger.BindInt(1, account).BindInt(2, type).BindInt(3, charged).BindInt(4, seq);
  ledger.BindText(5, message_id).BindText(6, note).BindInt(7, now_ms);
  return ledger.Run();
}

// MarkSent of any message (MarkSent, MarkSentBatch): false for an unknown id; a final
// message stays as it is; otherwise kSent with its connector and upstream id, and a long
// message's part ids (docs/adr/0028) durable with it.
template <class B>
Result<bool> MarkSentInTx(typename B::WriteContext& ctx, std::optional<int64_t> seq,
                          const SentUpdate& s) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<Current> cur,
                          FindCurrentInTx<B>(ctx.conn, seq, s.message_id));
  if (!cur) return false;
  if (IsFinal(cur->status)) return true;
  BRAMKA_ASSIGN_OR_RETURN(auto stmt,
                          ctx.conn.Prepare("UPDATE messages SET status = 2, sent_ms = ?2, "
                                           "connector = ?3, upstream_id = ?4, lease_owner = '', "
                                           "lease_until_ms = 0 WHERE seq = ?1"));
  stmt.BindInt(1, cur->seq).BindInt(2, s.at_ms).BindText(3, s.connector).BindText(4, s.upstream_id);
  BRAMKA_RETURN_IF_ERROR(stmt.Run());
  BRAMKA_RETURN_IF_ERROR(RecordPartsInTx<B>(ctx.conn, cur->seq, s));
  ctx.Move(cur->status, MessageStatus::kSent);
  return true;
}

}  // namespace bramka::store::sql
