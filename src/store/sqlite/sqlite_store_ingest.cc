// SqliteStore: the ingest fast path (docs/adr/0020): the blacklist of a whole submit
// answered on one reader connection.
#include <string>
#include <vector>

#include "store/sqlite/connection.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {

using sqlite::Connection;
using sqlite::Stmt;

Result<std::vector<bool>> SqliteStore::AreBlacklisted(AccountId id,
                                                      const std::vector<std::string>& phones) {
  return readers_->With([&](Connection& c) -> Result<std::vector<bool>> {
    std::vector<bool> out(phones.size(), false);
    if (phones.empty()) return out;
    {
      // Most accounts have no blacklist: one indexed probe instead of one per phone.
      BRAMKA_ASSIGN_OR_RETURN(Stmt any,
                              c.Prepare("SELECT 1 FROM blacklist WHERE account_id = ?1 LIMIT 1"));
      any.BindInt(1, id);
      BRAMKA_ASSIGN_OR_RETURN(bool has_entries, any.Step());
      if (!has_entries) return out;
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT 1 FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    for (size_t i = 0; i < phones.size(); ++i) {
      stmt.Reset();
      stmt.BindInt(1, id).BindText(2, phones[i]);
      BRAMKA_ASSIGN_OR_RETURN(bool listed, stmt.Step());
      out[i] = listed;
    }
    return out;
  });
}

}  // namespace bramka::store
