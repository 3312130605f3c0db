#include "store/sqlite/balance_cache.h"

namespace bramka::store::sqlite {

Result<BalanceCache::Account*> BalanceCache::Get(Connection& conn, AccountId account) {
  if (auto it = accounts_.find(account); it != accounts_.end()) return &it->second;
  Account balances{};
  bool any = false;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        conn.Prepare("SELECT type, unlimited, units FROM balances WHERE account_id = ?1"));
    stmt.BindInt(1, account);
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const int64_t type = stmt.Int(0);
      if (type < 0 || type >= static_cast<int64_t>(kTypes)) continue;
      balances[static_cast<size_t>(type)] = {true, stmt.Int(1) != 0, stmt.Int(2), 0};
      any = true;
    }
  }
  if (!any) return Fail(ErrorCode::kNotFound, "no such account");
  return &accounts_.emplace(account, balances).first->second;
}

Result<void> BalanceCache::Flush(Connection& conn) {
  if (accounts_.empty()) return Ok();
  {
    BRAMKA_ASSIGN_OR_RETURN(Stmt charge, conn.Prepare("UPDATE balances SET units = units - ?3 "
                                                      "WHERE account_id = ?1 AND type = ?2"));
    for (const auto& [account, balances] : accounts_) {
      for (size_t t = 0; t < kTypes; ++t) {
        if (balances[t].pending == 0) continue;
        charge.BindInt(1, account).BindInt(2, static_cast<int64_t>(t));
        charge.BindInt(3, balances[t].pending);
        BRAMKA_RETURN_IF_ERROR(charge.Run());
      }
    }
  }
  accounts_.clear();
  return Ok();
}

}  // namespace bramka::store::sqlite
