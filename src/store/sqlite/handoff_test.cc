// handoff (docs/adr/0065): SqliteStore hands the messages it accepts due now to the owner of
// the handoff while that owner is hungry, leased as its ClaimDue would lease them, after the
// commit is durable; everything else stays for ClaimDue.

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/claim_leases.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/store_test_util.h"

namespace bramka::store::sqlite {
namespace {

namespace fs = std::filesystem;
using testing_util::MakeMessage;

constexpr int64_t kLeaseMs = 60'000;
constexpr char kOwner[] = "node";

std::string FreshPath(const std::string& name) {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "bramka-handoff-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  static int counter = 0;
  return (dir / (name + "-" + std::to_string(counter++) + ".db")).string();
}

// What the sink was given, in order.
struct Sink {
  std::mutex mu;
  std::vector<Message> got;
  Store::HandoffSink Fn() {
    return [this](std::vector<Message> messages) {
      std::lock_guard lock(mu);
      for (Message& m : messages) got.push_back(std::move(m));
    };
  }
  std::vector<std::string> Ids() {
    std::lock_guard lock(mu);
    std::vector<std::string> ids;
    for (const Message& m : got) ids.push_back(m.id);
    return ids;
  }
};

struct Opened {
  std::unique_ptr<SqliteStore> store;
  AccountId account = 0;
  uint64_t block = 0;
};

Opened OpenWithAccount(const std::string& path, int64_t units = 1'000) {
  SqliteOptions options;
  options.path = path;
  auto store = SqliteStore::Open(options);
  EXPECT_TRUE(store.ok()) << store.error().ToString();
  Opened o;
  o.store = std::move(*store);
  o.account = *o.store->CreateAccount("alice", "hash", 0, 5);
  EXPECT_TRUE(o.store->AdjustBalance(o.account, MessageType::kEco, units, "top-up", 7).ok());
  o.block = *o.store->ReserveIdBlock(1'000);
  return o;
}

// The completion thread gives a batch's handed-off messages to the sink after answering its
// accepts: once a later accept was answered, the sink has had everything before it.
void Settle(SqliteStore& store, AccountId account) {
  ASSERT_TRUE(store.Accept(AcceptRequest{account, {}}).ok());
}

void ExpectSameMessage(const Message& a, const Message& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.account_id, b.account_id);
  EXPECT_EQ(a.phone, b.phone);
  EXPECT_EQ(a.sender, b.sender);
  EXPECT_EQ(a.type, b.type);
  EXPECT_EQ(a.text, b.text);
  EXPECT_EQ(a.unicode, b.unicode);
  EXPECT_EQ(a.flash, b.flash);
  EXPECT_EQ(a.speed, b.speed);
  EXPECT_EQ(a.parts, b.parts);
  EXPECT_EQ(a.cost_units, b.cost_units);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.unique_id, b.unique_id);
  EXPECT_EQ(a.stat_id, b.stat_id);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.dlr_url, b.dlr_url);
  EXPECT_EQ(a.queued_ms, b.queued_ms);
  EXPECT_EQ(a.due_ms, b.due_ms);
  EXPECT_EQ(a.sent_ms, b.sent_ms);
  EXPECT_EQ(a.done_ms, b.done_ms);
  EXPECT_EQ(a.attempts, b.attempts);
  EXPECT_EQ(a.connector, b.connector);
  EXPECT_EQ(a.upstream_id, b.upstream_id);
  EXPECT_EQ(a.smpp_user_id, b.smpp_user_id);
  EXPECT_EQ(a.smpp_registered_delivery, b.smpp_registered_delivery);
  EXPECT_EQ(a.attachments, b.attachments);
  EXPECT_EQ(a.callback_queued, b.callback_queued);
}

