// Dispatcher: delivery writes pipelined (dispatcher_batch.cc, docs/adr/0039): the batch
// thread hands a cycle's writes to the store without waiting for them, up to
// DispatcherOptions::max_writes_in_flight cycles at once, and finishes the cycles in the order it
// started them whatever order the store answers in. And (docs/adr/0045) a second cycle with
// the default of one only while accepts are quiet.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using testing::FakeConnector;

constexpr auto kWait = std::chrono::seconds(30);  // bound for every condition wait

// Holds every WriteDeliveriesAsync until the test answers it (Answer(i): written then).
class HeldWritesStore : public store::InMemoryStore {
 public:
  void WriteDeliveriesAsync(const std::vector<store::SentUpdate>& sent,
                            const std::vector<store::ReceiptUpdate>& receipts,
                            std::function<void(Result<DeliveryWrites>)> done) override {
    std::lock_guard lock(mu_);
    held_.push_back({&sent, &receipts, std::move(done)});
    cv_.notify_all();
  }
  bool WaitForCalls(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return held_.size() >= n; });
  }
  size_t calls() {
    std::lock_guard lock(mu_);
    return held_.size();
  }
  // Writes the i-th call (0-based) and answers it, on this thread; its acceptances.
  size_t Answer(size_t i) {
    Held h;
    {
      std::lock_guard lock(mu_);
      h = std::move(held_.at(i));
    }
    const size_t sent = h.sent->size();
    h.done(WriteDeliveries(*h.sent, *h.receipts));
    return sent;
  }

 private:
  struct Held {
    const std::vector<store::SentUpdate>* sent = nullptr;
    const std::vector<store::ReceiptUpdate>* receipts = nullptr;
    std::function<void(Result<DeliveryWrites>)> done;
  };
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Held> held_;
};

// The set-up both tests share: `n` queued messages that connector `a` accepts as
// "up-<id>", and a dispatcher over HeldWritesStore that claims only on Wake().
struct Rig {
  FakeClock clock;
  HeldWritesStore store;
  MetricsRegistry metrics;
  FakeConnector a{"a"};
  int64_t now = ToUnixMillis(clock.Now());
  store::AccountId account{};
  std::vector<std::string> ids;
  std::unique_ptr<Dispatcher> d;

