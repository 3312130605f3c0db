#pragma once
// The SQLite engine as sql::SqlStore's backend (store/sql/sql_store.h).

namespace bramka::store::sqlite {

class Connection;
class Stmt;
struct WriteContext;
class ReaderPool;
class Writer;

struct Backend {
  using Connection = sqlite::Connection;
  using Stmt = sqlite::Stmt;
  using WriteContext = sqlite::WriteContext;
  using Reads = ReaderPool;
  using Writes = Writer;
  // SQLite: one writer, no row locks.
  static constexpr const char* kLockRow = "";
  static constexpr const char* kGroupIdList =
      "(SELECT group_concat(group_id) FROM contact_memberships m "
      "WHERE m.contact_id = contacts.id)";
};

}  // namespace bramka::store::sqlite
