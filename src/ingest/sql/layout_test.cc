#include "ingest/sql/layout.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace bramka::ingest::sql {
namespace {

TEST(Layout, StandardNamesAndIndividualMapping) {
  auto std_layout = MakeLayout("standard", "");
  ASSERT_TRUE(std_layout.ok());
  EXPECT_EQ((*std_layout)["mt_table"], "SerwerSMS_MT");
  EXPECT_EQ((*std_layout)["mo_smsid"], "smsid");
  EXPECT_FALSE(MakeLayout("standard", "number=tel").ok());
  auto ind = MakeLayout("individual", "mt_table=outbox; number=tel ;dlr=state");
  ASSERT_TRUE(ind.ok()) << ind.error().ToString();
  EXPECT_EQ((*ind)["mt_table"], "outbox");
  EXPECT_EQ((*ind)["number"], "tel");
  EXPECT_EQ((*ind)["message"], "message");  // unmapped keeps the standard name
  auto unknown = MakeLayout("individual", "colour=x");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("colour"), std::string::npos);
  auto injected = MakeLayout("individual", "number=tel`; DROP TABLE x");
  ASSERT_FALSE(injected.ok());
  EXPECT_NE(injected.error().message.find("number"), std::string::npos);
  EXPECT_FALSE(MakeLayout("odd", "").ok());
}

TEST(Layout, StatementsQuotePerEngine) {
  auto layout = *MakeLayout("individual", "mt_table=out;date=send_at");
  Statements my = MakeStatements(Engine::kMysql, layout, 100);
  EXPECT_NE(my.select_due.find("FROM `out`"), std::string::npos) << my.select_due;
  EXPECT_NE(my.select_due.find("`send_at` <= NOW()"), std::string::npos);
  EXPECT_NE(my.select_due.find("LIMIT 100"), std::string::npos);
  // MariaDB: the MO insert is bulk-executable (no SELECT in it), the check apart, one
  // locking EXISTS per id (docs/adr/0062).
  EXPECT_EQ(my.insert_mo,
            "INSERT INTO `SerwerSMS_MO` (`number`, `sender`, `message`, `date`, `smsid`) VALUES "
            "(?, ?, ?, CAST(? AS DATETIME), ?)");
  EXPECT_EQ(std::count(my.find_mo.begin(), my.find_mo.end(), '?'), kMoCheckIds);
  EXPECT_TRUE(my.find_mo.starts_with(
      "SELECT EXISTS (SELECT 1 FROM `SerwerSMS_MO` WHERE `smsid` = ? LOCK IN SHARE MODE), "));
  Statements pg = MakeStatements(Engine::kPostgres, layout, 7);
  EXPECT_NE(pg.select_due.find("FROM \"out\""), std::string::npos) << pg.select_due;
  EXPECT_NE(pg.select_due.find("LOCALTIMESTAMP"), std::string::npos);
  EXPECT_NE(pg.insert_mo.find("WHERE NOT EXISTS"), std::string::npos);
  EXPECT_EQ(std::count(pg.insert_mo.begin(), pg.insert_mo.end(), '?'), 6);
  EXPECT_TRUE(pg.find_mo.empty());
  EXPECT_EQ(pg.write_smsid, "UPDATE \"out\" SET \"smsid\" = ?, \"parts\" = ? WHERE \"id\" = ?");
  // PostgreSQL's write-backs a batch at a time (docs/adr/0070): the customer's names quoted
  // as in the per-row statements, each value declared with its column's type as the server
  // spells it; none without every type they need.
  auto mixed = *MakeLayout("individual", "mt_table=Out_Box;id=RowNo;smsid=Sid;dlr_date=When");
  EXPECT_EQ(ColumnTypesQuery(mixed),
            "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
            "to_regclass('\"Out_Box\"') AND attnum > 0 AND NOT attisdropped");
  Statements pgm = MakeStatements(Engine::kPostgres, mixed, 7);
  EXPECT_TRUE(pgm.write_smsid_set.empty());
  std::map<std::string, std::string> types = {{"RowNo", "bigint"},
                                              {"Sid", "text"},
                                              {"parts", "numeric(3,0)"},
                                              {"dlr", "\"State\""},
                                              {"When", "timestamp with time zone"},
                                              {"dlr_code", "integer"},
                                              {"dlr_description", "character varying(100)"}};
  SetWriteBacks(pgm, mixed, types);
  EXPECT_EQ(
      pgm.write_smsid_set,
      "UPDATE \"Out_Box\" AS t SET \"Sid\" = v.\"Sid\", \"parts\" = v.\"parts\" FROM "
      "json_to_recordset(?::json) AS v(\"Sid\" text, \"parts\" numeric(3,0), \"RowNo\" bigint) "
      "WHERE t.\"RowNo\" = v.\"RowNo\"");
  EXPECT_EQ(
      pgm.write_report_set,
      "UPDATE \"Out_Box\" AS t SET \"dlr\" = v.\"dlr\", \"When\" = v.\"When\", \"dlr_code\" = "
      "v.\"dlr_code\", \"dlr_description\" = v.\"dlr_description\" FROM "
      "json_to_recordset(?::json) AS v(\"dlr\" \"State\", \"When\" timestamp with time zone, "
      "\"dlr_code\" integer, \"dlr_description\" character varying(100), \"RowNo\" bigint) "
      "WHERE t.\"RowNo\" = v.\"RowNo\"");
  EXPECT_EQ(std::count(pgm.write_report_set.begin(), pgm.write_report_set.end(), '?'), 1);
  types.erase("parts");          // a column the table lacks: that step row by row
  types["dlr_code"] = "\"a?\"";  // a type name with a '?' (taken for a placeholder)
  SetWriteBacks(pgm, mixed, types);
  EXPECT_TRUE(pgm.write_smsid_set.empty());
  EXPECT_TRUE(pgm.write_report_set.empty());
  EXPECT_TRUE(my.write_smsid_set.empty());
  EXPECT_TRUE(my.write_report_set.empty());
  auto ddl = CreateTablesDdl(Engine::kMysql, *MakeLayout("standard", ""));
  ASSERT_EQ(ddl.size(), 2u);
  EXPECT_NE(ddl[0].find("enum('-1','0','1','2')"), std::string::npos);
  EXPECT_EQ(CreateTablesDdl(Engine::kPostgres, layout).size(), 3u);
}

