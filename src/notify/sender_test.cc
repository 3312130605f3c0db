// CallbackSender's wake-ups (docs/adr/0058): a receipt wakes the sender, and so makes it
// claim from the store (a write), only when the store says the receipt queued a callback.
// Requests themselves are covered end to end (tests/integration/test_callbacks.py).

#include "notify/sender.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "store/testing/in_memory_store.h"

namespace bramka::notify {
namespace {

using namespace std::chrono_literals;

// Counts the sender's claims (each a store write in a real store) and what they found.
class CountingStore : public store::InMemoryStore {
 public:
  Result<std::vector<store::CallbackEntry>> ClaimCallbacks(int64_t now_ms, int limit,
                                                           const std::string& owner,
                                                           int64_t lease_until_ms) override {
    auto r = InMemoryStore::ClaimCallbacks(now_ms, limit, owner, lease_until_ms);
    {
      std::lock_guard lock(mu_);
      ++claims_;
      if (r.ok()) claimed_ += static_cast<int>(r->size());
    }
    cv_.notify_all();
    return r;
  }
  // Waits (bounded) until at least `n` claims ran; the claim count then.
  int WaitForClaims(int n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return claims_ >= n; });
    return claims_;
  }
  int WaitForClaimed(int n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return claimed_ >= n; });
    return claimed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int claims_ = 0;
  int claimed_ = 0;
};

class SenderWakeTest : public ::testing::Test {
 protected:
  SenderWakeTest() {
    options_.poll_interval_ms = 3'600'000;  // the poll never runs during a test
    options_.allow_private_urls = false;    // the claimed entry's request is refused at once
    options_.seed = 1;
  }
  int64_t Counter(const char* name) { return metrics_.GetCounter(name, "").value(); }

  CountingStore store_;
  SystemClock clock_;
  MetricsRegistry metrics_;
  NotifyOptions options_;
};

TEST_F(SenderWakeTest, OnlyAReceiptThatQueuedACallbackWakesTheSender) {
  CallbackSender sender(store_, clock_, options_, metrics_);
  ASSERT_TRUE(sender.Start().ok());
  ASSERT_EQ(store_.WaitForClaims(1), 1);  // the first turn claims once
  EXPECT_EQ(Counter("bramka_callbacks_claims_total"), 1);

  store::Message none;
  none.id = "0000000001";
  for (int i = 0; i < 100; ++i) sender.OnReceipt(none);
  EXPECT_EQ(Counter("bramka_callbacks_wakeups_total"), 0) << "no callback queued: no wake-up";

  store::Message queued = none;
  queued.callback_queued = true;
  sender.OnReceipt(queued);
  EXPECT_EQ(Counter("bramka_callbacks_wakeups_total"), 1);
  EXPECT_GE(store_.WaitForClaims(2), 2) << "woken: it claims at once, not at the hour's poll";
  sender.Stop();
}

// The chain as serve wires it: the store's answer to the receipt decides the wake-up, and
// the claim it causes finds the entry that receipt queued.
TEST_F(SenderWakeTest, ReceiptWithAUrlIsClaimedAtOnceOneWithoutIsNot) {
  auto with = store_.CreateAccount("with", "h", 0, 1'000);
  auto without = store_.CreateAccount("without", "h", 0, 1'000);
  ASSERT_TRUE(with.ok() && without.ok());
  ASSERT_TRUE(store_.SetAccountCallbacks(*with, {"http://127.0.0.1:9/dlr?id=#SMSID#", ""}).ok());
  for (auto [account, id, up] :
       {std::tuple{*with, "00000000a1", "up-a"}, std::tuple{*without, "00000000b1", "up-b"}}) {
    ASSERT_TRUE(store_.AdjustBalance(account, store::MessageType::kEco, 10, "t", 1'000).ok());
    store::Message m;
    m.id = id;
    m.account_id = account;
    m.phone = "+48500000001";
    m.text = "hi";
    m.cost_units = 1;
    m.source = "http";
    auto accepted = store_.Accept({account, {m}});
    ASSERT_TRUE(accepted.ok()) << accepted.error().ToString();
    ASSERT_TRUE(store_.MarkSent(accepted->items[0].id, "c", up, 2'000).ok());
  }
  CallbackSender sender(store_, clock_, options_, metrics_);
  ASSERT_TRUE(sender.Start().ok());
  ASSERT_EQ(store_.WaitForClaims(1), 1);

  auto no_url = store_.ApplyReceipt({"c", "up-b", store::MessageStatus::kDelivered, "", 3'000});
  ASSERT_TRUE(no_url.ok() && no_url->has_value());
  sender.OnReceipt(**no_url);
  EXPECT_EQ(Counter("bramka_callbacks_wakeups_total"), 0);

  auto url = store_.ApplyReceipt({"c", "up-a", store::MessageStatus::kDelivered, "", 3'000});
  ASSERT_TRUE(url.ok() && url->has_value());
  sender.OnReceipt(**url);
  EXPECT_EQ(Counter("bramka_callbacks_wakeups_total"), 1);
  EXPECT_EQ(store_.WaitForClaimed(1), 1) << "the queued entry is claimed at once";
  sender.Stop();
}

}  // namespace
}  // namespace bramka::notify
