// Writer (docs/adr/0029): the pipelined commit completes batches in order after
// the syncer's fdatasync, and a failed fdatasync fails that batch and every later
// one without running it; all of it with and without the SyncWaker (docs/adr/0035),
// which changes when a sync's completion is noticed, never what is completed or when.
// The writer's WAL hook (docs/adr/0037) checkpoints as SQLite's automatic checkpoint does
// (the WAL starts over, nothing committed is lost) and counts each checkpoint in
// bramka_store_checkpoint_seconds, with and without the pipelined commit; no timing is
// asserted, only counts, sizes and rows.
// A job submitted under a CompletionHome (docs/adr/0067) is completed by that home's task,
// posted once per release after the sync, in commit order, each job exactly once.

#include "store/sqlite/writer.h"
#include "store/sqlite/writer_test_util.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
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

// ---- completion homes (docs/adr/0067) ----

// A home that keeps the tasks it is given until the test runs them.
class FakeHome final : public CompletionHome {
 public:
  void Post(std::function<void()> task) override {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  size_t tasks() {
    std::lock_guard lock(mu_);
    return tasks_.size();
  }
  void RunAll() {
    std::vector<std::function<void()>> tasks;
    {
      std::lock_guard lock(mu_);
      tasks.swap(tasks_);
    }
    for (auto& t : tasks) t();
  }

 private:
  std::mutex mu_;
  std::vector<std::function<void()>> tasks_;
};

TEST(CompletionHomeTest, AScopeSetsTheThreadsHomeAndRestoresTheOneBefore) {
  FakeHome a, b;
  EXPECT_EQ(CompletionHome::Current(), nullptr);
  {
    CompletionHome::Scope outer(&a);
    EXPECT_EQ(CompletionHome::Current(), &a);
    {
      CompletionHome::Scope inner(&b);
      EXPECT_EQ(CompletionHome::Current(), &b);
      CompletionHome::Scope none(nullptr);
      EXPECT_EQ(CompletionHome::Current(), nullptr);
    }
    EXPECT_EQ(CompletionHome::Current(), &a);
    std::thread([] { EXPECT_EQ(CompletionHome::Current(), nullptr); }).join();
  }
  EXPECT_EQ(CompletionHome::Current(), nullptr);
}

TEST_P(WriterTest, JobsOfAHomeCompleteInItsTasksInOrderOnceEach) {
  MetricsRegistry metrics;
  writer_->AttachMetrics(metrics);
  FakeHome home1, home2;
  constexpr int kJobs = 300;
  std::mutex mu;
  std::vector<int64_t> done1, done2, done_plain;  // the completions, in the order they ran
  auto insert = [](int64_t i) {
    return [i](WriteContext& ctx) -> Result<int64_t> {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n) VALUES (?1)"));
      stmt.BindInt(1, i);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      return i;
    };
  };
  auto into = [&](std::vector<int64_t>& list) {
    return [&mu, &list](Result<int64_t> r) {
      ASSERT_TRUE(r.ok()) << r.error().ToString();
      std::lock_guard lock(mu);
      list.push_back(*r);
    };
  };
  // The writer waits in a first job until every job is queued: batches of 64 (max_batch).
  std::promise<void> gate;
  std::shared_future<void> open = gate.get_future().share();
  writer_->CallAsync<int64_t>(
      [open](WriteContext&) -> Result<int64_t> {
        open.wait();
        return 0;
      },
      [](Result<int64_t>) {});
  // Three submitters interleaved, as connections of two I/O threads and a dispatcher are.
  for (int i = 0; i < kJobs; ++i) {
    if (i % 3 == 0) {
      CompletionHome::Scope scope(&home1);
      writer_->CallAsync<int64_t>(insert(i), into(done1));
    } else if (i % 3 == 1) {
      CompletionHome::Scope scope(&home2);
      writer_->CallAsync<int64_t>(insert(i), into(done2));
    } else {
      writer_->CallAsync<int64_t>(insert(i), into(done_plain));
    }
  }
  gate.set_value();
  {
    // A synchronous call waits on its own thread: a home never takes it.
    CompletionHome::Scope scope(&home1);
    ASSERT_TRUE(Insert(kJobs).ok());  // released after every job queued before it
  }
  // Drains the completion thread; every release has been handed to the homes, whose tasks
  // outlive the writer.
  writer_.reset();
  EXPECT_EQ(done_plain.size(), static_cast<size_t>(kJobs / 3));
  const size_t tasks1 = home1.tasks();
  const size_t tasks2 = home2.tasks();
  EXPECT_GE(tasks1, 1u);
  EXPECT_GE(tasks2, 1u);
  // One task per release (a round of up to 6 batches of 64), not one per job.
  EXPECT_LE(tasks1, 6u);
  EXPECT_LE(tasks2, 6u);
  EXPECT_TRUE(done1.empty()) << "a home's jobs complete only in its tasks";
  EXPECT_TRUE(done2.empty());
  home2.RunAll();
  home1.RunAll();
  ASSERT_EQ(done1.size(), static_cast<size_t>(kJobs / 3));
  ASSERT_EQ(done2.size(), static_cast<size_t>(kJobs / 3));
  for (int k = 0; k < kJobs / 3; ++k) {
    EXPECT_EQ(done1[k], 3 * k);
    EXPECT_EQ(done2[k], 3 * k + 1);
    EXPECT_EQ(done_plain[k], 3 * k + 2);
  }
  home1.RunAll();  // nothing twice
  EXPECT_EQ(done1.size(), static_cast<size_t>(kJobs / 3));
  // Every committed job is counted once, wherever it completed.
  EXPECT_EQ(Value(metrics.RenderPrometheus(),
                  "bramka_store_write_stage_seconds_count{stage=\"handoff\"}"),
            kJobs + 2);
}

TEST_P(WriterTest, AHomesJobGetsItsBatchsSyncFailure) {
  FakeHome home;
  ASSERT_TRUE(Insert(1).ok());
  writer_->FailNextSyncForTest();
  std::optional<Result<int64_t>> got;
  {
    CompletionHome::Scope scope(&home);
    writer_->CallAsync<int64_t>([](WriteContext&) -> Result<int64_t> { return 2; },
                                [&](Result<int64_t> r) { got.emplace(std::move(r)); });
  }
  EXPECT_FALSE(Insert(3).ok());  // after the failed sync
  // The syncer completes a synchronous call of a release before it posts the homes' tasks:
  // after the writer stopped every release has been handed over.
  writer_.reset();
  EXPECT_FALSE(got.has_value());
  home.RunAll();
  ASSERT_TRUE(got.has_value());
  ASSERT_FALSE(got->ok());
  EXPECT_EQ(got->error().code, ErrorCode::kUnavailable);
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
