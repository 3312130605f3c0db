// The conformance suite against a real PostgreSQL (test_server.h), plus what
// is PostgreSQL's own: migrations, refusal of a newer schema, concurrent
// writers and lease claims.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/accept_ledger.h"  // s7-writer (docs/adr/0036)
#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_server.h"
#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

using postgres::TestServer;

// nullptr (the suite skips the test) when PostgreSQL cannot run here.
std::unique_ptr<PostgresStore> OpenFresh() {
  std::string why;
  TestServer* server = TestServer::Get(&why);
  if (server == nullptr) {
    std::cerr << "skipping: " << why << "\n";
    return nullptr;
  }
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  options.connections = 4;
  options.async_workers = 2;
  auto opened = PostgresStore::Open(options);
  if (!opened.ok()) {
    ADD_FAILURE() << opened.error().ToString();
    return nullptr;
  }
  return std::move(*opened);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConformanceTest,
                         testing::Values(StoreFactory{
                             "postgres", [] { return std::unique_ptr<Store>(OpenFresh()); }}),
                         StoreFactoryName);

#define SKIP_WITHOUT_POSTGRES()               \
  std::string why;                            \
  TestServer* server = TestServer::Get(&why); \
  if (server == nullptr) {                    \
    GTEST_SKIP() << why;                      \
  }

TEST(PostgresSql, TranslatesSqliteParameters) {
  EXPECT_EQ(postgres::TranslateSql("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2");
  EXPECT_EQ(postgres::TranslateSql("WHERE a = ? AND b IN (?,?)"), "WHERE a = $1 AND b IN ($2,$3)");
  EXPECT_EQ(postgres::TranslateSql("ORDER BY id LIMIT ?3 OFFSET ?4"),
            "ORDER BY id LIMIT (CASE WHEN $3 < 0 THEN NULL ELSE $3 END) OFFSET $4");
}

TEST(PostgresStoreTest, RefusesANewerSchema) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  {
    auto store = PostgresStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
  }
  {
    auto conn = postgres::Connection::Open(options.conninfo);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->Exec("UPDATE schema_version SET version = version + 1").ok());
  }
  auto again = PostgresStore::Open(options);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(again.error().message.find("newer"), std::string::npos);
}

TEST(PostgresStoreTest, ReopenKeepsDataAndMigratesOnce) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  AccountId id = 0;
  {
    auto store = PostgresStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto created = (*store)->CreateAccount("kept", "h", 0, 1);
    ASSERT_TRUE(created.ok());
    id = *created;
  }
  auto store = PostgresStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto account = (*store)->GetAccount(id);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->name, "kept");
}

TEST(PostgresStoreTest, UpgradesADatabaseAtEveryEarlierVersion) {
  SKIP_WITHOUT_POSTGRES();
  for (const postgres::Migration& m : postgres::Migrations()) {
    // Every version a database can be at (the list may have gaps while branches merge).
    const int version = m.version;
    if (version == postgres::LatestSchemaVersion()) break;
    PostgresOptions options;
    options.conninfo = server->FreshConninfo();
    {
      auto conn = postgres::Connection::Open(options.conninfo);
      ASSERT_TRUE(conn.ok());
      ASSERT_TRUE(postgres::MigrateTo(**conn, version).ok());
      auto v = postgres::SchemaVersion(**conn);
      ASSERT_TRUE(v.ok());
      EXPECT_EQ(*v, version);
      ASSERT_TRUE((*conn)
                      ->Exec("INSERT INTO accounts (name, password_hash, created_ms) "
                             "VALUES ('old', 'h', 1)")
                      .ok());
    }
    auto store = PostgresStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.error().ToString();
    auto old = (*store)->FindAccountByName("old");
    ASSERT_TRUE(old.ok()) << "from version " << version;
    PanelSession session;
    session.id_hash = "h1";
    session.account_id = old->id;
    session.expires_ms = 100;
    EXPECT_TRUE((*store)->PutPanelSession(session, 1).ok()) << "from version " << version;
  }
}

TEST(PostgresStoreTest, UnreachableServerIsUnavailable) {
  PostgresOptions options;
  options.conninfo = "host=/nonexistent-bramka port=1 user=x dbname=x connect_timeout=2";
  auto store = PostgresStore::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
}

