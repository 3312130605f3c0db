// SourcePoller against a fake customer database that fails the Nth operation
// (before or after it takes effect), looped over N: whatever fails, every row
// ends as exactly one message with its smsid and report, invalid rows with
// their code, and the MO row inserted once (docs/adr/0013).

#include "ingest/sql/poller.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/check.h"
#include "common/clock.h"
#include "store/testing/in_memory_store.h"

namespace bramka::ingest::sql {
namespace {

struct FakeDb {
  struct Row {
    std::string number, sender, message, flags;
    SqlValue smsid, parts, dlr_date, dlr_code, dlr_description;
    std::string dlr = "0";
  };
  std::map<int64_t, Row> mt;
  std::vector<std::vector<SqlValue>> mo;
  Statements st;
  // PostgreSQL: the MT table's column types the poller reads per connection, and the
  // statements it then runs (MakeStatements + SetWriteBacks).
  std::string types_query;
  std::map<std::string, std::string> types;
  void Use(Engine engine) {
    const Layout layout = *MakeLayout("standard", "");
    st = MakeStatements(engine, layout, 500);
    if (engine != Engine::kPostgres) return;
    types_query = ColumnTypesQuery(layout);
    types = {{"id", "integer"},
             {"number", "character varying(20)"},
             {"smsid", "character varying(20)"},
             {"dlr", "smallint"},
             {"dlr_date", "timestamp without time zone"},
             {"dlr_code", "integer"},
             {"dlr_description", "character varying(100)"},
             {"parts", "smallint"}};
    SetWriteBacks(st, layout, types);
  }
  int calls = 0;
  int fail_at = -1;
  bool fail_after = false;  // the operation takes effect, then the connection breaks
  // ExecBatch calls (statement, rows) and Exec calls outside one: a batch's write-backs
  // go to the connection together (one bulk execution on MariaDB, docs/adr/0056).
  std::vector<std::pair<std::string, size_t>> batches;
  int single_execs = 0;
  int mo_checks = 0;
  // Rows the customer deletes (committed) just before each of bramka's transactions.
  std::set<int64_t> delete_at_begin;
};

// A value of a PostgreSQL set write-back's JSON object (docs/adr/0070): a string or null.
SqlValue JsonValue(const nlohmann::json& row, const char* column) {
  const nlohmann::json& v = row.at(column);
  if (v.is_null()) return std::nullopt;
  EXPECT_TRUE(v.is_string()) << column;
  return v.get<std::string>();
}

class FakeConnection : public SqlConnection {
 public:
  explicit FakeConnection(FakeDb& db) : db_(db) {}

  Result<std::vector<SqlRow>> Query(const std::string& sql) override {
    BRAMKA_RETURN_IF_ERROR(Before());
    std::vector<SqlRow> out;
    if (sql == db_.types_query) {  // PostgreSQL, once per connection (docs/adr/0070)
      for (const auto& [name, type] : db_.types) out.push_back({name, type});
      BRAMKA_RETURN_IF_ERROR(After());
      return out;
    }
    EXPECT_EQ(sql, db_.st.select_due);
    for (const auto& [id, r] : db_.mt) {
      if ((r.smsid && !r.smsid->empty()) || r.dlr == "-1") continue;
      out.push_back({std::to_string(id), r.number, r.sender, r.message, r.flags});
    }
    BRAMKA_RETURN_IF_ERROR(After());
    return out;
  }

  // The MO check of MariaDB/MySQL sources: per id 1 when the table holds it.
  Result<std::vector<SqlRow>> QueryParams(const std::string& sql,
                                          const std::vector<SqlValue>& ids) override {
    BRAMKA_RETURN_IF_ERROR(Before());
    EXPECT_EQ(sql, db_.st.find_mo);
    EXPECT_EQ(ids.size(), static_cast<size_t>(kMoCheckIds));
    ++db_.mo_checks;
    SqlRow row;
    for (const SqlValue& id : ids) {
      bool exists = false;
      for (const auto& m : db_.mo) exists = exists || (id && m[4] == id);
      row.push_back(exists ? "1" : "0");
    }
    BRAMKA_RETURN_IF_ERROR(After());
    return std::vector<SqlRow>{row};
  }

