// latency (docs/adr/0044): with the pipelined commit the WAL is copied into the database
// file beside the writer (Checkpointer) and the writer's own checkpoint only catches up and
// lets the WAL start over. Nothing committed is lost, the WAL stays short, and a reader
// holding an old snapshot neither fails writes nor makes the writer try at every commit.
// Only counts, sizes and rows are asserted, never timings.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/checkpointer.h"
#include "store/sqlite/writer.h"
#include "store/sqlite/writer_test_util.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

class BesideTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("bramka-beside-" + std::to_string(::getpid()) + ".db"))
                .string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER NOT NULL, pad BLOB NOT NULL)").ok());
    writer_ =
        std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{}, CommitSync::kSyncThread);
  }
  void TearDown() override {
    writer_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  // `jobs` inserts of a 12 KiB row each (about four WAL frames per row), numbered from
  // `first`, submitted at once; waits (bounded) for every completion.
  void Write(int first, int jobs) {
    EXPECT_EQ(testing_util::WriteTestRows(*writer_, first, jobs), 0);
  }
  // Rows and their sum, read from the file by a new connection.
  std::pair<int64_t, int64_t> CountAndSum() {
    auto conn = Connection::Open(path_, Connection::Mode::kReader, 1000);
    EXPECT_TRUE(conn.ok());
    if (!conn.ok()) return {-1, -1};
    auto stmt = (*conn)->Prepare("SELECT count(*), coalesce(sum(n), 0) FROM t");
    EXPECT_TRUE(stmt.ok());
    auto row = stmt->Step();
    EXPECT_TRUE(row.ok() && *row);
    return {stmt->Int(0), stmt->Int(1)};
  }
  static int64_t SumBelow(int64_t n) { return n * (n - 1) / 2; }

  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(BesideTest, RoundsBesideTheWriterAndACatchUpKeepTheWalShortAndEveryRow) {
  MetricsRegistry metrics;
  writer_->AttachMetrics(metrics);
  // ~4 frames per row: 6,000 rows write ~24,000 frames, three times the restart threshold.
  constexpr int kRows = 6000;
  int max_frames = 0;
  for (int round = 0; round < 12; ++round) {
    Write(round * (kRows / 12), kRows / 12);
    max_frames = std::max(max_frames, writer_->wal_frames());
  }
  EXPECT_GT(writer_->background_checkpoints(), 0u);
  EXPECT_GT(writer_->checkpoints(), 0u);  // the writer's catch-ups
  const std::string text = metrics.RenderPrometheus();
  EXPECT_NE(text.find("bramka_store_background_checkpoint_seconds_count"), std::string::npos);
  // The WAL starts over: at most twice the threshold (the catch-up forced even while a
  // round runs) plus one batch (64 rows), never the ~24,000 frames written.
  EXPECT_LT(max_frames, 2 * Writer::kCatchUpFrames + 64 * 4 + 64);
  EXPECT_EQ(CountAndSum(), std::make_pair(int64_t{kRows}, SumBelow(kRows)));
  writer_.reset();
  EXPECT_EQ(CountAndSum(), std::make_pair(int64_t{kRows}, SumBelow(kRows)));
}

TEST_F(BesideTest, AReaderHoldingAnOldSnapshotFailsNothingAndTheWalStartsOverAfterIt) {
  auto reader = Connection::Open(path_, Connection::Mode::kReader, 1000);
  ASSERT_TRUE(reader.ok());
  ASSERT_TRUE((*reader)->Exec("BEGIN").ok());
  {
    auto stmt = (*reader)->Prepare("SELECT count(*) FROM t");  // the snapshot starts here
    ASSERT_TRUE(stmt.ok());
    auto row = stmt->Step();
    ASSERT_TRUE(row.ok() && *row);
    EXPECT_EQ(stmt->Int(0), 0);
  }
  // ~19,000 frames that no checkpoint may copy while the snapshot is held.
  constexpr int kHeld = 6000;
  for (int round = 0; round < 10; ++round) Write(round * (kHeld / 10), kHeld / 10);
  EXPECT_GT(writer_->wal_frames(), 2 * Writer::kCatchUpFrames);
  // A catch-up that cannot finish waits again restart_frames later, not at every commit
  // (~94 commits of 64 rows here): about one try per 8,000 frames.
  EXPECT_LE(writer_->checkpoints(), 4u);
  ASSERT_TRUE((*reader)->Exec("COMMIT").ok());

  // Without the reader the WAL starts over within the next ~8,000 frames.
  int min_frames = writer_->wal_frames();
  for (int round = 0; round < 16; ++round) {
    Write(kHeld + round * 250, 250);
    min_frames = std::min(min_frames, writer_->wal_frames());
  }
  EXPECT_LT(min_frames, Writer::kCatchUpFrames);
  constexpr int kRows = kHeld + 16 * 250;
  EXPECT_EQ(CountAndSum(), std::make_pair(int64_t{kRows}, SumBelow(kRows)));
}

// What the catch-up design rests on (docs/performance/session12-ckpt.md): SQLite lets the
// WAL start over in the first write transaction that begins once a checkpoint -- on any
// connection -- has copied every frame (nBackfill == mxFrame), and only then; a checkpoint
// whose snapshot misses the last commit leaves the WAL growing. So a round on the
// checkpointer's connection could restart the WAL only in a pause of the writer's commits,
// which at 20,000 accepts a second never comes: the writer's own catch-up is that pause.
// No row is lost across the restart.
TEST_F(BesideTest, TheWalStartsOverOnlyAfterACheckpointOfEveryFrameOnAnyConnection) {
  writer_.reset();  // raw connections: the order of commits and checkpoints is the test's
  auto w = Connection::Open(path_, Connection::Mode::kWriter, 1000);
  auto c = Connection::Open(path_, Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(w.ok() && c.ok());
  int frames = 0;  // the WAL size after each commit (replaces the automatic checkpoint)
  sqlite3_wal_hook((*w)->db(),
                   [](void* out, sqlite3*, const char*, int n) {
                     *static_cast<int*>(out) = n;
                     return SQLITE_OK;
                   },
                   &frames);
  auto insert = [&](int first, int n) {
    ASSERT_TRUE((*w)->Exec("BEGIN IMMEDIATE").ok());
    for (int i = first; i < first + n; ++i) {
      ASSERT_TRUE(
          (*w)->Exec(("INSERT INTO t VALUES (" + std::to_string(i) + ", zeroblob(12288))").c_str())
              .ok());
    }
    ASSERT_TRUE((*w)->Exec("COMMIT").ok());
  };
  auto checkpoint_all = [&] {
    int log = 0;
    int copied = 0;
    ASSERT_EQ(
        sqlite3_wal_checkpoint_v2((*c)->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied),
        SQLITE_OK);
    EXPECT_GT(log, 0);
    EXPECT_EQ(copied, log);  // every frame is in the database file (and it was synced)
  };
  insert(0, 50);
  ASSERT_GT(frames, 150);
  // The writer pauses, the checkpointer copies every frame: the next write transaction
  // starts the WAL over by itself, without a checkpoint of its own.
  checkpoint_all();
  insert(50, 1);
  EXPECT_LT(frames, 10);
  insert(51, 10);
  const int grown = frames;
  // A write transaction that began before the copy ended appends, however complete the
  // copy: its snapshot reads from the WAL (readLock != 0), and only a transaction beginning
  // with nBackfill == mxFrame may start it over. So does the next one: the append made
  // nBackfill < mxFrame again.
  ASSERT_TRUE((*w)->Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE((*w)->Exec("INSERT INTO t VALUES (61, zeroblob(12288))").ok());
  checkpoint_all();  // nothing of the open transaction is in the WAL yet
  ASSERT_TRUE((*w)->Exec("COMMIT").ok());
  EXPECT_GT(frames, grown);
  const int appended = frames;
  insert(62, 1);
  EXPECT_GT(frames, appended);
  // Another pause with a complete copy: restarted again.
  checkpoint_all();
  insert(63, 1);
  EXPECT_LT(frames, 10);
  w->reset();
  c->reset();
  constexpr int kRows = 64;
  EXPECT_EQ(CountAndSum(), std::make_pair(int64_t{kRows}, SumBelow(kRows)));
}

// The catch-up's schedule (Checkpointer::TakeCatchUp), no round ever asked for.
TEST_F(BesideTest, CatchUpScheduleAndTheWaitAfterABusyOne) {
  auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(conn.ok());
  Checkpointer c(std::move(*conn), 1000, 4000);
  EXPECT_FALSE(c.TakeCatchUp(100));
  EXPECT_TRUE(c.TakeCatchUp(4000));  // no round runs
  c.CatchUpBusy(4000);               // a reader held an old snapshot
  EXPECT_FALSE(c.TakeCatchUp(4100));
  EXPECT_FALSE(c.TakeCatchUp(7999));
  EXPECT_TRUE(c.TakeCatchUp(8000));
  EXPECT_EQ(c.rounds(), 0u);
}

}  // namespace
}  // namespace bramka::store::sqlite
