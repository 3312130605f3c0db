#include "store/sqlite/balance_cache.h"

namespace bramka::store::sqlite {

Result<BalanceCache::Account*> BalanceCache::Get(Connection& conn, AccountId account) {
  if (auto it = accounts_.find(account); it != accounts_.end()) return &it->second;
  Account balances{};
  bool any = false;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        conn.Prepare(
            "SELECT type, unlimited, units, available FROM balances WHERE account_id = ?1"));
    stmt.BindInt(1, account);
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      const int64_t type = stmt.Int(0);
      if (type < 0 || type >= static_cast<int64_t>(kTypes)) continue;
      Slot& slot = balances[static_cast<size_t>(type)];
      slot.exists = true;
      slot.unlimited = stmt.Int(1) != 0;
      slot.units = stmt.Int(2);
      slot.available = stmt.Int(3) != 0;
      any = true;
    }
  }
  if (!any) return Fail(ErrorCode::kNotFound, "no such account");
  return &accounts_.emplace(account, balances).first->second;
}

Result<int64_t> BalanceCache::LedgerRow(Connection& conn, Account& balances, size_t type) {
  Slot& slot = balances[type];
  if (slot.ledger_id != 0) return slot.ledger_id;
  if (next_ledger_id_ == 0) {
    BRAMKA_ASSIGN_OR_RETURN(Stmt last, conn.Prepare("SELECT COALESCE(MAX(id), 0) FROM ledger"));
    BRAMKA_ASSIGN_OR_RETURN(bool row, last.Step());
    next_ledger_id_ = (row ? last.Int(0) : 0) + 1;
  }
  slot.ledger_id = next_ledger_id_++;
  return slot.ledger_id;
}

Result<void> BalanceCache::Flush(Connection& conn) {
  if (accounts_.empty()) return Ok();
  {
    BRAMKA_ASSIGN_OR_RETURN(Stmt charge, conn.Prepare("UPDATE balances SET units = units - ?3 "
                                                      "WHERE account_id = ?1 AND type = ?2"));
    // One ledger row per account, type and batch (docs/adr/0036): the messages
    // charged name it in accept_ledger with their share in accept_units.
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt ledger, conn.Prepare("INSERT INTO ledger (id, account_id, type, delta, note, at_ms) "
                                  "VALUES (?1, ?2, ?3, ?4, 'accept', ?5)"));
    for (const auto& [account, balances] : accounts_) {
      for (size_t t = 0; t < kTypes; ++t) {
        const Slot& slot = balances[t];
        if (slot.pending == 0) continue;
        charge.BindInt(1, account).BindInt(2, static_cast<int64_t>(t));
        charge.BindInt(3, slot.pending);
        BRAMKA_RETURN_IF_ERROR(charge.Run());
        if (slot.ledger_id == 0) {
          return Fail(ErrorCode::kInternal, "accept charge without its ledger row");
        }
        ledger.BindInt(1, slot.ledger_id).BindInt(2, account).BindInt(3, static_cast<int64_t>(t));
        ledger.BindInt(4, -slot.pending).BindInt(5, slot.ledger_at_ms);
        BRAMKA_RETURN_IF_ERROR(ledger.Run());
      }
    }
  }
  Clear();
  return Ok();
}

}  // namespace bramka::store::sqlite
