#pragma once
// SqlStore<B>'s address book: groups, contacts, templates, blacklist entries
// (SQLite migration 3, PostgreSQL migration 1). Included only by the files
// that instantiate SqlStore (see sql_store.h).

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/sql/sql_store.h"

namespace bramka::store::sql {

inline Error GroupNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "group " + std::to_string(id) + " not found");
}
inline Error ContactNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "contact " + std::to_string(id) + " not found");
}
inline Error TemplateNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "template " + std::to_string(id) + " not found");
}

// An insert that names an unknown account fails its foreign key: kNotFound.
inline Result<void> AccountMissingIsNotFound(Result<void> r) {
  if (!r.ok() && r.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "no such account");
  }
  return r;
}

// ASCII lower-case, as SQLite's lower() without ICU (store.h's search rule).
inline std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

inline int64_t Offset(int page, int limit) {
  return limit <= 0 ? 0 : static_cast<int64_t>(std::max(page, 1) - 1) * limit;
}

inline std::vector<int64_t> SortedUnique(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

inline std::vector<int64_t> ParseIdList(const std::string& csv) {
  std::vector<int64_t> out;
  size_t start = 0;
  while (start < csv.size()) {
    size_t end = csv.find(',', start);
    if (end == std::string::npos) end = csv.size();
    if (end > start) out.push_back(std::stoll(csv.substr(start, end - start)));
    start = end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Fails with kNotFound naming the first group that is not the account's.
template <class Conn>
Result<void> CheckGroupsOwned(Conn& conn, AccountId account, const std::vector<int64_t>& ids) {
  for (int64_t gid : ids) {
    BRAMKA_ASSIGN_OR_RETURN(
        auto stmt, conn.Prepare("SELECT 1 FROM address_groups WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, gid).BindInt(2, account);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(GroupNotFound(gid));
  }
  return Ok();
}

template <class Conn>
Result<void> AddMemberships(Conn& conn, int64_t contact_id, const std::vector<int64_t>& group_ids) {
  for (int64_t gid : group_ids) {
    BRAMKA_ASSIGN_OR_RETURN(auto stmt,
                            conn.Prepare("INSERT INTO contact_memberships (group_id, contact_id) "
                                         "VALUES (?1, ?2) ON CONFLICT DO NOTHING"));
    stmt.BindInt(1, gid).BindInt(2, contact_id);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
  }
  return Ok();
}

template <class Conn>
Result<int64_t> InsertContact(Conn& conn, const Contact& c, AccountId account, int64_t now_ms) {
  BRAMKA_ASSIGN_OR_RETURN(
      auto stmt,
      conn.Prepare("INSERT INTO contacts (account_id, phone, email, company, first_name, "
                   "last_name, tax_id, address, city, description, created_ms) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  stmt.BindInt(1, account)
      .BindText(2, c.phone)
      .BindText(3, c.email)
      .BindText(4, c.company)
      .BindText(5, c.first_name)
      .BindText(6, c.last_name)
      .BindText(7, c.tax_id)
      .BindText(8, c.address)
      .BindText(9, c.city)
      .BindText(10, c.description)
      .BindInt(11, now_ms);
  BRAMKA_RETURN_IF_ERROR(AccountMissingIsNotFound(stmt.Run()));
  return conn.LastInsertId();
}

// The contact columns ReadContact reads; the last is the engine's list of the
// contact's group ids (B::kGroupIdList).
template <class B>
std::string ContactColumns() {
  return std::string(
             "id, account_id, phone, email, company, first_name, last_name, tax_id, address, "
             "city, description, created_ms, ") +
         B::kGroupIdList;
}

template <class Stmt>
Contact ReadContact(const Stmt& s) {
  Contact c;
  c.id = s.Int(0);
  c.account_id = s.Int(1);
  c.phone = s.Text(2);
  c.email = s.Text(3);
  c.company = s.Text(4);
  c.first_name = s.Text(5);
  c.last_name = s.Text(6);
  c.tax_id = s.Text(7);
  c.address = s.Text(8);
  c.city = s.Text(9);
  c.description = s.Text(10);
  c.created_ms = s.Int(11);
  c.group_ids = ParseIdList(s.Text(12));
  return c;
}

#define BRAMKA_GROUP_COLUMNS           \
  "id, account_id, name, created_ms, " \
  "(SELECT COUNT(*) FROM contact_memberships m WHERE m.group_id = address_groups.id)"

template <class Stmt>
Group ReadGroup(const Stmt& s) {
  return Group{s.Int(0), s.Int(1), s.Text(2), s.Int(4), s.Int(3)};
}

inline const char* ContactSortColumn(ContactSort sort) {
  switch (sort) {
    case ContactSort::kFirstName:
      return "first_name";
    case ContactSort::kLastName:
      return "last_name";
    case ContactSort::kPhone:
      return "phone";
    case ContactSort::kCompany:
      return "company";
    case ContactSort::kTaxId:
      return "tax_id";
    case ContactSort::kEmail:
      return "email";
    case ContactSort::kAddress:
      return "address";
    case ContactSort::kCity:
      return "city";
    case ContactSort::kDescription:
      return "description";
    case ContactSort::kId:
      break;
  }
  return nullptr;
}

// ?1 account, ?2 lowered search ('' = all), ?3 filter kind, ?4 group id.
#define BRAMKA_CONTACT_WHERE                                                    \
  " WHERE account_id = ?1"                                                      \
  " AND (?2 = '' OR instr(lower(phone), ?2) > 0 OR instr(lower(email), ?2) > 0" \
  " OR instr(lower(company), ?2) > 0 OR instr(lower(first_name), ?2) > 0"       \
  " OR instr(lower(last_name), ?2) > 0 OR instr(lower(tax_id), ?2) > 0"         \
  " OR instr(lower(address), ?2) > 0 OR instr(lower(city), ?2) > 0"             \
  " OR instr(lower(description), ?2) > 0)"                                      \
  " AND (?3 <> 1 OR EXISTS (SELECT 1 FROM contact_memberships m"                \
  " WHERE m.contact_id = contacts.id AND m.group_id = ?4))"                     \
  " AND (?3 <> 2 OR NOT EXISTS (SELECT 1 FROM contact_memberships m"            \
  " WHERE m.contact_id = contacts.id))"

template <class Stmt>
void BindContactWhere(Stmt& stmt, const ContactQuery& q, const std::string& needle) {
  stmt.BindInt(1, q.account_id)
      .BindText(2, needle)
      .BindInt(3, static_cast<int64_t>(q.filter))
      .BindInt(4, q.group_id);
}

// ---- groups ----------------------------------------------------------------------

template <class B>
Result<int64_t> SqlStore<B>::CreateGroup(AccountId id, const std::string& name, int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO address_groups (account_id, name, created_ms) "
                                    "VALUES (?1, ?2, ?3)"));
    stmt.BindInt(1, id).BindText(2, name).BindInt(3, now_ms);
    BRAMKA_RETURN_IF_ERROR(AccountMissingIsNotFound(stmt.Run()));
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<Group> SqlStore<B>::GetGroup(AccountId id, int64_t group_id) {
  return Read([&](Connection& c) -> Result<Group> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_GROUP_COLUMNS " FROM address_groups "
                                      "WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, group_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(GroupNotFound(group_id));
    return ReadGroup(stmt);
  });
}

template <class B>
Result<GroupPage> SqlStore<B>::ListGroups(const GroupQuery& query) {
  const std::string needle = Lower(query.search);
  return Read([&](Connection& c) -> Result<GroupPage> {
    GroupPage page;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt count,
                              c.Prepare("SELECT COUNT(*) FROM address_groups WHERE account_id = ?1 "
                                        "AND (?2 = '' OR instr(lower(name), ?2) > 0)"));
      count.BindInt(1, query.account_id).BindText(2, needle);
      BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
      page.total = row ? count.Int(0) : 0;
    }
    const char* dir = query.descending ? " DESC" : " ASC";
    std::string sql = "SELECT " BRAMKA_GROUP_COLUMNS
                      " FROM address_groups WHERE account_id = ?1 "
                      "AND (?2 = '' OR instr(lower(name), ?2) > 0) ORDER BY ";
    if (query.by_name) sql += std::string("name") + dir + ", ";
    sql += std::string("id") + dir + " LIMIT ?3 OFFSET ?4";
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.PrepareDynamic(sql));
    stmt.BindInt(1, query.account_id)
        .BindText(2, needle)
        .BindInt(3, query.limit <= 0 ? -1 : query.limit)
        .BindInt(4, Offset(query.page, query.limit));
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      page.items.push_back(ReadGroup(stmt));
    }
    return page;
  });
}

template <class B>
Result<void> SqlStore<B>::RenameGroup(AccountId id, int64_t group_id, const std::string& name) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE address_groups SET name = ?3 WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, group_id).BindInt(2, id).BindText(3, name);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(GroupNotFound(group_id));
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteGroup(AccountId id, int64_t group_id, bool delete_contacts) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(CheckGroupsOwned(ctx.conn, id, {group_id}));
    if (delete_contacts) {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt del, ctx.conn.Prepare("DELETE FROM contacts WHERE account_id = ?2 AND id IN "
                                     "(SELECT contact_id FROM contact_memberships "
                                     "WHERE group_id = ?1)"));
      del.BindInt(1, group_id).BindInt(2, id);
      BRAMKA_RETURN_IF_ERROR(del.Run());
    }
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt del, ctx.conn.Prepare("DELETE FROM contact_memberships WHERE group_id = ?1"));
      del.BindInt(1, group_id);
      BRAMKA_RETURN_IF_ERROR(del.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt del, ctx.conn.Prepare("DELETE FROM address_groups WHERE id = ?1 AND account_id = ?2"));
    del.BindInt(1, group_id).BindInt(2, id);
    return del.Run();
  });
}

