#pragma once
// BalanceCache: the balances that the accepts of one writer batch read and
// charge (docs/adr/0029). An accept job reads an account's balances from the
// cache (loaded with one SELECT on first use in the transaction) and charges
// them there; the writer writes the sums back with one UPDATE per account and
// type before COMMIT, and before any job that does not use the cache (which
// may read or change balances with its own SQL). Flush also forgets every
// entry, and the writer clears the cache whenever it rolls a transaction
// back, so the cache never outlives the transaction that loaded it. Flush also
// writes one ledger row per account and type for the batch's accept charges
// (docs/adr/0036).
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
    // s7-writer (docs/adr/0036): the ledger row that Flush writes for `pending`
    // (0 until reserved) and its at_ms (the latest queued_ms charged to it).
    int64_t ledger_id = 0;
    int64_t ledger_at_ms = 0;
    // memo (docs/adr/0063): balances.available, for the reads of AcceptWithTokenAsync.
    bool available = true;
  };
  using Account = std::array<Slot, kTypes>;

  // The account's balances; kNotFound when it has none (no such account).
  Result<Account*> Get(Connection& conn, AccountId account);
  // Takes `units` of `type` (not for an unlimited balance) from a loaded account.
  static void Charge(Account& balances, size_t type, int64_t units) {
    balances[type].units -= units;
    balances[type].pending += units;
  }
  // s7-writer (docs/adr/0036): the id of the ledger row that will hold this
  // batch's accept charges of `type` (a loaded, limited balance), reserved on
  // first use: the messages name it (messages.accept_ledger) before Flush writes
  // it. Ids follow MAX(ledger.id), read once per cache lifetime; nothing else
  // writes the ledger until Flush (every other job flushes the cache first).
  Result<int64_t> LedgerRow(Connection& conn, Account& balances, size_t type);
  // Takes `units` of `type` for messages queued at `at_ms` (their ledger row's time).
  static void ChargeAt(Account& balances, size_t type, int64_t units, int64_t at_ms) {
    Charge(balances, type, units);
    if (at_ms > balances[type].ledger_at_ms) balances[type].ledger_at_ms = at_ms;
  }
  // Writes every pending charge (the balance UPDATE and its ledger row), then
  // forgets every entry.
  Result<void> Flush(Connection& conn);
  // Forgets every entry without writing (after a rollback).
  void Clear() {
    accounts_.clear();
    next_ledger_id_ = 0;
  }
  bool empty() const { return accounts_.empty(); }

 private:
  std::unordered_map<AccountId, Account> accounts_;
  int64_t next_ledger_id_ = 0;  // 0: not read yet
};

}  // namespace bramka::store::sqlite