// Field by field what ClaimDue returns for the same accept in a store without a handoff.
TEST(SqliteHandoffTest, HandedOffMessageIsWhatClaimDueReturns) {
  Opened a = OpenWithAccount(FreshPath("same-a"));
  Opened b = OpenWithAccount(FreshPath("same-b"));
  ASSERT_EQ(a.block, b.block);
  Message m = MakeMessage(a.block, 3);
  m.sender = "Shop";
  m.unicode = true;
  m.flash = true;
  m.parts = 2;
  m.unique_id = "client-7";
  m.stat_id = 42;
  m.source = "smpp";
  m.dlr_url = "https://example.com/dlr";
  m.smpp_user_id = 0;
  m.smpp_registered_delivery = 1;
  m.text = "zażółć gęślą jaźń";
  Sink sink;
  ASSERT_TRUE(a.store->StartHandoff(kOwner, kLeaseMs, sink.Fn()));
  EXPECT_FALSE(a.store->HandoffArmed());  // hungry only after a claim
  ASSERT_TRUE(a.store->ClaimDue(m.due_ms, 10, kOwner, m.due_ms + kLeaseMs)->empty());
  EXPECT_TRUE(a.store->HandoffArmed());
  ASSERT_TRUE(a.store->Accept(AcceptRequest{a.account, {m}}).ok());
  Settle(*a.store, a.account);
  ASSERT_EQ(sink.Ids(), std::vector<std::string>{m.id});

  ASSERT_TRUE(b.store->Accept(AcceptRequest{b.account, {m}}).ok());
  auto claimed = b.store->ClaimDue(m.due_ms, 10, kOwner, m.due_ms + kLeaseMs);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  ExpectSameMessage(sink.got[0], (*claimed)[0]);

  // Leased like a claim: not claimed again; its attempt is written with its outcome.
  EXPECT_TRUE(a.store->ClaimDue(m.due_ms + 1, 10, kOwner, m.due_ms + kLeaseMs)->empty());
  ASSERT_TRUE(a.store->MarkSent(m.id, "c", "up-1", m.due_ms + 2).ok());
  EXPECT_EQ(a.store->GetMessage(a.account, m.id)->attempts, 1);
  EXPECT_EQ(a.store->GetMessage(a.account, m.id)->status, MessageStatus::kSent);
  a.store->StopHandoff();
}

TEST(SqliteHandoffTest, OnlyWhileHungryAndWithinTheClaimsRoom) {
  Opened o = OpenWithAccount(FreshPath("room"));
  Sink sink;
  ASSERT_TRUE(o.store->StartHandoff(kOwner, kLeaseMs, sink.Fn()));
  uint64_t next = o.block;
  const Message first = MakeMessage(next++);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {first}}).ok());
  Settle(*o.store, o.account);  // no claim yet
  EXPECT_TRUE(sink.Ids().empty());
  // A full claim (1 of 1) leaves no room.
  ASSERT_EQ(o.store->ClaimDue(first.due_ms, 1, kOwner, first.due_ms + kLeaseMs)->size(), 1u);
  EXPECT_FALSE(o.store->HandoffArmed());
  const Message second = MakeMessage(next++);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {second}}).ok());
  Settle(*o.store, o.account);
  EXPECT_TRUE(sink.Ids().empty());
  // 1 of 3: room for two more.
  ASSERT_EQ(o.store->ClaimDue(second.due_ms, 3, kOwner, second.due_ms + kLeaseMs)->size(), 1u);
  EXPECT_TRUE(o.store->HandoffArmed());
  std::vector<Message> more;
  for (int i = 0; i < 3; ++i) {
    more.push_back(MakeMessage(next++));
    ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {more.back()}}).ok());
    Settle(*o.store, o.account);
  }
  EXPECT_EQ(sink.Ids(), (std::vector<std::string>{more[0].id, more[1].id}));
  EXPECT_FALSE(o.store->HandoffArmed());  // the third was refused: a wake-up must claim
  auto rest = o.store->ClaimDue(more[2].due_ms, 10, kOwner, more[2].due_ms + kLeaseMs);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ((*rest)[0].id, more[2].id);
  // A pause (no connector ready) until the next claim.
  EXPECT_TRUE(o.store->HandoffArmed());
  o.store->PauseHandoff();
  EXPECT_FALSE(o.store->HandoffArmed());
  const Message paused = MakeMessage(next++);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {paused}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().size(), 2u);
  // Another owner's claims say nothing about this one's hunger.
  ASSERT_EQ(o.store->ClaimDue(paused.due_ms, 10, "other", paused.due_ms + kLeaseMs)->size(), 1u);
  EXPECT_FALSE(o.store->HandoffArmed());
  o.store->StopHandoff();
}

