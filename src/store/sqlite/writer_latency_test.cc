// Writer with the SyncWaker and stage metrics (docs/adr/0035): the waker changes when a
// sync's completion is noticed, never what is completed or in which order; a failed
// fdatasync still fails its batch and every later one; every committed job is counted.

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sync_waker.h"
#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;
using std::chrono::microseconds;

// Polls `done` for up to 30 s (a loaded CI machine may be slow; no timing assertions).
template <typename Fn>
bool WaitFor(Fn done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(SyncWakerTest, NapsWhileASyncIsInFlightAndStopsCleanly) {
  SyncWaker waker(microseconds(20));
  EXPECT_EQ(waker.naps(), 0u);
  waker.Begin();
  EXPECT_TRUE(WaitFor([&] { return waker.naps() >= 3; })) << "naps: " << waker.naps();
  waker.End();
  waker.Begin();  // a second sync right after the first
  const uint64_t before = waker.naps();
  EXPECT_TRUE(WaitFor([&] { return waker.naps() > before; }));
  waker.End();
}

TEST(SyncWakerTest, StopsWhileNapping) {
  auto waker = std::make_unique<SyncWaker>(microseconds(50));
  waker->Begin();
  EXPECT_TRUE(WaitFor([&] { return waker->naps() >= 1; }));
  waker.reset();  // joins without End()
}

class WriterLatencyTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() /
             ("bramka-writer-latency-" + std::to_string(::getpid()) + ".db"))
                .string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER NOT NULL)").ok());
    writer_ = std::make_unique<Writer>(std::move(*conn), 64, StatusCounts{},
                                       CommitSync::kSyncThread, microseconds(20));
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
  // `name`'s value in the Prometheus text, -1 when missing.
  static double Value(const std::string& text, const std::string& name) {
    const size_t at = text.find(name + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + name.size() + 1));
  }

  std::string path_;
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterLatencyTest, CommitsCompleteInOrderAfterTheSync) {
  ASSERT_TRUE(writer_->pipelined());
  constexpr int kJobs = 300;
  std::mutex mu;
  std::vector<int64_t> order;
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
        });
  }
  ASSERT_TRUE(Insert(kJobs).ok());
  writer_.reset();  // drains the completion thread
  ASSERT_EQ(order.size(), static_cast<size_t>(kJobs));
  for (int i = 0; i < kJobs; ++i) EXPECT_EQ(order[i], i);
}

TEST_F(WriterLatencyTest, AFailedSyncStillFailsItsBatchAndEveryLaterOne) {
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

TEST_F(WriterLatencyTest, StageMetricsCountEveryCommittedJobAndNoFailedOne) {
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

}  // namespace
}  // namespace bramka::store::sqlite