  Result<void> ExecBatch(const std::string& sql,
                         const std::vector<std::vector<SqlValue>>& rows) override {
    db_.batches.emplace_back(sql, rows.size());
    in_batch_ = true;
    Result<void> r = SqlConnection::ExecBatch(sql, rows);  // row by row, each may fail
    in_batch_ = false;
    return r;
  }

  Result<int64_t> Exec(const std::string& sql, const std::vector<SqlValue>& p) override {
    const bool set =
        !sql.empty() && (sql == db_.st.write_smsid_set || sql == db_.st.write_report_set);
    nlohmann::json rows;
    if (set) {
      // UPDATE ... FROM json_populate_recordset(NULL::mt, ?::json): one statement per batch,
      // inside the transaction, recorded as a batch of its rows.
      EXPECT_TRUE(in_tx_);
      EXPECT_EQ(p.size(), 1u);
      rows = nlohmann::json::parse(*p.at(0));
      EXPECT_TRUE(rows.is_array());
      db_.batches.emplace_back(sql, rows.size());
    } else if (!in_batch_) {
      ++db_.single_execs;
    }
    BRAMKA_RETURN_IF_ERROR(Before());
    // A row that is not there (deleted by the customer) is updated nowhere, as the real
    // UPDATE ... WHERE id = ? updates 0 rows.
    auto row = [&](const SqlValue& id) -> FakeDb::Row* {
      auto it = db_.mt.find(std::stoll(*id));
      return it == db_.mt.end() ? nullptr : &it->second;
    };
    if (sql == db_.st.write_smsid) {
      if (FakeDb::Row* r = row(p[2])) {
        r->smsid = p[0];
        r->parts = p[1];
      }
    } else if (sql == db_.st.write_report) {
      if (FakeDb::Row* r = row(p[4])) {
        r->dlr = *p[0];
        r->dlr_date = p[1];
        r->dlr_code = p[2];
        r->dlr_description = p[3];
      }
    } else if (set && sql == db_.st.write_smsid_set) {
      for (const nlohmann::json& j : rows) {
        EXPECT_EQ(j.size(), 3u);
        if (FakeDb::Row* r = row(JsonValue(j, "id"))) {
          r->smsid = JsonValue(j, "smsid");
          r->parts = JsonValue(j, "parts");
        }
      }
    } else if (set) {
      for (const nlohmann::json& j : rows) {
        EXPECT_EQ(j.size(), 5u);
        if (FakeDb::Row* r = row(JsonValue(j, "id"))) {
          r->dlr = *JsonValue(j, "dlr");
          r->dlr_date = JsonValue(j, "dlr_date");
          r->dlr_code = JsonValue(j, "dlr_code");
          r->dlr_description = JsonValue(j, "dlr_description");
        }
      }
    } else if (sql == db_.st.insert_mo && p.size() == 6) {  // PostgreSQL: WHERE NOT EXISTS
      bool exists = false;
      for (const auto& m : db_.mo) exists = exists || m[4] == p[5];
      if (!exists) db_.mo.push_back({p[0], p[1], p[2], p[3], p[4]});
    } else if (sql == db_.st.insert_mo && p.size() == 5) {  // MariaDB: VALUES, no check
      db_.mo.push_back({p[0], p[1], p[2], p[3], p[4]});
    } else {
      ADD_FAILURE() << "unexpected statement " << sql;
    }
    BRAMKA_RETURN_IF_ERROR(After());
    return int64_t{1};
  }

  Result<void> Begin() override {
    for (int64_t id : db_.delete_at_begin) db_.mt.erase(id);
    BRAMKA_RETURN_IF_ERROR(Before());
    snapshot_mt_ = db_.mt;
    snapshot_mo_ = db_.mo;
    in_tx_ = true;
    return After();
  }
  Result<void> Commit() override {
    BRAMKA_RETURN_IF_ERROR(Before());
    in_tx_ = false;
    return After();  // a lost acknowledgement: committed, but the caller sees an error
  }
  Result<void> Rollback() override {
    Restore();
    return Ok();
  }

