// WAL checkpoints beside the writer (docs/adr/0037): background rounds copy the WAL while
// the writer commits, the writer's own checkpoint lets the WAL start over once it holds
// Writer::kWalFramesBound frames, and nothing committed is lost on the way; without the
// Checkpointer the writer checkpoints as SQLite's own automatic checkpoint does. No timing
// is asserted: only counts, sizes and rows.

#include "store/sqlite/checkpointer.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <gtest/gtest.h>

#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

// The parameter: background_checkpoint.
class CheckpointTest : public testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    path_ =
        (fs::temp_directory_path() / ("bramka-checkpoint-" + std::to_string(::getpid()) + ".db"))
            .string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER NOT NULL, pad BLOB NOT NULL)").ok());
    writer_ = std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{},
                                       CommitSync::kSyncThread, std::chrono::microseconds(0),
                                       /*background_checkpoint=*/GetParam());
  }
  void TearDown() override {
    writer_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  // `jobs` inserts of a 12 KiB row each (four pages: about four WAL frames per row),
  // submitted at once; waits (bounded) for every completion.
  void Write(int jobs) {
    struct Done {
      std::mutex mu;
      std::condition_variable cv;
      int left = 0;
      int failed = 0;
    };
    auto done = std::make_shared<Done>();
    done->left = jobs;
    for (int i = 0; i < jobs; ++i) {
      writer_->CallAsync<int64_t>(
          [i](WriteContext& ctx) -> Result<int64_t> {
            BRAMKA_ASSIGN_OR_RETURN(
                Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n, pad) VALUES (?1, zeroblob(12288))"));
            stmt.BindInt(1, i);
            BRAMKA_RETURN_IF_ERROR(stmt.Run());
            return i;
          },
          [done](Result<int64_t> r) {
            std::lock_guard lock(done->mu);
            if (!r.ok()) ++done->failed;
            if (--done->left == 0) done->cv.notify_all();
          });
    }
    std::unique_lock lock(done->mu);
    ASSERT_TRUE(done->cv.wait_for(lock, std::chrono::seconds(60), [&] { return done->left == 0; }));
    EXPECT_EQ(done->failed, 0);
  }
  int64_t Rows() {
    auto n = writer_->Call<int64_t>([](WriteContext& ctx) -> Result<int64_t> {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("SELECT count(*) FROM t"));
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Fail(ErrorCode::kInternal, "no count");
      return stmt.Int(0);
    });
    EXPECT_TRUE(n.ok()) << n.error().ToString();
    return n.ok() ? *n : -1;
  }

  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_P(CheckpointTest, TheWalStartsOverAndNothingIsLost) {
  // ~4 frames per row: 6,000 rows write ~24,000 frames, three times kWalFramesBound.
  constexpr int kRows = 6000;
  int64_t max_frames = 0;
  for (int round = 0; round < 6; ++round) {
    Write(kRows / 6);
    max_frames = std::max<int64_t>(max_frames, writer_->wal_frames());
  }
  EXPECT_EQ(Rows(), kRows);
  EXPECT_GT(writer_->writer_checkpoints(), 0u) << "the writer let the WAL start over";
  if (GetParam()) {
    EXPECT_GT(writer_->background_checkpoints(), 0u);
  } else {
    EXPECT_EQ(writer_->background_checkpoints(), 0u);
  }
  // The WAL starts over: it never held all the ~24,000 frames written (it would without
  // checkpoints), and stays within twice the bound plus a batch.
  EXPECT_LT(max_frames, 2 * Writer::kWalFramesBound + 1000);
  // The file keeps every row after the writer closes it (SQLite checkpoints at close).
  writer_.reset();
  auto conn = Connection::Open(path_, Connection::Mode::kReader, 1000);
  ASSERT_TRUE(conn.ok()) << conn.error().ToString();
  auto stmt = (*conn)->Prepare("SELECT count(*), sum(n) FROM t");
  ASSERT_TRUE(stmt.ok());
  auto row = stmt->Step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(stmt->Int(0), kRows);
  EXPECT_EQ(stmt->Int(1), 6 * (static_cast<int64_t>(kRows / 6) * (kRows / 6 - 1) / 2));
}

TEST_P(CheckpointTest, BackgroundRoundsLeaveTheWriterItsOwnCheckpointOnlyAtTheBound) {
  // Fewer frames than kWalFramesBound: with the Checkpointer the writer has not
  // checkpointed yet (the rounds ran beside it); without, SQLite's threshold applies.
  Write(1000);  // ~4,000 frames
  EXPECT_LT(writer_->wal_frames(), Writer::kWalFramesBound);
  if (GetParam()) {
    EXPECT_EQ(writer_->writer_checkpoints(), 0u);
  } else {
    EXPECT_GT(writer_->writer_checkpoints(), 0u);
  }
}

TEST(CheckpointerTest, ARoundOnAFreshDatabaseDoesNothingHarmful) {
  const std::string path =
      (fs::temp_directory_path() / ("bramka-ckpt-" + std::to_string(::getpid()) + ".db")).string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  auto conn = Connection::Open(path, Connection::Mode::kWriter, 1000);
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER)").ok());
  {
    auto cp = Checkpointer::Open(path);
    ASSERT_TRUE(cp.ok()) << cp.error().ToString();
    (*cp)->Start();
  }  // the destructor waits for the round
  ASSERT_TRUE((*conn)->Exec("INSERT INTO t VALUES (1)").ok());
  conn->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, CheckpointTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& param) {
                           return param.param ? std::string("Background") : std::string("InCommit");
                         });

}  // namespace
}  // namespace bramka::store::sqlite
