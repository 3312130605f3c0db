// writerread (docs/adr/0057): SqliteStore::AcceptWithTokenAsync makes its reads, the
// decision and the accept as one job of the writer: the reads see every write queued before
// them (the batch's own balance charges included), decide may read the store from the
// writer thread, and a batch run again (a later job failed) decides once.
// memo (docs/adr/0063): the token's account remembered by a batch and the balances from the
// batch's cache are what a fresh read would give: any other job between two token accepts
// of one batch, a batch run again with savepoints, a batch rolled back, and another
// process's writes between batches are all seen.
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <thread>
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

  // memo (docs/adr/0063): what a token accept's decide saw.
  struct Seen {
    std::optional<Result<Account>> account;
    std::optional<Result<std::vector<Balance>>> balances;
    int64_t eco_units() const { return (*balances)->at(0).units; }
    bool eco_available() const { return (*balances)->at(0).available; }
  };
  struct Queued {
    std::shared_ptr<Seen> seen = std::make_shared<Seen>();
    std::future<Result<AcceptResult>> done;
  };
  // Queues a token accept of one new message (of the token's account) that records its
  // reads; a refused login accepts nothing. `reuse`: the message's id is one already used
  // (the job fails with kAlreadyExists).
  Queued QueueTokenAccept(const std::string& token_hash, const Message* reuse = nullptr) {
    Queued q;
    auto p = std::make_shared<std::promise<Result<AcceptResult>>>();
    q.done = p->get_future();
    Message m = reuse != nullptr ? *reuse : Next();
    store_->AcceptWithTokenAsync(
        token_hash, "", {m.phone},
        [seen = q.seen, m](Store::TokenSubmitReads& reads) -> std::optional<AcceptRequest> {
          seen->account = reads.account;
          seen->balances = reads.reads.balances;
          if (!reads.account.ok() || reads.account->deleted_ms != 0) return std::nullopt;
          Message mine = m;
          mine.account_id = reads.account->id;
          return AcceptRequest{reads.account->id, {mine}};
        },
        [p](Result<AcceptResult> r) { p->set_value(std::move(r)); });
    return q;
  }
  // Holds the writer thread in a job until the returned function runs: every job queued
  // meanwhile makes the next batch, in the order queued.
  std::function<void()> HoldWriter() {
    auto entered = std::make_shared<std::promise<void>>();
    auto release = std::make_shared<std::promise<void>>();
    std::shared_future<void> go = release->get_future().share();
    store_->AcceptWithTokenAsync(
        "hash-alice", "", {"+48500100000"},
        [entered, go](Store::TokenSubmitReads&) -> std::optional<AcceptRequest> {
          entered->set_value();
          go.wait();
          return std::nullopt;
        },
        [](Result<AcceptResult>) {});
    entered->get_future().wait();
    return [release] { release->set_value(); };
  }
  // Runs a synchronous store call (a write job of its own) on a thread of its own and
  // returns once its job is queued behind the `queued` jobs before it.
  std::thread QueueCall(std::function<void()> call, size_t queued) {
    std::thread t(std::move(call));
    while (store_->queued_writes_for_test() <= queued) std::this_thread::yield();
    return t;
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

// memo (docs/adr/0063): one batch of token accepts with other jobs between them: each
// token accept reads what a fresh read would, although the batch remembers the token's
// account and takes the balances from its cache.
TEST_F(TokenAcceptTest, AnotherJobBetweenTwoAcceptsOfOneBatchIsSeen) {
  AccountId sub = 0;
  {
    NewSubaccount s;
    s.parent_id = account_;
    s.name = "alice-sub";
    s.password_hash = "hash";
    s.balances = {Balance{MessageType::kEco, true, false, 100}};
    s.now_ms = 1;
    sub = *store_->CreateSubaccount(s);
    ASSERT_TRUE(store_->AddApiToken(sub, "hash-sub", "", 1).ok());
  }
  const AccountId bob = *store_->CreateAccount("bob", "hash", 0, 1);
  ASSERT_TRUE(store_->AdjustBalance(bob, MessageType::kEco, 50, "", 1).ok());
  ASSERT_TRUE(store_->AddApiToken(bob, "hash-bob", "", 1).ok());
  const int64_t units = store_->GetBalances(account_)->at(0).units;
  const uint64_t commits = store_->commit_count();

  std::function<void()> release = HoldWriter();
  std::vector<std::thread> calls;
  size_t queued = 0;
  auto call = [&](std::function<void()> fn) {
    calls.push_back(QueueCall(std::move(fn), queued++));
  };
  Queued a1 = QueueTokenAccept("hash-alice");
  ++queued;
  call([&] { ASSERT_TRUE(store_->SetAllowedCidrs(account_, {"10.0.0.0/8"}).ok()); });
  Queued a2 = QueueTokenAccept("hash-alice");
  Queued b1 = QueueTokenAccept("hash-bob");
  Queued a3 = QueueTokenAccept("hash-alice");  // after another token: read again
  queued += 3;
  call([&] { ASSERT_TRUE(store_->AdjustBalance(account_, MessageType::kEco, 500, "", 1).ok()); });
  Queued a4 = QueueTokenAccept("hash-alice");
  ++queued;
  call(
      [&] { ASSERT_TRUE(store_->SetBalanceMode(account_, MessageType::kEco, false, false).ok()); });
  Queued a5 = QueueTokenAccept("hash-alice");
  Queued s1 = QueueTokenAccept("hash-sub");
  queued += 2;
  call([&] { ASSERT_TRUE(store_->DeleteSubaccount(account_, sub, 2).ok()); });
  Queued s2 = QueueTokenAccept("hash-sub");
  ASSERT_EQ(store_->queued_writes_for_test(), queued + 1);
  release();
  for (std::thread& t : calls) t.join();
  for (Queued* q : {&a1, &a2, &b1, &a3, &a4, &a5, &s1, &s2}) {
    Result<AcceptResult> r = q->done.get();
    ASSERT_TRUE(r.ok()) << r.error().ToString();
  }
  // The held job's batch, then one batch for everything queued behind it.
  EXPECT_EQ(store_->commit_count() - commits, 2u);

  for (Queued* q : {&a1, &a2, &a3, &a4, &a5}) {
    ASSERT_TRUE(q->seen->account && q->seen->account->ok());
    EXPECT_EQ((*q->seen->account)->id, account_);
    ASSERT_TRUE(q->seen->balances && q->seen->balances->ok());
  }
  EXPECT_TRUE((*a1.seen->account)->allowed_cidrs.empty());
  EXPECT_EQ((*a2.seen->account)->allowed_cidrs, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ((*a3.seen->account)->allowed_cidrs, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ((*b1.seen->account)->id, bob);
  EXPECT_EQ(b1.seen->eco_units(), 50);
  // Each accept charged one unit; the top-up came between a3 and a4.
  EXPECT_EQ(a1.seen->eco_units(), units);
  EXPECT_EQ(a2.seen->eco_units(), units - 1);
  EXPECT_EQ(a3.seen->eco_units(), units - 2);
  EXPECT_EQ(a4.seen->eco_units(), units - 3 + 500);
  EXPECT_TRUE(a4.seen->eco_available());
  EXPECT_FALSE(a5.seen->eco_available());  // SetBalanceMode between a4 and a5
  ASSERT_TRUE(s1.seen->account && s1.seen->account->ok());
  EXPECT_EQ((*s1.seen->account)->deleted_ms, 0);
  ASSERT_TRUE(s2.seen->account && s2.seen->account->ok());
  EXPECT_NE((*s2.seen->account)->deleted_ms, 0);  // DeleteSubaccount between s1 and s2
  EXPECT_FALSE((*s2.seen->account)->active);
}

// memo (docs/adr/0063): a batch whose first run fails (a job's id already used) runs again
// with savepoints; the token accepts that decide in that run read what it holds, a job
// between them included, and each request is accepted once.
TEST_F(TokenAcceptTest, ABatchRunAgainSeesTheJobsBetweenItsAccepts) {
  Message reused = Next();
  ASSERT_TRUE(store_->Accept(AcceptRequest{account_, {reused}}).ok());
  const int64_t units = store_->GetBalances(account_)->at(0).units;

  std::function<void()> release = HoldWriter();
  Queued a1 = QueueTokenAccept("hash-alice");
  auto p = std::make_shared<std::promise<Result<AcceptResult>>>();
  std::future<Result<AcceptResult>> failed = p->get_future();
  store_->AcceptAsync(AcceptRequest{account_, {reused}},
                      [p](Result<AcceptResult> r) { p->set_value(std::move(r)); });
  Queued a2 = QueueTokenAccept("hash-alice");
  std::thread cidrs = QueueCall(
      [&] { ASSERT_TRUE(store_->SetAllowedCidrs(account_, {"192.168.0.0/16"}).ok()); }, 3);
  std::thread topup = QueueCall(
      [&] { ASSERT_TRUE(store_->AdjustBalance(account_, MessageType::kEco, 70, "", 1).ok()); }, 4);
  Queued a3 = QueueTokenAccept("hash-alice");
  Queued f1 = QueueTokenAccept("hash-alice", &reused);  // fails: rolled back to its savepoint
  Queued a4 = QueueTokenAccept("hash-alice");
  ASSERT_EQ(store_->queued_writes_for_test(), 8u);
  release();
  cidrs.join();
  topup.join();
  EXPECT_EQ(failed.get().error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(f1.done.get().error().code, ErrorCode::kAlreadyExists);
  for (Queued* q : {&a1, &a2, &a3, &a4}) {
    Result<AcceptResult> r = q->done.get();
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    ASSERT_TRUE(q->seen->account && q->seen->account->ok());
  }
  EXPECT_TRUE((*a1.seen->account)->allowed_cidrs.empty());
  EXPECT_TRUE((*a2.seen->account)->allowed_cidrs.empty());
  const std::vector<std::string> changed{"192.168.0.0/16"};
  EXPECT_EQ((*a3.seen->account)->allowed_cidrs, changed);
  EXPECT_EQ((*f1.seen->account)->allowed_cidrs, changed);
  EXPECT_EQ((*a4.seen->account)->allowed_cidrs, changed);
  EXPECT_EQ(a1.seen->eco_units(), units);
  // a2 decided in the first run, after the failing accept's charge (its row was deferred,
  // docs/adr/0041: the duplicate id showed only at the rows' INSERT); kept, as before.
  EXPECT_EQ(a2.seen->eco_units(), units - 2);
  EXPECT_EQ(a3.seen->eco_units(), units - 2 + 70);
  EXPECT_EQ(f1.seen->eco_units(), units - 3 + 70);
  EXPECT_EQ(a4.seen->eco_units(), units - 3 + 70);  // f1 charged nothing
  EXPECT_EQ(store_->GetBalances(account_)->at(0).units, units - 4 + 70);
}

// memo (docs/adr/0063): nothing a batch remembers outlives it, even when it rolled back
// (nothing committed): another process's writes before the next batch (a `bramka admin`
// command on the same file, e.g. a paid top-up) are seen.
TEST_F(TokenAcceptTest, AnotherProcessesWritesAfterARolledBackBatchAreSeen) {
  Message reused = Next();
  ASSERT_TRUE(store_->Accept(AcceptRequest{account_, {reused}}).ok());
  const int64_t units = store_->GetBalances(account_)->at(0).units;
  const uint64_t commits = store_->commit_count();
  Queued f1 = QueueTokenAccept("hash-alice", &reused);  // alone in its batch: rolled back
  EXPECT_EQ(f1.done.get().error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store_->commit_count(), commits);
  ASSERT_TRUE(f1.seen->account && f1.seen->account->ok());
  EXPECT_EQ(f1.seen->eco_units(), units);
  {
    SqliteOptions options;
    options.path = (fs::path(dir_) / "store.db").string();
    auto other = SqliteStore::Open(options);
    ASSERT_TRUE(other.ok()) << other.error().ToString();
    ASSERT_TRUE((*other)->AdjustBalance(account_, MessageType::kEco, 300, "", 1).ok());
    ASSERT_TRUE((*other)->SetAllowedCidrs(account_, {"10.1.0.0/16"}).ok());
  }
  sqlite::testing_util::RawExec((fs::path(dir_) / "store.db").string(),
                                "UPDATE accounts SET active = 0 WHERE name = 'alice'");
  Queued a1 = QueueTokenAccept("hash-alice");
  ASSERT_TRUE(a1.done.get().ok());
  ASSERT_TRUE(a1.seen->account && a1.seen->account->ok());
  EXPECT_FALSE((*a1.seen->account)->active);
  EXPECT_EQ((*a1.seen->account)->allowed_cidrs, std::vector<std::string>{"10.1.0.0/16"});
  EXPECT_EQ(a1.seen->eco_units(), units + 300);
}

}  // namespace
}  // namespace bramka::store