template <class B>
Result<std::vector<ContactInGroup>> SqlStore<B>::FindGroupsOfPhone(AccountId id,
                                                                   const std::string& phone) {
  return Read([&](Connection& c) -> Result<std::vector<ContactInGroup>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT contacts.id, g.id, g.name FROM contacts "
                                      "JOIN contact_memberships m ON m.contact_id = contacts.id "
                                      "JOIN address_groups g ON g.id = m.group_id "
                                      "WHERE contacts.account_id = ?1 AND contacts.phone = ?2 "
                                      "ORDER BY contacts.id, g.id"));
    stmt.BindInt(1, id).BindText(2, phone);
    std::vector<ContactInGroup> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ContactInGroup{stmt.Int(0), stmt.Int(1), stmt.Text(2)});
    }
  });
}

// ---- contacts ----------------------------------------------------------------------

template <class B>
Result<int64_t> SqlStore<B>::CreateContact(const Contact& contact, int64_t now_ms) {
  const std::vector<int64_t> groups = SortedUnique(contact.group_ids);
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_RETURN_IF_ERROR(CheckGroupsOwned(ctx.conn, contact.account_id, groups));
    BRAMKA_ASSIGN_OR_RETURN(int64_t cid,
                            InsertContact(ctx.conn, contact, contact.account_id, now_ms));
    BRAMKA_RETURN_IF_ERROR(AddMemberships(ctx.conn, cid, groups));
    return cid;
  });
}

