// GatewayService: SQL API sources (core/sql_sources.cc) and the entry point
// for incoming messages to them (QueueIncomingForSql).

#include <gtest/gtest.h>

#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

class SqlSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    a_ = *gw_->CreateAccount("acme", "secret");
    b_ = *gw_->CreateAccount("other", "secret");
  }
  static store::SqlSource Source() {
    store::SqlSource s;
    s.engine = "mysql";
    s.host = "127.0.0.1";
    s.port = 3306;
    s.database = "shop";
    s.user = "bramka";
    s.password_enc = "v1:AAAA";
    s.tls = "prefer";
    s.structure = "standard";
    s.interval_s = 5;
    return s;
  }
  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  store::AccountId a_ = 0, b_ = 0;
};

TEST_F(SqlSourcesTest, AddValidatesEachField) {
  auto id = gw_->AddSqlSource("acme", Source());
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto list = gw_->ListSqlSources("acme");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].account_id, a_);
  EXPECT_EQ((*list)[0].state, "new");
  EXPECT_TRUE(gw_->ListSqlSources("other")->empty());
  EXPECT_EQ(gw_->ListSqlSources("")->size(), 1u);
  EXPECT_EQ(gw_->AddSqlSource("nobody", Source()).error().code, ErrorCode::kNotFound);
  struct Case {
    void (*edit)(store::SqlSource&);
    const char* word;
  } cases[] = {
      {[](store::SqlSource& s) { s.engine = "oracle"; }, "engine"},
      {[](store::SqlSource& s) { s.host = ""; }, "host"},
      {[](store::SqlSource& s) { s.database = ""; }, "database"},
      {[](store::SqlSource& s) { s.user = ""; }, "user"},
      {[](store::SqlSource& s) { s.port = 70000; }, "port"},
      {[](store::SqlSource& s) { s.tls = "maybe"; }, "tls"},
      {[](store::SqlSource& s) { s.structure = "odd"; }, "structure"},
      {[](store::SqlSource& s) { s.interval_s = 0; }, "interval"},
      {[](store::SqlSource& s) { s.password_enc = "plain"; }, "password"},
  };
  for (const Case& c : cases) {
    store::SqlSource s = Source();
    c.edit(s);
    auto r = gw_->AddSqlSource("acme", s);
    ASSERT_FALSE(r.ok()) << c.word;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(r.error().message.find(c.word), std::string::npos) << r.error().message;
  }
}

TEST_F(SqlSourcesTest, RemoveIsScopedByAccount) {
  int64_t id = *gw_->AddSqlSource("acme", Source());
  EXPECT_EQ(gw_->RemoveSqlSource("other", id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(gw_->RemoveSqlSource("acme", id).ok());
  EXPECT_TRUE(gw_->ListSqlSources("")->empty());
}

TEST_F(SqlSourcesTest, IncomingMessagesReachOnlyTheAccountsSources) {
  int64_t a1 = *gw_->AddSqlSource("acme", Source());
  int64_t b1 = *gw_->AddSqlSource("other", Source());
  int woken = 0;
  gw_->SetSqlQueuedHook([&] { ++woken; });
  GatewayService::IncomingCallback in;
  in.account_id = a_;
  in.message_id = "00000000f1";
  in.from = "+48500100200";
  in.to = "+48700800900";
  in.text = "TAK";
  in.received_ms = 1'700'000'000'000;
  auto n = gw_->QueueIncomingForSql(in);
  ASSERT_TRUE(n.ok()) << n.error().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(*gw_->QueueIncomingForSql(in), 0);  // the same message once per source
  EXPECT_EQ(woken, 1);
  auto pending = store_.PendingSqlMo(a1, -1);
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].text, "TAK");
  EXPECT_EQ((*pending)[0].from, "+48500100200");
  EXPECT_TRUE(store_.PendingSqlMo(b1, -1)->empty());
  in.account_id = 999;
  EXPECT_EQ(gw_->QueueIncomingForSql(in).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace bramka::core
