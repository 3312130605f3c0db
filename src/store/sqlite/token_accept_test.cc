// writerread (docs/adr/0057): SqliteStore::AcceptWithTokenAsync makes its reads, the
// decision and the accept as one job of the writer: the reads see every write queued before
// them (the batch's own balance charges included), decide may read the store from the
// writer thread, and a batch run again (a later job failed) decides once.
#include <filesystem>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/store_test_util.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;
using sqlite::testing_util::MakeMessage;

class TokenAcceptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "bramka-token-accept-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    SqliteOptions options;
    options.path = (fs::path(dir_) / "store.db").string();
    auto opened = SqliteStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.error().ToString();
    store_ = std::move(opened).value();
    account_ = *store_->CreateAccount("alice", "hash", 0, 1);
    ASSERT_TRUE(store_->AdjustBalance(account_, MessageType::kEco, 1'000'000, "", 1).ok());
    ASSERT_TRUE(store_->AddApiToken(account_, "hash-alice", "", 1).ok());
    first_ = *store_->ReserveIdBlock(100'000);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  Message Next() {
    Message m = MakeMessage(first_ + used_++);
    m.account_id = account_;
    return m;
  }

  std::string dir_;
  std::unique_ptr<SqliteStore> store_;
  AccountId account_ = 0;
  uint64_t first_ = 0;
  uint64_t used_ = 0;
};

// Accepts queued (not yet committed) before the request are in its reads' balance.
TEST_F(TokenAcceptTest, ReadsSeeTheAcceptsQueuedBeforeThem) {
  constexpr int kRounds = 50;
  constexpr int kBefore = 20;
  int64_t charged = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::future<Result<AcceptResult>>> accepted;
    for (int i = 0; i < kBefore; ++i) {
      auto p = std::make_shared<std::promise<Result<AcceptResult>>>();
      accepted.push_back(p->get_future());
      store_->AcceptAsync(AcceptRequest{account_, {Next()}},
                          [p](Result<AcceptResult> r) { p->set_value(std::move(r)); });
    }
    charged += kBefore;
    int64_t seen = -1;
    std::optional<Result<Account>> read_inside;
    std::promise<Result<AcceptResult>> done;
    Message m = Next();
    store_->AcceptWithTokenAsync(
        "hash-alice", "", {m.phone},
        [&](Store::TokenSubmitReads& reads) -> std::optional<AcceptRequest> {
          if (reads.reads.balances.ok()) seen = (*reads.reads.balances)[0].units;
          read_inside = store_->GetAccount(account_);  // a read from the writer thread
          return AcceptRequest{account_, {m}};
        },
        [&](Result<AcceptResult> r) { done.set_value(std::move(r)); });
    Result<AcceptResult> r = done.get_future().get();
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    for (auto& f : accepted) ASSERT_TRUE(f.get().ok());
    EXPECT_EQ(seen, 1'000'000 - charged) << "round " << round;
    ASSERT_TRUE(read_inside && read_inside->ok());
    EXPECT_EQ((*read_inside)->name, "alice");
    charged += 1;
  }
  EXPECT_EQ(store_->GetBalances(account_)->at(0).units, 1'000'000 - charged);
}

// A failing job in the same batch runs the batch again with savepoints: the request is
// decided once and accepted once.
TEST_F(TokenAcceptTest, ABatchRunAgainDecidesOnce) {
  constexpr int kRequests = 300;
  Message reused = Next();
  ASSERT_TRUE(store_->Accept(AcceptRequest{account_, {reused}}).ok());
  std::atomic<int> decides{0};
  std::atomic<int> ok{0};
  std::atomic<int> refused{0};
  std::atomic<int> pending{2 * kRequests};
  std::promise<void> all;
  auto finish = [&] {
    if (--pending == 0) all.set_value();
  };
  std::vector<std::string> ids;
  for (int i = 0; i < kRequests; ++i) {
    Message m = Next();
    ids.push_back(m.id);
    store_->AcceptWithTokenAsync(
        "hash-alice", "", {m.phone},
        [&, m](Store::TokenSubmitReads&) -> std::optional<AcceptRequest> {
          ++decides;
          return AcceptRequest{account_, {m}};
        },
        [&](Result<AcceptResult> r) {
          if (r.ok()) ++ok;
          finish();
        });
    store_->AcceptAsync(AcceptRequest{account_, {reused}}, [&](Result<AcceptResult> r) {
      if (!r.ok()) ++refused;
      finish();
    });
  }
  all.get_future().wait();
  EXPECT_EQ(decides.load(), kRequests);
  EXPECT_EQ(ok.load(), kRequests);
  EXPECT_EQ(refused.load(), kRequests);  // the reused id: kAlreadyExists, every time
  for (const std::string& id : ids) EXPECT_TRUE(store_->GetMessage(account_, id).ok()) << id;
  EXPECT_EQ(store_->GetBalances(account_)->at(0).units, 1'000'000 - 1 - kRequests);
}

}  // namespace
}  // namespace bramka::store
