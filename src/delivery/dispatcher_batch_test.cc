// Dispatcher: acceptances and receipts are written in batches of whatever is waiting
// (dispatcher.h, "perf-delivery"; docs/adr/0019).

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using testing::FakeConnector;

constexpr auto kWait = std::chrono::seconds(5);  // bound for every condition wait

// Records the size of each batch; the first MarkSentBatch waits for Open() so that
// later acceptances queue up behind it.
class GatedBatchStore : public store::InMemoryStore {
 public:
  Result<std::vector<bool>> MarkSentBatch(const std::vector<store::SentUpdate>& sent) override {
    {
      std::unique_lock lock(mu_);
      sent_sizes_.push_back(sent.size());
      cv_.notify_all();
      cv_.wait_for(lock, kWait, [&] { return open_; });
    }
    return InMemoryStore::MarkSentBatch(sent);
  }
  Result<std::vector<std::optional<store::Message>>> ApplyReceipts(
      const std::vector<store::ReceiptUpdate>& receipts) override {
    {
      std::lock_guard lock(mu_);
      receipt_items_ += receipts.size();
      ++receipt_calls_;
    }
    return InMemoryStore::ApplyReceipts(receipts);
  }
  bool WaitForBatchCalls(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return sent_sizes_.size() >= n; });
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  std::vector<size_t> sent_sizes() {
    std::lock_guard lock(mu_);
    return sent_sizes_;
  }
  size_t receipt_items() {
    std::lock_guard lock(mu_);
    return receipt_items_;
  }
  size_t receipt_calls() {
    std::lock_guard lock(mu_);
    return receipt_calls_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
  std::vector<size_t> sent_sizes_;
  size_t receipt_items_ = 0;
  size_t receipt_calls_ = 0;
};

TEST(DispatcherBatchTest, AcceptancesAndReceiptsAreWrittenInBatches) {
  FakeClock clock;
  GatedBatchStore store;
  MetricsRegistry metrics;
  FakeConnector a("a");
  const int64_t now = ToUnixMillis(clock.Now());
  auto account = testing::NewEcoAccount(store, now);
  ASSERT_TRUE(account.ok());
  unsigned next_id = 0;
  auto accept = [&] {
    const store::Message m = testing::QueuedEcoMessage(++next_id, now);
    EXPECT_TRUE(store.Accept({*account, {m}}).ok());
    return m.id;
  };
  a.SetScript([&](const store::Message& m) -> std::optional<SendOutcome> {
    return SendOutcome::Accepted("up-" + m.id);
  });
  DispatcherOptions options;
  options.poll_interval_ms = 60'000;  // only Wake() claims
  options.stop_timeout_ms = 0;
  options.record_threads = 2;
  RoutingOptions ro;
  ro.default_route = {"a"};
  Dispatcher d(store, clock, *RoutingTable::Create(ro), {{"a", &a}}, options, metrics);
  std::atomic<int> heard = 0;
  d.AddReceiptListener([&](const store::Message&) { ++heard; });
  ASSERT_TRUE(d.Start().ok());
  ASSERT_TRUE(d.WaitIdle(5000));

  std::vector<std::string> ids = {accept()};
  d.Wake();
  ASSERT_TRUE(store.WaitForBatchCalls(1));  // held inside the first batch
  for (int i = 0; i < 20; ++i) ids.push_back(accept());
  d.Wake();
  ASSERT_TRUE(a.WaitForSends(ids.size(), 5000));
  store.Open();
  ASSERT_TRUE(d.WaitIdle(5000));
  // What waited behind the first batch was written together (the last Send's callback
  // may race the gate, hence "at most two more").
  const std::vector<size_t> sizes = store.sent_sizes();
  ASSERT_GE(sizes.size(), 2u);
  EXPECT_LE(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 1u);
  size_t total = 0;
  for (size_t n : sizes) total += n;
  EXPECT_EQ(total, ids.size());
  EXPECT_EQ(d.in_flight(), 0);
  for (const std::string& id : ids)
    EXPECT_EQ(store.GetMessage(*account, id)->status, MessageStatus::kSent);

  // Receipts: reported together, they are applied in fewer calls than receipts.
  for (const std::string& id : ids) {
    a.events()->OnReceipt({"a", "up-" + id, MessageStatus::kDelivered, "", now + 1});
  }
  ASSERT_TRUE(d.WaitIdle(5000));
  for (const std::string& id : ids)
    EXPECT_EQ(store.GetMessage(*account, id)->status, MessageStatus::kDelivered);
  EXPECT_EQ(store.receipt_items(), ids.size());
  EXPECT_LE(store.receipt_calls(), ids.size());
  EXPECT_EQ(heard.load(), static_cast<int>(ids.size()));
  EXPECT_EQ(
      metrics.GetCounter("bramka_messages_out_total", "", R"(connector="a",outcome="accepted")")
          .value(),
      static_cast<int64_t>(ids.size()));
  d.Stop();
}

}  // namespace
}  // namespace bramka::delivery
