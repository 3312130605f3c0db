// Upgrades (docs/adr/0018): a file at every earlier schema version, holding
// representative rows, opens with the current SqliteStore, keeps its data and
// leaves a copy of itself behind; a file from a newer bramka is refused.

#include "store/sqlite/migrations.h"

#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/accept_ledger.h"  // s7-writer (docs/adr/0036)
#include "store/delivery_indexes.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kKey = 0x6272616d6b61ULL;
constexpr int64_t kSeq = 7;

const fs::path& TempDir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "bramka-migrations-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  return dir;
}

class TempDirCleanup : public testing::Environment {
 public:
  void TearDown() override { fs::remove_all(TempDir()); }
};
const auto* const kCleanup = testing::AddGlobalTestEnvironment(new TempDirCleanup);

// Rows valid from a schema version on, one table each, as a version-N bramka
// would have written them (only the columns that version had).
struct Seed {
  int version;
  const char* table;
  std::string sql;
  int until = 1 << 30;  // the last version the row's SQL fits (a column renamed after)
};

std::vector<Seed> Seeds() {
  const std::string id = MessageIdCodec(kKey).Encode(kSeq);
  return {
      {1, "accounts",
       "INSERT INTO accounts (id, name, password_hash, created_ms) VALUES (1, 'acme', 'h', 1000)"},
      {1, "api_tokens", "INSERT INTO api_tokens VALUES ('tokenhash', 1, 'main', 1000)"},
      {1, "balances",
       "INSERT INTO balances (account_id, type, units) VALUES (1, 0, 500), (1, 1, 0), "
       "(1, 2, 0), (1, 3, 0), (1, 4, 0), (1, 5, 0)"},
      {1, "ledger",
       "INSERT INTO ledger (account_id, type, delta, note, at_ms) VALUES (1, 0, 500, 'top-up', 1)"},
      {1, "senders", "INSERT INTO senders VALUES (1, 'ACME', 1, 1000)"},
      {1, "blacklist",
       "INSERT INTO blacklist (account_id, phone, created_ms) "
       "VALUES (1, '+48500100200', 1000)"},
      {1, "messages",
       "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, flash, "
       "speed, parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, "
       "queued_ms, due_ms) VALUES (" +
           std::to_string(kSeq) + ", '" + id +
           "', 1, '+48500100300', 'ACME', 1, 'hello from an old schema', 0, 0, 0, 1, 1, 1, 1, "
           "'u-1', 42, 'http', '', 2000, 2000)"},
      {2, "smpp_users",
       "INSERT INTO smpp_users (account_id, system_id, password_hash, "
       "allowed_cidrs, max_binds, tps, created_ms) VALUES (1, 'acme', 'h', '', "
       "2, 10, 1000)"},
      {2, "smpp_outbox",
       "INSERT INTO smpp_outbox (smpp_user_id, message_id, pdu_hex, created_ms) "
       "VALUES (1, '" +
           id + "', '00', 1000)"},
      {3, "address_groups",
       "INSERT INTO address_groups (account_id, name, created_ms) VALUES (1, 'vip', 1000)"},
      {3, "contacts",
       "INSERT INTO contacts (account_id, phone, email, company, first_name, "
       "last_name, tax_id, address, city, description, created_ms) VALUES (1, "
       "'+48500100400', '', '', 'Ala', '', '', '', '', '', 1000)"},
      {3, "templates",
       "INSERT INTO templates (account_id, name, text, created_ms) VALUES (1, 't', 'hi', 1000)"},
      {4, "account_callbacks",
       "INSERT INTO account_callbacks VALUES (1, 'https://example.invalid/dlr', '')"},
      {4, "callback_outbox",
       "INSERT INTO callback_outbox (account_id, kind, url_template, message_id, unique_id, "
       "phone, sender, status, reason, text, event_ms, created_ms, next_attempt_ms) VALUES (1, "
       "0, 'u', '" +
           id + "', '', '', '', 'delivered', '', '', 1, 1, 1)"},
      {5, "account_messages",
       "INSERT INTO account_messages (account_id, text, created_ms) VALUES (1, 'hello', 1)"},
      {5, "signups",
       "INSERT INTO signups (requested_by, phone, email, first_name, last_name, "
       "company, created_ms) VALUES (1, '', '', '', '', '', 1)"},
      {6, "media_files",
       "INSERT INTO media_files VALUES ('0123456789', 1, 3, 'a.png', "
       "'image/png', 1, x'00', 1)"},
      {7, "payments",
       "INSERT INTO payments (account_id, period, seq, number, type, units, "
       "net_grosze, vat_percent, total_grosze, paid_grosze, issued_ms, due_ms, "
       "paid_ms, note) VALUES (1, '01/2026', 1, 'FV 1/01/2026', 0, 100, 1000, 23, "
       "1230, 0, 1, 1, 0, '')"},
      {8, "inbound_numbers",
       "INSERT INTO inbound_numbers (account_id, kind, number, keyword, "
       "price_grosze, answer_limit, created_ms) VALUES (1, 0, "
       "'+48600000001', '', 0, 0, 1)"},
      {8, "inbox",
       "INSERT INTO inbox (account_id, type, phone, to_number, keyword, text, "
       "message_id, number_id, answers_left, received_ms, connector) VALUES (1, "
       "'ndi', '+48500100300', '+48600000001', '', 'reply', '', 1, 0, 1, 'simnet')"},
      {9, "ftp_sources",
       "INSERT INTO ftp_sources (account_id, host, port, username, "
       "password_sealed, directory, tls, ca_file, interval_s, text, sender, "
       "after, move_dir, created_ms) VALUES (1, 'ftp.example.invalid', 21, "
       "'u', 'v1:00', '', 0, '', 60, '', '', 0, '', 1)"},
      {10, "sql_sources",
       "INSERT INTO sql_sources (id, account_id, engine, host, port, database, "
       "user, password_enc, tls, structure, columns, interval_s, created_ms) "
       "VALUES (1, 1, 'mysql', 'db.example.invalid', 3306, 'sms', 'u', "
       "'v1:00', 'off', 'default', '', 60, 1)",
       17},
      {18, "sql_sources",  // migration 18 renamed `user`
       "INSERT INTO sql_sources (id, account_id, engine, host, port, database, "
       "user_name, password_enc, tls, structure, columns, interval_s, created_ms) "
       "VALUES (1, 1, 'mysql', 'db.example.invalid', 3306, 'sms', 'u', "
       "'v1:00', 'off', 'default', '', 60, 1)"},
  };
}

