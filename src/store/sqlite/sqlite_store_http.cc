// SqliteStore: a Bearer token's login and a submit's reads in one read transaction (issue 11,
// docs/adr/0038).
//
// An API send_sms with a token read the token's account (FindAccountByToken) and then the
// submit's balances, sender and blacklist (ReadForSubmit): two reader-pool checkouts and two
// read transactions (WAL snapshot, the -shm read lock taken and dropped with fcntl). This is
// the same reads on one pinned connection inside one BEGIN ... COMMIT.

#include "store/sqlite/read_transaction.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {

Store::TokenSubmitReads SqliteStore::ReadForTokenSubmit(const std::string& token_hash,
                                                        const std::string& sender,
                                                        const std::vector<std::string>& phones) {
  return readers_->WithPinned([&](sqlite::Connection& c) {
    return sqlite::InOneReadTransaction(c, [&] {
      TokenSubmitReads out;
      out.account = FindAccountByToken(token_hash);
      // Store::ReadForSubmit (the three reads), not ours: the transaction is already open.
      if (out.account.ok()) out.reads = Store::ReadForSubmit(out.account->id, sender, phones);
      return out;
    });
  });
}

}  // namespace bramka::store
