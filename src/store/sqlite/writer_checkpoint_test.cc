// The writer's WAL hook (docs/adr/0037) checkpoints as SQLite's automatic checkpoint
// does (the WAL starts over, nothing committed is lost) and counts each checkpoint in
// bramka_store_checkpoint_seconds; with and without the pipelined commit. No timing is
// asserted: only counts, sizes and rows.

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

// The parameter: the pipelined commit (ADR 0029) or not.
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
    writer_ =
        std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{},
                                 GetParam() ? CommitSync::kSyncThread : CommitSync::kInCommit);
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

// `name`'s value in the Prometheus text, -1 when missing.
double Value(const std::string& text, const std::string& name) {
  const size_t at = text.find(name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 1));
}

TEST_P(CheckpointTest, TheWalStartsOverAndNothingIsLost) {
  MetricsRegistry metrics;
  writer_->AttachMetrics(metrics);
  EXPECT_EQ(Value(metrics.RenderPrometheus(), "bramka_store_checkpoint_seconds_count"), 0);
  // ~4 frames per row: 3,000 rows write ~12,000 frames, twelve times the threshold.
  constexpr int kRows = 3000;
  int max_frames = 0;
  for (int round = 0; round < 6; ++round) {
    Write(kRows / 6);
    max_frames = std::max(max_frames, writer_->wal_frames());
  }
  EXPECT_EQ(Rows(), kRows);
  EXPECT_GT(writer_->checkpoints(), 0u);
  EXPECT_EQ(Value(metrics.RenderPrometheus(), "bramka_store_checkpoint_seconds_count"),
            static_cast<double>(writer_->checkpoints()));
  // The WAL starts over after each checkpoint (no reader holds old frames here): it never
  // holds much more than the threshold plus one batch (64 rows).
  EXPECT_LT(max_frames, 2 * Writer::kCheckpointFrames);
  // The file keeps every row after the writer closes it.
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

TEST_P(CheckpointTest, NoCheckpointBelowTheThreshold) {
  Write(100);  // ~400 frames
  EXPECT_LT(writer_->wal_frames(), Writer::kCheckpointFrames);
  EXPECT_EQ(writer_->checkpoints(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, CheckpointTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& param) {
                           return param.param ? std::string("Pipelined")
                                              : std::string("SyncInCommit");
                         });

}  // namespace
}  // namespace bramka::store::sqlite
