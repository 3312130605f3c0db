#include "store/sqlite/sqlite_store.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "common/ids.h"
#include "store/sqlite/store_test_util.h"
#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;

// One temporary directory per test process, removed at the end.
const fs::path& TempDir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "bramka-store-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  return dir;
}

class TempDirCleanup : public testing::Environment {
 public:
  void TearDown() override { fs::remove_all(TempDir()); }
};
const auto* const kCleanup = testing::AddGlobalTestEnvironment(new TempDirCleanup);

// Pages the database file has now (WAL checkpointed at close), so a page cap
// can leave room for a known amount of new data whatever the schema's size.
int PageCount(const std::string& path) {
  sqlite3* db = nullptr;
  int pages = -1;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      pages = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return pages;
}

std::string FreshPath(const std::string& name) {
  static std::atomic<int> counter{0};
  return (TempDir() / (name + "-" + std::to_string(counter++) + ".db")).string();
}

std::unique_ptr<SqliteStore> MustOpen(const SqliteOptions& options) {
  auto store = SqliteStore::Open(options);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformanceTest,
                         testing::Values(StoreFactory{"sqlite",
                                                      [] {
                                                        SqliteOptions options;
                                                        options.path = FreshPath("conformance");
                                                        return std::unique_ptr<Store>(
                                                            MustOpen(options));
                                                      }}),
                         StoreFactoryName);

using sqlite::testing_util::Codec;
using sqlite::testing_util::MakeMessage;
using sqlite::testing_util::RawExec;

TEST(SqliteStoreTest, ReopenKeepsEverything) {
  SqliteOptions options;
  options.path = FreshPath("reopen");
  AccountId account = 0;
  uint64_t block = 0;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    account = *store->CreateAccount("alice", "hash", 0, 5);
    ASSERT_TRUE(store->AddApiToken(account, "token-hash", "ci", 6).ok());
    ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, 10, "top-up", 7).ok());
    ASSERT_TRUE(store->SetBalanceMode(account, MessageType::kVoice, false, true).ok());
    ASSERT_TRUE(store->SetSender(account, "Shop", SenderStatus::kAuthorized, 8).ok());
    ASSERT_TRUE(store->AddToBlacklist(account, "+48500000009", 9).ok());
    block = *store->ReserveIdBlock(100);
    Message a = MakeMessage(block);
    a.unique_id = "u-1";
    Message b = MakeMessage(block + 1);
    ASSERT_TRUE(store->Accept(AcceptRequest{account, {a, b}}).ok());
    ASSERT_EQ(store->ClaimDue(b.due_ms, 10, "w", b.due_ms + 10)->size(), 2u);
    ASSERT_TRUE(store->MarkSent(a.id, "simnet", "up-1", 2'000'000).ok());
  }
  auto store = MustOpen(options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->FindAccountByName("alice")->id, account);
  EXPECT_EQ(*store->FindAccountByTokenHash("token-hash"), account);
  auto balances = *store->GetBalances(account);
  for (const Balance& b : balances) {
    if (b.type == MessageType::kEco) {
      EXPECT_EQ(b.units, 8);
    }
    if (b.type == MessageType::kVoice) {
      EXPECT_FALSE(b.available);
      EXPECT_TRUE(b.unlimited);
    }
  }
  EXPECT_EQ((*store->GetSender(account, "Shop"))->status, SenderStatus::kAuthorized);
  EXPECT_TRUE(*store->IsBlacklisted(account, "+48500000009"));
  EXPECT_GE(*store->ReserveIdBlock(1), block + 100);  // the sequence never goes back
  auto found = store->FindMessageByUniqueId(account, "u-1");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->status, MessageStatus::kSent);
  EXPECT_EQ(found->attempts, 1);
  auto receipt = store->ApplyReceipt({"simnet", "up-1", MessageStatus::kDelivered, "", 3'000'000});
  ASSERT_TRUE(receipt.ok());
  ASSERT_TRUE(receipt->has_value());
  EXPECT_EQ((*receipt)->id, found->id);
  // The status counters are rebuilt from the table at open.
  auto counts = *store->CountByStatus();
  EXPECT_EQ(counts[static_cast<size_t>(MessageStatus::kQueued)].second, 1);
  EXPECT_EQ(counts[static_cast<size_t>(MessageStatus::kDelivered)].second, 1);
}

TEST(SqliteStoreTest, NewerSchemaIsRefused) {
  SqliteOptions options;
  options.path = FreshPath("newer");
  ASSERT_NE(MustOpen(options), nullptr);
  RawExec(options.path, "UPDATE schema_version SET version = 999");
  auto store = SqliteStore::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(store.error().message.find("newer"), std::string::npos) << store.error().message;
}