// Two stores (two "nodes") on one database: concurrent charges never overdraw
// and concurrent claims never hand one message to both.
TEST(PostgresStoreTest, TwoNodesShareOneDatabase) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  auto a = PostgresStore::Open(options);
  ASSERT_TRUE(a.ok()) << a.error().ToString();
  auto b = PostgresStore::Open(options);
  ASSERT_TRUE(b.ok()) << b.error().ToString();
  auto account = (*a)->CreateAccount("shared", "h", 0, 1);
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE((*a)->AdjustBalance(*account, MessageType::kEco, 100, "top-up", 1).ok());

  MessageIdCodec codec;
  auto first = (*a)->ReserveIdBlock(400);
  ASSERT_TRUE(first.ok());
  std::atomic<int> accepted{0};
  std::atomic<int> rejected{0};
  auto send = [&](PostgresStore* store, uint64_t base) {
    for (int i = 0; i < 100; ++i) {
      Message m;
      m.id = codec.Encode(base + static_cast<uint64_t>(i));
      m.phone = "+48500000001";
      m.sender = "Test";
      m.type = MessageType::kEco;
      m.text = "hi";
      m.parts = 1;
      m.cost_units = 1;
      m.status = MessageStatus::kQueued;
      m.queued_ms = 10;
      m.due_ms = 10;
      AcceptRequest request;
      request.account_id = *account;
      request.messages.push_back(m);
      auto r = store->Accept(request);
      if (r.ok()) {
        ++accepted;
      } else if (r.error().code == ErrorCode::kRejected) {
        ++rejected;
      } else {
        ADD_FAILURE() << r.error().ToString();
      }
    }
  };
  std::thread ta(send, a->get(), *first);
  std::thread tb(send, b->get(), *first + 200);
  ta.join();
  tb.join();
  EXPECT_EQ(accepted.load(), 100);
  EXPECT_EQ(rejected.load(), 100);
  auto balances = (*a)->GetBalances(*account);
  ASSERT_TRUE(balances.ok());
  for (const Balance& bal : *balances) {
    if (bal.type == MessageType::kEco) {
      EXPECT_EQ(bal.units, 0);
    }
  }

  std::atomic<int> claimed{0};
  std::mutex mu;
  std::set<std::string> seen;
  auto claim = [&](PostgresStore* store, const std::string& owner) {
    while (true) {
      auto batch = store->ClaimDue(1'000, 7, owner, 60'000);
      ASSERT_TRUE(batch.ok()) << batch.error().ToString();
      if (batch->empty()) return;
      std::lock_guard lock(mu);
      for (const Message& m : *batch) {
        EXPECT_TRUE(seen.insert(m.id).second) << m.id << " claimed twice";
        ++claimed;
      }
    }
  };
  std::thread ca(claim, a->get(), "node-a");
  std::thread cb(claim, b->get(), "node-b");
  ca.join();
  cb.join();
  EXPECT_EQ(claimed.load(), 100);
}

// Group commit: queued accepts share transactions; one that cannot be paid
// fails alone (its savepoint), the others commit.
TEST(PostgresStoreTest, QueuedAcceptsShareCommitsAndFailAlone) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  auto store = PostgresStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  auto account = (*store)->CreateAccount("batch", "h", 0, 1);
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE((*store)->AdjustBalance(*account, MessageType::kEco, 50, "top-up", 1).ok());
  auto first = (*store)->ReserveIdBlock(100);
  ASSERT_TRUE(first.ok());
  MessageIdCodec codec;
  const uint64_t commits_before = (*store)->commit_count();
  std::mutex mu;
  std::condition_variable cv;
  int ok = 0, rejected = 0, other = 0;
  for (int i = 0; i < 100; ++i) {
    Message m;
    m.id = codec.Encode(*first + static_cast<uint64_t>(i));
    m.phone = "+48500000001";
    m.type = MessageType::kEco;
    m.text = "x";
    m.parts = 1;
    m.cost_units = 1;
    m.status = MessageStatus::kQueued;
    m.queued_ms = m.due_ms = 5;
    AcceptRequest request;
    request.account_id = *account;
    request.messages.push_back(m);
    (*store)->AcceptAsync(std::move(request), [&](Result<AcceptResult> r) {
      std::lock_guard lock(mu);
      if (r.ok()) {
        ++ok;
      } else if (r.error().code == ErrorCode::kRejected) {
        ++rejected;
      } else {
        ++other;
      }
      cv.notify_all();
    });
  }
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(
        cv.wait_for(lock, std::chrono::seconds(60), [&] { return ok + rejected + other == 100; }));
  }
  EXPECT_EQ(ok, 50);
  EXPECT_EQ(rejected, 50);
  EXPECT_EQ(other, 0);
  EXPECT_LT((*store)->commit_count() - commits_before, 100u);
  auto balances = (*store)->GetBalances(*account);
  ASSERT_TRUE(balances.ok());
  for (const Balance& b : *balances) {
    if (b.type == MessageType::kEco) {
      EXPECT_EQ(b.units, 0);
    }
  }
  auto counts = (*store)->CountByStatus();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ((*counts)[static_cast<size_t>(MessageStatus::kQueued)].second, 50);
}

}  // namespace
}  // namespace bramka::store