int64_t Count(const std::string& path, const std::string& table) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    std::string sql = "SELECT COUNT(*) FROM " + table;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      n = sqlite3_column_int64(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return n;
}

int FileVersion(const std::string& path) {
  auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
  if (!conn.ok()) return -1;
  auto version = SchemaVersion(**conn);
  return version.ok() ? *version : -1;
}

// Builds `path` at schema `version` holding every seed that version can take.
void BuildAtVersion(const std::string& path, int version) {
  auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE(MigrateTo(**conn, version).ok());
  for (const Seed& seed : Seeds()) {
    if (seed.version > version || seed.until < version) continue;
    auto done = (*conn)->Exec(seed.sql.c_str());
    ASSERT_TRUE(done.ok()) << "v" << version << " " << seed.table << ": " << done.error().message;
  }
}

TEST(MigrationsTest, VersionsAreOrderedAndSeedsCoverOnlyKnownVersions) {
  int previous = 0;
  for (const Migration& m : Migrations()) {
    EXPECT_GT(m.version, previous) << m.summary;
    previous = m.version;
  }
  EXPECT_EQ(previous, LatestSchemaVersion());
  for (const Seed& seed : Seeds()) EXPECT_LE(seed.version, LatestSchemaVersion()) << seed.table;
}

TEST(MigrationsTest, EveryEarlierSchemaUpgradesKeepingDataAndACopy) {
  const std::string id = MessageIdCodec(kKey).Encode(kSeq);
  for (const Migration& m : Migrations()) {
    if (m.version == LatestSchemaVersion()) break;
    SCOPED_TRACE("from schema " + std::to_string(m.version));
    const std::string path = (TempDir() / ("v" + std::to_string(m.version) + ".db")).string();
    BuildAtVersion(path, m.version);
    if (testing::Test::HasFatalFailure()) return;
    ASSERT_EQ(FileVersion(path), m.version);
    std::map<std::string, int64_t> before;
    for (const Seed& seed : Seeds()) {
      if (seed.version <= m.version) before[seed.table] = Count(path, seed.table);
    }

    {
      SqliteOptions options;
      options.path = path;
      options.message_id_key = kKey;
      auto opened = SqliteStore::Open(options);
      ASSERT_TRUE(opened.ok()) << opened.error().message;
      Store& store = **opened;

      auto account = store.FindAccountByName("acme");
      ASSERT_TRUE(account.ok()) << account.error().message;
      EXPECT_EQ(account->id, 1);
      EXPECT_TRUE(account->active);
      auto token = store.FindAccountByTokenHash("tokenhash");
      ASSERT_TRUE(token.ok());
      EXPECT_EQ(*token, 1);
      auto balances = store.GetBalances(1);
      ASSERT_TRUE(balances.ok());
      bool found_units = false;
      for (const Balance& b : *balances) found_units |= b.units == 500;
      EXPECT_TRUE(found_units);
      auto message = store.GetMessage(1, id);
      ASSERT_TRUE(message.ok()) << message.error().message;
      EXPECT_EQ(message->text, "hello from an old schema");
      EXPECT_EQ(message->phone, "+48500100300");
      EXPECT_EQ(message->status, MessageStatus::kQueued);
      EXPECT_EQ(message->unique_id, "u-1");
      if (m.version >= 4) {
        auto callbacks = store.GetAccountCallbacks(1);
        ASSERT_TRUE(callbacks.ok());
        EXPECT_EQ(callbacks->dlr_url, "https://example.invalid/dlr");
      }
      if (m.version >= 9) {
        auto ftp = store.ListFtpSources(1);
        ASSERT_TRUE(ftp.ok());
        ASSERT_EQ(ftp->size(), 1u);
        EXPECT_EQ((*ftp)[0].host, "ftp.example.invalid");
      }
      if (m.version >= 10) {
        auto sql = store.ListSqlSources(1);
        ASSERT_TRUE(sql.ok());
        ASSERT_EQ(sql->size(), 1u);
        EXPECT_EQ((*sql)[0].host, "db.example.invalid");
      }
    }

    EXPECT_EQ(FileVersion(path), LatestSchemaVersion());
    for (const auto& [table, rows] : before) EXPECT_EQ(Count(path, table), rows) << table;

    const std::string backup = path + ".pre-v" + std::to_string(LatestSchemaVersion()) + ".bak";
    ASSERT_TRUE(fs::exists(backup));
    EXPECT_EQ(FileVersion(backup), m.version);
    for (const auto& [table, rows] : before) EXPECT_EQ(Count(backup, table), rows) << table;
  }
}

