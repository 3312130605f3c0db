#pragma once
// PostgresStore's schema, as an ordered list of versioned migrations (its own
// list: PostgreSQL's types differ from SQLite's). The schema_version table
// holds the version a database is at; Migrate brings it to the latest in one
// transaction (under an advisory lock, so nodes starting together migrate
// once), or refuses a database from a newer bramka (kCorrupt).

#include <span>

#include "common/result.h"
#include "store/postgres/connection.h"

namespace bramka::store::postgres {

struct Migration {
  int version;          // 1, 2, 3, ... in order, never reused
  const char* summary;  // one line, for logs and humans
  const char* sql;      // one or more statements
};

std::span<const Migration> Migrations();
int LatestSchemaVersion();

// 0 for an empty database.
Result<int> SchemaVersion(Connection& conn);
Result<void> Migrate(Connection& conn);
// Up to and including `target_version` (tests build older schemas with it).
Result<void> MigrateTo(Connection& conn, int target_version);

}  // namespace bramka::store::postgres