 private:
  Result<void> Before() {
    if (broken_) return Fail(ErrorCode::kUnavailable, "connection is broken");
    if (++db_.calls == db_.fail_at && !db_.fail_after) return Break();
    return Ok();
  }
  Result<void> After() {
    if (db_.calls == db_.fail_at && db_.fail_after) return Break();
    return Ok();
  }
  Result<void> Break() {
    broken_ = true;
    Restore();  // the server rolls back an open transaction of a lost session
    return Fail(ErrorCode::kUnavailable, "injected failure");
  }
  void Restore() {
    if (!in_tx_) return;
    db_.mt = snapshot_mt_;
    db_.mo = snapshot_mo_;
    in_tx_ = false;
  }
  FakeDb& db_;
  bool broken_ = false;
  bool in_tx_ = false;
  bool in_batch_ = false;
  std::map<int64_t, FakeDb::Row> snapshot_mt_;
  std::vector<std::vector<SqlValue>> snapshot_mo_;
};

// A source of the standard structure on `engine`, polled every second.
store::SqlSource StandardSource(Engine engine, const SecretBox& box) {
  store::SqlSource source;
  source.engine = std::string(EngineName(engine));
  source.host = "db";
  source.port = 3306;
  source.database = "shop";
  source.user = "u";
  source.password_enc = box.Seal("pw");
  source.tls = "prefer";
  source.structure = "standard";
  source.interval_s = 1;
  return source;
}

// The key the tests' sources' passwords are sealed with.
SecretBox TestBox() {
  std::array<unsigned char, SecretBox::kKeyBytes> key{};
  key.fill(3);
  return SecretBox::FromKey(key);
}

// A gateway over an in-memory store with the account "acme" (`units` ECO units; created
// straight in the store: no argon2id per iteration) and one source of the standard
// structure on `engine`, as the gateway stored it.
struct Rig {
  Rig(Engine engine, const SecretBox& box, int64_t units) : gw(store, clock, core::CoreOptions{}) {
    auto created = store.CreateAccount("acme", "unused-hash", 0, 0);
    BRAMKA_CHECK(created.ok());
    account = *created;
    if (units > 0) {
      BRAMKA_CHECK(store.AdjustBalance(account, store::MessageType::kEco, units, "test", 0).ok());
    }
    BRAMKA_CHECK(gw.AddSqlSource("acme", StandardSource(engine, box)).ok());
    source = (*gw.ListSqlSources("acme"))[0];
  }
  store::InMemoryStore store;
  FakeClock clock;
  core::GatewayService gw;
  store::AccountId account = 0;
  store::SqlSource source;
};

// Options whose every connection reaches `db`.
SqlIngestOptions ConnectTo(FakeDb& db) {
  SqlIngestOptions options;
  options.connect = [&db](const ConnectParams&) -> Result<std::unique_ptr<SqlConnection>> {
    return std::unique_ptr<SqlConnection>(std::make_unique<FakeConnection>(db));
  };
  return options;
}

// Marks each of `messages` sent on connector "c" and delivered.
void DeliverAll(store::Store& store, const std::vector<store::Message>& messages) {
  for (const auto& m : messages) {
    ASSERT_TRUE(store.MarkSent(m.id, "c", "up-" + m.id, 1000).ok());
    store::ReceiptUpdate receipt;
    receipt.connector = "c";
    receipt.upstream_id = "up-" + m.id;
    receipt.status = store::MessageStatus::kDelivered;
    receipt.at_ms = 2000;
    ASSERT_TRUE(store.ApplyReceipt(receipt).ok());
  }
}

// (the operation fails after taking effect, the engine whose statements the poller runs)
class SourcePollerTest : public ::testing::TestWithParam<std::tuple<bool, Engine>> {};

TEST_P(SourcePollerTest, EveryRowExactlyOnceWhateverOperationFails) {
  const auto [fail_after, engine] = GetParam();
  const SecretBox box = TestBox();
  int max_calls_seen = 0;
  for (int n = 0; n <= max_calls_seen + 1; ++n) {
    SCOPED_TRACE("failing operation " + std::to_string(n) + (fail_after ? " after it" : ""));
    Rig rig(engine, box, 100);
    auto& [store, clock, gw, account, source] = rig;

    FakeDb db;
    db.Use(engine);
    db.fail_at = n;
    db.fail_after = fail_after;
    db.mt[1] = {"+48500100201", "", "one", "", {}, {}, {}, {}, {}};
    db.mt[2] = {"+48500100202", "", "two", "FLASH", {}, {}, {}, {}, {}};
    db.mt[3] = {"123", "", "bad number", "", {}, {}, {}, {}, {}};
    // A flag whose error (the report's description) holds a quote and a backslash: escaped in
    // PostgreSQL's JSON parameter.
    db.mt[4] = {"+48500100204", "", "bad flag", "LO\"U\\D", {}, {}, {}, {}, {}};
    db.mt[5] = {"+48500100205", "", std::string(200, 'x'), "", {}, {}, {}, {}, {}};
    SqlIngestOptions options;
    std::string password_seen;
    options.connect = [&](const ConnectParams& p) -> Result<std::unique_ptr<SqlConnection>> {
      password_seen = p.password;
      return std::unique_ptr<SqlConnection>(std::make_unique<FakeConnection>(db));
    };
    SourcePoller poller(gw, store, box, options, source);
    auto settle = [&] {
      for (int i = 0; i < 10; ++i) {
        auto r = poller.Cycle();
        if (r.ok() && !*r) return;
      }
      ADD_FAILURE() << "did not settle";
    };
    settle();
    EXPECT_EQ(password_seen, "pw");
    // Deliver every message, queue an incoming one, settle again.
    store::MessageQuery q;
    q.account_id = (*gw.ListAccounts())[0].id;
    auto page = store.QueryMessages(q);
    ASSERT_TRUE(page.ok());
    ASSERT_EQ(page->items.size(), 3u) << "a row became more or fewer than one message";
    ASSERT_NO_FATAL_FAILURE(DeliverAll(store, page->items));
    core::GatewayService::IncomingCallback in;
    in.account_id = q.account_id;
    in.message_id = "00000000a1";
    in.from = "+48500100300";
    in.to = "+48700000000";
    in.text = "TAK";
    in.received_ms = 3000;
    ASSERT_EQ(*gw.QueueIncomingForSql(in), 1);
    settle();

    std::set<std::string> smsids;
    for (int row : {1, 2, 5}) {
      const auto& r = db.mt[row];
      ASSERT_TRUE(r.smsid.has_value()) << "row " << row;
      smsids.insert(*r.smsid);
      EXPECT_EQ(r.dlr, "1") << "row " << row;
      EXPECT_TRUE(r.dlr_date.has_value());
    }
    EXPECT_EQ(smsids.size(), 3u);
    EXPECT_EQ(*db.mt[5].parts, "2");
    EXPECT_EQ(db.mt[3].dlr, "-1");
    EXPECT_EQ(*db.mt[3].dlr_code, "2200");
    EXPECT_FALSE(db.mt[3].smsid.has_value());
    EXPECT_EQ(db.mt[4].dlr, "-1");
    EXPECT_EQ(*db.mt[4].dlr_code, "2203");
    EXPECT_NE(db.mt[4].dlr_description->find("'LO\"U\\D'"), std::string::npos)
        << *db.mt[4].dlr_description;
    ASSERT_EQ(db.mo.size(), 1u);
    EXPECT_EQ(*db.mo[0][2], "TAK");
    EXPECT_TRUE(store.PendingSqlMo(source.id, -1)->empty());
    EXPECT_TRUE(store.PendingSqlReports(source.id, -1)->empty());
    EXPECT_EQ(db.single_execs, 0);
    if (n == 0) {
      max_calls_seen = db.calls;
      // Without failures: the three valid rows' smsids in one call, then the five reports
      // (two invalid rows in the first cycle, three delivered after), the MO row. On
      // PostgreSQL each step's write-back is one statement (docs/adr/0070).
      const bool pg = engine == Engine::kPostgres;
      const std::string& smsid = pg ? db.st.write_smsid_set : db.st.write_smsid;
      const std::string& report = pg ? db.st.write_report_set : db.st.write_report;
      EXPECT_EQ(db.st.write_smsid_set.empty(), !pg);
      const std::vector<std::pair<std::string, size_t>> want = {
          {smsid, 3}, {report, 2}, {report, 3}, {db.st.insert_mo, 1}};
      std::vector<std::pair<std::string, size_t>> nonempty;
      for (const auto& b : db.batches) {
        if (b.second > 0) nonempty.push_back(b);
      }
      EXPECT_EQ(nonempty, want);
      EXPECT_EQ(db.mo_checks, engine == Engine::kMysql ? 1 : 0);
    }
  }
  EXPECT_GT(max_calls_seen, 10);
}

// Rows the customer deletes between the poll and the write-back (step 1) and before the
// report (step 2): as row by row before (an UPDATE of no row), the rest of the batch is
// written, nothing fails, and the deleted rows' messages and reports are done with
// (nothing left pending, no retry loop).
class DeletedRowsTest : public ::testing::TestWithParam<Engine> {};

TEST_P(DeletedRowsTest, RowsDeletedByTheCustomerAreSkipped) {
  const Engine engine = GetParam();
  const SecretBox box = TestBox();
  Rig rig(engine, box, 100);
  auto& [store, clock, gw, account, source] = rig;
  FakeDb db;
  db.Use(engine);
  for (int64_t id = 1; id <= 4; ++id) {
    db.mt[id] = {fmt::format("+4850010020{}", id), "", "text", "", {}, {}, {}, {}, {}};
  }
  const SqlIngestOptions options = ConnectTo(db);
  SourcePoller poller(gw, store, box, options, source);
  db.delete_at_begin = {2};  // after the poll read it, before its smsid is written
  auto first = poller.Cycle();
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_FALSE(db.mt.count(2));
  for (int64_t id : {1, 3, 4}) EXPECT_TRUE(db.mt[id].smsid.has_value()) << id;
  db.delete_at_begin = {3};  // sent, then deleted before its report
  store::MessageQuery q;
  q.account_id = account;
  auto page = store.QueryMessages(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 4u);  // row 2's message too: claimed before the write-back
  ASSERT_NO_FATAL_FAILURE(DeliverAll(store, page->items));
  auto second = poller.Cycle();
  ASSERT_TRUE(second.ok()) << second.error().ToString();
  EXPECT_FALSE(*second);
  EXPECT_EQ(db.mt.size(), 2u);
  for (int64_t id : {1, 4}) EXPECT_EQ(db.mt[id].dlr, "1") << id;
  EXPECT_TRUE(store.PendingSqlReports(source.id, -1)->empty());
  EXPECT_EQ(poller.Counters().reports_written, 4);
}

// PostgreSQL whose MT table lacks a column's type (here parts: the statement would fail
// on the table anyway): that step's write-back goes row by row (pipelined), the other as
// one statement; the same values end in the rows.
TEST(SourcePollerPostgres, AStepWithoutEveryColumnTypeGoesRowByRow) {
  const SecretBox box = TestBox();
  Rig rig(Engine::kPostgres, box, 100);
  auto& [store, clock, gw, account, source] = rig;
  FakeDb db;
  db.Use(Engine::kPostgres);
  db.types.erase("parts");
  SetWriteBacks(db.st, *MakeLayout("standard", ""), db.types);
  ASSERT_TRUE(db.st.write_smsid_set.empty());
  ASSERT_FALSE(db.st.write_report_set.empty());
  db.mt[1] = {"+48500100201", "", "one", "", {}, {}, {}, {}, {}};
  db.mt[2] = {"123", "", "bad number", "", {}, {}, {}, {}, {}};
  const SqlIngestOptions options = ConnectTo(db);
  SourcePoller poller(gw, store, box, options, source);
  auto r = poller.Cycle();
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE(db.mt[1].smsid.has_value());
  EXPECT_EQ(*db.mt[1].parts, "1");
  EXPECT_EQ(*db.mt[2].dlr_code, "2200");
  const std::vector<std::pair<std::string, size_t>> want = {{db.st.write_smsid, 1},
                                                            {db.st.write_report_set, 1}};
  EXPECT_EQ(db.batches, want);
}

// A batch of 301 incoming messages (two MO checks of 256 ids on MariaDB, one bulk insert),
// three of them already in the customer's table as if an earlier attempt had committed them
// and then failed before acknowledging them in bramka's store: whatever operation fails
// (a row of the insert, the check, COMMIT or its answer), each id ends in the table
// exactly once, the rows already there untouched, nothing left queued (docs/adr/0062).
TEST_P(SourcePollerTest, IncomingBatchEachOnceWhateverOperationFails) {
  const auto [fail_after, engine] = GetParam();
  const SecretBox box = TestBox();
  constexpr int kEntries = 300;
  const std::set<int> earlier = {0, 255, 299};  // in the table before the poll
  auto id_of = [](int i) { return fmt::format("{:05d}abcde", i); };
  // One more entry whose id differs from entry 7's in case only: the server might count
  // them as one (a case-insensitive collation), so it waits for the next cycle, whose check
  // sees entry 7 (this fake compares exactly: inserted then).
  const std::string loud = "00007ABCDE";
  int max_calls_seen = 0;
  for (int n = 0; n <= max_calls_seen + 1; ++n) {
    SCOPED_TRACE("failing operation " + std::to_string(n) + (fail_after ? " after it" : ""));
    Rig rig(engine, box, 0);
    auto& [store, clock, gw, account, source] = rig;
    for (int i = 0; i < kEntries; ++i) {
      core::GatewayService::IncomingCallback in;
      in.account_id = account;
      in.message_id = id_of(i);
      in.from = fmt::format("+4850010{:04d}", i);
      in.to = "+48700000000";
      in.text = fmt::format("odpowiedź {}", i);
      in.received_ms = 3000 + i;
      ASSERT_EQ(*gw.QueueIncomingForSql(in), 1);
    }
    core::GatewayService::IncomingCallback in;
    in.account_id = account;
    in.message_id = loud;
    in.from = "+48500100999";
    in.text = "LOUD";
    ASSERT_EQ(*gw.QueueIncomingForSql(in), 1);
    FakeDb db;
    db.Use(engine);
    for (int i : earlier) db.mo.push_back({"earlier", "earlier", "earlier", "earlier", id_of(i)});
    db.fail_at = n;
    db.fail_after = fail_after;
    const SqlIngestOptions options = ConnectTo(db);
    SourcePoller poller(gw, store, box, options, source);
    bool settled = false;
    for (int i = 0; i < 10 && !settled; ++i) {
      auto r = poller.Cycle();
      settled = r.ok() && !*r;
    }
    ASSERT_TRUE(settled);
    EXPECT_TRUE(store.PendingSqlMo(source.id, -1)->empty());
    std::map<std::string, std::vector<SqlValue>> by_id;
    for (const auto& m : db.mo) {
      EXPECT_TRUE(by_id.emplace(*m[4], m).second) << "twice: " << *m[4];
    }
    ASSERT_EQ(by_id.size(), static_cast<size_t>(kEntries + 1));
    EXPECT_EQ(*by_id[loud][2], "LOUD");
    for (int i = 0; i < kEntries; ++i) {
      const std::vector<SqlValue>& m = by_id[id_of(i)];
      if (earlier.count(i)) {
        EXPECT_EQ(*m[2], "earlier") << i;
      } else {
        EXPECT_EQ(*m[0], fmt::format("+4850010{:04d}", i));
        EXPECT_EQ(*m[2], fmt::format("odpowiedź {}", i));
      }
    }
    if (n == 0) {
      max_calls_seen = db.calls;
      // MariaDB inserts only the ids not there yet; PostgreSQL's statement skips them. The
      // upper-case id in a cycle of its own.
      const std::vector<std::pair<std::string, size_t>> want = {
          {db.st.insert_mo, engine == Engine::kMysql ? kEntries - earlier.size() : kEntries},
          {db.st.insert_mo, 1}};
      std::vector<std::pair<std::string, size_t>> nonempty;
      for (const auto& b : db.batches) {
        if (b.second > 0) nonempty.push_back(b);
      }
      EXPECT_EQ(nonempty, want);
      EXPECT_EQ(db.mo_checks, engine == Engine::kMysql ? 3 : 0);
    }
  }
  EXPECT_GT(max_calls_seen, kEntries);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DeletedRowsTest,
                         ::testing::Values(Engine::kMysql, Engine::kPostgres));
INSTANTIATE_TEST_SUITE_P(BeforeAndAfter, SourcePollerTest,
                         ::testing::Combine(::testing::Bool(),
                                            ::testing::Values(Engine::kMysql, Engine::kPostgres)));

}  // namespace
}  // namespace bramka::ingest::sql