TEST(MigrationsTest, CurrentAndNewFilesAreNotCopied) {
  const std::string path = (TempDir() / "current.db").string();
  for (int i = 0; i < 2; ++i) {
    SqliteOptions options;
    options.path = path;
    ASSERT_TRUE(SqliteStore::Open(options).ok());
  }
  for (const auto& entry : fs::directory_iterator(TempDir())) {
    EXPECT_EQ(entry.path().string().find("current.db.pre-v"), std::string::npos) << entry.path();
  }
}

TEST(MigrationsTest, ASecondUpgradeAttemptKeepsTheFirstCopy) {
  ASSERT_GT(LatestSchemaVersion(), 1);
  const std::string path = (TempDir() / "again.db").string();
  BuildAtVersion(path, 1);
  const std::string first = UpgradeBackupPath(path, LatestSchemaVersion());
  { std::ofstream(first) << "an earlier copy"; }
  EXPECT_EQ(UpgradeBackupPath(path, LatestSchemaVersion()), first + ".1");
  SqliteOptions options;
  options.path = path;
  ASSERT_TRUE(SqliteStore::Open(options).ok());
  EXPECT_TRUE(fs::exists(first + ".1"));
  EXPECT_EQ(fs::file_size(first), std::string("an earlier copy").size());
}

