// Store conformance: FTP sources and their file progress (SMS via FTP, ADR 0012).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
FtpSource Source(AccountId account, const std::string& host) {
  FtpSource s;
  s.account_id = account;
  s.host = host;
  s.port = 2121;
  s.username = "u";
  s.password_sealed = "sealed";
  s.directory = "out";
  s.tls = FtpTls::kExplicit;
  s.ca_file = "/ca.pem";
  s.interval_s = 30;
  s.text = "Hello";
  s.after = FtpAfter::kMove;
  s.move_dir = "done";
  s.created_ms = 1000;
  return s;
}
FtpLineResult Line(int line, int column, const std::string& id, const std::string& error = "") {
  FtpLineResult l;
  l.line = line;
  l.column = column;
  l.phone = "500600700";
  l.message_id = id;
  l.error = error;
  return l;
}
}  // namespace

TEST_P(StoreConformanceTest, FtpSourcesAreScopedByAccount) {
  const AccountId a = NewAccount("ftp-a");
  const AccountId b = NewAccount("ftp-b");
  auto ida = store().AddFtpSource(Source(a, "a.example"));
  auto idb = store().AddFtpSource(Source(b, "b.example"));
  ASSERT_TRUE(ida.ok() && idb.ok());
  EXPECT_EQ(store().AddFtpSource(Source(987654, "x")).error().code, ErrorCode::kNotFound);

  auto mine = store().ListFtpSources(a);
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  const FtpSource& s = (*mine)[0];
  EXPECT_EQ(s.id, *ida);
  EXPECT_EQ(s.host, "a.example");
  EXPECT_EQ(s.port, 2121);
  EXPECT_EQ(s.password_sealed, "sealed");
  EXPECT_EQ(s.tls, FtpTls::kExplicit);
  EXPECT_EQ(s.after, FtpAfter::kMove);
  EXPECT_EQ(s.move_dir, "done");
  EXPECT_EQ(s.text, "Hello");
  EXPECT_EQ(s.interval_s, 30);
  EXPECT_EQ(s.files_processed, 0);
  auto all = store().ListFtpSources(0);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);

  // Another account's source cannot be removed.
  EXPECT_EQ(store().RemoveFtpSource(b, *ida).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().RemoveFtpSource(a, *ida).ok());
  EXPECT_TRUE(store().ListFtpSources(a)->empty());
  EXPECT_EQ(store().ListFtpSources(b)->size(), 1u);
}

TEST_P(StoreConformanceTest, FtpFileProgressIsRecordedOnce) {
  const AccountId a = NewAccount("ftp-p");
  auto id = store().AddFtpSource(Source(a, "h"));
  ASSERT_TRUE(id.ok());
  auto fresh = store().GetFtpFile(*id, "a.txt");
  ASSERT_TRUE(fresh.ok());
  EXPECT_FALSE(fresh->done);
  EXPECT_TRUE(fresh->lines.empty());

  ASSERT_TRUE(
      store().RecordFtpLines(*id, "a.txt", {Line(2, 0, "00000000b2"), Line(1, 0, "")}, 5).ok());
  // A line recorded again keeps its first result and is not counted twice.
  ASSERT_TRUE(
      store()
          .RecordFtpLines(*id, "a.txt", {Line(2, 0, "ffffffffff"), Line(3, 1, "", "bad")}, 6)
          .ok());
  auto st = store().GetFtpFile(*id, "a.txt");
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(st->lines.size(), 3u);
  EXPECT_EQ(st->lines[0].line, 1);
  EXPECT_EQ(st->lines[1].message_id, "00000000b2");
  EXPECT_EQ(st->lines[2].column, 1);
  EXPECT_EQ(st->lines[2].error, "bad");
  EXPECT_FALSE(st->done);
  EXPECT_TRUE(store().GetFtpFile(*id, "b.txt")->lines.empty());  // files are separate

  ASSERT_TRUE(store().FinishFtpFile(*id, "a.txt", 7).ok());
  ASSERT_TRUE(store().FinishFtpFile(*id, "a.txt", 8).ok());
  EXPECT_TRUE(store().GetFtpFile(*id, "a.txt")->done);
  ASSERT_TRUE(store().SetFtpSourceStatus(*id, 99, "boom").ok());
  auto src = store().ListFtpSources(a);
  ASSERT_TRUE(src.ok());
  EXPECT_EQ((*src)[0].files_processed, 1);
  EXPECT_EQ((*src)[0].lines_processed, 3);
  EXPECT_EQ((*src)[0].last_poll_ms, 99);
  EXPECT_EQ((*src)[0].last_error, "boom");
  EXPECT_EQ(store().RecordFtpLines(4242, "a.txt", {Line(1, 0, "")}, 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().SetFtpSourceStatus(4242, 1, "").error().code, ErrorCode::kNotFound);
}

}  // namespace bramka::store
