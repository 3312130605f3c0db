// Dispatcher: messages handed off by the store at their accept (docs/adr/0065), through the
// real interfaces: a SqliteStore, the dispatcher's threads and a FakeConnector.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::delivery {
namespace {

namespace fs = std::filesystem;
using store::Message;
using store::MessageStatus;
using testing::FakeConnector;

constexpr int kWaitMs = 30'000;

std::string FreshPath(const std::string& name) {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "bramka-dhandoff-XXXXXX").string();
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();
    return fs::path(made);
  }();
  static int counter = 0;
  return (dir / (name + "-" + std::to_string(counter++) + ".db")).string();
}

std::unique_ptr<store::SqliteStore> OpenStore(const std::string& path) {
  store::SqliteOptions options;
  options.path = path;
  auto opened = store::SqliteStore::Open(options);
  EXPECT_TRUE(opened.ok()) << opened.error().ToString();
  return opened.ok() ? std::move(*opened) : nullptr;
}

// Polls `cond` (another thread's progress) for up to kWaitMs.
template <typename Cond>
bool Eventually(Cond cond) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(kWaitMs);
  while (!cond()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct Rig {
  explicit Rig(const std::string& path) : store(OpenStore(path)) {}
  FakeClock clock;
  std::unique_ptr<store::SqliteStore> store;
  MetricsRegistry metrics;
  FakeConnector a{"a"};
  int64_t now = ToUnixMillis(clock.Now());
  store::AccountId account{};
  std::unique_ptr<Dispatcher> d;
  unsigned next = 1;

  void Start(bool new_account = true) {
    if (new_account) {
      auto acc = testing::NewEcoAccount(*store, now);
      ASSERT_TRUE(acc.ok());
      account = *acc;
    }
    DispatcherOptions options;
    options.poll_interval_ms = 60'000;  // claims only on Wake() (and the first one)
    options.stop_timeout_ms = 2'000;
    RoutingOptions ro;
    ro.default_route = {"a"};
    d = std::make_unique<Dispatcher>(*store, clock, *RoutingTable::Create(ro),
                                     std::map<std::string, Connector*>{{"a", &a}}, options,
                                     metrics);
    ASSERT_TRUE(d->Start().ok());
  }
  // A message due `at` (default: now), accepted; the gateway's hook follows the answer.
  Message Accept(int64_t at = 0) {
    Message m = testing::QueuedEcoMessage(next++, at == 0 ? now : at);
    EXPECT_TRUE(store->Accept({account, {m}}).ok());
    d->WakeAfterAccept();
    return m;
  }
  int64_t Counter(const std::string& name) {
    return metrics.GetCounter(name, "").value();
  }
  std::vector<std::string> SentIds() {
    std::vector<std::string> ids;
    for (const Message& m : a.sends()) ids.push_back(m.id);
    return ids;
  }
};

TEST(DispatcherHandoffTest, HandedOffMessagesAreSentOnce) {
  Rig rig(FreshPath("once"));
  ASSERT_NO_FATAL_FAILURE(rig.Start());
  // The thread's first claim (nothing due) makes it hungry.
  ASSERT_TRUE(Eventually([&] { return rig.store->HandoffArmed(); }));
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back(rig.Accept().id);
  ASSERT_TRUE(rig.a.WaitForSends(ids.size(), kWaitMs));
  ASSERT_TRUE(rig.d->WaitIdle(kWaitMs));
  EXPECT_EQ(rig.SentIds(), ids);  // each once, in the order accepted
  EXPECT_EQ(rig.Counter("bramka_dispatch_handed_off_total"), 20);
  EXPECT_EQ(rig.Counter("bramka_dispatch_accept_wakes_skipped_total"), 20);
  for (const std::string& id : ids) {
    auto m = rig.store->GetMessage(rig.account, id);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->status, MessageStatus::kSent) << id;
    EXPECT_EQ(m->attempts, 1) << id;
  }
  // Nothing is left to claim.
  EXPECT_TRUE(rig.store->ClaimDue(rig.now + 1'000, 10, "node-1", rig.now + 2'000)->empty());
  rig.d->Stop();
  EXPECT_EQ(rig.SentIds().size(), ids.size());
}

