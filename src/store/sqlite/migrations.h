#pragma once
// SqliteStore's schema, as an ordered list of versioned migrations. The
// schema_version table holds the version a file is at; Migrate brings it to
// the latest in one transaction, or refuses a file from a newer bramka.

#include <span>
#include <string>

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

// ---- upgrades (docs/adr/0018) ----

// Where the copy made before an upgrade goes: "<db_path>.pre-v<to_version>.bak",
// or with ".1", ".2", ... appended when that file exists already (a failed
// earlier attempt keeps its copy).
std::string UpgradeBackupPath(const std::string& db_path, int to_version);

// When the file holds data at a schema older than LatestSchemaVersion() (not a
// new, empty file), copies it with VACUUM INTO to UpgradeBackupPath and returns
// that path; "" when no upgrade is due. kCorrupt for a newer schema (as
// Migrate); kUnavailable when the copy cannot be written. Run before Migrate,
// outside a transaction.
Result<std::string> BackupBeforeUpgrade(Connection& conn, const std::string& db_path);

// Applies the migrations up to and including `target_version` (tests build
// every older schema with it; Migrate is MigrateTo(LatestSchemaVersion())).
Result<void> MigrateTo(Connection& conn, int target_version);

}  // namespace bramka::store::sqlite
