// Store conformance: SQL API sources, row claims, pending reports and the MO
// queue (store.h "SQL API sources", docs/adr/0013).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

SqlSource Source(AccountId account, const std::string& host) {
  SqlSource s;
  s.account_id = account;
  s.engine = "mysql";
  s.host = host;
  s.port = 3306;
  s.database = "db";
  s.user = "u";
  s.password_enc = "sb1:xyz";
  s.tls = "prefer";
  s.structure = "standard";
  s.interval_s = 5;
  s.created_ms = 1000;
  return s;
}

SqlRowClaim Claim(int64_t source, int64_t row, const std::string& message_id, int parts = 1) {
  SqlRowClaim c;
  c.source_id = source;
  c.row_id = row;
  c.message_id = message_id;
  c.parts = parts;
  c.claimed_ms = 5000;
  return c;
}

}  // namespace

TEST_P(StoreConformanceTest, SqlSourcesAreScopedByAccount) {
  const AccountId a = NewAccount("sql-a");
  const AccountId b = NewAccount("sql-b");
  auto sa = store().CreateSqlSource(Source(a, "ha"));
  auto sb = store().CreateSqlSource(Source(b, "hb"));
  ASSERT_TRUE(sa.ok() && sb.ok());
  EXPECT_EQ(store().CreateSqlSource(Source(9999, "x")).error().code, ErrorCode::kNotFound);
  auto all = store().ListSqlSources(0);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].host, "ha");
  EXPECT_EQ((*all)[0].password_enc, "sb1:xyz");
  EXPECT_EQ((*all)[0].state, "new");
  auto only_b = store().ListSqlSources(b);
  ASSERT_EQ(only_b->size(), 1u);
  EXPECT_EQ((*only_b)[0].id, *sb);
  ASSERT_TRUE(store().SetSqlSourceStatus(*sa, "retrying", "connection refused", 0, 3).ok());
  auto after = store().ListSqlSources(a);
  EXPECT_EQ((*after)[0].state, "retrying");
  EXPECT_EQ((*after)[0].last_error, "connection refused");
  EXPECT_EQ((*after)[0].failures, 3);
  // B cannot remove A's source.
  EXPECT_EQ(store().DeleteSqlSource(b, *sa).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteSqlSource(a, *sa).ok());
  EXPECT_EQ(store().ListSqlSources(0)->size(), 1u);
}

