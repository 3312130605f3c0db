// fn() inside one BEGIN ... COMMIT on a reader connection (perf, docs/adr/0024; shared with
// docs/adr/0038): every read fn makes on `c` (through the store's own methods, on the
// connection ReaderPool::WithPinned lent to this thread) sees one snapshot. Without the
// transaction each read would still be correct on its own, only slower: a failed BEGIN is
// no reason to fail the reads.

#ifndef BRAMKA_STORE_SQLITE_READ_TRANSACTION_H_
#define BRAMKA_STORE_SQLITE_READ_TRANSACTION_H_

#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

template <typename Fn>
auto InOneReadTransaction(Connection& c, Fn&& fn) {
  auto begin = c.Prepare("BEGIN");
  const bool in_tx = begin.ok() && begin->Run().ok();
  auto out = fn();
  if (in_tx) {
    auto commit = c.Prepare("COMMIT");
    if (!commit.ok() || !commit->Run().ok()) {
      auto rollback = c.Prepare("ROLLBACK");
      if (rollback.ok()) (void)rollback->Run();
    }
  }
  return out;
}

}  // namespace bramka::store::sqlite

#endif  // BRAMKA_STORE_SQLITE_READ_TRANSACTION_H_
