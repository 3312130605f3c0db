#pragma once
// reportcount (docs/adr/0061): message_counts kept in the transaction that inserts the
// messages, for both SQL engines. The accept paths collect their new rows here and write
// one UPSERT per account and hour once their INSERTs succeeded: a request of 100,000
// recipients or a writer batch of SMPP submits adds one statement, not one per message
// (a per-row trigger cost ~0.7 µs of the writer per message: ADR 0061).

#include <cstdint>
#include <vector>

#include "common/result.h"
#include "store/message_counts.h"
#include "store/model.h"

namespace bramka::store::sql {

class NewMessageCounts {
 public:
  void Add(AccountId account_id, int64_t queued_ms) {
    const int64_t hour = queued_ms / kCountHourMs;  // truncating, as SQL's division
    // A request or batch spans one account and hour, rarely a few: a linear search.
    for (Count& c : counts_) {
      if (c.account_id == account_id && c.hour == hour) {
        ++c.n;
        return;
      }
    }
    counts_.push_back(Count{account_id, hour, 1});
  }

  // Adds the collected counts to message_counts, then forgets them (also on failure:
  // the caller's transaction or savepoint is then rolled back).
  template <class Connection>
  Result<void> Write(Connection& c) {
    std::vector<Count> counts;
    counts.swap(counts_);
    if (counts.empty()) return Ok();
    BRAMKA_ASSIGN_OR_RETURN(
        auto upsert,
        c.Prepare("INSERT INTO message_counts (account_id, hour, n) VALUES (?1, ?2, ?3) "
                  "ON CONFLICT (account_id, hour) DO UPDATE SET n = message_counts.n + "
                  "excluded.n"));
    for (const Count& n : counts) {
      upsert.BindInt(1, n.account_id).BindInt(2, n.hour).BindInt(3, n.n);
      BRAMKA_RETURN_IF_ERROR(upsert.Run());
    }
    return Ok();
  }

  void Clear() { counts_.clear(); }

 private:
  struct Count {
    AccountId account_id;
    int64_t hour;
    int64_t n;
  };
  std::vector<Count> counts_;
};

}  // namespace bramka::store::sql