TEST(MigrationsTest, ANewerSchemaIsRefusedAndLeftAlone) {
  const std::string path = (TempDir() / "newer.db").string();
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(Migrate(**conn).ok());
    const std::string bump =
        "UPDATE schema_version SET version = " + std::to_string(LatestSchemaVersion() + 1);
    ASSERT_TRUE((*conn)->Exec(bump.c_str()).ok());
  }
  SqliteOptions options;
  options.path = path;
  auto opened = SqliteStore::Open(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(opened.error().message.find("newer than this bramka supports"), std::string::npos)
      << opened.error().message;
  EXPECT_EQ(FileVersion(path), LatestSchemaVersion() + 1);
  EXPECT_FALSE(fs::exists(path + ".pre-v" + std::to_string(LatestSchemaVersion()) + ".bak"));
}

}  // namespace
}  // namespace bramka::store::sqlite

// ---- s6-delivery (docs/adr/0033) ----
namespace bramka::store::sqlite {
namespace {

// The rows of `sql`'s column `col`, read-only.
std::vector<std::string> Column(const std::string& path, const std::string& sql, int col = 0) {
  std::vector<std::string> out;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK) {
      while (sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, col);
        out.emplace_back(text == nullptr ? "" : reinterpret_cast<const char*>(text));
      }
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return out;
}

TEST(MigrationsTest, SentViaIndexDroppedAndSimnetResumeStillFindsSentMessages) {
  const std::string path = (TempDir() / "sent-via.db").string();
  BuildAtVersion(path, 20);
  if (testing::Test::HasFatalFailure()) return;
  const std::string sent_id = MessageIdCodec(kKey).Encode(kSeq);
  const std::string done_id = MessageIdCodec(kKey).Encode(kSeq + 1);
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    // The seeded message sent through simnet, a second one already delivered.
    ASSERT_TRUE((*conn)
                    ->Exec("UPDATE messages SET status = 2, connector = 'simnet', "
                           "upstream_id = '1000', sent_ms = 3000")
                    .ok());
    const std::string copy =
        "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, "
        "flash, speed, parts, cost_units, charged_units, status, unique_id, stat_id, source, "
        "dlr_url, queued_ms, due_ms, sent_ms, connector, upstream_id) SELECT seq + 1, '" +
        done_id +
        "', account_id, phone, sender, type, text, unicode, flash, speed, parts, cost_units, "
        "charged_units, 3, '', stat_id, source, dlr_url, queued_ms, due_ms, 2500, connector, "
        "'999' FROM messages";
    ASSERT_TRUE((*conn)->Exec(copy.c_str()).ok());
  }
  ASSERT_EQ(Column(path, "SELECT name FROM sqlite_master WHERE name = 'messages_sent_via'").size(),
            1u);
  {
    SqliteOptions options;
    options.path = path;
    options.message_id_key = kKey;
    auto opened = SqliteStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto via = (*opened)->ListSentVia("simnet", -1);
    ASSERT_TRUE(via.ok()) << via.error().message;
    ASSERT_EQ(via->size(), 1u);
    EXPECT_EQ((*via)[0].id, sent_id);
    EXPECT_EQ((*via)[0].upstream_id, "1000");
  }
  EXPECT_TRUE(
      Column(path, "SELECT name FROM sqlite_master WHERE name = 'messages_sent_via'").empty());
  // ListSentVia searches messages_upstream by connector, not the whole table.
  const auto plan = Column(path,
                           "EXPLAIN QUERY PLAN SELECT seq FROM messages "
                           "WHERE " BRAMKA_LIST_SENT_VIA_WHERE "ORDER BY sent_ms, seq",
                           3);
  bool uses_upstream = false;
  for (const std::string& step : plan) {
    uses_upstream |= step.find("messages_upstream") != std::string::npos;
  }
  EXPECT_TRUE(uses_upstream) << (plan.empty() ? std::string("no plan") : plan[0]);
}

}  // namespace
}  // namespace bramka::store::sqlite

