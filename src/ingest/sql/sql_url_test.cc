#include "ingest/sql/sql_url.h"

#include <gtest/gtest.h>

namespace bramka::ingest::sql {
namespace {

TEST(SqlUrl, MysqlAndPostgresWithDefaultsAndEscapes) {
  auto m = ParseSqlUrl("mysql://shop:p%40ss%3Aw@db.example:3307/orders");
  ASSERT_TRUE(m.ok()) << m.error().ToString();
  EXPECT_EQ(m->engine, Engine::kMysql);
  EXPECT_EQ(m->user, "shop");
  EXPECT_EQ(m->password, "p@ss:w");
  EXPECT_EQ(m->host, "db.example");
  EXPECT_EQ(m->port, 3307);
  EXPECT_EQ(m->database, "orders");
  auto p = ParseSqlUrl("postgresql://u@[::1]/db");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->engine, Engine::kPostgres);
  EXPECT_EQ(p->host, "::1");
  EXPECT_EQ(p->port, 5432);
  EXPECT_EQ(p->password, "");
  EXPECT_EQ(ParseSqlUrl("mariadb://u:x@h/d")->port, 3306);
}

TEST(SqlUrl, BadUrlsNameTheProblemWithoutThePassword) {
  const char* bad[] = {"mysql:/u:p@h/d",          "oracle://u:p@h/d",   "mysql://u:p@h",
                       "mysql://u:p@h:99999/d",   "mysql://h/d",        "mysql://:secret@h/d",
                       "mysql://u:se%zzcret@h/d", "mysql://u:p@:3306/d"};
  for (const char* url : bad) {
    auto r = ParseSqlUrl(url);
    ASSERT_FALSE(r.ok()) << url;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message.find("secret"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("se%zz"), std::string::npos) << r.error().message;
  }
}

}  // namespace
}  // namespace bramka::ingest::sql
