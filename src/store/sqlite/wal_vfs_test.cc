// The WAL shim (docs/adr/0064): a commit's frames reach the WAL file in one write, before
// SQLite publishes the commit — another connection reads every commit as soon as COMMIT
// returns, and a copy of the files taken then (what a kill -9 leaves in the page cache)
// recovers every commit —; SQLite's rewrites of a transaction's own frames and the WAL's
// restart go through in order; and a failed write fails its COMMIT, which then publishes
// nothing, through a bare connection and through the Writer (nothing acknowledged).

#include "store/sqlite/wal_vfs.h"

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/connection.h"
#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

class WalVfsTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = Temp("bramka-walvfs-");
    Remove(path_);
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    writer_ = std::move(*conn);
    ASSERT_TRUE(writer_->Exec("PRAGMA synchronous=NORMAL").ok());  // as the pipelined commit
    ASSERT_TRUE(
        writer_->Exec("CREATE TABLE t (n INTEGER PRIMARY KEY, v INTEGER NOT NULL, pad BLOB)").ok());
    ASSERT_TRUE(writer_->Exec("CREATE INDEX t_v ON t (v)").ok());
    auto reader = Connection::Open(path_, Connection::Mode::kReader, 1000);
    ASSERT_TRUE(reader.ok()) << reader.error().ToString();
    reader_ = std::move(*reader);
  }
  void TearDown() override {
    reader_.reset();
    writer_.reset();
    Remove(path_);
    if (!copy_.empty()) Remove(copy_);
  }

  static std::string Temp(const std::string& name) {
    return (fs::temp_directory_path() / (name + std::to_string(::getpid()) + ".db")).string();
  }
  static void Remove(const std::string& path) {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }

  Result<void> Insert(int64_t n, int pad_bytes = 3000) {
    const std::string sql = "INSERT INTO t (n, v, pad) VALUES (" + std::to_string(n) + ", " +
                            std::to_string(n * 7) + ", zeroblob(" + std::to_string(pad_bytes) +
                            "))";
    return writer_->Exec(sql.c_str());
  }

  struct Rows {
    int64_t count = -1;
    int64_t sum_v = -1;
  };
  static Rows Read(Connection& conn) {
    Rows rows;
    auto stmt = conn.Prepare("SELECT count(*), coalesce(sum(v), 0) FROM t");
    if (!stmt.ok()) return rows;
    auto row = stmt->Step();
    if (!row.ok() || !*row) return rows;
    rows.count = stmt->Int(0);
    rows.sum_v = stmt->Int(1);
    return rows;
  }
  static std::string IntegrityCheck(Connection& conn) {
    auto stmt = conn.Prepare("PRAGMA integrity_check");
    if (!stmt.ok()) return stmt.error().message;
    auto row = stmt->Step();
    if (!row.ok() || !*row) return "no answer";
    return stmt->Text(0);
  }

  // The database and its WAL as they are now (what a kill -9 leaves: written, not synced),
  // opened as a new database: SQLite recovers the WAL from the file alone (no -shm).
  Rows ReadCopy(std::string* integrity = nullptr) {
    copy_ = Temp("bramka-walvfs-copy-");
    Remove(copy_);
    fs::copy_file(path_, copy_);
    fs::copy_file(path_ + "-wal", copy_ + "-wal");
    auto conn = Connection::Open(copy_, Connection::Mode::kWriter, 1000);
    if (!conn.ok()) return {};
    Rows rows = Read(**conn);
    if (integrity != nullptr) *integrity = IntegrityCheck(**conn);
    conn->reset();
    Remove(copy_);
    return rows;
  }

  static int64_t SumV(int64_t n) { return 7 * n * (n + 1) / 2; }  // rows 1..n

  // The copy a kill -9 leaves holds `count` rows whose v sum to `sum_v`, and passes
  // SQLite's integrity check.
  void ExpectCopyHolds(int64_t count, int64_t sum_v) {
    std::string integrity;
    const Rows copied = ReadCopy(&integrity);
    EXPECT_EQ(copied.count, count);
    EXPECT_EQ(copied.sum_v, sum_v);
    EXPECT_EQ(integrity, "ok");
  }

  std::string path_;
  std::string copy_;
  std::unique_ptr<Connection> writer_;
  std::unique_ptr<Connection> reader_;
};

TEST_F(WalVfsTest, ACommitIsOneWriteOfTheWal) {
  ASSERT_NE(WalVfsName(), nullptr);
  ASSERT_TRUE(Insert(1).ok());  // the WAL's header is written by now
  const WalVfsCounts before = GetWalVfsCounts();
  constexpr int kCommits = 50;
  for (int i = 2; i < 2 + kCommits; ++i) ASSERT_TRUE(Insert(i).ok());
  const WalVfsCounts after = GetWalVfsCounts();
  EXPECT_EQ(after.flushes - before.flushes, static_cast<uint64_t>(kCommits));
  EXPECT_EQ(after.direct - before.direct, 0u);
  EXPECT_EQ(after.barrier_flushes, 0u);
  // Each commit writes at least the table's and the index's pages: two writes per frame.
  EXPECT_GE(after.buffered - before.buffered, static_cast<uint64_t>(4 * kCommits));
}