TEST(SqliteStoreTest, NotADatabaseIsCorrupt) {
  SqliteOptions options;
  options.path = FreshPath("junk");
  std::ofstream(options.path) << std::string(8192, 'x');
  auto store = SqliteStore::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kCorrupt) << store.error().ToString();
}

TEST(SqliteStoreTest, UnopenablePathIsUnavailable) {
  SqliteOptions options;
  options.path = (TempDir() / "no-such-dir" / "x.db").string();
  auto store = SqliteStore::Open(options);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable) << store.error().ToString();
}

// Many concurrent AcceptAsync calls share far fewer commits; a failing job in
// a batch fails alone.
TEST(SqliteStoreTest, GroupCommitBatchesAndIsolatesFailures) {
  SqliteOptions options;
  options.path = FreshPath("group");
  auto store = MustOpen(options);
  ASSERT_NE(store, nullptr);
  AccountId account = *store->CreateAccount("alice", "hash", 0, 1);
  ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, 1'000'000, "", 1).ok());
  uint64_t first = *store->ReserveIdBlock(10'000);

  constexpr int kThreads = 4;
  constexpr int kPerThread = 500;
  const uint64_t commits_before = store->commit_count();
  std::atomic<int> ok{0};
  std::atomic<int> already_exists{0};
  std::atomic<int> other{0};
  std::atomic<int> pending{kThreads * kPerThread};
  std::promise<void> all_done;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        uint64_t seq = first + static_cast<uint64_t>(t * kPerThread + i);
        // Every 50th request reuses the id of the thread's first message.
        if (i % 50 == 49) seq = first + static_cast<uint64_t>(t * kPerThread);
        store->AcceptAsync(AcceptRequest{account, {MakeMessage(seq)}}, [&](Result<AcceptResult> r) {
          if (r.ok()) {
            ok++;
          } else if (r.error().code == ErrorCode::kAlreadyExists) {
            already_exists++;
          } else {
            other++;
          }
          if (--pending == 0) all_done.set_value();
        });
      }
    });
  }
  for (auto& t : threads) t.join();
  all_done.get_future().wait();
  const uint64_t commits = store->commit_count() - commits_before;
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(already_exists.load(), kThreads * (kPerThread / 50));
  EXPECT_EQ(ok.load(), kThreads * kPerThread - already_exists.load());
  EXPECT_LT(commits, static_cast<uint64_t>(kThreads * kPerThread / 5))
      << "group commit did not batch";
  MessageQuery q;
  q.account_id = account;
  q.limit = 1;
  EXPECT_EQ(store->QueryMessages(q)->total, ok.load());
  EXPECT_EQ(store->GetBalances(account)->at(0).units, 1'000'000 - ok.load());
  std::printf("%d accepts in %llu commits\n", kThreads * kPerThread,
              static_cast<unsigned long long>(commits));
}

// A full disk fails the writes with kUnavailable and acknowledges nothing
// that was not written.
TEST(SqliteStoreTest, FullDiskIsUnavailableAndLosesNothingAcknowledged) {
  SqliteOptions options;
  options.path = FreshPath("full");
  std::vector<std::string> acked;
  std::vector<std::string> failed;
  AccountId account = 0;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    account = *store->CreateAccount("alice", "hash", 0, 1);
    ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, 1'000'000, "", 1).ok());
  }
  // Room for some dozens of messages beyond the schema and the account.
  ASSERT_GT(PageCount(options.path), 0);
  options.max_page_count = PageCount(options.path) + 20;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    std::string text(300, 'x');
    for (uint64_t seq = 1; seq < 5'000 && failed.size() < 3; ++seq) {
      Message m = MakeMessage(seq);
      m.text = text;
      auto r = store->Accept(AcceptRequest{account, {m}});
      if (r.ok()) {
        acked.push_back(m.id);
      } else {
        EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().ToString();
        EXPECT_NE(r.error().message.find("full"), std::string::npos) << r.error().message;
        failed.push_back(m.id);
      }
    }
    ASSERT_FALSE(acked.empty());
    ASSERT_EQ(failed.size(), 3u) << "the page cap never filled the file";
  }
  options.max_page_count = 0;
  auto store = MustOpen(options);
  ASSERT_NE(store, nullptr);
  for (const std::string& id : acked) {
    EXPECT_TRUE(store->GetMessage(account, id).ok()) << id;
    EXPECT_EQ(*store->LedgerSumForMessage(id), -1) << id;
  }
  for (const std::string& id : failed) {
    EXPECT_EQ(store->GetMessage(account, id).error().code, ErrorCode::kNotFound) << id;
    EXPECT_EQ(*store->LedgerSumForMessage(id), 0) << id;
  }
  EXPECT_EQ(store->GetBalances(account)->at(0).units,
            1'000'000 - static_cast<int64_t>(acked.size()));
}