TEST_P(StoreConformanceTest, SqlClaimsKeepTheFirstAndReportFinalMessages) {
  const AccountId a = NewAccount("sqlc-a");
  const int64_t src = *store().CreateSqlSource(Source(a, "h"));
  Message m1 = NewMessage(a, "+48500000001");
  Message m2 = NewMessage(a, "+48500000002");
  AcceptOk(a, {m1, m2});
  SqlRowClaim invalid;
  invalid.source_id = src;
  invalid.row_id = 3;
  invalid.invalid_code = 2200;
  invalid.invalid_description = "invalid recipient number";
  invalid.claimed_ms = 7000;
  auto claimed = store().ClaimSqlRows({Claim(src, 1, m1.id, 2), Claim(src, 2, m2.id), invalid});
  ASSERT_TRUE(claimed.ok()) << claimed.error().ToString();
  ASSERT_EQ(claimed->size(), 3u);
  EXPECT_EQ((*claimed)[0].parts, 2);
  // A repeated claim of row 1 with another message keeps the first.
  auto again = store().ClaimSqlRows({Claim(src, 1, m2.id, 9)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].message_id, m1.id);
  EXPECT_EQ((*again)[0].parts, 2);

  // Only the invalid row is reportable while the messages are not final.
  auto pending = store().PendingSqlReports(src, -1);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].row_id, 3);
  EXPECT_EQ((*pending)[0].invalid_code, 2200);
  EXPECT_EQ((*pending)[0].status, MessageStatus::kUnsent);

  ASSERT_TRUE(store().MarkSent(m1.id, "c", "up1", 20'000).ok());
  ASSERT_TRUE(
      store().ApplyReceipt({"c", "up1", MessageStatus::kUndelivered, "wrong_number", 21'000}).ok());
  ASSERT_TRUE(store().MarkUnsent(m2.id, "lock_send", 22'000).ok());
  pending = store().PendingSqlReports(src, -1);
  ASSERT_EQ(pending->size(), 3u);
  EXPECT_EQ((*pending)[0].row_id, 1);
  EXPECT_EQ((*pending)[0].status, MessageStatus::kUndelivered);
  EXPECT_EQ((*pending)[0].reason, "wrong_number");
  EXPECT_EQ((*pending)[0].done_ms, 21'000);
  EXPECT_EQ((*pending)[1].status, MessageStatus::kUnsent);
  EXPECT_EQ((*pending)[1].reason, "lock_send");
  EXPECT_EQ(store().PendingSqlReports(src, 1)->size(), 1u);

  ASSERT_TRUE(store().MarkSqlReported(src, {1, 3}).ok());
  pending = store().PendingSqlReports(src, -1);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].row_id, 2);
  ASSERT_TRUE(store().MarkSqlReported(src, {2, 2, 77}).ok());  // repeats and unknown rows are fine
  EXPECT_TRUE(store().PendingSqlReports(src, -1)->empty());
}

TEST_P(StoreConformanceTest, SqlMoIsQueuedPerSourceOfTheAccountOnce) {
  const AccountId a = NewAccount("sqlm-a");
  const AccountId b = NewAccount("sqlm-b");
  const AccountId none = NewAccount("sqlm-none");
  const int64_t a1 = *store().CreateSqlSource(Source(a, "h1"));
  const int64_t a2 = *store().CreateSqlSource(Source(a, "h2"));
  const int64_t b1 = *store().CreateSqlSource(Source(b, "h3"));
  SqlMoEntry e;
  e.account_id = a;
  e.message_id = "00000000a1";
  e.from = "+48500100200";
  e.to = "+48700000000";
  e.text = "reply";
  e.received_ms = 9000;
  auto n = store().QueueSqlMo(e);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 2);
  EXPECT_EQ(*store().QueueSqlMo(e), 0);  // the same message again: not queued twice
  e.account_id = none;
  EXPECT_EQ(*store().QueueSqlMo(e), 0);
  e.account_id = 9999;
  EXPECT_EQ(store().QueueSqlMo(e).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().PendingSqlMo(b1, -1)->empty());  // B's source gets nothing of A's
  auto p1 = store().PendingSqlMo(a1, -1);
  ASSERT_EQ(p1->size(), 1u);
  EXPECT_EQ((*p1)[0].from, "+48500100200");
  EXPECT_EQ((*p1)[0].to, "+48700000000");
  EXPECT_EQ((*p1)[0].text, "reply");
  EXPECT_EQ((*p1)[0].received_ms, 9000);
  EXPECT_EQ((*p1)[0].source_id, a1);
  ASSERT_TRUE(store().AckSqlMo({(*p1)[0].id}).ok());
  ASSERT_TRUE(store().AckSqlMo({(*p1)[0].id, 9999}).ok());  // again, and an unknown id
  ASSERT_TRUE(store().AckSqlMo({}).ok());
  EXPECT_TRUE(store().PendingSqlMo(a1, -1)->empty());
  EXPECT_EQ(store().PendingSqlMo(a2, -1)->size(), 1u);
  // A batch acknowledged in one call: those entries only.
  e.account_id = a;
  for (const char* id : {"00000000a2", "00000000a3"}) {
    e.message_id = id;
    ASSERT_EQ(*store().QueueSqlMo(e), 2);
  }
  auto p2 = store().PendingSqlMo(a2, -1);
  ASSERT_EQ(p2->size(), 3u);
  ASSERT_TRUE(store().AckSqlMo({(*p2)[0].id, (*p2)[2].id}).ok());
  p2 = store().PendingSqlMo(a2, -1);
  ASSERT_EQ(p2->size(), 1u);
  EXPECT_EQ((*p2)[0].message_id, "00000000a2");
  EXPECT_EQ(store().PendingSqlMo(a1, -1)->size(), 2u);
}

}  // namespace bramka::store