// Oldest due first: nothing is handed off while an older message could be claimed (a retry
// due again, a lease that ran out, a message not handed off); a newer one waits with it.
TEST(SqliteHandoffTest, NothingOvertakesAnOlderClaimableMessage) {
  Opened o = OpenWithAccount(FreshPath("order"));
  Sink sink;
  ASSERT_TRUE(o.store->StartHandoff(kOwner, kLeaseMs, sink.Fn()));
  uint64_t next = o.block;
  const int64_t t = MakeMessage(next).due_ms;
  auto at = [&](int64_t due) {
    Message m = MakeMessage(next++);
    m.queued_ms = m.due_ms = due;
    return m;
  };
  // A retry: claimed at t, due again at t + 5.
  const Message x = at(t);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {x}}).ok());
  Settle(*o.store, o.account);
  ASSERT_EQ(o.store->ClaimDue(t, 10, kOwner, t + kLeaseMs)->size(), 1u);
  ASSERT_TRUE(o.store->MarkRetry(x.id, t + 5, "busy").ok());
  const Message before = at(t + 4);  // older than the retry's due time: goes at once
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {before}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids(), std::vector<std::string>{before.id});
  const Message y = at(t + 10);  // the retry is due first
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {y}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().size(), 1u);
  EXPECT_FALSE(o.store->HandoffArmed());
  auto claimed = o.store->ClaimDue(t + 10, 10, kOwner, t + 20);  // leases end at t + 20
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_EQ((*claimed)[0].id, x.id);
  EXPECT_EQ((*claimed)[0].attempts, 2);
  EXPECT_EQ((*claimed)[1].id, y.id);

  // A lease that runs out (t + 20) comes before a message accepted after that.
  const Message z = at(t + 15);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {z}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().size(), 2u);
  const Message w = at(t + 20);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {w}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().size(), 2u);
  auto again = o.store->ClaimDue(t + 20, 10, kOwner, t + kLeaseMs);
  ASSERT_EQ(again->size(), 3u);
  EXPECT_EQ((*again)[0].id, x.id);  // due t + 5, its lease ran out
  EXPECT_EQ((*again)[1].id, y.id);
  EXPECT_EQ((*again)[2].id, w.id);

  // A scheduled message: handoffs go on until its time.
  Message later = at(t + 100);
  later.status = MessageStatus::kSaved;
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {later}}).ok());
  Settle(*o.store, o.account);
  const Message soon = at(t + 99);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {soon}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().back(), soon.id);
  const Message after = at(t + 100);
  ASSERT_TRUE(o.store->Accept(AcceptRequest{o.account, {after}}).ok());
  Settle(*o.store, o.account);
  EXPECT_EQ(sink.Ids().back(), soon.id);
  auto due = o.store->ClaimDue(t + 100, 10, kOwner, t + 200);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, later.id);
  EXPECT_EQ((*due)[1].id, after.id);
  o.store->StopHandoff();
}