// ---- s6-delivery (docs/adr/0033) ----
namespace bramka::store {
namespace {

TEST(PostgresStoreTest, SentViaIndexIsDroppedByMigration7) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  auto count_index = [&]() -> int64_t {
    auto conn = postgres::Connection::Open(options.conninfo);
    if (!conn.ok()) return -1;
    auto stmt =
        (*conn)->Prepare("SELECT COUNT(*) FROM pg_indexes WHERE indexname = 'messages_sent_via'");
    if (!stmt.ok()) return -1;
    auto row = stmt->Step();
    return row.ok() && *row ? stmt->Int(0) : -1;
  };
  {
    auto conn = postgres::Connection::Open(options.conninfo);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(postgres::MigrateTo(**conn, 5).ok());
  }
  EXPECT_EQ(count_index(), 1);
  auto store = PostgresStore::Open(options);
  ASSERT_TRUE(store.ok()) << store.error().ToString();
  EXPECT_EQ(count_index(), 0);
  auto via = (*store)->ListSentVia("simnet", -1);
  ASSERT_TRUE(via.ok()) << via.error().ToString();
  EXPECT_TRUE(via->empty());
}

}  // namespace
}  // namespace bramka::store

// ---- s7-writer (docs/adr/0036) ----
namespace bramka::store {
namespace {

// A database of schema 7 whose accepts wrote one ledger row per message: after migration
// 8 the old message's ledger sum is unchanged, new accepts write one ledger row per
// request and type with each message's share on its row, and the ledger still sums to
// the balance.
TEST(PostgresStoreTest, PerMessageAcceptRowsStayCorrectAfterMigration8) {
  SKIP_WITHOUT_POSTGRES();
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  const MessageIdCodec codec(options.message_id_key);
  const std::string old_id = codec.Encode(7);
  {
    auto conn = postgres::Connection::Open(options.conninfo);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(postgres::MigrateTo(**conn, 7).ok());
    const std::string old =
        "INSERT INTO accounts (id, name, password_hash, created_ms) VALUES (1, 'acme', 'h', 1);"
        "INSERT INTO balances (account_id, type, units) VALUES (1, 0, 9), (1, 1, 0), (1, 2, 0), "
        "(1, 3, 0), (1, 4, 0), (1, 5, 0);"
        "INSERT INTO ledger (account_id, type, delta, note, at_ms) VALUES (1, 0, 10, 'top-up', 1);"
        "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, flash, "
        "speed, parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, "
        "queued_ms, due_ms) VALUES (7, '" +
        old_id +
        "', 1, '+48500100300', 'ACME', 0, 'old', 0, 0, 0, 1, 1, 1, 1, '', 0, 'http', '', 2, 2);"
        "INSERT INTO ledger (account_id, type, delta, message_seq, message_id, note, at_ms) "
        "VALUES (1, 0, -1, 7, '" +
        old_id + "', 'accept', 2);";
    ASSERT_TRUE((*conn)->Exec(old).ok());
  }
  auto opened = PostgresStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  Store& store = **opened;
  EXPECT_EQ(*store.LedgerSumForMessage(old_id), -1);
  std::vector<Message> fresh;
  for (uint64_t i = 0; i < 3; ++i) {
    Message m;
    m.id = codec.Encode(20 + i);
    m.phone = "+48500100301";
    m.type = MessageType::kEco;
    m.text = "new";
    m.parts = 1;
    m.cost_units = 2;
    m.status = MessageStatus::kQueued;
    m.queued_ms = 3;
    m.due_ms = 3;
    fresh.push_back(m);
  }
  ASSERT_TRUE(store.Accept(AcceptRequest{1, fresh}).ok());
  for (const Message& m : fresh) EXPECT_EQ(*store.LedgerSumForMessage(m.id), -2);
  EXPECT_EQ(*store.LedgerSumForMessage(old_id), -1);

  auto conn = postgres::Connection::Open(options.conninfo);
  ASSERT_TRUE(conn.ok());
  auto one = [&](const std::string& sql) -> std::string {
    auto stmt = (*conn)->PrepareDynamic(sql);
    if (!stmt.ok()) return stmt.error().ToString();
    auto row = stmt->Step();
    return row.ok() && *row ? std::to_string(stmt->Int(0)) : "no row";
  };
  EXPECT_EQ(one("SELECT units FROM balances WHERE account_id = 1 AND type = 0"), "3");
  EXPECT_EQ(one("SELECT SUM(delta) FROM ledger WHERE account_id = 1 AND type = 0"), "3");
  EXPECT_EQ(one("SELECT delta FROM ledger WHERE note = 'accept' AND message_seq IS NULL"), "-6");
  EXPECT_EQ(one("SELECT COUNT(*) FROM (" + std::string(sql::kAcceptLedgerMismatches) + ") x"), "0");
}

}  // namespace
}  // namespace bramka::store
