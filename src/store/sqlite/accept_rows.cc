#include "store/sqlite/accept_rows.h"

#include "store/sql/message_counts_tx.h"
#include "store/sqlite/message_row.h"

namespace bramka::store::sqlite {

const char* AcceptRows::InsertSql(size_t rows) {
  static const std::string chunk = InsertMessagesSql(static_cast<int>(kChunkRows));
  static const std::string small = InsertMessagesSql(static_cast<int>(kSmallRows));
  static const std::string tiny = InsertMessagesSql(static_cast<int>(kTinyRows));
  return rows == kChunkRows   ? chunk.c_str()
         : rows == kSmallRows ? small.c_str()
         : rows == kTinyRows  ? tiny.c_str()
                              : kInsertMessage;
}

void AcceptRows::Add(const Message& m, int64_t seq, AccountId account_id, int64_t charged,
                     int64_t accept_ledger) {
  rows_.push_back(Row{&m, seq, account_id, charged, accept_ledger, JoinAttachments(m.attachments)});
}

Result<void> AcceptRows::Insert(Connection& conn) {
  size_t first = 0;
  Result<void> result = Ok();
  while (first < rows_.size() && result.ok()) {
    const size_t n = ChunkFor(rows_.size() - first);
    auto insert = conn.Prepare(InsertSql(n));
    if (!insert.ok()) {
      result = insert.take_error();
      break;
    }
    for (size_t k = 0; k < n; ++k) {
      const Row& r = rows_[first + k];
      BindNewMessageAt(*insert, static_cast<int>(k) * kInsertColumns, *r.m, r.seq, r.account_id,
                       r.charged, r.attachments, r.accept_ledger);
    }
    result = insert->Run();
    first += n;
  }
  if (result.ok()) {  // reportcount (docs/adr/0061): one UPSERT per account and hour
    sql::NewMessageCounts counts;
    for (const Row& r : rows_) counts.Add(r.account_id, r.m->queued_ms);
    result = counts.Write(conn);
  }
  rows_.clear();
  return result;
}

}  // namespace bramka::store::sqlite