// ---- s7-writer (docs/adr/0036) ----
namespace bramka::store::sqlite {
namespace {

// A file of schema 22 whose accepts wrote one ledger row per message: after the upgrade
// each old message's ledger sum is what it was (its accept row, not counted twice), a
// refund of an old message still cancels its charge, and new accepts write their charge
// on the message row and one ledger row per batch, the ledger still summing to the
// balance.
TEST(MigrationsTest, PerMessageAcceptRowsStayCorrectNextToBatchRows) {
  const std::string path = (TempDir() / "accept-ledger.db").string();
  BuildAtVersion(path, 22);
  if (testing::Test::HasFatalFailure()) return;
  const MessageIdCodec codec(kKey);
  const std::string queued_id = codec.Encode(kSeq);
  const std::string saved_id = codec.Encode(kSeq + 1);
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    // The seeded message (full, 1 unit) and a scheduled one (2 units), each charged
    // with its own ledger row as schema 22's accept did; the balance after them.
    const std::string old =
        "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, "
        "flash, speed, parts, cost_units, charged_units, status, unique_id, stat_id, source, "
        "dlr_url, queued_ms, due_ms) SELECT seq + 1, '" +
        saved_id +
        "', account_id, phone, sender, type, text, unicode, flash, speed, parts, 2, 2, 0, '', "
        "stat_id, source, dlr_url, queued_ms, 9000000000000 FROM messages;"
        "INSERT INTO ledger (account_id, type, delta, note, at_ms) VALUES (1, 1, 10, 'top-up', 1);"
        "INSERT INTO ledger (account_id, type, delta, message_seq, message_id, note, at_ms) "
        "VALUES (1, 1, -1, " +
        std::to_string(kSeq) + ", '" + queued_id + "', 'accept', 2000), (1, 1, -2, " +
        std::to_string(kSeq + 1) + ", '" + saved_id +
        "', 'accept', 2000);"
        "UPDATE balances SET units = 7 WHERE account_id = 1 AND type = 1;";
    ASSERT_TRUE((*conn)->Exec(old.c_str()).ok());
  }
  SqliteOptions options;
  options.path = path;
  options.message_id_key = kKey;
  auto opened = SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  EXPECT_EQ(*store.LedgerSumForMessage(queued_id), -1);
  EXPECT_EQ(*store.LedgerSumForMessage(saved_id), -2);
  ASSERT_TRUE(*store.CancelScheduled(1, saved_id, 5000));
  EXPECT_EQ(*store.LedgerSumForMessage(saved_id), 0);

  std::vector<Message> fresh;
  for (int i = 0; i < 3; ++i) {
    Message m;
    m.id = codec.Encode(kSeq + 10 + i);
    m.account_id = 1;
    m.phone = "+48500100301";
    m.type = MessageType::kFull;
    m.text = "new";
    m.parts = 1;
    m.cost_units = 1;
    m.status = MessageStatus::kQueued;
    m.source = "http";
    m.queued_ms = 6000;
    m.due_ms = 6000;
    fresh.push_back(m);
  }
  auto accepted = store.Accept(AcceptRequest{1, fresh});
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  for (const Message& m : fresh) EXPECT_EQ(*store.LedgerSumForMessage(m.id), -1);
  EXPECT_EQ(*store.LedgerSumForMessage(queued_id), -1);
  opened->reset();

  // 10 - 1 - 2 + 2 - 3 = 6 units, in the ledger as in the balance; one row for the three.
  EXPECT_EQ(Column(path, "SELECT units FROM balances WHERE account_id = 1 AND type = 1"),
            std::vector<std::string>{"6"});
  EXPECT_EQ(Column(path, "SELECT SUM(delta) FROM ledger WHERE account_id = 1 AND type = 1"),
            std::vector<std::string>{"6"});
  EXPECT_EQ(Column(path, "SELECT delta FROM ledger WHERE note = 'accept' AND message_seq IS NULL"),
            std::vector<std::string>{"-3"});
  EXPECT_EQ(
      Column(path, "SELECT COUNT(*) FROM (" + std::string(sql::kAcceptLedgerMismatches) + ")"),
      std::vector<std::string>{"0"});
}

}  // namespace
}  // namespace bramka::store::sqlite

