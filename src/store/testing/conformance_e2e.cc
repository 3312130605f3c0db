// Store conformance: delivery writes pipelined (store.h WriteDeliveriesAsync,
// docs/adr/0039): WriteDeliveries answered through `done`, exactly once; calls handed
// over one after the other are applied in that order.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

// Collects WriteDeliveriesAsync answers, in the order they come.
struct Answers {
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::pair<int, Result<Store::DeliveryWrites>>> got;

  std::function<void(Result<Store::DeliveryWrites>)> For(int call) {
    return [this, call](Result<Store::DeliveryWrites> r) {
      std::lock_guard lock(mu);
      got.emplace_back(call, std::move(r));
      cv.notify_all();
    };
  }
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(30), [&] { return got.size() >= n; });
  }
};

}  // namespace

TEST_P(StoreConformanceTest, WriteDeliveriesAsyncAppliesCallsInTheOrderHanded) {
  const AccountId a = NewAccount("deliveries-async", 100);
  std::vector<Message> ms;
  for (int i = 0; i < 3; ++i) ms.push_back(NewMessage(a, "+4850000013" + std::to_string(i)));
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());

  // Kept alive until every answer came (the contract).
  const std::vector<SentUpdate> sent1 = {{r.items[0].id, "c", "a0", 10},
                                         {r.items[1].id, "c", "a1", 10},
                                         {"ffffffffff", "c", "aX", 10}};  // unknown
  const std::vector<ReceiptUpdate> receipts1 = {};
  // The second call's receipts are for the first call's acceptances.
  const std::vector<SentUpdate> sent2 = {{r.items[2].id, "c", "a2", 11}};
  const std::vector<ReceiptUpdate> receipts2 = {
      {"c", "a0", MessageStatus::kDelivered, "", 20},
      {"c", "a1", MessageStatus::kUndelivered, "expired", 21},
      {"c", "nope", MessageStatus::kDelivered, "", 22}};
  Answers answers;
  store().WriteDeliveriesAsync(sent1, receipts1, answers.For(1));
  store().WriteDeliveriesAsync(sent2, receipts2, answers.For(2));
  ASSERT_TRUE(answers.WaitFor(2));
  std::lock_guard lock(answers.mu);
  ASSERT_EQ(answers.got.size(), 2u);  // exactly once each
  for (auto& [call, written] : answers.got) {
    ASSERT_TRUE(written.ok()) << written.error().ToString();
    if (call == 1) {
      EXPECT_EQ(written->found, (std::vector<bool>{true, true, false}));
      EXPECT_TRUE(written->applied.empty());
    } else {
      EXPECT_EQ(written->found, (std::vector<bool>{true}));
      ASSERT_EQ(written->applied.size(), 3u);
      ASSERT_TRUE(written->applied[0].has_value());
      EXPECT_EQ(written->applied[0]->id, r.items[0].id);
      EXPECT_EQ(written->applied[0]->status, MessageStatus::kDelivered);
      ASSERT_TRUE(written->applied[1].has_value());
      EXPECT_EQ(written->applied[1]->status, MessageStatus::kUndelivered);
      EXPECT_EQ(written->applied[1]->reason, "expired");
      EXPECT_FALSE(written->applied[2].has_value());
    }
  }
  auto m0 = store().GetMessage(a, r.items[0].id);
  ASSERT_TRUE(m0.ok());
  EXPECT_EQ(m0->status, MessageStatus::kDelivered);
  auto m2 = store().GetMessage(a, r.items[2].id);
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->status, MessageStatus::kSent);
  EXPECT_EQ(m2->upstream_id, "a2");
}

TEST_P(StoreConformanceTest, WriteDeliveriesAsyncRefusesABadReceiptStatusWritingNothing) {
  const AccountId a = NewAccount("deliveries-async-bad", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000140")});
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  const std::vector<SentUpdate> sent = {{r.items[0].id, "c", "b0", 10}};
  const std::vector<ReceiptUpdate> receipts = {{"c", "b0", MessageStatus::kSent, "", 20}};
  Answers answers;
  store().WriteDeliveriesAsync(sent, receipts, answers.For(1));
  ASSERT_TRUE(answers.WaitFor(1));
  std::lock_guard lock(answers.mu);
  ASSERT_EQ(answers.got.size(), 1u);
  ASSERT_FALSE(answers.got[0].second.ok());
  EXPECT_EQ(answers.got[0].second.error().code, ErrorCode::kInvalidArgument);
  auto m = store().GetMessage(a, r.items[0].id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, MessageStatus::kQueued);  // the acceptance not written either
}

}  // namespace bramka::store