// A message put back for later (its connector was busy) is due before a message accepted
// after its due time: that one is not handed off, and the claim sends the older one first.
TEST(DispatcherHandoffTest, AnOlderDueMessageIsSentFirst) {
  Rig rig(FreshPath("order"));
  int refusals = 1;
  rig.a.SetScript([&](const Message& m) -> std::optional<SendOutcome> {
    if (refusals-- > 0) return SendOutcome::HandedBack("busy");  // due again after a poll
    return SendOutcome::Accepted("up-" + m.id);
  });
  ASSERT_NO_FATAL_FAILURE(rig.Start());
  ASSERT_TRUE(Eventually([&] { return rig.store->HandoffArmed(); }));
  const Message x = rig.Accept();  // handed off, handed back: due at now + poll interval
  ASSERT_TRUE(Eventually([&] { return rig.d->in_flight() == 0; }));
  ASSERT_TRUE(rig.d->WaitIdle(kWaitMs));
  EXPECT_EQ(rig.store->GetMessage(rig.account, x.id)->status, MessageStatus::kQueued);
  rig.clock.Advance(std::chrono::seconds(61));
  const Message y = rig.Accept(ToUnixMillis(rig.clock.Now()));  // x is due before it
  ASSERT_TRUE(rig.a.WaitForSends(3, kWaitMs));
  ASSERT_TRUE(rig.d->WaitIdle(kWaitMs));
  EXPECT_EQ(rig.SentIds(), (std::vector<std::string>{x.id, x.id, y.id}));
  EXPECT_EQ(rig.Counter("bramka_dispatch_handed_off_total"), 1);
  EXPECT_EQ(rig.store->GetMessage(rig.account, y.id)->status, MessageStatus::kSent);
  rig.d->Stop();
}

// Stop while handed-off messages are held by the connector and accepts go on: each message
// is sent by this dispatcher or, after it stopped, by the next one; none twice, none lost.
TEST(DispatcherHandoffTest, HandoffWhileStopping) {
  const std::string path = FreshPath("stop");
  Rig rig(path);
  rig.a.HoldAll();
  ASSERT_NO_FATAL_FAILURE(rig.Start());
  ASSERT_TRUE(Eventually([&] { return rig.store->HandoffArmed(); }));
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(rig.Accept().id);
  ASSERT_TRUE(rig.a.WaitForHeld(3, kWaitMs));
  std::thread accepting([&] {
    for (int i = 0; i < 50; ++i) ids.push_back(rig.Accept().id);
  });
  rig.d->Stop();  // the held ones are answered kTemporary by the connector's Stop
  accepting.join();
  const size_t sent_before = rig.a.sends().size();

  FakeConnector b{"a"};
  RoutingOptions ro;
  ro.default_route = {"a"};
  DispatcherOptions options;
  options.poll_interval_ms = 50;
  Dispatcher d2(*rig.store, rig.clock, *RoutingTable::Create(ro),
                std::map<std::string, Connector*>{{"a", &b}}, options, rig.metrics);
  ASSERT_TRUE(d2.Start().ok());
  rig.clock.Advance(std::chrono::seconds(120));  // past every retry's due time and lease
  ASSERT_TRUE(Eventually([&] {
    for (const std::string& id : ids) {
      auto m = rig.store->GetMessage(rig.account, id);
      if (!m.ok() || m->status != MessageStatus::kSent) return false;
    }
    return true;
  }));
  d2.Stop();
  std::multiset<std::string> sent;
  for (const Message& m : b.sends()) sent.insert(m.id);
  for (const std::string& id : ids) EXPECT_EQ(sent.count(id), 1u) << id;
  EXPECT_EQ(sent.size(), ids.size());
  EXPECT_LE(sent_before, ids.size());
}

// The process dies between the commit and the dispatcher's taking the handoff: after the
// restart the message is due at once and sent once.
TEST(DispatcherHandoffTest, CrashBetweenCommitAndHandoff) {
  const std::string path = FreshPath("crash");
  Message m;
  store::AccountId account{};
  {
    auto store = OpenStore(path);
    auto acc = testing::NewEcoAccount(*store, 1'000);
    ASSERT_TRUE(acc.ok());
    account = *acc;
    ASSERT_TRUE(store->StartHandoff("node-1", 60'000, [](std::vector<Message>) {}));
    FakeClock clock;
    m = testing::QueuedEcoMessage(1, ToUnixMillis(clock.Now()));
    ASSERT_TRUE(store->ClaimDue(m.due_ms, 10, "node-1", m.due_ms + 60'000)->empty());
    ASSERT_TRUE(store->Accept({account, {m}}).ok());  // leased, "handed" to nobody
  }
  Rig rig(path);
  rig.account = account;
  ASSERT_NO_FATAL_FAILURE(rig.Start(false));
  ASSERT_TRUE(rig.a.WaitForSends(1, kWaitMs));
  ASSERT_TRUE(rig.d->WaitIdle(kWaitMs));
  rig.d->Stop();
  EXPECT_EQ(rig.SentIds(), std::vector<std::string>{m.id});
  auto stored = rig.store->GetMessage(account, m.id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->status, MessageStatus::kSent);
  EXPECT_EQ(stored->attempts, 1);
}

}  // namespace
}  // namespace bramka::delivery