// ---- s9-writer (docs/adr/0046) ----
namespace bramka::store::sqlite {
namespace {

// A file of schema 23 with a message nobody holds, one leased to a live node, one whose
// lease ran out and one sent: after migration 26 ClaimDue leases the free one and the
// expired one (oldest due first), not the held or the sent one, and both claim queries
// search their partial index.
TEST(MigrationsTest, ClaimIndexWithoutLeasedMessagesClaimsTheSameMessages) {
  const std::string path = (TempDir() / "claim-index.db").string();
  BuildAtVersion(path, 23);
  if (testing::Test::HasFatalFailure()) return;
  const MessageIdCodec codec(kKey);
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    // kSeq: queued, due at 1000, free. kSeq + 1: held until far ahead, due 500.
    // kSeq + 2: its lease ran out at 2000, due 800. kSeq + 3: sent.
    std::string sql = "UPDATE messages SET status = 1, due_ms = 1000;";
    const char* rows[] = {"1, 500, 'node-b', 9000000000000", "1, 800, 'node-dead', 2000",
                          "2, 100, '', 0"};
    for (int i = 1; i <= 3; ++i) {
      sql +=
          "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, "
          "flash, speed, parts, cost_units, charged_units, unique_id, stat_id, source, "
          "dlr_url, queued_ms, status, due_ms, lease_owner, lease_until_ms) SELECT seq + " +
          std::to_string(i) + ", '" + codec.Encode(kSeq + i) +
          "', account_id, phone, sender, type, text, unicode, flash, speed, parts, "
          "cost_units, charged_units, '', stat_id, source, dlr_url, queued_ms, " +
          rows[i - 1] + " FROM messages WHERE seq = " + std::to_string(kSeq) + ";";
    }
    ASSERT_TRUE((*conn)->Exec(sql.c_str()).ok());
  }
  {
    SqliteOptions options;
    options.path = path;
    options.message_id_key = kKey;
    auto opened = SqliteStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    auto claimed = (*opened)->ClaimDue(5000, 10, "node-a", 60000);
    ASSERT_TRUE(claimed.ok()) << claimed.error().message;
    ASSERT_EQ(claimed->size(), 2u);
    EXPECT_EQ((*claimed)[0].id, codec.Encode(kSeq + 2));  // due 800, lease ran out
    EXPECT_EQ((*claimed)[1].id, codec.Encode(kSeq));      // due 1000, free
    // A limit of one takes the oldest due of both lists.
    auto again = (*opened)->ClaimDue(70000, 1, "node-a", 80000);
    ASSERT_TRUE(again.ok()) << again.error().message;
    ASSERT_EQ(again->size(), 1u);
    EXPECT_EQ((*again)[0].id, codec.Encode(kSeq + 2));
    // At 50000 both are held again (until 60000 and 80000).
    auto none = (*opened)->ClaimDue(50000, 10, "node-a", 90000);
    ASSERT_TRUE(none.ok());
    EXPECT_TRUE(none->empty());
  }
  EXPECT_EQ(Column(path, "SELECT name FROM sqlite_master WHERE name = 'messages_leased'").size(),
            1u);
  const std::pair<const char*, const char*> plans[] = {
      {"EXPLAIN QUERY PLAN SELECT seq FROM messages WHERE status IN (0, 1) AND lease_until_ms = 0 "
       "AND due_ms <= 5 ORDER BY due_ms, seq LIMIT 10",
       "messages_claim"},
      {"EXPLAIN QUERY PLAN SELECT seq FROM messages WHERE status IN (0, 1) AND lease_until_ms > 0 "
       "AND lease_until_ms <= 5 AND due_ms <= 5 ORDER BY due_ms, seq LIMIT 10",
       "messages_leased"},
  };
  for (const auto& [query, index] : plans) {
    const auto plan = Column(path, query, 3);
    bool uses = false;
    for (const std::string& step : plan) uses |= step.find(index) != std::string::npos;
    EXPECT_TRUE(uses) << index << ": " << (plan.empty() ? std::string("no plan") : plan[0]);
  }
}

}  // namespace
}  // namespace bramka::store::sqlite

