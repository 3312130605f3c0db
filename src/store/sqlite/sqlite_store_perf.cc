// SqliteStore: the reads of a submit in one read transaction (issue 11, docs/adr/0024).
//
// GatewayService::Prepare reads the account's balances, the sender name's approval and the
// recipients' blacklist entries before every accept. As three calls they cost three
// reader-pool checkouts and three read transactions (WAL snapshot, shm locks); this is the
// same three reads on one pinned connection inside one BEGIN ... COMMIT; ReadForSubmits
// (docs/adr/0032) the same for a burst of submits of one account.

#include "store/sqlite/connection.h"
#include "store/sqlite/read_transaction.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {

using sqlite::InOneReadTransaction;

Store::SubmitReads SqliteStore::ReadForSubmit(AccountId id, const std::string& sender,
                                              const std::vector<std::string>& phones) {
  return readers_->WithPinned([&](sqlite::Connection& c) {
    return InOneReadTransaction(c, [&] { return Store::ReadForSubmit(id, sender, phones); });
  });
}

// accept (docs/adr/0032): the reads of a burst of submits in the same one transaction.
std::vector<Store::SubmitReads> SqliteStore::ReadForSubmits(
    AccountId id, const std::vector<SubmitReadQuery>& queries) {
  return readers_->WithPinned([&](sqlite::Connection& c) {
    return InOneReadTransaction(c, [&] { return Store::ReadForSubmits(id, queries); });
  });
}

}  // namespace bramka::store