TEST(Layout, ReportCodes) {
  store::SqlPendingReport r;
  r.message_id = "0000000001";
  r.status = store::MessageStatus::kDelivered;
  EXPECT_EQ(DlrFor(r).dlr, "1");
  EXPECT_FALSE(DlrFor(r).code.has_value());
  r.status = store::MessageStatus::kUndelivered;
  r.reason = "message_expired";
  EXPECT_EQ(DlrFor(r).dlr, "2");
  EXPECT_EQ(*DlrFor(r).code, 2000);
  r.reason = "missed_call";
  EXPECT_EQ(*DlrFor(r).code, 2005);
  r.reason = "something_new";
  EXPECT_EQ(*DlrFor(r).code, 2004);
  r.status = store::MessageStatus::kUnsent;
  r.reason = "number_is_blacklisted";
  EXPECT_EQ(DlrFor(r).dlr, "-1");
  EXPECT_EQ(*DlrFor(r).code, 2206);
  r.reason = "wrong_sender_name";
  EXPECT_EQ(*DlrFor(r).code, 2205);
  store::SqlPendingReport invalid;
  invalid.invalid_code = 2200;
  EXPECT_EQ(DlrFor(invalid).dlr, "-1");
  EXPECT_EQ(DlrFor(invalid).description, "invalid recipient number");
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kInvalidPhone).code, 2200);
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kSenderNotApproved).code, 2205);
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kFullLimitExhausted).code, 2201);
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kTextEmpty).code, 2203);
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kBlacklisted).code, 2206);
  EXPECT_EQ(*InvalidRowDlr(core::Failure::kNoPermissionVoice).code, 2208);
  for (int c :
       {2000, 2001, 2002, 2003, 2004, 2005, 2200, 2201, 2202, 2203, 2204, 2205, 2206, 2207, 2208}) {
    EXPECT_NE(CodeDescription(c), "unknown") << c;
  }
}

TEST(Layout, SetRowsJsonEscapesAndKeepsTheLastWriteOfAnId) {
  EXPECT_EQ(SetRowsJson({"Sid", "parts", "RowNo"}, {}), "[]");
  // Quotes, backslashes and control characters escaped, UTF-8 as it is, NULL as null.
  EXPECT_EQ(SetRowsJson({"d", "c", "id"}, {{"a\"b\\c\td\x01 żółć", std::nullopt, "7"}}),
            "[{\"d\":\"a\\\"b\\\\c\\u0009d\\u0001 żółć\",\"c\":null,\"id\":\"7\"}]");
  // Row 1 twice: only its last values go (row by row the last UPDATE won).
  EXPECT_EQ(SetRowsJson({"smsid", "id"}, {{"a", "1"}, {"b", "2"}, {"c", "1"}}),
            "[{\"smsid\":\"b\",\"id\":\"2\"},{\"smsid\":\"c\",\"id\":\"1\"}]");
}

TEST(Layout, Flags) {
  auto f = ParseFlags("flash, speed;utf");
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->flash && f->speed && f->utf);
  auto none = ParseFlags("");
  EXPECT_FALSE(none->flash || none->speed || none->utf);
  EXPECT_TRUE(ParseFlags("UTF")->utf);
  auto bad = ParseFlags("FLASH,LOUD");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("LOUD"), std::string::npos);
}

}  // namespace
}  // namespace bramka::ingest::sql
