// store/unavailable.h against the errors SQLite really produces (issue 12: disk full and
// a locked database must be named, not just "service temporarily unavailable").
#include "store/unavailable.h"

#include <sqlite3.h>

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

namespace bramka::store {
namespace {

TEST(StorageTroubleTest, SqliteCodesAreNamed) {
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_FULL, "insert", nullptr)),
            StorageTrouble::kFull);
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_BUSY, "begin", nullptr)),
            StorageTrouble::kBusy);
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_LOCKED, "begin", nullptr)),
            StorageTrouble::kBusy);
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_READONLY, "insert", nullptr)),
            StorageTrouble::kReadOnly);
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_IOERR, "commit", nullptr)),
            StorageTrouble::kOther);
  EXPECT_EQ(StorageTroubleOf(sqlite::SqliteError(SQLITE_CORRUPT, "read", nullptr)),
            StorageTrouble::kNone);
}

TEST(StorageTroubleTest, OtherStoresMessages) {
  auto e = [](std::string m) { return MakeError(ErrorCode::kUnavailable, std::move(m)); };
  EXPECT_EQ(StorageTroubleOf(e("could not extend file \"base/1/2\": No space left on device")),
            StorageTrouble::kFull);
  EXPECT_EQ(StorageTroubleOf(e("ERROR: canceling statement due to lock timeout (55P03)")),
            StorageTrouble::kBusy);
  EXPECT_EQ(StorageTroubleOf(e("the store is closed")), StorageTrouble::kClosed);
  EXPECT_EQ(StorageTroubleOf(e("connection refused")), StorageTrouble::kOther);
  EXPECT_EQ(StorageTroubleOf(MakeError(ErrorCode::kInvalidArgument, "disk is full")),
            StorageTrouble::kNone);
  EXPECT_EQ(StorageTroubleText(e("database or disk is full")), "storage full");
  EXPECT_EQ(StorageTroubleText(e("database is locked")), "database busy, locked by another writer");
}

}  // namespace
}  // namespace bramka::store
