#pragma once
// ApplyReceipt inside the caller's write transaction, for both SQL engines (store.h
// ApplyReceipt; docs/adr/0027): finds the message by (connector, upstream id), the
// newest when an SMSC reused an id; a final message is returned unchanged; otherwise
// its status becomes the receipt's and its DLR callback and SMPP receipt are queued in
// the same transaction (ADR 0007), so a crash keeps all or none. nullopt: no such
// message. A receipt for a part of a long message resolves through message_parts
// (message_parts_tx.h, docs/adr/0028). B::kLockRow locks the message row where the
// engine has row locks (the PostgreSQL delivery path runs in READ COMMITTED). The
// engine's QueueSmppReceiptInTx (its callbacks_tx.h) is found by argument-dependent
// lookup on its Connection.

#include <optional>
#include <string>
#include <utility>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/callbacks_tx.h"
#include "store/sql/message_parts_tx.h"
#include "store/sql/message_row.h"

namespace bramka::store::sql {

// Makes the message `seq` (m, not final, as read in this transaction) `status` with its
// callbacks queued; m is updated to match (m.callback_queued: whether a DLR callback
// entry was queued, docs/adr/0058).
template <class B>
Result<void> FinishByReceiptInTx(typename B::WriteContext& ctx, int64_t seq, Message& m,
                                 MessageStatus status, const std::string& reason, int64_t at_ms) {
  BRAMKA_ASSIGN_OR_RETURN(auto update,
                          ctx.conn.Prepare("UPDATE messages SET status = ?2, reason = ?3, "
                                           "done_ms = ?4, lease_owner = '', lease_until_ms = 0 "
                                           "WHERE seq = ?1"));
  update.BindInt(1, seq).BindInt(2, static_cast<int64_t>(status));
  update.BindText(3, reason).BindInt(4, at_ms);
  BRAMKA_RETURN_IF_ERROR(update.Run());
  const MessageStatus before = m.status;
  m.status = status;
  m.reason = reason;
  m.done_ms = at_ms;
  // delivery (docs/adr/0031): the callback from the row the caller read (`m`, now as
  // stored), and the SMPP outbox entry only for a message of an SMPP user that asked for
  // receipts (the INSERT's own condition): no second and third read of the row.
  BRAMKA_ASSIGN_OR_RETURN(m.callback_queued, QueueDlrCallbackForInTx(ctx.conn, m, at_ms));
  if (m.smpp_user_id != 0 && m.smpp_registered_delivery != 0) {
    BRAMKA_RETURN_IF_ERROR(QueueSmppReceiptInTx(ctx.conn, seq, at_ms));
  }
  ctx.Move(before, status);
  return Ok();
}

// parts (docs/adr/0028): a receipt for a recorded part of a long message.
template <class B>
Result<std::optional<Message>> ApplyPartReceiptToMessageInTx(typename B::WriteContext& ctx,
                                                             const PartRow& part,
                                                             const ReceiptUpdate& receipt) {
  // The message row first (locked where rows lock): two parts' receipts of one message
  // in two transactions decide it one after the other.
  static const std::string find_sql =
      std::string("SELECT seq, " BRAMKA_MESSAGE_COLUMNS " FROM messages WHERE seq = ?1") +
      B::kLockRow;
  Message m;
  {
    BRAMKA_ASSIGN_OR_RETURN(auto find, ctx.conn.Prepare(find_sql.c_str()));
    find.BindInt(1, part.message_seq);
    BRAMKA_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return std::optional<Message>();
    ReadMessage(find, 1, m);
    find.Reset();
  }
  if (IsFinal(m.status)) return std::optional<Message>(std::move(m));
  BRAMKA_ASSIGN_OR_RETURN(std::optional<MessageStatus> decided,
                          ApplyPartReceiptInTx<B>(ctx.conn, part, receipt));
  if (decided) {
    BRAMKA_RETURN_IF_ERROR(
        FinishByReceiptInTx<B>(ctx, part.message_seq, m, *decided, receipt.reason, receipt.at_ms));
  }
  return std::optional<Message>(std::move(m));
}

template <class B>
Result<std::optional<Message>> ApplyReceiptInTx(typename B::WriteContext& ctx,
                                                const ReceiptUpdate& receipt) {
  if (receipt.upstream_id.empty()) return std::optional<Message>();
  BRAMKA_ASSIGN_OR_RETURN(std::optional<PartRow> part, FindPartInTx<B>(ctx.conn, receipt));
  if (part) return ApplyPartReceiptToMessageInTx<B>(ctx, *part, receipt);
  // Static storage: Prepare caches by the text's address. The literal upstream_id term
  // matches the partial index messages_upstream.
  static const std::string find_sql = std::string("SELECT seq, " BRAMKA_MESSAGE_COLUMNS
                                                  " FROM messages WHERE connector = ?1 AND "
                                                  "upstream_id = ?2 AND upstream_id <> '' "
                                                  "ORDER BY seq DESC LIMIT 1") +
                                      B::kLockRow;
  int64_t seq = 0;
  Message m;
  {
    BRAMKA_ASSIGN_OR_RETURN(auto find, ctx.conn.Prepare(find_sql.c_str()));
    find.BindText(1, receipt.connector).BindText(2, receipt.upstream_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return std::optional<Message>();
    seq = find.Int(0);
    ReadMessage(find, 1, m);
  }
  if (IsFinal(m.status)) return std::optional<Message>(std::move(m));
  BRAMKA_RETURN_IF_ERROR(
      FinishByReceiptInTx<B>(ctx, seq, m, receipt.status, receipt.reason, receipt.at_ms));
  return std::optional<Message>(std::move(m));
}

}  // namespace bramka::store::sql
