#pragma once
// The accounts table's columns as Account fields, defined once for every
// query that reads accounts (sqlite_store.cc, postgres_store_accounts.cc).

#include <string>
#include <vector>

#include "store/model.h"
#include "store/postgres/connection.h"

namespace bramka::store::postgres {

// The columns ReadAccount expects, in order, as a literal for SQL text.
#define BRAMKA_ACCOUNT_COLUMNS                                                        \
  "id, name, password_hash, parent_id, active, created_ms, full_name, phone, email, " \
  "allowed_cidrs, deleted_ms"

Account ReadAccount(const Stmt& s);

// Whether the account exists; RequireAccount: kNotFound "no such account" when not.
Result<bool> AccountExists(Connection& c, AccountId id);
Result<void> RequireAccount(Connection& c, AccountId id);

// CIDR lists are stored comma-separated ('' = none).
std::string JoinCidrList(const std::vector<std::string>& cidrs);
std::vector<std::string> SplitCidrList(const std::string& s);

}  // namespace bramka::store::postgres
