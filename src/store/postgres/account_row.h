#pragma once
// The accounts table's columns as Account fields: store/sql/rows.h's, in this
// engine's namespace for its queries.

#include "store/postgres/connection.h"
#include "store/sql/rows.h"

namespace bramka::store::postgres {

using sql::AccountExists;
using sql::JoinCidrList;
using sql::ReadAccount;
using sql::RequireAccount;
using sql::SplitCidrList;

}  // namespace bramka::store::postgres
