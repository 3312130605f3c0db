// Writer (docs/adr/0029): the pipelined commit completes batches in order after
// the syncer's fdatasync, and a failed fdatasync fails that batch and every later
// one without running it; all of it with and without the SyncWaker (docs/adr/0035),
// which changes when a sync's completion is noticed, never what is completed or when.
// The writer's WAL hook (docs/adr/0037) checkpoints as SQLite's automatic checkpoint does
// (the WAL starts over, nothing committed is lost) and counts each checkpoint in
// bramka_store_checkpoint_seconds, with and without the pipelined commit; no timing is
// asserted, only counts, sizes and rows.

#include "store/sqlite/writer.h"
#include "store/sqlite/writer_test_util.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

// A writer over a fresh file of this process, removed with its WAL and shared memory.
template <typename Param>
class WriterFixture : public testing::TestWithParam<Param> {
 protected:
  void Open(const std::string& name, const char* schema, CommitSync sync,
            std::chrono::microseconds wake = std::chrono::microseconds(0)) {
    path_ = (fs::temp_directory_path() / (name + std::to_string(::getpid()) + ".db")).string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec(schema).ok());
    writer_ = std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{}, sync, wake);
  }
  void TearDown() override {
    writer_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<Writer> writer_;
};

// The parameter: the SyncWaker's nap in µs (0: none).
class WriterTest : public WriterFixture<int> {
 protected:
  void SetUp() override {
    Open("bramka-writer-", "CREATE TABLE t (n INTEGER NOT NULL)", CommitSync::kSyncThread,
         std::chrono::microseconds(GetParam()));
  }
  Result<int64_t> Insert(int64_t n) {
    return writer_->Call<int64_t>([n](WriteContext& ctx) -> Result<int64_t> {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n) VALUES (?1)"));
      stmt.BindInt(1, n);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      return n;
    });
  }
};

TEST_P(WriterTest, PipelinedCommitsCompleteInOrderAfterTheSync) {
  ASSERT_TRUE(writer_->pipelined());
  constexpr int kJobs = 500;
  std::mutex mu;
  std::vector<int64_t> order;
  std::atomic<int> left{kJobs};
  for (int i = 0; i < kJobs; ++i) {
    writer_->CallAsync<int64_t>(
        [i](WriteContext& ctx) -> Result<int64_t> {
          BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n) VALUES (?1)"));
          stmt.BindInt(1, i);
          BRAMKA_RETURN_IF_ERROR(stmt.Run());
          return i;
        },
        [&](Result<int64_t> r) {
          ASSERT_TRUE(r.ok()) << r.error().ToString();
          std::lock_guard lock(mu);
          order.push_back(*r);
          --left;
        });
  }
  auto last = Insert(kJobs);  // completes after every job queued before it
  ASSERT_TRUE(last.ok()) << last.error().ToString();
  writer_.reset();  // drains the completion thread
  ASSERT_EQ(order.size(), static_cast<size_t>(kJobs));
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(order[i], i);
}

TEST_P(WriterTest, AFailedSyncFailsItsBatchAndEveryLaterOne) {
  ASSERT_TRUE(Insert(1).ok());
  writer_->FailNextSyncForTest();
  auto failed = Insert(2);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(failed.error().message.find("cannot sync the WAL"), std::string::npos);
  bool ran = false;
  auto later = writer_->Call<int64_t>([&](WriteContext&) -> Result<int64_t> {
    ran = true;
    return 3;
  });
  ASSERT_FALSE(later.ok());
  EXPECT_EQ(later.error().code, ErrorCode::kUnavailable);
  EXPECT_FALSE(ran) << "nothing runs after a failed fdatasync";
}

// ---- stage metrics (docs/adr/0035) ----

// `name`'s value in the Prometheus text, -1 when missing.
double Value(const std::string& text, const std::string& name) {
  const size_t at = text.find(name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + name.size() + 1));
}

TEST_P(WriterTest, StageMetricsCountEveryCommittedJobAndNoFailedOne) {
  MetricsRegistry metrics;
  writer_->AttachMetrics(metrics);
  writer_->AttachMetrics(metrics);  // once is enough; a second call changes nothing
  const std::string before = metrics.RenderPrometheus();
  EXPECT_EQ(Value(before, "bramka_store_write_stage_seconds_count{stage=\"total\"}"), 0);
  EXPECT_EQ(Value(before, "bramka_store_write_stage_seconds_count{stage=\"fsync\",slow=\"1\"}"), 0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Insert(i).ok());
  auto refused = writer_->Call<int64_t>(
      [](WriteContext&) -> Result<int64_t> { return Fail(ErrorCode::kRejected, "no"); });
  ASSERT_FALSE(refused.ok());
  const std::string text = metrics.RenderPrometheus();
  for (const char* stage : {"queued", "batch", "sync_wait", "fsync", "handoff", "total"}) {
    EXPECT_EQ(
        Value(text, std::string("bramka_store_write_stage_seconds_count{stage=\"") + stage + "\"}"),
        5)
        << stage;
  }
  EXPECT_GT(Value(text, "bramka_store_write_stage_seconds_sum{stage=\"total\"}"), 0);
}

INSTANTIATE_TEST_SUITE_P(Waker, WriterTest, testing::Values(0, 20),
                         [](const testing::TestParamInfo<int>& param) {
                           return param.param == 0
                                      ? std::string("NoWaker")
                                      : "SyncWaker" + std::to_string(param.param) + "us";
                         });

// ---- checkpoints (docs/adr/0037) ----

// The parameter: the pipelined commit (ADR 0029) or not.
class CheckpointTest : public WriterFixture<bool> {
 protected:
  void SetUp() override {
    Open("bramka-checkpoint-", "CREATE TABLE t (n INTEGER NOT NULL, pad BLOB NOT NULL)",
         GetParam() ? CommitSync::kSyncThread : CommitSync::kInCommit);
  }
  // `jobs` inserts of a 12 KiB row each (four pages: about four WAL frames per row),
  // submitted at once; waits (bounded) for every completion.
  void Write(int jobs) { EXPECT_EQ(testing_util::WriteTestRows(*writer_, 0, jobs), 0); }
  // Where the WAL starts over: the COMMIT's checkpoint (docs/adr/0040) or, pipelined, the
  // writer's catch-up (docs/adr/0044, 0049).
  static int Threshold() { return GetParam() ? Writer::kCatchUpFrames : Writer::kCheckpointFrames; }
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
};

TEST_P(CheckpointTest, TheWalStartsOverAndNothingIsLost) {
  MetricsRegistry metrics;
  writer_->AttachMetrics(metrics);
  EXPECT_EQ(Value(metrics.RenderPrometheus(), "bramka_store_checkpoint_seconds_count"), 0);
  // ~4 frames per row: 6,000 rows write ~24,000 frames, three to six times the threshold.
  constexpr int kRows = 6000;
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
  EXPECT_LT(max_frames, 2 * Threshold());
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
  EXPECT_LT(writer_->wal_frames(), Threshold());
  EXPECT_EQ(writer_->checkpoints(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Checkpoints, CheckpointTest, testing::Bool(),
                         [](const testing::TestParamInfo<bool>& param) {
                           return param.param ? std::string("Pipelined")
                                              : std::string("SyncInCommit");
                         });

}  // namespace
}  // namespace bramka::store::sqlite
