// Writer (docs/adr/0029): the pipelined commit completes batches in order after
// the syncer's fdatasync, and a failed fdatasync fails that batch and every later
// one without running it.

#include "store/sqlite/writer.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;

class WriterTest : public testing::Test {
 protected:
  void SetUp() override {
    path_ = (fs::temp_directory_path() / ("bramka-writer-" + std::to_string(::getpid()) + ".db"))
                .string();
    Remove();
    auto conn = Connection::Open(path_, Connection::Mode::kWriter, 1000);
    ASSERT_TRUE(conn.ok()) << conn.error().ToString();
    ASSERT_TRUE((*conn)->Exec("CREATE TABLE t (n INTEGER NOT NULL)").ok());
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

TEST_F(WriterTest, PipelinedCommitsCompleteInOrderAfterTheSync) {
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

TEST_F(WriterTest, AFailedSyncFailsItsBatchAndEveryLaterOne) {
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

}  // namespace
}  // namespace bramka::store::sqlite