// ---- reportcount (docs/adr/0061) ----
namespace bramka::store::sqlite {
namespace {

// A file of schema 26 with messages over three hours (one cancelled): migration 27 fills
// message_counts from them, reports count them, new accepts add to them, and the triggers
// keep them right when a message is deleted or moved by hand.
TEST(MigrationsTest, MessageCountsFilledFromTheMessagesThere) {
  const std::string path = (TempDir() / "message-counts.db").string();
  BuildAtVersion(path, 26);
  if (testing::Test::HasFatalFailure()) return;
  constexpr int64_t kHour = 3'600'000;
  constexpr int64_t kBase = 472'222 * kHour;
  const MessageIdCodec codec(kKey);
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    // The seeded message (queued_ms 1000) and 5 more: 2 in hour kBase, 3 in the next
    // (one of them cancelled).
    std::string sql;
    for (int i = 0; i < 5; ++i) {
      const int64_t at = kBase + (i < 2 ? i : kHour + i);
      sql +=
          "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, "
          "flash, speed, parts, cost_units, charged_units, status, unique_id, stat_id, "
          "source, dlr_url, queued_ms, due_ms) SELECT seq + " +
          std::to_string(1 + i) + ", '" + codec.Encode(kSeq + 1 + i) +
          "', account_id, phone, sender, type, text, unicode, flash, speed, parts, 0, 0, " +
          (i == 4 ? "6" : "1") + ", '', stat_id, source, dlr_url, " + std::to_string(at) + ", " +
          std::to_string(at) + " FROM messages WHERE seq = " + std::to_string(kSeq) + ";";
    }
    ASSERT_TRUE((*conn)->Exec(sql.c_str()).ok());
  }
  SqliteOptions options;
  options.path = path;
  options.message_id_key = kKey;
  auto opened = SqliteStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  auto total = [&](int64_t from, int64_t to) {
    MessageQuery q;
    q.account_id = 1;
    q.from_ms = from;
    q.to_ms = to;
    auto page = store.QueryMessages(q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(total(0, 0), 5);
  EXPECT_EQ(total(kBase, kBase + kHour - 1), 2);
  EXPECT_EQ(total(kBase + kHour, kBase + 2 * kHour - 1), 2);
  Message m;
  m.id = codec.Encode(kSeq + 20);
  m.account_id = 1;
  m.phone = "+48500100301";
  m.type = MessageType::kFull;
  m.text = "new";
  m.parts = 1;
  m.status = MessageStatus::kQueued;
  m.source = "http";
  m.queued_ms = kBase + kHour + 7;
  m.due_ms = m.queued_ms;
  ASSERT_TRUE(store.Accept(AcceptRequest{1, {m}}).ok());
  EXPECT_EQ(total(0, 0), 6);
  EXPECT_EQ(total(kBase + kHour, kBase + 2 * kHour - 1), 3);
  opened->reset();

  const std::string counted =
      "SELECT account_id, hour, n FROM message_counts WHERE n <> 0 "
      "ORDER BY 1, 2";
  const std::string actual =
      "SELECT account_id, queued_ms / 3600000, COUNT(*) FROM messages GROUP BY 1, 2 ORDER BY 1, 2";
  for (int col = 0; col < 3; ++col)
    EXPECT_EQ(Column(path, counted, col), Column(path, actual, col));
  {
    auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok());
    const std::string edits = "DELETE FROM messages WHERE seq = " + std::to_string(kSeq + 1) +
                              "; UPDATE messages SET queued_ms = queued_ms + 5 * 3600000 "
                              "WHERE seq = " +
                              std::to_string(kSeq + 3) + ";";
    ASSERT_TRUE((*conn)->Exec(edits.c_str()).ok());
  }
  for (int col = 0; col < 3; ++col)
    EXPECT_EQ(Column(path, counted, col), Column(path, actual, col));
}

}  // namespace
}  // namespace bramka::store::sqlite