template <class B>
Result<Contact> SqlStore<B>::GetContact(AccountId id, int64_t contact_id) {
  // Static storage: Prepare caches by the text's address.
  static const std::string sql =
      "SELECT " + ContactColumns<B>() + " FROM contacts WHERE id = ?1 AND account_id = ?2";
  return Read([&](Connection& c) -> Result<Contact> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare(sql.c_str()));
    stmt.BindInt(1, contact_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ContactNotFound(contact_id));
    return ReadContact(stmt);
  });
}

template <class B>
Result<void> SqlStore<B>::UpdateContact(const Contact& contact) {
  const std::vector<int64_t> groups = SortedUnique(contact.group_ids);
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE contacts SET phone = ?3, email = ?4, company = ?5, "
                         "first_name = ?6, last_name = ?7, tax_id = ?8, address = ?9, "
                         "city = ?10, description = ?11 WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, contact.id)
        .BindInt(2, contact.account_id)
        .BindText(3, contact.phone)
        .BindText(4, contact.email)
        .BindText(5, contact.company)
        .BindText(6, contact.first_name)
        .BindText(7, contact.last_name)
        .BindText(8, contact.tax_id)
        .BindText(9, contact.address)
        .BindText(10, contact.city)
        .BindText(11, contact.description);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(ContactNotFound(contact.id));
    BRAMKA_RETURN_IF_ERROR(CheckGroupsOwned(ctx.conn, contact.account_id, groups));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt del, ctx.conn.Prepare("DELETE FROM contact_memberships WHERE contact_id = ?1"));
    del.BindInt(1, contact.id);
    BRAMKA_RETURN_IF_ERROR(del.Run());
    return AddMemberships(ctx.conn, contact.id, groups);
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteContact(AccountId id, int64_t contact_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt del,
          ctx.conn.Prepare("DELETE FROM contact_memberships WHERE contact_id = "
                           "(SELECT id FROM contacts WHERE id = ?1 AND account_id = ?2)"));
      del.BindInt(1, contact_id).BindInt(2, id);
      BRAMKA_RETURN_IF_ERROR(del.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt del, ctx.conn.Prepare("DELETE FROM contacts WHERE id = ?1 AND account_id = ?2"));
    del.BindInt(1, contact_id).BindInt(2, id);
    BRAMKA_RETURN_IF_ERROR(del.Run());
    if (ctx.conn.Changes() == 0) return Fail(ContactNotFound(contact_id));
    return Ok();
  });
}

