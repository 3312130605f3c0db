// SqliteStore address book: migration 3 keeps a version-2 file's blacklist
// (giving each entry an id), and address book records survive a reopen.

#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;

std::string TempPath(const std::string& name) {
  return (fs::temp_directory_path() /
          ("bramka-ab-" + name + "-" + std::to_string(::getpid()) + ".db"))
      .string();
}

// Removes the database, its WAL and shared memory, and the copies an upgrade makes
// ("<path>.pre-v<N>.bak", migrations.h).
void Remove(const std::string& path) {
  const std::string name = fs::path(path).filename().string();
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path())) {
    if (entry.path().filename().string().starts_with(name)) fs::remove(entry.path());
  }
}

void RawExec(sqlite3* db, const std::string& sql) {
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  ASSERT_EQ(rc, SQLITE_OK) << (error ? error : "");
  sqlite3_free(error);
}

TEST(SqliteAddressBookTest, MigrationThreeKeepsTheBlacklistAndGivesIds) {
  const std::string path = TempPath("migrate");
  Remove(path);
  {
    // A file at schema version 2, as the previous bramka left it.
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    RawExec(db, "CREATE TABLE schema_version (version INTEGER NOT NULL)");
    for (const sqlite::Migration& m : sqlite::Migrations()) {
      if (m.version <= 2) RawExec(db, m.sql);
    }
    RawExec(
        db,
        "INSERT INTO schema_version VALUES (2);"
        "INSERT INTO accounts (name, password_hash, created_ms) VALUES ('old', 'h', 1);"
        "INSERT INTO blacklist (account_id, phone, created_ms) VALUES (1, '+48500000002', 20);"
        "INSERT INTO blacklist (account_id, phone, created_ms) VALUES (1, '+48500000001', 10);");
    sqlite3_close(db);
  }
  SqliteOptions options;
  options.path = path;
  {
    auto opened = SqliteStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    Store& store = **opened;
    EXPECT_TRUE(*store.IsBlacklisted(1, "+48500000001"));
    BlacklistQuery q;
    q.account_id = 1;
    auto page = store.ListBlacklist(q);
    ASSERT_TRUE(page.ok()) << page.error().ToString();
    ASSERT_EQ(page->items.size(), 2u);
    EXPECT_EQ(page->items[0].phone, "+48500000001");  // ids in the order they were added
    EXPECT_EQ(page->items[0].created_ms, 10);
    EXPECT_LT(page->items[0].id, page->items[1].id);
    const int64_t next = *store.AddBlacklistEntry(1, "+48500000003", 30);
    EXPECT_GT(next, page->items[1].id);
    EXPECT_EQ(*store.AddBlacklistEntry(1, "+48500000001", 40), page->items[0].id);
  }
  Remove(path);
}

TEST(SqliteAddressBookTest, RecordsSurviveReopen) {
  const std::string path = TempPath("reopen");
  Remove(path);
  SqliteOptions options;
  options.path = path;
  int64_t group = 0, contact = 0, tpl = 0;
  AccountId account = 0;
  {
    auto store = std::move(SqliteStore::Open(options)).value();
    account = *store->CreateAccount("alice", "hash", 0, 1);
    group = *store->CreateGroup(account, "Klienci", 2);
    Contact c;
    c.account_id = account;
    c.phone = "+48500600700";
    c.first_name = "Jan";
    c.group_ids = {group};
    contact = *store->CreateContact(c, 3);
    tpl = *store->CreateTemplate(account, "Zima", "Promocja", 4);
  }
  {
    auto store = std::move(SqliteStore::Open(options)).value();
    EXPECT_EQ(store->GetGroup(account, group)->count, 1);
    EXPECT_EQ(store->GetContact(account, contact)->first_name, "Jan");
    EXPECT_EQ(store->GetTemplate(account, tpl)->text, "Promocja");
    // Ids keep growing after a reopen (AUTOINCREMENT never reuses one).
    ASSERT_TRUE(store->DeleteGroup(account, group, true).ok());
    EXPECT_GT(*store->CreateGroup(account, "Nowa", 5), group);
  }
  Remove(path);
}

}  // namespace
}  // namespace bramka::store
