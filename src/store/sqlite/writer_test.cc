// Writer (docs/adr/0029): the pipelined commit completes batches in order after
// the syncer's fdatasync, and a failed fdatasync fails that batch and every later
// one without running it; all of it with and without the SyncWaker (docs/adr/0035),
// which changes when a sync's completion is noticed, never what is completed or when.

#include "store/sqlite/writer.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

// The parameter: the SyncWaker's nap in µs (0: none).
class WriterTest : public testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("bramka-writer-" + std::to_string(::getpid()) + ".db"))
                .string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER NOT NULL)").ok());
    writer_ =
        std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{}, CommitSync::kSyncThread,
                                 std::chrono::microseconds(GetParam()));
  }
  void TearDown() override {
    writer_.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  }
  Result<int64_t> Insert(int64_t n) {
    return writer_->Call<int64_t>([n](WriteContext& ctx) -> Result<int64_t> {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n) VALUES (?1)"));
      stmt.BindInt(1, n);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      return n;
    });
  }

  std::string path_;
  std::unique_ptr<Writer> writer_;
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

}  // namespace
}  // namespace bramka::store::sqlite