// A batch that rolls back (the disk fills under group commit) hands nothing on and keeps no
// lease of it: every acknowledged message is either handed off once or claimable.
TEST(SqliteHandoffTest, RolledBackBatchesHandNothingOn) {
  SqliteOptions options;
  options.path = FreshPath("full");
  AccountId account = 0;
  uint64_t block = 0;
  {
    Opened o = OpenWithAccount(options.path, 1'000'000);
    account = o.account;
    block = o.block;
  }
  int64_t pages = 0;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(options.path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    pages = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  options.max_page_count = pages + 20;
  Sink sink;
  std::mutex mu;
  std::set<std::string> acked;
  std::set<std::string> failed;
  {
    auto opened = SqliteStore::Open(options);
    ASSERT_TRUE(opened.ok());
    SqliteStore& store = **opened;
    ASSERT_TRUE(store.StartHandoff(kOwner, kLeaseMs, sink.Fn()));
    const int64_t t = MakeMessage(block).due_ms;
    ASSERT_TRUE(store.ClaimDue(t, 1'000'000, kOwner, t + kLeaseMs)->empty());
    std::string text(300, 'x');
    std::atomic<int> pending{0};
    std::condition_variable cv;
    // Waves of concurrent accepts (group-committed batches) until the disk is full.
    for (uint64_t seq = block; seq < block + 990 && failed.size() < 20; seq += 10) {
      for (uint64_t k = seq; k < seq + 10; ++k) {
        Message m = MakeMessage(k);
        m.due_ms = m.queued_ms = t;
        m.text = text;
        ++pending;
        store.AcceptAsync(AcceptRequest{account, {m}}, [&, id = m.id](Result<AcceptResult> r) {
          std::lock_guard lock(mu);
          (r.ok() ? acked : failed).insert(id);
          --pending;
          cv.notify_all();
        });
      }
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return pending.load() == 0; });
    }
    ASSERT_FALSE(failed.empty()) << "the page cap never filled the file";
    ASSERT_FALSE(acked.empty());
    store.StopHandoff();
  }
  const std::vector<std::string> handed = sink.Ids();
  std::set<std::string> handed_set(handed.begin(), handed.end());
  EXPECT_EQ(handed_set.size(), handed.size()) << "a message handed off twice";
  EXPECT_FALSE(handed.empty());
  for (const std::string& id : handed) EXPECT_TRUE(acked.count(id)) << id;
  // After the restart (the handed-off ones died with the process) every acknowledged
  // message is claimable once, and nothing else.
  options.max_page_count = 0;
  auto store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok());
  auto claimed = (*store)->ClaimDue(INT64_MAX / 2, 1'000'000, kOwner, INT64_MAX / 2 + 1);
  ASSERT_TRUE(claimed.ok());
  std::set<std::string> claimable;
  for (const Message& m : *claimed) {
    claimable.insert(m.id);
    EXPECT_EQ(m.attempts, 1) << m.id;
  }
  EXPECT_EQ(claimable, acked);
}

// The store's own leases: a rollback undoes a handoff's lease and credit, a job that fails
// alone undoes its own.
TEST(SqliteHandoffTest, LeasesUndoWithTheTransaction) {
  uint64_t commits = 0;
  ClaimLeases leases;
  leases.SetCommitCount([&] { return commits; });
  leases.GrantHandoff(2, 100);
  EXPECT_TRUE(leases.armed());
  commits = 1;
  EXPECT_TRUE(leases.TakeHandoff(10));
  leases.Claim(1, "a", 1000, 10);
  leases.OnRollback();  // the batch rolled back
  EXPECT_EQ(leases.Find(1), nullptr);
  EXPECT_TRUE(leases.TakeHandoff(10));
  EXPECT_TRUE(leases.TakeHandoff(10));
  EXPECT_FALSE(leases.TakeHandoff(10));  // the room is used up
  EXPECT_FALSE(leases.armed());
  leases.OnRollback();
  EXPECT_TRUE(leases.armed());
  const size_t mark = leases.Mark();
  EXPECT_FALSE(leases.TakeHandoff(100));  // at the horizon: refused, and so is what follows
  EXPECT_FALSE(leases.TakeHandoff(10));
  leases.UndoTo(mark);  // the job failed
  EXPECT_TRUE(leases.TakeHandoff(10));
  leases.Lower({50, 7});  // a retry due at 50
  EXPECT_FALSE(leases.TakeHandoff(60));
  leases.GrantHandoff(5, 1000);
  leases.Pause();
  EXPECT_FALSE(leases.armed());
  EXPECT_FALSE(leases.TakeHandoff(10));
}

