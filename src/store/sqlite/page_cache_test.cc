// s8-smpp (docs/adr/0041): the page cache wrapper (page_cache.h) skips only truncates
// with nothing to discard. Rolled-back growth of the file (the truncate that must drop
// the pages above the old end) followed by new rows at the same page numbers, b-tree
// balances (the re-keys through the page after the pending byte) and savepoint rollbacks
// all leave the same rows and an intact file.

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

int64_t Count(Connection& c, const char* sql) {
  auto stmt = c.Prepare(sql);
  EXPECT_TRUE(stmt.ok());
  auto row = stmt->Step();
  EXPECT_TRUE(row.ok() && *row);
  return stmt->Int(0);
}

TEST(PageCacheTest, RolledBackGrowthAndRebalancesKeepTheFileIntact) {
  const std::string path =
      (fs::temp_directory_path() / ("bramka-page-cache-" + std::to_string(::getpid()) + ".db"))
          .string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  auto opened = Connection::Open(path, Connection::Mode::kWriter, 5'000);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  Connection& c = **opened;
  ASSERT_TRUE(c.Exec("PRAGMA cache_size=-65536").ok());
  ASSERT_TRUE(c.Exec("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL, w TEXT NOT NULL);"
                     "CREATE INDEX t_w ON t (w);")
                  .ok());
  auto insert = [&](int from, int to, const char* tag) {
    for (int k = from; k < to; ++k) {
      // Random-order index keys: page splits and balances all over the index.
      const std::string v = std::string(tag) + std::to_string(k) + std::string(200, 'x');
      const std::string w = std::to_string((k * 7919) % 100'003) + tag;
      auto stmt = c.Prepare("INSERT INTO t (k, v, w) VALUES (?1, ?2, ?3)");
      ASSERT_TRUE(stmt.ok());
      stmt->BindInt(1, k).BindText(2, v).BindText(3, w);
      ASSERT_TRUE(stmt->Run().ok());
    }
  };
  for (int round = 0; round < 5; ++round) {
    const int base = round * 2'000;
    ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
    insert(base, base + 2'000, "kept");
    ASSERT_TRUE(c.Exec("COMMIT").ok());
    // Growth that is rolled back: the pages above the old end must go from the cache...
    ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
    insert(100'000 + base, 100'000 + base + 2'000, "gone");
    ASSERT_TRUE(c.Exec("ROLLBACK").ok());
    // ...or these rows, written to the same page numbers, would read stale ones.
    ASSERT_TRUE(c.Exec("BEGIN IMMEDIATE").ok());
    ASSERT_TRUE(c.Exec("SAVEPOINT s").ok());
    insert(200'000 + base, 200'000 + base + 500, "undone");
    ASSERT_TRUE(c.Exec("ROLLBACK TO s").ok());
    ASSERT_TRUE(c.Exec("RELEASE s").ok());
    insert(300'000 + base, 300'000 + base + 1'000, "late");
    ASSERT_TRUE(c.Exec("COMMIT").ok());
  }
  EXPECT_EQ(Count(c, "SELECT COUNT(*) FROM t"), 5 * 3'000);
  EXPECT_EQ(Count(c, "SELECT COUNT(*) FROM t WHERE v LIKE 'gone%' OR v LIKE 'undone%'"), 0);
  EXPECT_EQ(Count(c, "SELECT COUNT(*) FROM t INDEXED BY t_w WHERE w > ''"), 5 * 3'000);
  {
    auto check = c.Prepare("PRAGMA integrity_check");
    ASSERT_TRUE(check.ok());
    ASSERT_TRUE(*check->Step());
    EXPECT_EQ(check->Text(0), "ok");
  }
  // A second connection (its own cache, reading the file) sees the same.
  auto reader = Connection::Open(path, Connection::Mode::kReader, 5'000);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(Count(**reader, "SELECT COUNT(*) FROM t"), 5 * 3'000);
  reader->reset();
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

}  // namespace
}  // namespace bramka::store::sqlite
