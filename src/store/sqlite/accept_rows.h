#pragma once
// AcceptRows: the new message rows of the accepts of one writer batch, INSERTed
// together (issue 11, docs/adr/0041).
//
// An SMPP submit or a one-recipient send_sms is one accept job with one message:
// run alone, its single-row INSERT pays a statement's set-up, cursor opens and
// halt per message. In the writer's first attempt at a batch (no savepoints,
// writer.h) the accept jobs hand their rows here instead (WriteContext::
// accept_rows), and the writer inserts them with multi-row statements (kChunkRows,
// then kSmallRows, kTinyRows, one) before any job that is not an accept and before
// COMMIT. If that INSERT fails (a duplicate id), the writer rolls the batch back and
// runs it again with savepoints and without AcceptRows: each job then inserts its own
// rows and a failure is that job's alone, with the error it always had.
//
// Rows point at the jobs' Messages (which outlive the batch's attempt); the
// attachments text is kept here. Used on the writer thread only.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/model.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class AcceptRows {
 public:
  static constexpr size_t kChunkRows = 64;
  static constexpr size_t kSmallRows = 8;
  static constexpr size_t kTinyRows = 2;

  // The statement text for `rows` rows (kChunkRows, kSmallRows, kTinyRows or 1).
  static const char* InsertSql(size_t rows);
  // The largest statement size that `left` rows fill.
  static size_t ChunkFor(size_t left) {
    return left >= kChunkRows   ? kChunkRows
           : left >= kSmallRows ? kSmallRows
           : left >= kTinyRows  ? kTinyRows
                                : 1;
  }

  // Queues `m` (which must outlive the next Insert or Clear) with its seq, account,
  // accept charge and ledger row (BindNewMessageAt's arguments).
  void Add(const Message& m, int64_t seq, AccountId account_id, int64_t charged,
           int64_t accept_ledger);
  // INSERTs every queued row, then forgets them (also on failure: the writer then
  // rolls the transaction back).
  Result<void> Insert(Connection& conn);
  void Clear() { rows_.clear(); }
  bool empty() const { return rows_.empty(); }
  size_t size() const { return rows_.size(); }

 private:
  struct Row {
    const Message* m;
    int64_t seq;
    AccountId account_id;
    int64_t charged;
    int64_t accept_ledger;
    std::string attachments;
  };
  std::vector<Row> rows_;
};

}  // namespace bramka::store::sqlite
