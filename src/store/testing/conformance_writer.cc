// Conformance, s5-writer (docs/adr/0029): accepts that share a commit are still
// charged one request at a time (SqliteStore coalesces their balance writes per
// batch), and reply matching needs a sender that is a number (messages_reply is
// partial).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "store/reply_sender.h"
#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

// Waits (bounded) until `n` callbacks have run.
class Countdown {
 public:
  explicit Countdown(int n) : left_(n) {}
  void Done() {
    std::lock_guard lock(mu_);
    if (--left_ == 0) cv_.notify_all();
  }
  bool Wait() {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [&] { return left_ == 0; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int left_;
};

}  // namespace

TEST_P(StoreConformanceTest, AcceptsQueuedTogetherAreChargedOneRequestAtATime) {
  const AccountId a = NewAccount("writer-a", 0);
  const AccountId b = NewAccount("writer-b", 0);
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kEco, 100, "top-up", 1).ok());
  ASSERT_TRUE(store().AdjustBalance(b, MessageType::kEco, 1'000, "top-up", 1).ok());
  ASSERT_TRUE(store().SetBalanceMode(b, MessageType::kFull, true, true).ok());  // unlimited

  // 150 requests of account a (cost 1, some of 3) and 150 of b, queued without
  // waiting so that they share commits; top-ups of a go through in between.
  constexpr int kRequests = 150;
  std::vector<Message> of_a, of_b;
  for (int i = 0; i < kRequests; ++i) {
    Message m = NewMessage(a, "+48600" + std::to_string(100000 + i));
    m.cost_units = i % 5 == 0 ? 3 : 1;
    of_a.push_back(m);
    Message n = NewMessage(b, "+48601" + std::to_string(100000 + i));
    if (i % 2 == 0) n.type = MessageType::kFull;
    of_b.push_back(n);
  }
  std::vector<Result<AcceptResult>> results_a(kRequests, Fail(ErrorCode::kInternal, "not run"));
  std::vector<Result<AcceptResult>> results_b(kRequests, Fail(ErrorCode::kInternal, "not run"));
  Countdown done(2 * kRequests);
  std::atomic<bool> stop{false};
  std::atomic<int> topups{0};
  std::thread topper([&] {
    while (!stop.load() && topups.load() < 20) {
      if (store().AdjustBalance(a, MessageType::kEco, 1, "top-up", 2).ok()) ++topups;
    }
  });
  for (int i = 0; i < kRequests; ++i) {
    store().AcceptAsync(AcceptRequest{a, {of_a[i]}}, [&, i](Result<AcceptResult> r) {
      results_a[i] = std::move(r);
      done.Done();
    });
    store().AcceptAsync(AcceptRequest{b, {of_b[i]}}, [&, i](Result<AcceptResult> r) {
      results_b[i] = std::move(r);
      done.Done();
    });
  }
  ASSERT_TRUE(done.Wait());
  stop = true;
  topper.join();

  int64_t charged_a = 0;
  for (int i = 0; i < kRequests; ++i) {
    if (results_a[i].ok()) {
      charged_a += of_a[i].cost_units;
      EXPECT_EQ(*store().LedgerSumForMessage(of_a[i].id), -of_a[i].cost_units);
    } else {
      EXPECT_EQ(results_a[i].error().code, ErrorCode::kRejected) << results_a[i].error().ToString();
      EXPECT_EQ(results_a[i].error().detail, static_cast<int>(MessageType::kEco) + 1);
      EXPECT_EQ(store().GetMessage(a, of_a[i].id).error().code, ErrorCode::kNotFound);
      EXPECT_EQ(*store().LedgerSumForMessage(of_a[i].id), 0);
    }
  }
  const int64_t left_a = Units(a, MessageType::kEco);
  EXPECT_GE(left_a, 0);
  EXPECT_EQ(left_a, 100 + topups.load() - charged_a);
  // The 100 units plus top-ups run out before the 150 requests (210+ units) do.
  EXPECT_LT(charged_a, 100 + 20 + 1);
  EXPECT_GT(charged_a, 100 - 3);

  int eco_b = 0;
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(results_b[i].ok()) << results_b[i].error().ToString();
    const bool unlimited = of_b[i].type == MessageType::kFull;
    if (!unlimited) ++eco_b;
    EXPECT_EQ(*store().LedgerSumForMessage(of_b[i].id), unlimited ? 0 : -1);
  }
  EXPECT_EQ(Units(b, MessageType::kEco), 1'000 - eco_b);
}

TEST_P(StoreConformanceTest, DuplicatesAcrossRequestsQueuedTogetherAreChargedOnce) {
  const AccountId a = NewAccount("writer-dup", 100);
  constexpr int kRequests = 40;
  std::vector<Message> ms;
  for (int i = 0; i < kRequests; ++i) {
    Message m = NewMessage(a);
    m.unique_id = "same-" + std::to_string(i % 4);
    ms.push_back(m);
  }
  std::vector<Result<AcceptResult>> results(kRequests, Fail(ErrorCode::kInternal, "not run"));
  Countdown done(kRequests);
  for (int i = 0; i < kRequests; ++i) {
    store().AcceptAsync(AcceptRequest{a, {ms[i]}}, [&, i](Result<AcceptResult> r) {
      results[i] = std::move(r);
      done.Done();
    });
  }
  ASSERT_TRUE(done.Wait());
  // One request per unique_id stores it (which one is up to the store: the calls
  // are concurrent); every other one points at it.
  std::vector<std::string> stored(4);
  for (int i = 0; i < kRequests; ++i) {
    ASSERT_TRUE(results[i].ok()) << results[i].error().ToString();
    if (results[i]->items[0].duplicate) continue;
    EXPECT_EQ(stored[i % 4], "") << i;
    stored[i % 4] = results[i]->items[0].id;
    EXPECT_EQ(stored[i % 4], ms[i].id);
  }
  for (int i = 0; i < kRequests; ++i) EXPECT_EQ(results[i]->items[0].id, stored[i % 4]) << i;
  EXPECT_EQ(Units(a, MessageType::kEco), 100 - 4);
}

TEST_P(StoreConformanceTest, RepliesMatchOnlyMessagesFromANumber) {
  const AccountId a = NewAccount("reply-named");
  Message named = NewMessage(a, "+48600100300");
  named.sender = "ACME";
  Message numbered = NewMessage(a, "+48600100300");
  numbered.sender = "48500000300";  // a number without '+' is still a number
  AcceptOk(a, {named, numbered});
  EXPECT_FALSE(store().FindReplyTarget("+48600100300", "ACME", 0)->has_value());
  auto t = store().FindReplyTarget("+48600100300", "48500000300", 0);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_TRUE(t->has_value());
  EXPECT_EQ((*t)->message_id, numbered.id);
  EXPECT_FALSE(IsReplySender(""));
  EXPECT_TRUE(IsReplySender("+48500000300"));
  EXPECT_FALSE(IsReplySender("ECO"));
}

// ---- s7-writer (docs/adr/0036) ----
// A large request (SqliteStore inserts it with multi-row statements): every row stored
// with its own fields and charge, the types charged separately; a reused id anywhere in
// it refuses the whole request and writes nothing.
TEST_P(StoreConformanceTest, LargeRequestsStoreEveryRowAndFailWhole) {
  const AccountId a = NewAccount("writer-large", 1'000);
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kFull, true, /*unlimited=*/true).ok());
  std::vector<Message> ms;
  for (int i = 0; i < 77; ++i) {
    Message m = NewMessage(a, "+48600200" + std::to_string(100 + i));
    m.type = i % 3 == 0 ? MessageType::kFull : MessageType::kEco;
    m.cost_units = 1 + i % 2;
    m.sender = i % 2 == 0 ? "ACME" : "+48500000001";
    m.unique_id = i % 5 == 0 ? "large-" + std::to_string(i) : "";
    ms.push_back(m);
  }
  const AcceptResult r = AcceptOk(a, ms);
  ASSERT_EQ(r.items.size(), ms.size());
  int64_t eco = 0;
  for (size_t i = 0; i < ms.size(); ++i) {
    EXPECT_FALSE(r.items[i].duplicate) << i;
    auto got = store().GetMessage(a, ms[i].id);
    ASSERT_TRUE(got.ok()) << i << ": " << got.error().ToString();
    EXPECT_EQ(got->phone, ms[i].phone);
    EXPECT_EQ(got->sender, ms[i].sender);
    EXPECT_EQ(got->unique_id, ms[i].unique_id);
    EXPECT_EQ(got->cost_units, ms[i].cost_units);
    const bool unlimited = ms[i].type == MessageType::kFull;
    if (!unlimited) eco += ms[i].cost_units;
    EXPECT_EQ(*store().LedgerSumForMessage(ms[i].id), unlimited ? 0 : -ms[i].cost_units) << i;
  }
  EXPECT_EQ(Units(a, MessageType::kEco), 1'000 - eco);

  std::vector<Message> again;
  for (int i = 0; i < 75; ++i)
    again.push_back(NewMessage(a, "+48600300" + std::to_string(100 + i)));
  again[70].id = ms[3].id;  // in the first statement's rows or a later one's
  auto refused = store().Accept(AcceptRequest{a, again});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kAlreadyExists) << refused.error().ToString();
  for (int i = 0; i < 75; ++i) {
    if (i == 70) continue;
    EXPECT_EQ(store().GetMessage(a, again[i].id).error().code, ErrorCode::kNotFound) << i;
    EXPECT_EQ(*store().LedgerSumForMessage(again[i].id), 0) << i;
  }
  EXPECT_EQ(Units(a, MessageType::kEco), 1'000 - eco);
  EXPECT_EQ(store().GetMessage(a, ms[3].id)->phone, ms[3].phone);
}

}  // namespace bramka::store