// The same with concurrent AcceptAsync calls: the disk fills in the middle
// of group-committed batches.
TEST(SqliteStoreTest, FullDiskUnderGroupCommit) {
  SqliteOptions options;
  options.path = FreshPath("full-async");
  AccountId account = 0;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    account = *store->CreateAccount("alice", "hash", 0, 1);
    ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, 1'000'000, "", 1).ok());
  }
  ASSERT_GT(PageCount(options.path), 0);
  options.max_page_count = PageCount(options.path) + 20;
  std::mutex mu;
  std::vector<std::string> acked;
  std::vector<std::string> failed;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    // One acknowledged write before the storm: whether any of the storm's
    // batches fit under the cap depends on how the writer happens to batch.
    Message first = MakeMessage(uint64_t{999'999});
    ASSERT_TRUE(store->Accept(AcceptRequest{account, {first}}).ok());
    acked.push_back(first.id);
    constexpr int kCalls = 1'200;
    std::atomic<int> pending{kCalls};
    std::promise<void> all_done;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kCalls / 4; ++i) {
          Message m = MakeMessage(static_cast<uint64_t>(1 + t * kCalls + i));
          m.text = std::string(300, 'y');
          std::string id = m.id;
          store->AcceptAsync(AcceptRequest{account, {m}}, [&, id](Result<AcceptResult> r) {
            {
              std::lock_guard lock(mu);
              (r.ok() ? acked : failed).push_back(id);
              if (!r.ok()) {
                EXPECT_EQ(r.error().code, ErrorCode::kUnavailable) << r.error().message;
              }
            }
            if (--pending == 0) all_done.set_value();
          });
        }
      });
    }
    for (auto& t : threads) t.join();
    all_done.get_future().wait();
  }
  ASSERT_FALSE(acked.empty());
  ASSERT_FALSE(failed.empty()) << "the page cap never filled the file";
  options.max_page_count = 0;
  auto store = MustOpen(options);
  ASSERT_NE(store, nullptr);
  for (const std::string& id : acked) {
    EXPECT_TRUE(store->GetMessage(account, id).ok()) << id;
    EXPECT_EQ(*store->LedgerSumForMessage(id), -1) << id;
  }
  for (const std::string& id : failed) {
    EXPECT_EQ(store->GetMessage(account, id).error().code, ErrorCode::kNotFound) << id;
  }
  EXPECT_EQ(store->GetBalances(account)->at(0).units,
            1'000'000 - static_cast<int64_t>(acked.size()));
}

// LevelDB fault-injection style: a child accepts messages and reports each
// acknowledged id through a pipe; the parent SIGKILLs it at a random moment,
// reopens the file and checks that every acknowledged id is there, charged
// exactly once, and that the balance matches the stored messages.
[[noreturn]] void CrashChild(const std::string& path, AccountId account, int write_fd,
                             uint32_t seed) {
  SqliteOptions options;
  options.path = path;
  auto opened = SqliteStore::Open(options);
  if (!opened.ok()) _exit(2);
  auto& store = *opened;
  std::mt19937 rng(seed);
  for (int round = 0; round < 1'000'000; ++round) {
    int n = 1 + static_cast<int>(rng() % 4);
    auto first = store->ReserveIdBlock(static_cast<uint64_t>(n));
    if (!first.ok()) _exit(3);
    AcceptRequest request{account, {}};
    for (int i = 0; i < n; ++i) request.messages.push_back(MakeMessage(*first + i, 1 + i % 2));
    auto r = store->Accept(std::move(request));
    if (!r.ok()) _exit(4);
    std::string line;
    for (const AcceptedItem& item : r->items) line += item.id + "\n";
    if (write(write_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) _exit(5);
  }
  _exit(0);
}

TEST(SqliteStoreTest, CrashLosesNothingAcknowledged) {
  SqliteOptions options;
  options.path = FreshPath("crash");
  constexpr int64_t kInitial = 100'000'000;
  AccountId account = 0;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    account = *store->CreateAccount("alice", "hash", 0, 1);
    ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, kInitial, "", 1).ok());
  }
  const uint32_t seed =
      static_cast<uint32_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  std::mt19937 rng(seed);
  std::set<std::string> acked;
  for (int round = 0; round < 5; ++round) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " round " + std::to_string(round));
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      close(fds[0]);
      CrashChild(options.path, account, fds[1], rng());
    }
    close(fds[1]);
    // Let it acknowledge a random number of requests, then kill it mid-flight.
    const size_t kill_after = acked.size() + 5 + rng() % 200;
    std::string buffer;
    char chunk[4096];
    bool killed = false;
    while (true) {
      ssize_t n = read(fds[0], chunk, sizeof chunk);
      if (n <= 0) break;  // the child is gone and the pipe drained
      buffer.append(chunk, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1) {
        acked.insert(buffer.substr(start, nl - start));
      }
      buffer.erase(0, start);
      if (!killed && acked.size() >= kill_after) {
        std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
        kill(pid, SIGKILL);
        killed = true;
      }
    }
    close(fds[0]);
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "child exited on its own with " << WEXITSTATUS(status);
    EXPECT_TRUE(buffer.empty());

    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    for (const std::string& id : acked) {
      auto m = store->GetMessage(account, id);
      ASSERT_TRUE(m.ok()) << "acknowledged " << id << " is lost";
      EXPECT_EQ(*store->LedgerSumForMessage(id), -m->cost_units) << id;
    }
    // Committed but unacknowledged messages may exist; either way each
    // stored message is charged once.
    MessageQuery q;
    q.account_id = account;
    q.limit = 0;
    auto all = store->QueryMessages(q);
    ASSERT_TRUE(all.ok());
    EXPECT_GE(all->total, static_cast<int64_t>(acked.size()));
    int64_t charged = 0;
    for (const Message& m : all->items) charged += m.cost_units;
    EXPECT_EQ(store->GetBalances(account)->at(0).units, kInitial - charged);
  }
  std::printf("%zu acknowledged ids survived 5 kills\n", acked.size());
}

}  // namespace
}  // namespace bramka::store

