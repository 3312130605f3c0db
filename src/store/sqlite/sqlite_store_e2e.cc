// e2e (docs/adr/0043): a delivery cycle's acceptances in multi-row UPDATEs (delivery_e2e.h).
//
// MarkSent of a claimed message was one `UPDATE ... WHERE seq = ?1 AND id = ?2 AND
// status = 1` per message (docs/adr/0031): per message one program start, one set of
// cursors on the table and its indexes, one halt. Here up to kSentRows of them share one
// statement (UPDATE ... FROM (VALUES ...)), which returns the rows it changed; a message
// it did not change (not claimed any more, final, unknown) takes the per-message path
// with its read (sql::MarkSentInTx), exactly as before.

#include <array>
#include <string>
#include <unordered_map>
#include <utility>

#include "store/sql/message_parts_tx.h"
#include "store/sql/message_state_tx.h"
#include "store/sql/receipt_tx.h"
#include "store/sqlite/backend.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/delivery_e2e.h"
#include "store/sqlite/message_row.h"

namespace bramka::store::sqlite {

namespace {

constexpr size_t kSentRows = 32;

// The statement for `rows` acceptances (1..kSentRows); static storage, because Prepare
// caches by the text's address.
const char* SentSql(size_t rows) {
  static const std::array<std::string, kSentRows + 1> texts = [] {
    std::array<std::string, kSentRows + 1> t;
    for (size_t n = 1; n <= kSentRows; ++n) {
      std::string sql =
          "UPDATE messages SET status = 2, sent_ms = v.column3, connector = v.column4, "
          "upstream_id = v.column5, lease_owner = '', lease_until_ms = 0 FROM (VALUES ";
      for (size_t i = 0; i < n; ++i) {
        const size_t p = i * 5;
        sql += (i == 0 ? "(" : ", (");
        for (size_t k = 1; k <= 5; ++k) {
          sql += "?" + std::to_string(p + k) + (k < 5 ? ", " : ")");
        }
      }
      sql +=
          ") AS v WHERE messages.seq = v.column1 AND messages.id = v.column2 "
          "AND messages.status = 1 RETURNING messages.seq";
      t[n] = std::move(sql);
    }
    return t;
  }();
  return texts[rows].c_str();
}

}  // namespace

Result<Store::DeliveryWrites> WriteDeliveriesE2eInTx(
    WriteContext& ctx, const std::vector<SentUpdate>& sent,
    const std::vector<std::optional<int64_t>>& seqs, const std::vector<ReceiptUpdate>& receipts) {
  Store::DeliveryWrites out;
  out.found.assign(sent.size(), false);
  out.applied.reserve(receipts.size());
  std::vector<bool> done(sent.size(), false);
  // The claimed ones (a well-formed id) in chunks, in the cycle's order.
  std::vector<size_t> fast;
  fast.reserve(sent.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    if (seqs[i]) fast.push_back(i);
  }
  std::unordered_map<int64_t, size_t> by_seq;
  for (size_t start = 0; start < fast.size(); start += kSentRows) {
    const size_t n = std::min(kSentRows, fast.size() - start);
    by_seq.clear();
    BRAMKA_ASSIGN_OR_RETURN(Stmt update, ctx.conn.Prepare(SentSql(n)));
    for (size_t j = 0; j < n; ++j) {
      const size_t i = fast[start + j];
      const SentUpdate& s = sent[i];
      const int p = static_cast<int>(j * 5);
      update.BindInt(p + 1, *seqs[i]).BindText(p + 2, s.message_id).BindInt(p + 3, s.at_ms);
      update.BindText(p + 4, s.connector).BindText(p + 5, s.upstream_id);
      by_seq.emplace(*seqs[i], i);  // a repeat of a message in one cycle: the first
    }
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, update.Step());
      if (!row) break;
      auto it = by_seq.find(update.Int(0));
      if (it == by_seq.end()) continue;
      out.found[it->second] = true;
      done[it->second] = true;
      ctx.Move(MessageStatus::kQueued, MessageStatus::kSent);
    }
    // parts (docs/adr/0028): a long message's part ids, durable with its kSent.
    for (size_t j = 0; j < n; ++j) {
      const size_t i = fast[start + j];
      if (done[i]) {
        BRAMKA_RETURN_IF_ERROR(sql::RecordPartsInTx<Backend>(ctx.conn, *seqs[i], sent[i]));
      }
    }
  }
  // Anything else (not claimed any more, final, kSaved, unknown): the read first, as
  // before; in the cycle's order.
  for (size_t i = 0; i < sent.size(); ++i) {
    if (done[i]) continue;
    BRAMKA_ASSIGN_OR_RETURN(bool found, sql::MarkSentInTx<Backend>(ctx, seqs[i], sent[i]));
    out.found[i] = found;
  }
  for (const ReceiptUpdate& r : receipts) {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m, sql::ApplyReceiptInTx<Backend>(ctx, r));
    out.applied.push_back(std::move(m));
  }
  return out;
}

}  // namespace bramka::store::sqlite