template <class B>
Result<ContactPage> SqlStore<B>::ListContacts(const ContactQuery& query) {
  const std::string needle = Lower(query.search);
  return Read([&](Connection& c) -> Result<ContactPage> {
    ContactPage page;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt count,
                              c.Prepare("SELECT COUNT(*) FROM contacts" BRAMKA_CONTACT_WHERE));
      BindContactWhere(count, query, needle);
      BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
      page.total = row ? count.Int(0) : 0;
    }
    const char* dir = query.descending ? " DESC" : " ASC";
    std::string sql =
        "SELECT " + ContactColumns<B>() + " FROM contacts" BRAMKA_CONTACT_WHERE " ORDER BY ";
    if (const char* column = ContactSortColumn(query.sort)) sql += std::string(column) + dir + ", ";
    sql += std::string("id") + dir + " LIMIT ?5 OFFSET ?6";
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.PrepareDynamic(sql));
    BindContactWhere(stmt, query, needle);
    stmt.BindInt(5, query.limit <= 0 ? -1 : query.limit)
        .BindInt(6, Offset(query.page, query.limit));
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      page.items.push_back(ReadContact(stmt));
    }
    return page;
  });
}

template <class B>
Result<int64_t> SqlStore<B>::ImportContacts(AccountId id, const std::string& group_name,
                                            const std::vector<Contact>& contacts, int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt group, ctx.conn.Prepare("INSERT INTO address_groups (account_id, name, created_ms) "
                                     "VALUES (?1, ?2, ?3)"));
    group.BindInt(1, id).BindText(2, group_name).BindInt(3, now_ms);
    BRAMKA_RETURN_IF_ERROR(AccountMissingIsNotFound(group.Run()));
    BRAMKA_ASSIGN_OR_RETURN(const int64_t gid, ctx.conn.LastInsertId());
    for (const Contact& contact : contacts) {
      BRAMKA_ASSIGN_OR_RETURN(int64_t cid, InsertContact(ctx.conn, contact, id, now_ms));
      BRAMKA_RETURN_IF_ERROR(AddMemberships(ctx.conn, cid, {gid}));
    }
    return gid;
  });
}

template <class B>
Result<std::vector<std::string>> SqlStore<B>::RecipientPhones(
    AccountId id, const std::vector<int64_t>& group_ids, const std::vector<int64_t>& contact_ids) {
  return Read([&](Connection& c) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    for (int64_t gid : group_ids) {
      BRAMKA_RETURN_IF_ERROR(CheckGroupsOwned(c, id, {gid}));
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                              c.Prepare("SELECT contacts.phone FROM contact_memberships m "
                                        "JOIN contacts ON contacts.id = m.contact_id "
                                        "WHERE m.group_id = ?1 ORDER BY contacts.id"));
      stmt.BindInt(1, gid);
      while (true) {
        BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        out.push_back(stmt.Text(0));
      }
    }
    for (int64_t cid : contact_ids) {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, c.Prepare("SELECT phone FROM contacts WHERE id = ?1 AND account_id = ?2"));
      stmt.BindInt(1, cid).BindInt(2, id);
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Fail(ContactNotFound(cid));
      out.push_back(stmt.Text(0));
    }
    return out;
  });
}

// ---- templates ------------------------------------------------------------------------

