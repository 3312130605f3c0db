#pragma once
// SqliteStore's schema, as an ordered list of versioned migrations. The
// schema_version table holds the version a file is at; Migrate brings it to
// the latest in one transaction, or refuses a file from a newer bramka.

#include <span>

#include "common/result.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

struct Migration {
  int version;          // 1, 2, 3, ... in order, never reused
  const char* summary;  // one line, for logs and humans
  const char* sql;      // one or more statements
};

// Every migration this binary knows, oldest first.
std::span<const Migration> Migrations();
int LatestSchemaVersion();

// Applies the missing migrations in one IMMEDIATE transaction. kCorrupt when
// the file's schema is newer than LatestSchemaVersion(); kUnavailable when the
// file cannot be written.
Result<void> Migrate(Connection& conn);

// Reads the version a file is at (0 for a new file).
Result<int> SchemaVersion(Connection& conn);

}  // namespace bramka::store::sqlite
