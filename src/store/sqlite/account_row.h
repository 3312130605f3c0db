#pragma once
// The accounts table's columns as Account fields: store/sql/rows.h's, in this
// engine's namespace for its queries.

#include "store/sql/rows.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

using sql::AccountExists;
using sql::JoinCidrList;
using sql::ReadAccount;
using sql::RequireAccount;
using sql::SplitCidrList;

}  // namespace bramka::store::sqlite
