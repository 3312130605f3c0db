// PostgresStore::ClaimDue over migration 9's two partial indexes (s10-pg, docs/adr/0050):
// free and expired leases merged oldest due first between two nodes, rows other
// transactions hold skipped without waiting, route hints in both arms, and the upgrade from
// schema 8 with a plan that no longer walks past the messages in flight.

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/postgres/claim_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/migrations.h"
#include "store/postgres/postgres_store.h"
#include "store/postgres/test_server.h"

namespace bramka::store {
namespace {

using postgres::TestServer;

std::vector<std::string> Ids(const Result<std::vector<Message>>& claimed) {
  std::vector<std::string> ids;
  if (!claimed.ok()) return {"error: " + claimed.error().ToString()};
  for (const Message& m : *claimed) ids.push_back(m.id);
  return ids;
}

// Nodes "a" and "b" on one database. Messages m0..m5 due at 10, 20, ... 60: "a" claims two
// with a short lease, "b" the rest; "b" puts m4 back (due 15). Once a's lease is over, one
// claim takes the oldest due of the expired (m0, m1) and the free (m4) together.
TEST(PostgresClaim, LeasedAndExpiredMessagesBetweenTwoNodes) {
  std::string why;
  TestServer* server = TestServer::Get(&why);
  if (server == nullptr) GTEST_SKIP() << why;
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  options.connections = 3;
  options.async_workers = 1;
  options.node_id = "a";
  auto a = PostgresStore::Open(options);
  options.node_id = "b";
  auto b = PostgresStore::Open(options);
  ASSERT_TRUE(a.ok() && b.ok());
  auto acct = (*a)->CreateAccount("claim", "h", 0, 1);
  ASSERT_TRUE(acct.ok());
  ASSERT_TRUE((*a)->SetBalanceMode(*acct, MessageType::kEco, true, true).ok());
  MessageIdCodec codec(options.message_id_key);
  const uint64_t base = *(*a)->ReserveIdBlock(6);
  std::vector<Message> ms(6);
  std::vector<std::string> id(6);
  for (int i = 0; i < 6; ++i) {
    ms[i].id = id[i] = codec.Encode(base + i);
    ms[i].phone = "+48500000001";
    ms[i].type = MessageType::kEco;
    ms[i].text = "hi";
    ms[i].parts = 1;
    ms[i].status = MessageStatus::kQueued;
    ms[i].queued_ms = 1;
    ms[i].due_ms = 10 * (i + 1);
  }
  ASSERT_TRUE((*a)->Accept(AcceptRequest{*acct, ms}).ok());

  EXPECT_EQ(Ids((*a)->ClaimDue(100, 2, "a", 1'000)), (std::vector{id[0], id[1]}));
  EXPECT_EQ(Ids((*b)->ClaimDue(100, 10, "b", 5'000)), (std::vector{id[2], id[3], id[4], id[5]}));
  EXPECT_TRUE((*b)->ClaimDue(999, 10, "b", 5'000)->empty());  // a's leases still run
  ASSERT_TRUE((*b)->MarkRetry(id[4], 15, "retry").ok());

  // A transaction elsewhere holds m0 (expired) and m4 (free): the claim skips both at
  // once rather than waiting for it.
  auto other = postgres::Connection::Open(options.conninfo);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Exec("BEGIN").ok());
  ASSERT_TRUE((*other)
                  ->Exec("SELECT seq FROM messages WHERE seq IN (" + std::to_string(base) + ", " +
                         std::to_string(base + 4) + ") FOR UPDATE")
                  .ok());
  EXPECT_TRUE(Ids((*a)->ClaimDue(1'000, 10, "a", 1'500)) == std::vector{id[1]});
  ASSERT_TRUE((*other)->Exec("ROLLBACK").ok());

  // At 1,500 m1's new lease ran out too: the oldest due of both kinds, limit first.
  auto two = (*b)->ClaimDue(1'500, 2, "b", 9'000);
  EXPECT_EQ(Ids(two), (std::vector{id[0], id[4]}));  // due 10 (expired), 15 (free)
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].attempts, 2);
  EXPECT_EQ((*two)[1].attempts, 2);
  EXPECT_EQ((*two)[0].status, MessageStatus::kQueued);
  auto rest = (*b)->ClaimDue(1'500, 10, "b", 9'000);
  EXPECT_EQ(Ids(rest), std::vector{id[1]});
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].attempts, 3);

  // Route hints hold in the expired arm: m5 handed to connector x's owner "b" and leased
  // by it; when that message lease runs out while b still holds x, only b claims it.
  ASSERT_TRUE(*(*b)->AcquireLease("connector:x", "b", 60'000, true));
  ASSERT_TRUE((*b)->HandOverMessages({id[5]}, "x", 100).ok());
  EXPECT_TRUE((*a)->ClaimDue(1'500, 10, "a", 1'600)->empty());  // free, hinted to b
  EXPECT_EQ(Ids((*b)->ClaimDue(1'500, 10, "b", 2'000)), std::vector{id[5]});
  EXPECT_TRUE((*a)->ClaimDue(2'000, 10, "a", 20'000)->empty());  // expired, hinted to b
  EXPECT_EQ(Ids((*b)->ClaimDue(2'000, 10, "b", 20'000)), std::vector{id[5]});

  // ReleaseLeases (a restart) frees exactly the node's own leases.
  EXPECT_EQ(*(*a)->ReleaseLeases("a"), 0);
  EXPECT_EQ(*(*b)->ReleaseLeases("b"), 6);
  EXPECT_EQ((*a)->ClaimDue(10'000, 10, "a", 20'000)->size(), 5u);  // m5 still hinted to b
}

// The PostgreSQL text of one EXPLAIN of ClaimDue's statement, a line per plan line.
std::vector<std::string> ExplainClaim(postgres::Connection& conn, const char* options,
                                      int64_t now_ms, int limit) {
  auto stmt = conn.PrepareDynamic(std::string("EXPLAIN ") + options + " " + postgres::kClaimDue);
  if (!stmt.ok()) return {stmt.error().ToString()};
  stmt->BindInt(1, now_ms).BindInt(2, limit).BindText(3, "a").BindInt(4, now_ms + 60'000);
  std::vector<std::string> lines;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return {row.error().ToString()};
    if (!*row) break;
    lines.push_back(stmt->Text(0));
  }
  return lines;
}

// Buffers (hit + read) of the first plan node whose line contains `node`; -1 if none.
int64_t NodeBuffers(const std::vector<std::string>& plan, const std::string& node) {
  size_t i = 0;
  while (i < plan.size() && plan[i].find(node) == std::string::npos) ++i;
  for (++i; i < plan.size() && plan[i].find("->") == std::string::npos; ++i) {
    const size_t at = plan[i].find("Buffers: shared");
    if (at == std::string::npos) continue;
    int64_t sum = 0;
    for (const char* key : {"hit=", "read="}) {
      const size_t k = plan[i].find(key, at);
      if (k != std::string::npos)
        sum += std::strtoll(plan[i].c_str() + k + std::strlen(key), nullptr, 10);
    }
    return sum;
  }
  return -1;
}

std::string Joined(const std::vector<std::string>& plan) {
  std::string out;
  for (const std::string& line : plan) out += line + "\n";
  return out;
}

// A database of schema 8 with free, leased, expired and sent messages: after migration 9
// ClaimDue leases the same messages in the same order, and with 20,000 messages in flight
// its plan reads the free ones from messages_claim without touching theirs.
TEST(PostgresClaim, Migration9ClaimsTheSameAndSkipsTheLeasedInTheIndex) {
  std::string why;
  TestServer* server = TestServer::Get(&why);
  if (server == nullptr) GTEST_SKIP() << why;
  PostgresOptions options;
  options.conninfo = server->FreshConninfo();
  const MessageIdCodec codec(options.message_id_key);
  auto row = [&](int64_t seq, int64_t status, int64_t due, const char* owner, int64_t until) {
    return "(" + std::to_string(seq) + ", '" + codec.Encode(seq) +
           "', 1, '+48500100300', 'ACME', 0, 'x', 0, 0, 0, 1, 1, 1, " + std::to_string(status) +
           ", '', 0, 'http', '', 1, " + std::to_string(due) + ", '" + owner + "', " +
           std::to_string(until) + ", 1)";
  };
  const std::string insert =
      "INSERT INTO messages (seq, id, account_id, phone, sender, type, text, unicode, flash, "
      "speed, parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, "
      "queued_ms, due_ms, lease_owner, lease_until_ms, attempts) VALUES ";
  {
    auto conn = postgres::Connection::Open(options.conninfo);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE(postgres::MigrateTo(**conn, 8).ok());
    ASSERT_TRUE((*conn)
                    ->Exec("INSERT INTO accounts (id, name, password_hash, created_ms) "
                           "VALUES (1, 'acme', 'h', 1);" +
                           insert + row(1, 0, 1'000, "", 0) + ", " +
                           row(2, 1, 500, "node-b", 60'000) + ", " +
                           row(3, 1, 800, "node-b", 4'000) + ", " + row(4, 2, 100, "", 0))
                    .ok());
  }
  auto opened = PostgresStore::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  Store& store = **opened;
  auto claimed = store.ClaimDue(5'000, 10, "node-a", 60'000);
  EXPECT_EQ(Ids(claimed), (std::vector{codec.Encode(3), codec.Encode(1)}));  // due 800, 1,000
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].attempts, 2);
  EXPECT_EQ(Ids(store.ClaimDue(70'000, 1, "node-a", 80'000)), std::vector{codec.Encode(2)});
  EXPECT_TRUE(store.ClaimDue(50'000, 10, "node-a", 90'000)->empty());

  // 20,000 messages in flight (due first) and five free ones behind them.
  auto conn = postgres::Connection::Open(options.conninfo);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)
                  ->Exec("INSERT INTO messages (seq, id, account_id, phone, sender, type, text, "
                         "unicode, flash, speed, parts, cost_units, charged_units, status, "
                         "unique_id, stat_id, source, dlr_url, queued_ms, due_ms, lease_owner, "
                         "lease_until_ms) SELECT g, 'x' || g, 1, '+48500100300', 'ACME', 0, "
                         "'x', 0, 0, 0, 1, 1, 1, 1, '', 0, 'http', '', 1, g, "
                         "CASE WHEN g < 20100 THEN 'node-b' ELSE '' END, "
                         "CASE WHEN g < 20100 THEN 1000000000 ELSE 0 END "
                         "FROM generate_series(100, 20104) g; ANALYZE messages")
                  .ok());
  const auto plan = ExplainClaim(**conn, "", 100'000, 5);
  const std::string text = Joined(plan);
  EXPECT_NE(text.find("Index Scan using messages_claim"), std::string::npos) << text;
  EXPECT_NE(text.find("Index Scan using messages_leased"), std::string::npos) << text;
  EXPECT_EQ(text.find("Seq Scan on messages"), std::string::npos) << text;
  // Run (and roll back): the free arm's index scan reads a page or two, not the ~100
  // leaf pages of 20,000 leased entries the old index walked.
  ASSERT_TRUE((*conn)->Exec("BEGIN").ok());
  const auto run = ExplainClaim(**conn, "(ANALYZE, BUFFERS)", 100'000, 5);
  ASSERT_TRUE((*conn)->Exec("ROLLBACK").ok());
  const int64_t buffers = NodeBuffers(run, "Index Scan using messages_claim");
  EXPECT_GE(buffers, 1) << Joined(run);
  EXPECT_LE(buffers, 20) << Joined(run);
  // The five free ones and the three whose leases ran out (until 60,000 and 80,000).
  EXPECT_EQ(store.ClaimDue(100'000, 10, "node-a", 200'000)->size(), 8u);
}

}  // namespace
}  // namespace bramka::store