// ---- callbacks (ADR 0007) ------------------------------------------------------------
namespace bramka::store {
namespace {

// A final status and its callback commit together or not at all, and survive a reopen.
TEST(SqliteStoreCallbacksTest, StatusChangeAndItsCallbackCommitTogether) {
  SqliteOptions options;
  options.path = FreshPath("callbacks");
  AccountId account = 0;
  Message a, b, c;
  {
    auto store = MustOpen(options);
    ASSERT_NE(store, nullptr);
    account = *store->CreateAccount("alice", "hash", 0, 5);
    ASSERT_TRUE(store->AdjustBalance(account, MessageType::kEco, 10, "top-up", 7).ok());
    ASSERT_TRUE(store->SetAccountCallbacks(account, {"http://r/?id=#SMSID#", ""}).ok());
    const uint64_t block = *store->ReserveIdBlock(3);
    a = MakeMessage(block);
    b = MakeMessage(block + 1);
    c = MakeMessage(block + 2);
    ASSERT_TRUE(store->Accept(AcceptRequest{account, {a, b, c}}).ok());
    ASSERT_EQ(store->ClaimDue(c.due_ms, 10, "w", c.due_ms + 10)->size(), 3u);
    ASSERT_TRUE(store->MarkSent(a.id, "simnet", "up-a", 2'000'000).ok());
    ASSERT_TRUE(store->MarkSent(b.id, "simnet", "up-b", 2'000'000).ok());
    ASSERT_TRUE(
        store->ApplyReceipt({"simnet", "up-a", MessageStatus::kDelivered, "", 2'000'100}).ok());

    // Fault: the outbox cannot be written. The status change must not happen alone.
    RawExec(options.path, "ALTER TABLE callback_outbox RENAME TO callback_outbox_gone");
    EXPECT_FALSE(
        store->ApplyReceipt({"simnet", "up-b", MessageStatus::kDelivered, "", 2'000'200}).ok());
    EXPECT_EQ(store->GetMessage(account, b.id)->status, MessageStatus::kSent);
    EXPECT_FALSE(store->MarkUnsent(c.id, "message_rejected", 2'000'300).ok());
    EXPECT_EQ(store->GetMessage(account, c.id)->status, MessageStatus::kQueued);
    EXPECT_EQ(*store->LedgerSumForMessage(c.id), -1);  // not refunded either
    RawExec(options.path, "ALTER TABLE callback_outbox_gone RENAME TO callback_outbox");

    ASSERT_TRUE(
        store->ApplyReceipt({"simnet", "up-b", MessageStatus::kDelivered, "", 2'000'400}).ok());
    ASSERT_TRUE(store->MarkUnsent(c.id, "message_rejected", 2'000'500).ok());
  }
  auto store = MustOpen(options);
  ASSERT_NE(store, nullptr);
  auto entries = store->ListCallbacks(account, -1);
  ASSERT_TRUE(entries.ok()) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].message_id, a.id);
  EXPECT_EQ((*entries)[1].message_id, b.id);
  EXPECT_EQ((*entries)[1].event_ms, 2'000'400);
  EXPECT_EQ((*entries)[2].message_id, c.id);
  EXPECT_EQ((*entries)[2].status, "unsent");
  EXPECT_EQ(store->CountCallbacks()->pending, 3);
}

}  // namespace
}  // namespace bramka::store
