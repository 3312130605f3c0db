#pragma once
// BalanceCache: the balances that the accepts of one writer batch read and
// charge (docs/adr/0029). An accept job reads an account's balances from the
// cache (loaded with one SELECT on first use in the transaction) and charges
// them there; the writer writes the sums back with one UPDATE per account and
// type before COMMIT, and before any job that does not use the cache (which
// may read or change balances with its own SQL). Flush also forgets every
// entry, and the writer clears the cache whenever it rolls a transaction
// back, so the cache never outlives the transaction that loaded it.
//
// Used only on the writer thread.

#include <array>
#include <cstdint>
#include <unordered_map>

#include "common/result.h"
#include "store/model.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class BalanceCache {
 public:
  static constexpr size_t kTypes = std::size(kAllBalanceTypes);
  struct Slot {
    bool exists = false;
    bool unlimited = false;
    int64_t units = 0;    // the balance with this batch's charges taken
    int64_t pending = 0;  // charged in this batch, not yet written
  };
  using Account = std::array<Slot, kTypes>;

  // The account's balances; kNotFound when it has none (no such account).
  Result<Account*> Get(Connection& conn, AccountId account);
  // Takes `units` of `type` (not for an unlimited balance) from a loaded account.
  static void Charge(Account& balances, size_t type, int64_t units) {
    balances[type].units -= units;
    balances[type].pending += units;
  }
  // Writes every pending charge, then forgets every entry.
  Result<void> Flush(Connection& conn);
  // Forgets every entry without writing (after a rollback).
  void Clear() { accounts_.clear(); }
  bool empty() const { return accounts_.empty(); }

 private:
  std::unordered_map<AccountId, Account> accounts_;
};

}  // namespace bramka::store::sqlite
