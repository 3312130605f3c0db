#pragma once
// parts (docs/adr/0028): the part ids of a message sent in several submits, for both SQL
// engines (docs/adr/0027). Table message_parts (SQLite migration 19, PostgreSQL
// migration 4): one row per part, (message_seq, part) its key, (connector, upstream_id)
// indexed for receipts, sent_ms indexed for forgetting old rows. A part's status is kSent
// until its receipt, then kDelivered or kUndelivered (once).
//
// RecordPartsInTx runs in MarkSentBatch's transaction (the part ids are durable with the
// message's kSent, before anything upstream of them is acknowledged); FindPartInTx and
// ApplyPartReceiptInTx in ApplyReceipt's (receipt_tx.h).

#include <cstdint>
#include <optional>
#include <string>

#include "common/result.h"
#include "store/model.h"
#include "store/store.h"

namespace bramka::store::sql {

// Records s.part_ids of the message `seq` (replacing an earlier send's) when there are
// two or more, and forgets every part recorded more than Store::kMessagePartsKeepMs
// before s.at_ms.
template <class B>
Result<void> RecordPartsInTx(typename B::Connection& conn, int64_t seq, const SentUpdate& s) {
  if (s.part_ids.size() < 2) return Ok();
  {
    BRAMKA_ASSIGN_OR_RETURN(auto prune,
                            conn.Prepare("DELETE FROM message_parts WHERE sent_ms < ?1"));
    prune.BindInt(1, s.at_ms - Store::kMessagePartsKeepMs);
    BRAMKA_RETURN_IF_ERROR(prune.Run());
  }
  {
    BRAMKA_ASSIGN_OR_RETURN(auto clear,
                            conn.Prepare("DELETE FROM message_parts WHERE message_seq = ?1"));
    clear.BindInt(1, seq);
    BRAMKA_RETURN_IF_ERROR(clear.Run());
  }
  BRAMKA_ASSIGN_OR_RETURN(
      auto insert, conn.Prepare("INSERT INTO message_parts (message_seq, part, connector, "
                                "upstream_id, status, sent_ms) VALUES (?1, ?2, ?3, ?4, 2, ?5)"));
  for (size_t i = 0; i < s.part_ids.size(); ++i) {
    insert.BindInt(1, seq).BindInt(2, static_cast<int64_t>(i + 1));
    insert.BindText(3, s.connector).BindText(4, s.part_ids[i]).BindInt(5, s.at_ms);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
  }
  return Ok();
}

// A recorded part: its message and number (1-based) and whether its receipt came.
struct PartRow {
  int64_t message_seq = 0;
  int64_t part = 0;
  MessageStatus status = MessageStatus::kSent;
};

// The part the connector knows as receipt.upstream_id, the newest send's; nullopt: none.
template <class B>
Result<std::optional<PartRow>> FindPartInTx(typename B::Connection& conn,
                                            const ReceiptUpdate& receipt) {
  BRAMKA_ASSIGN_OR_RETURN(auto find,
                          conn.Prepare("SELECT message_seq, part, status FROM message_parts WHERE "
                                       "connector = ?1 AND upstream_id = ?2 "
                                       "ORDER BY message_seq DESC LIMIT 1"));
  find.BindText(1, receipt.connector).BindText(2, receipt.upstream_id);
  BRAMKA_ASSIGN_OR_RETURN(bool row, find.Step());
  if (!row) return std::optional<PartRow>();
  PartRow p{find.Int(0), find.Int(1), static_cast<MessageStatus>(find.Int(2))};
  find.Reset();
  return std::optional<PartRow>(p);
}

// Records a part's receipt (the first one only) and says what it decides for its message
// (not final, locked by the caller): the receipt's kUndelivered at once; kDelivered when
// no part is left without a delivered receipt; nullopt: other parts are still out.
template <class B>
Result<std::optional<MessageStatus>> ApplyPartReceiptInTx(typename B::Connection& conn,
                                                          const PartRow& part,
                                                          const ReceiptUpdate& receipt) {
  if (part.status != MessageStatus::kSent) return std::optional<MessageStatus>();  // a repeat
  {
    // "AND status = 2": `part` was read before the caller locked the message; a repeat
    // committed meanwhile by another transaction changes nothing here either.
    BRAMKA_ASSIGN_OR_RETURN(
        auto update, conn.Prepare("UPDATE message_parts SET status = ?3, reason = ?4, done_ms = ?5 "
                                  "WHERE message_seq = ?1 AND part = ?2 AND status = 2"));
    update.BindInt(1, part.message_seq).BindInt(2, part.part);
    update.BindInt(3, static_cast<int64_t>(receipt.status)).BindText(4, receipt.reason);
    update.BindInt(5, receipt.at_ms);
    BRAMKA_RETURN_IF_ERROR(update.Run());
    if (conn.Changes() == 0) return std::optional<MessageStatus>();
  }
  if (receipt.status == MessageStatus::kUndelivered) {
    return std::optional<MessageStatus>(MessageStatus::kUndelivered);
  }
  BRAMKA_ASSIGN_OR_RETURN(auto left, conn.Prepare("SELECT COUNT(*) FROM message_parts "
                                                  "WHERE message_seq = ?1 AND status <> 3"));
  left.BindInt(1, part.message_seq);
  BRAMKA_ASSIGN_OR_RETURN(bool row, left.Step());
  const int64_t undecided = row ? left.Int(0) : 0;
  left.Reset();
  if (undecided > 0) return std::optional<MessageStatus>();
  return std::optional<MessageStatus>(MessageStatus::kDelivered);
}

}  // namespace bramka::store::sql
