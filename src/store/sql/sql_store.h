#pragma once
// SqlStore<B>: the parts of the Store that SqliteStore and PostgresStore run
// with the same SQL, written once (docs/adr/0027). Both stores derive from it
// and implement the rest (messages, delivery, the hot paths) themselves, where
// their engines differ.
//
// B, the backend, names the engine's types and is all the shared code may use:
//   Connection    Prepare(static const char*), PrepareDynamic(std::string),
//                 Changes(), LastInsertId()
//   Stmt          Bind*/Step/Run/Int/Text (store/sqlite/connection.h's shape)
//   WriteContext  has `Connection& conn`
//   Reads         With(fn(Connection&)) -> fn's Result, a read outside a write
//   Writes        Call<T>(fn(WriteContext&)) -> Result<T>, one committed
//                 transaction (retried by the engine where it must be)
//   kGroupIdList  SQL: the comma-separated ids of contacts.id's groups
// The SQL is written in SQLite's dialect (`?N` parameters); postgres::
// Connection translates it.
//
// The definitions of the members are in sql_store_<area>.h; each engine
// instantiates them once (sqlite/sqlite_store_shared.cc,
// postgres/postgres_store_shared.cc) and declares `extern template` beside its
// store, so no other file compiles them again.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "store/store.h"

namespace bramka::store::sql {

template <class B>
class SqlStore : public Store {
 public:
  // ---- address book (sql_store_addressbook.h) ----
  Result<int64_t> CreateGroup(AccountId id, const std::string& name, int64_t now_ms) override;
  Result<Group> GetGroup(AccountId id, int64_t group_id) override;
  Result<GroupPage> ListGroups(const GroupQuery& query) override;
  Result<void> RenameGroup(AccountId id, int64_t group_id, const std::string& name) override;
  Result<void> DeleteGroup(AccountId id, int64_t group_id, bool delete_contacts) override;
  Result<std::vector<ContactInGroup>> FindGroupsOfPhone(AccountId id,
                                                        const std::string& phone) override;
  Result<int64_t> CreateContact(const Contact& contact, int64_t now_ms) override;
  Result<Contact> GetContact(AccountId id, int64_t contact_id) override;
  Result<void> UpdateContact(const Contact& contact) override;
  Result<void> DeleteContact(AccountId id, int64_t contact_id) override;
  Result<ContactPage> ListContacts(const ContactQuery& query) override;
  Result<int64_t> ImportContacts(AccountId id, const std::string& group_name,
                                 const std::vector<Contact>& contacts, int64_t now_ms) override;
  Result<std::vector<std::string>> RecipientPhones(
      AccountId id, const std::vector<int64_t>& group_ids,
      const std::vector<int64_t>& contact_ids) override;
  Result<int64_t> CreateTemplate(AccountId id, const std::string& name, const std::string& text,
                                 int64_t now_ms) override;
  Result<Template> GetTemplate(AccountId id, int64_t template_id) override;
  Result<std::vector<Template>> ListTemplates(AccountId id, bool by_name, bool descending) override;
  Result<void> UpdateTemplate(AccountId id, int64_t template_id, const std::string& name,
                              const std::string& text) override;
  Result<void> DeleteTemplate(AccountId id, int64_t template_id) override;
  Result<int64_t> AddBlacklistEntry(AccountId id, const std::string& phone,
                                    int64_t now_ms) override;
  Result<BlacklistPage> ListBlacklist(const BlacklistQuery& query) override;
  Result<bool> RemoveFromBlacklist(AccountId id, const std::string& phone) override;
  Result<void> DeleteBlacklistEntry(AccountId id, int64_t entry_id) override;

 protected:
  using Connection = typename B::Connection;
  using Stmt = typename B::Stmt;
  using WriteContext = typename B::WriteContext;

  SqlStore() = default;
  // The engine's read pool and writer; set once by the derived constructor and
  // outliving every call.
  void AttachSql(typename B::Reads* reads, typename B::Writes* writes) {
    reads_ = reads;
    writes_ = writes;
  }

  template <class Fn>
  auto Read(Fn&& fn) {
    return reads_->With(std::forward<Fn>(fn));
  }
  template <class T, class Fn>
  Result<T> Write(Fn&& fn) {
    return writes_->template Call<T>(std::forward<Fn>(fn));
  }

 private:
  typename B::Reads* reads_ = nullptr;
  typename B::Writes* writes_ = nullptr;
};

}  // namespace bramka::store::sql