template <class B>
Result<int64_t> SqlStore<B>::CreateTemplate(AccountId id, const std::string& name,
                                            const std::string& text, int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO templates (account_id, name, text, created_ms) "
                                    "VALUES (?1, ?2, ?3, ?4)"));
    stmt.BindInt(1, id).BindText(2, name).BindText(3, text).BindInt(4, now_ms);
    BRAMKA_RETURN_IF_ERROR(AccountMissingIsNotFound(stmt.Run()));
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<Template> SqlStore<B>::GetTemplate(AccountId id, int64_t template_id) {
  return Read([&](Connection& c) -> Result<Template> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT id, account_id, name, text, created_ms "
                                      "FROM templates WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, template_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(TemplateNotFound(template_id));
    return Template{stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Text(3), stmt.Int(4)};
  });
}

template <class B>
Result<std::vector<Template>> SqlStore<B>::ListTemplates(AccountId id, bool by_name,
                                                         bool descending) {
  return Read([&](Connection& c) -> Result<std::vector<Template>> {
    const char* dir = descending ? " DESC" : " ASC";
    std::string sql =
        "SELECT id, account_id, name, text, created_ms FROM templates WHERE account_id = ?1 "
        "ORDER BY ";
    if (by_name) sql += std::string("name") + dir + ", ";
    sql += std::string("id") + dir;
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.PrepareDynamic(sql));
    stmt.BindInt(1, id);
    std::vector<Template> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(Template{stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Text(3), stmt.Int(4)});
    }
  });
}

template <class B>
Result<void> SqlStore<B>::UpdateTemplate(AccountId id, int64_t template_id, const std::string& name,
                                         const std::string& text) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("UPDATE templates SET name = ?3, text = ?4 "
                                                        "WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, template_id).BindInt(2, id).BindText(3, name).BindText(4, text);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(TemplateNotFound(template_id));
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteTemplate(AccountId id, int64_t template_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("DELETE FROM templates WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, template_id).BindInt(2, id);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(TemplateNotFound(template_id));
    return Ok();
  });
}

// ---- blacklist entries ------------------------------------------------------------------

template <class B>
Result<int64_t> SqlStore<B>::AddBlacklistEntry(AccountId id, const std::string& phone,
                                               int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert, ctx.conn.Prepare("INSERT INTO blacklist (account_id, phone, created_ms) "
                                        "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"));
      insert.BindInt(1, id).BindText(2, phone).BindInt(3, now_ms);
      BRAMKA_RETURN_IF_ERROR(AccountMissingIsNotFound(insert.Run()));
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt find,
        ctx.conn.Prepare("SELECT id FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    find.BindInt(1, id).BindText(2, phone);
    BRAMKA_ASSIGN_OR_RETURN(bool row, find.Step());
    if (!row) return Fail(ErrorCode::kInternal, "blacklist entry vanished");
    return find.Int(0);
  });
}

template <class B>
Result<BlacklistPage> SqlStore<B>::ListBlacklist(const BlacklistQuery& query) {
  return Read([&](Connection& c) -> Result<BlacklistPage> {
    BlacklistPage page;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt count, c.Prepare("SELECT COUNT(*) FROM blacklist "
                                                    "WHERE account_id = ?1 "
                                                    "AND (?2 = '' OR phone = ?2)"));
      count.BindInt(1, query.account_id).BindText(2, query.phone);
      BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
      page.total = row ? count.Int(0) : 0;
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT id, account_id, phone, created_ms FROM blacklist "
                                      "WHERE account_id = ?1 AND (?2 = '' OR phone = ?2) "
                                      "ORDER BY id LIMIT ?3 OFFSET ?4"));
    stmt.BindInt(1, query.account_id)
        .BindText(2, query.phone)
        .BindInt(3, query.limit <= 0 ? -1 : query.limit)
        .BindInt(4, Offset(query.page, query.limit));
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      page.items.push_back(BlacklistEntry{stmt.Int(0), stmt.Int(1), stmt.Text(2), stmt.Int(3)});
    }
    return page;
  });
}

template <class B>
Result<bool> SqlStore<B>::RemoveFromBlacklist(AccountId id, const std::string& phone) {
  return Write<bool>([&](WriteContext& ctx) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("DELETE FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    stmt.BindInt(1, id).BindText(2, phone);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes() > 0;
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteBlacklistEntry(AccountId id, int64_t entry_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("DELETE FROM blacklist WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, entry_id).BindInt(2, id);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) {
      return Fail(ErrorCode::kNotFound,
                  "blacklist entry " + std::to_string(entry_id) + " not found");
    }
    return Ok();
  });
}

#undef BRAMKA_GROUP_COLUMNS
#undef BRAMKA_CONTACT_WHERE

}  // namespace bramka::store::sql