  void Start(unsigned n, DispatcherOptions options) {
    auto acc = testing::NewEcoAccount(store, now);
    ASSERT_TRUE(acc.ok());
    account = *acc;
    for (unsigned i = 1; i <= n; ++i) {
      const store::Message m = testing::QueuedEcoMessage(i, now);
      ASSERT_TRUE(store.Accept({account, {m}}).ok());
      ids.push_back(m.id);
    }
    a.SetScript([&](const store::Message& m) -> std::optional<SendOutcome> {
      return SendOutcome::Accepted("up-" + m.id);
    });
    options.poll_interval_ms = 60'000;  // only Wake() claims
    options.stop_timeout_ms = 0;
    RoutingOptions ro;
    ro.default_route = {"a"};
    d = std::make_unique<Dispatcher>(store, clock, *RoutingTable::Create(ro),
                                     std::map<std::string, Connector*>{{"a", &a}}, options,
                                     metrics);
    ASSERT_TRUE(d->Start().ok());
  }
  // Wake() (an accept, as the gateway's hook reports it), every message sent, and each
  // cycle of acceptances answered, in however many cycles they came; `calls`: how many.
  void SendAll(size_t& calls) {
    d->Wake();
    ASSERT_TRUE(a.WaitForSends(ids.size(), 30'000));
    for (size_t call = 0, answered = 0; answered < ids.size(); ++call) {
      ASSERT_TRUE(store.WaitForCalls(call + 1));
      answered += store.Answer(call);
    }
    ASSERT_TRUE(d->WaitIdle(30'000));
    calls = store.calls();
  }
};

TEST(DispatcherPipelineTest, CyclesOverlapInTheStoreAndFinishInOrder) {
  Rig rig;
  constexpr size_t kInFlight = 2;
  DispatcherOptions options;
  options.max_writes_in_flight = kInFlight;  // the default is 1
  ASSERT_NO_FATAL_FAILURE(rig.Start(6, options));
  auto& [clock, store, metrics, a, now, account, ids, dp] = rig;
  Dispatcher& d = *dp;
  size_t first = 0;
  ASSERT_NO_FATAL_FAILURE(rig.SendAll(first));
  for (const std::string& id : ids) {
    EXPECT_EQ(store.GetMessage(account, id)->status, MessageStatus::kSent) << id;
  }

  // One receipt per cycle: each is handed over while the ones before are still held,
  // up to kInFlight; the next waits for a free slot.
  std::mutex mu;
  std::vector<std::string> acked;  // receipt-ack order
  auto report = [&](size_t i) {
    a.events()->OnReceipt({"a", "up-" + ids[i], MessageStatus::kDelivered, "", now + 1},
                          [&, i](bool stored) {
                            EXPECT_TRUE(stored);
                            std::lock_guard lock(mu);
                            acked.push_back(ids[i]);
                          });
  };
  for (size_t i = 0; i < kInFlight; ++i) {
    report(i);
    ASSERT_TRUE(store.WaitForCalls(first + i + 1)) << i;
  }
  report(kInFlight);
  EXPECT_EQ(store.calls(), first + kInFlight);
  // The store answers out of order: the cycles still finish in the order started.
  for (size_t i = 1; i < kInFlight; ++i) store.Answer(first + i);
  {
    std::lock_guard lock(mu);
    EXPECT_TRUE(acked.empty());  // the oldest is not answered yet
  }
  store.Answer(first + 0);
  ASSERT_TRUE(store.WaitForCalls(first + kInFlight + 1));  // a slot came free
  store.Answer(first + kInFlight);
  ASSERT_TRUE(d.WaitIdle(30'000));
  std::vector<std::string> expected(ids.begin(), ids.begin() + kInFlight + 1);
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(acked, expected);
  }
  for (const std::string& id : expected) {
    EXPECT_EQ(store.GetMessage(account, id)->status, MessageStatus::kDelivered);
  }
  EXPECT_EQ(store.GetMessage(account, ids[5])->status, MessageStatus::kSent);
  EXPECT_EQ(d.in_flight(), 0);
  d.Stop();
}

// e2e (docs/adr/0045): with max_writes_in_flight 1, a second cycle goes to the store only
// while no accept came (Wake()) for accepts_quiet_ms.
class QuietAcceptsTest : public ::testing::TestWithParam<bool> {};

TEST_P(QuietAcceptsTest, SecondCycleOnlyWhileAcceptsAreQuiet) {
  const bool quiet = GetParam();
  Rig rig;
  DispatcherOptions options;  // max_writes_in_flight 1, max_writes_in_flight_quiet 2
  // 0: quiet at once after a Wake(); a minute: not quiet during the test.
  options.accepts_quiet_ms = quiet ? 0 : 60'000;
  ASSERT_NO_FATAL_FAILURE(rig.Start(3, options));
  auto& [clock, store, metrics, a, now, account, ids, dp] = rig;
  Dispatcher& d = *dp;
  size_t first = 0;
  ASSERT_NO_FATAL_FAILURE(rig.SendAll(first));

  std::atomic<int> acked{0};
  auto report = [&](size_t i) {
    a.events()->OnReceipt({"a", "up-" + ids[i], MessageStatus::kDelivered, "", now + 1},
                          [&](bool stored) {
                            EXPECT_TRUE(stored);
                            ++acked;
                          });
  };
  report(0);
  ASSERT_TRUE(store.WaitForCalls(first + 1));
  report(1);
  if (quiet) {
    ASSERT_TRUE(store.WaitForCalls(first + 2));  // handed over while the first is held
  } else {
    // Still one cycle in the store's hands: the second receipt waits for its answer.
    EXPECT_EQ(store.calls(), first + 1);
    store.Answer(first);
    ASSERT_TRUE(store.WaitForCalls(first + 2));
  }
  report(2);
  if (quiet) {
    EXPECT_EQ(store.calls(), first + 2);  // two at most
    store.Answer(first);
  } else {
    EXPECT_EQ(store.calls(), first + 2);
  }
  store.Answer(first + 1);
  ASSERT_TRUE(store.WaitForCalls(first + 3));
  store.Answer(first + 2);
  ASSERT_TRUE(d.WaitIdle(30'000));
  EXPECT_EQ(acked.load(), 3);
  for (const std::string& id : ids) {
    EXPECT_EQ(store.GetMessage(account, id)->status, MessageStatus::kDelivered) << id;
  }
  d.Stop();
}

INSTANTIATE_TEST_SUITE_P(Dispatcher, QuietAcceptsTest, ::testing::Bool(),
                         [](const auto& param_info) {
                           return param_info.param ? "Quiet" : "Accepting";
                         });

}  // namespace
}  // namespace bramka::delivery
