#pragma once
// The PostgreSQL engine as sql::SqlStore's backend (store/sql/sql_store.h):
// one pool serves reads and writes.

namespace bramka::store::postgres {

class Connection;
class Stmt;
struct WriteContext;
class Pool;

struct Backend {
  using Connection = postgres::Connection;
  using Stmt = postgres::Stmt;
  using WriteContext = postgres::WriteContext;
  using Reads = Pool;
  using Writes = Pool;
  // The delivery path runs in READ COMMITTED: lock the row it changes.
  static constexpr const char* kLockRow = " FOR UPDATE";
  static constexpr const char* kGroupIdList =
      "(SELECT string_agg(group_id::TEXT, ',' ORDER BY group_id) FROM contact_memberships m "
      "WHERE m.contact_id = contacts.id)";
};

}  // namespace bramka::store::postgres
