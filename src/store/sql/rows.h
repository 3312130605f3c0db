#pragma once
// Row helpers every engine's queries share: accounts' columns as Account fields,
// message types, account checks (store/sql/sql_store.h; both engines' account_row.h
// and message_row.h bring these into their namespaces).

#include <string>
#include <vector>

#include "common/result.h"
#include "store/model.h"

namespace bramka::store::sql {

inline bool ValidMessageType(MessageType t) {
  return static_cast<int>(t) <= static_cast<int>(MessageType::kLookup);
}

// The columns ReadAccount expects, in order, as a literal for SQL text.
#define BRAMKA_ACCOUNT_COLUMNS                                                        \
  "id, name, password_hash, parent_id, active, created_ms, full_name, phone, email, " \
  "allowed_cidrs, deleted_ms"

// CIDR lists are stored comma-separated ('' = none).
inline std::string JoinCidrList(const std::vector<std::string>& cidrs) {
  std::string out;
  for (const auto& c : cidrs) {
    if (!out.empty()) out += ',';
    out += c;
  }
  return out;
}

inline std::vector<std::string> SplitCidrList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

template <class Stmt>
Account ReadAccount(const Stmt& s) {
  Account a;
  a.id = s.Int(0);
  s.TextInto(1, a.name);
  s.TextInto(2, a.password_hash);
  a.parent_id = s.Int(3);
  a.active = s.Int(4) != 0;
  a.created_ms = s.Int(5);
  s.TextInto(6, a.full_name);
  s.TextInto(7, a.phone);
  s.TextInto(8, a.email);
  a.allowed_cidrs = SplitCidrList(s.Text(9));
  a.deleted_ms = s.Int(10);
  return a;
}

// Whether the account exists; RequireAccount: kNotFound "no such account" when not.
template <class Connection>
Result<bool> AccountExists(Connection& c, AccountId id) {
  BRAMKA_ASSIGN_OR_RETURN(auto stmt, c.Prepare("SELECT 1 FROM accounts WHERE id = ?1"));
  stmt.BindInt(1, id);
  return stmt.Step();
}

template <class Connection>
Result<void> RequireAccount(Connection& c, AccountId id) {
  BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(c, id));
  if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
  return Ok();
}

// Queues an incoming message for the SQL API sources of its account (one row per
// source; a repeated message id is ignored), in the caller's transaction.
template <class Connection>
Result<void> QueueSqlMoInTx(Connection& c, const SqlMoEntry& e) {
  BRAMKA_ASSIGN_OR_RETURN(
      auto stmt,
      c.Prepare("INSERT INTO sql_mo_outbox (source_id, account_id, message_id, "
                "phone_from, phone_to, text, received_ms) SELECT id, account_id, ?2, ?3, "
                "?4, ?5, ?6 FROM sql_sources WHERE account_id = ?1 ON CONFLICT DO NOTHING"));
  stmt.BindInt(1, e.account_id).BindText(2, e.message_id).BindText(3, e.from);
  stmt.BindText(4, e.to).BindText(5, e.text).BindInt(6, e.received_ms);
  return stmt.Run();
}

}  // namespace bramka::store::sql