TEST_F(WalVfsTest, AnotherConnectionAndACrashCopySeeEveryCommitAtOnce) {
  constexpr int kCommits = 300;
  for (int i = 1; i <= kCommits; ++i) {
    ASSERT_TRUE(Insert(i).ok());
    const Rows rows = Read(*reader_);
    ASSERT_EQ(rows.count, i);
    ASSERT_EQ(rows.sum_v, SumV(i));
    if (i % 60 == 0) {
      const Rows copied = ReadCopy();
      ASSERT_EQ(copied.count, i);
      ASSERT_EQ(copied.sum_v, SumV(i));
    }
  }
  EXPECT_EQ(GetWalVfsCounts().barrier_flushes, 0u);
}

TEST_F(WalVfsTest, TheWalStartsOverAfterACheckpoint) {
  for (int i = 1; i <= 20; ++i) ASSERT_TRUE(Insert(i).ok());
  ASSERT_TRUE(writer_->Exec("PRAGMA wal_checkpoint(PASSIVE)").ok());
  // The next commit writes the WAL header at offset 0 again and its frames after it,
  // over the old ones.
  for (int i = 21; i <= 40; ++i) {
    ASSERT_TRUE(Insert(i).ok());
    ASSERT_EQ(Read(*reader_).count, i);
  }
  ExpectCopyHolds(40, SumV(40));
  EXPECT_EQ(GetWalVfsCounts().barrier_flushes, 0u);
}

TEST_F(WalVfsTest, TwoWritersTakingTurnsWriteWhereTheOtherStopped) {
  // As a CLI command beside the serve: each connection's WAL handle saw only its own
  // writes, the log grows and starts over under both of them.
  auto other = Connection::Open(path_, Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  for (int i = 1; i <= 60; ++i) {
    if (i % 2 == 0) {
      ASSERT_TRUE(Insert(i).ok());
    } else {
      const std::string sql = "INSERT INTO t (n, v, pad) VALUES (" + std::to_string(i) + ", " +
                              std::to_string(i * 7) + ", zeroblob(3000))";
      ASSERT_TRUE((*other)->Exec(sql.c_str()).ok());
    }
    if (i % 20 == 0) {
      Connection& by = i % 40 == 0 ? **other : *writer_;
      ASSERT_TRUE(by.Exec("PRAGMA wal_checkpoint(PASSIVE)").ok());
    }
    ASSERT_EQ(Read(*reader_).count, i);
  }
  ExpectCopyHolds(60, SumV(60));
  EXPECT_EQ(GetWalVfsCounts().barrier_flushes, 0u);
}

TEST_F(WalVfsTest, FramesRewrittenInOneTransactionKeepTheirOrder) {
  // A tiny cache makes SQLite spill dirty pages into the WAL before the COMMIT; the
  // COMMIT then rewrites those frames in place and their checksums after them.
  ASSERT_TRUE(writer_->Exec("PRAGMA cache_size=10").ok());
  const WalVfsCounts before = GetWalVfsCounts();
  ASSERT_TRUE(writer_->Exec("BEGIN").ok());
  constexpr int kRows = 400;
  for (int i = 1; i <= kRows; ++i) ASSERT_TRUE(Insert(i, 2000).ok());
  auto updated = writer_->Exec("UPDATE t SET v = v + 1 WHERE n % 3 = 0");
  ASSERT_TRUE(updated.ok()) << updated.error().ToString();
  ASSERT_TRUE(writer_->Exec("COMMIT").ok());
  const WalVfsCounts after = GetWalVfsCounts();
  EXPECT_GT(after.direct - before.direct, 0u);  // the rewrites
  EXPECT_EQ(after.barrier_flushes, 0u);
  const int64_t want = SumV(kRows) + kRows / 3;
  const Rows rows = Read(*reader_);
  EXPECT_EQ(rows.count, kRows);
  EXPECT_EQ(rows.sum_v, want);
  ExpectCopyHolds(kRows, want);
}

TEST_F(WalVfsTest, AFailedWriteFailsTheCommitAndPublishesNothing) {
  ASSERT_TRUE(Insert(1).ok());
  FailNextWalFlushForTest();
  auto failed = Insert(2);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable) << failed.error().ToString();
  EXPECT_FALSE(writer_->InTransaction());
  EXPECT_EQ(Read(*reader_).count, 1);
  // The connection goes on: the next commit writes where the failed one began.
  ASSERT_TRUE(Insert(3).ok());
  const Rows rows = Read(*reader_);
  EXPECT_EQ(rows.count, 2);
  EXPECT_EQ(rows.sum_v, 7 + 21);
  ExpectCopyHolds(2, 7 + 21);
}

TEST_F(WalVfsTest, AFailedWriteFailsTheWritersJobsAndOnlyThem) {
  reader_.reset();
  Writer writer(std::move(writer_), 64, StatusCounts{}, CommitSync::kSyncThread);
  auto insert = [&](int64_t n) {
    return writer.Call<int64_t>([n](WriteContext& ctx) -> Result<int64_t> {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                              ctx.conn.Prepare("INSERT INTO t (n, v) VALUES (?1, ?1 * 7)"));
      stmt.BindInt(1, n);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      return n;
    });
  };
  ASSERT_TRUE(insert(1).ok());
  FailNextWalFlushForTest();
  auto failed = insert(2);
  ASSERT_FALSE(failed.ok());  // not acknowledged
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(insert(3).ok());
  auto reader = Connection::Open(path_, Connection::Mode::kReader, 1000);
  ASSERT_TRUE(reader.ok());
  const Rows rows = Read(**reader);
  EXPECT_EQ(rows.count, 2);
  EXPECT_EQ(rows.sum_v, 7 + 21);
}

}  // namespace
}  // namespace bramka::store::sqlite
