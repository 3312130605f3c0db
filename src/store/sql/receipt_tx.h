#pragma once
// ApplyReceipt inside the caller's write transaction, for both SQL engines (store.h
// ApplyReceipt; docs/adr/0027): finds the message by (connector, upstream id), the
// newest when an SMSC reused an id; a final message is returned unchanged; otherwise
// its status becomes the receipt's and its DLR callback and SMPP receipt are queued in
// the same transaction (ADR 0007), so a crash keeps all or none. nullopt: no such
// message. B::kLockRow locks the message row where the engine has row locks (the
// PostgreSQL delivery path runs in READ COMMITTED). The engine's QueueSmppReceiptInTx
// (its callbacks_tx.h) is found by argument-dependent lookup on its Connection.

#include <optional>
#include <string>
#include <utility>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/callbacks_tx.h"
#include "store/sql/message_row.h"

namespace bramka::store::sql {

template <class B>
Result<std::optional<Message>> ApplyReceiptInTx(typename B::WriteContext& ctx,
                                                const ReceiptUpdate& receipt) {
  if (receipt.upstream_id.empty()) return std::optional<Message>();
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
  BRAMKA_ASSIGN_OR_RETURN(auto update,
                          ctx.conn.Prepare("UPDATE messages SET status = ?2, reason = ?3, "
                                           "done_ms = ?4, lease_owner = '', lease_until_ms = 0 "
                                           "WHERE seq = ?1"));
  update.BindInt(1, seq).BindInt(2, static_cast<int64_t>(receipt.status));
  update.BindText(3, receipt.reason).BindInt(4, receipt.at_ms);
  BRAMKA_RETURN_IF_ERROR(update.Run());
  const MessageStatus before = m.status;
  m.status = receipt.status;
  m.reason = receipt.reason;
  m.done_ms = receipt.at_ms;
  // delivery (docs/adr/0031): the callback from the row read above, and the SMPP outbox
  // entry only for a message of an SMPP user that asked for receipts (the INSERT's own
  // condition): no second and third read of the row per receipt.
  BRAMKA_RETURN_IF_ERROR(QueueDlrCallbackForInTx(ctx.conn, m, receipt.at_ms));
  if (m.smpp_user_id != 0 && m.smpp_registered_delivery != 0) {
    BRAMKA_RETURN_IF_ERROR(QueueSmppReceiptInTx(ctx.conn, seq, receipt.at_ms));
  }
  ctx.Move(before, receipt.status);
  return std::optional<Message>(std::move(m));
}

}  // namespace bramka::store::sql