// Between the commit and the handoff the process dies: after the restart the message is due
// at once, its lost claim not counted.
TEST(SqliteHandoffTest, CrashBetweenCommitAndHandoff) {
  const std::string path = FreshPath("crash");
  Message m;
  AccountId account = 0;
  {
    Opened o = OpenWithAccount(path);
    account = o.account;
    m = MakeMessage(o.block);
    ASSERT_TRUE(o.store->StartHandoff(kOwner, kLeaseMs, [](std::vector<Message>) {}));
    ASSERT_TRUE(o.store->ClaimDue(m.due_ms, 10, kOwner, m.due_ms + kLeaseMs)->empty());
    ASSERT_TRUE(o.store->Accept(AcceptRequest{account, {m}}).ok());
    EXPECT_TRUE(o.store->ClaimDue(m.due_ms, 10, kOwner, m.due_ms + kLeaseMs)->empty());
  }
  SqliteOptions options;
  options.path = path;
  auto store = SqliteStore::Open(options);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->ReleaseLeases(kOwner), 0);
  auto claimed = (*store)->ClaimDue(m.due_ms, 10, kOwner, m.due_ms + kLeaseMs);
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, m.id);
  EXPECT_EQ((*claimed)[0].attempts, 1);
}

// StopHandoff while an accept's handoff is on its way: the sink running finishes first, and
// a handoff committed after the stop is released (due again at once) instead of lost.
TEST(SqliteHandoffTest, StopReleasesWhatNobodyTakes) {
  Opened o = OpenWithAccount(FreshPath("stop"));
  std::mutex mu;
  std::condition_variable cv;
  bool in_sink = false;
  bool let_go = false;
  std::vector<std::string> got;
  ASSERT_TRUE(o.store->StartHandoff(kOwner, kLeaseMs, [&](std::vector<Message> messages) {
    std::unique_lock lock(mu);
    for (const Message& m : messages) got.push_back(m.id);
    in_sink = true;
    cv.notify_all();
    cv.wait(lock, [&] { return let_go; });
  }));
  const Message a = MakeMessage(o.block);
  const Message b = MakeMessage(o.block + 1);
  ASSERT_TRUE(o.store->ClaimDue(a.due_ms, 10, kOwner, a.due_ms + kLeaseMs)->empty());
  std::atomic<int> answered{0};
  o.store->AcceptAsync(AcceptRequest{o.account, {a}}, [&](Result<AcceptResult> r) {
    EXPECT_TRUE(r.ok());
    ++answered;
  });
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_sink; });  // a's sink holds the completion thread
  }
  o.store->AcceptAsync(AcceptRequest{o.account, {b}}, [&](Result<AcceptResult> r) {
    EXPECT_TRUE(r.ok());
    ++answered;
  });
  ASSERT_TRUE(o.store->ReserveIdBlock(1).ok());  // b's job ran: b is leased for the sink
  std::thread stopper([&] { o.store->StopHandoff(); });
  while (o.store->HandoffArmed()) std::this_thread::yield();  // the stop began
  {
    std::lock_guard lock(mu);
    let_go = true;
    cv.notify_all();
  }
  stopper.join();
  while (answered.load() < 2) std::this_thread::yield();
  EXPECT_EQ(got, std::vector<std::string>{a.id});
  // b's release is queued after its answer: claim until it is back (a few round trips).
  Result<std::vector<Message>> claimed = std::vector<Message>();
  for (int i = 0; i < 1'000 && claimed.ok() && claimed->empty(); ++i) {
    claimed = o.store->ClaimDue(b.due_ms, 10, kOwner, b.due_ms + kLeaseMs);
  }
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].id, b.id);
  EXPECT_EQ((*claimed)[0].attempts, 2);  // the released claim counts, as ReleaseLeases's do
}

}  // namespace
}  // namespace bramka::store::sqlite
