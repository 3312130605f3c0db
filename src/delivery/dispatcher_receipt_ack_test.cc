// Receipts acknowledged after commit (connector.h rule 5; dispatcher.h "receipt-ack";
// docs/adr/0019): OnReceipt's completion runs once, after the store committed the
// receipt's status; false on a store error; for a receipt that overtook its MarkSent,
// once it is applied; for one that never matches, when the Dispatcher gives up on it.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <optional>
#include <vector>

#include "delivery/dispatcher.h"
#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::MessageStatus;
using testing::FakeConnector;

constexpr auto kWait = std::chrono::seconds(5);  // bound for every condition wait

// ApplyReceipts waits for Open() (when gated) and can be made to fail.
class ReceiptStore : public store::InMemoryStore {
 public:
  Result<std::vector<std::optional<store::Message>>> ApplyReceipts(
      const std::vector<store::ReceiptUpdate>& receipts) override {
    {
      std::unique_lock lock(mu_);
      ++calls_;
      cv_.notify_all();
      cv_.wait_for(lock, kWait, [&] { return open_; });
      if (fail_) return Fail(ErrorCode::kUnavailable, "disk full");
    }
    return InMemoryStore::ApplyReceipts(receipts);
  }
  Result<std::optional<store::Message>> ApplyReceipt(const store::ReceiptUpdate& r) override {
    {
      std::lock_guard lock(mu_);
      if (fail_) return Fail(ErrorCode::kUnavailable, "disk full");
    }
    return InMemoryStore::ApplyReceipt(r);
  }
  void Gate() {
    std::lock_guard lock(mu_);
    open_ = false;
  }
  void Open() {
    std::lock_guard lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  void SetFail(bool fail) {
    std::lock_guard lock(mu_);
    fail_ = fail;
  }
  bool WaitForCalls(int n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return calls_ >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = true;
  bool fail_ = false;
  int calls_ = 0;
};

// Records the completions of receipts (thread-safe).
class Acks {
 public:
  // A completion that records `name`'s answer and the message's status at that moment.
  ConnectorEvents::ReceiptDone For(std::string name, std::function<MessageStatus()> status) {
    return [this, name = std::move(name), status = std::move(status)](bool stored) {
      MessageStatus seen = status();
      std::lock_guard lock(mu_);
      answers_.push_back({name, stored, seen});
      cv_.notify_all();
    };
  }
  struct Answer {
    std::string name;
    bool stored;
    MessageStatus status_then;
  };
  std::vector<Answer> answers() {
    std::lock_guard lock(mu_);
    return answers_;
  }
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, kWait, [&] { return answers_.size() >= n; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Answer> answers_;
};

class DispatcherReceiptAckTest : public ::testing::Test {
 protected:
  DispatcherReceiptAckTest() : a_("a") {
    auto account = store_.CreateAccount("acme", "", 0, Now());
    EXPECT_TRUE(account.ok());
    account_ = *account;
    EXPECT_TRUE(
        store_.AdjustBalance(account_, store::MessageType::kEco, 1000, "top-up", Now()).ok());
    options_.retry.jitter = 0;
    options_.stop_timeout_ms = 0;
    options_.poll_interval_ms = 60'000;  // only Wake() claims
    options_.record_threads = 2;
  }

  int64_t Now() const { return ToUnixMillis(clock_.Now()); }

  std::string Accept() {
    store::Message m;
    char id[11];
    std::snprintf(id, sizeof id, "%010x", ++next_id_);
    m.id = id;
    m.phone = "+48500100200";
    m.type = store::MessageType::kEco;
    m.text = "hello";
    m.cost_units = 1;
    m.queued_ms = m.due_ms = Now();
    m.status = MessageStatus::kQueued;
    EXPECT_TRUE(store_.Accept({account_, {m}}).ok());
    return m.id;
  }

  std::function<MessageStatus()> StatusOf(const std::string& id) {
    return [this, id] {
      auto m = store_.GetMessage(account_, id);
      return m.ok() ? m->status : MessageStatus::kQueued;
    };
  }

  std::unique_ptr<Dispatcher> Make() {
    RoutingOptions ro;
    ro.default_route = {"a"};
    return std::make_unique<Dispatcher>(store_, clock_, *RoutingTable::Create(ro),
                                        std::map<std::string, Connector*>{{"a", &a_}}, options_,
                                        metrics_);
  }

  store::ReceiptUpdate Receipt(const std::string& upstream_id) {
    return {"a", upstream_id, MessageStatus::kDelivered, "", Now()};
  }

  FakeClock clock_;
  ReceiptStore store_;
  MetricsRegistry metrics_;
  FakeConnector a_;
  DispatcherOptions options_;
  store::AccountId account_ = 0;
  unsigned next_id_ = 0;
  Acks acks_;
};

TEST_F(DispatcherReceiptAckTest, CompletionRunsOnceAfterTheBatchIsCommitted) {
  auto d = Make();
  ASSERT_TRUE(d->Start().ok());
  const std::string id = Accept();
  d->Wake();
  ASSERT_TRUE(a_.WaitForSends(1, 5000));
  ASSERT_TRUE(d->WaitIdle(5000));
  ASSERT_EQ(store_.GetMessage(account_, id)->status, MessageStatus::kSent);

  store_.Gate();
  a_.events()->OnReceipt(Receipt("a-1"), acks_.For("r1", StatusOf(id)));
  ASSERT_TRUE(store_.WaitForCalls(1));  // the batch is being written
  EXPECT_TRUE(acks_.answers().empty()) << "not before the commit";
  store_.Open();
  ASSERT_TRUE(d->WaitIdle(5000));
  ASSERT_TRUE(acks_.WaitFor(1));
  const auto answers = acks_.answers();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].stored);
  EXPECT_EQ(answers[0].status_then, MessageStatus::kDelivered);

  // A receipt that matches nothing and is given up on is acknowledged (nothing to lose).
  a_.events()->OnReceipt(Receipt("never-sent"), acks_.For("r2", StatusOf(id)));
  ASSERT_TRUE(d->WaitIdle(5000));
  EXPECT_EQ(acks_.answers().size(), 1u) << "kept a while: it may have overtaken its MarkSent";
  // A wall clock jump is not time passing (monotonic; docs/adr/0028).
  clock_.Set(clock_.Now() + std::chrono::hours(3));
  d->Wake();
  ASSERT_TRUE(d->WaitIdle(5000));
  EXPECT_EQ(acks_.answers().size(), 1u) << "not given up on by a clock jump";
  clock_.Advance(std::chrono::milliseconds(Dispatcher::kPendingReceiptAckMs));
  d->Wake();  // the dispatch pass gives up on it
  ASSERT_TRUE(acks_.WaitFor(2));
  EXPECT_EQ(acks_.answers()[1].name, "r2");
  EXPECT_TRUE(acks_.answers()[1].stored);
  d->Stop();
  EXPECT_EQ(acks_.answers().size(), 2u) << "exactly once";
}

TEST_F(DispatcherReceiptAckTest, StoreErrorCompletesFalse) {
  auto d = Make();
  ASSERT_TRUE(d->Start().ok());
  const std::string id = Accept();
  d->Wake();
  ASSERT_TRUE(a_.WaitForSends(1, 5000));
  ASSERT_TRUE(d->WaitIdle(5000));
  store_.SetFail(true);
  a_.events()->OnReceipt(Receipt("a-1"), acks_.For("r1", StatusOf(id)));
  ASSERT_TRUE(acks_.WaitFor(1));
  EXPECT_FALSE(acks_.answers()[0].stored);
  EXPECT_EQ(acks_.answers()[0].status_then, MessageStatus::kSent);
  // The SMSC repeats it; this time it is stored.
  store_.SetFail(false);
  a_.events()->OnReceipt(Receipt("a-1"), acks_.For("r1-again", StatusOf(id)));
  ASSERT_TRUE(acks_.WaitFor(2));
  EXPECT_TRUE(acks_.answers()[1].stored);
  EXPECT_EQ(acks_.answers()[1].status_then, MessageStatus::kDelivered);
  d->Stop();
}

// Without Start() everything runs inline: deterministic.
TEST_F(DispatcherReceiptAckTest, OvertakingReceiptIsCompletedWhenApplied) {
  auto d = Make();
  a_.HoldAll();
  ASSERT_TRUE(a_.Start(d->events()).ok());
  const std::string id = Accept();
  ASSERT_EQ(d->DispatchOnce(), 1);
  // The SMSC's receipt arrives before the submit answer is recorded: kept, unanswered.
  d->events().OnReceipt(Receipt("fast-1"), acks_.For("r1", StatusOf(id)));
  EXPECT_TRUE(acks_.answers().empty());
  EXPECT_EQ(store_.GetMessage(account_, id)->status, MessageStatus::kQueued);
  ASSERT_TRUE(a_.AnswerHeld(SendOutcome::Accepted("fast-1")));
  const auto answers = acks_.answers();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_TRUE(answers[0].stored);
  EXPECT_EQ(answers[0].status_then, MessageStatus::kDelivered);
}

TEST_F(DispatcherReceiptAckTest, KeptReceiptsAreCompletedFalseByStop) {
  auto d = Make();
  d->events().OnReceipt(Receipt("unknown-1"), acks_.For("r1", [] { return MessageStatus::kSent; }));
  // A repeat replaces the kept one: the older completion is answered (the new one holds).
  d->events().OnReceipt(Receipt("unknown-1"), acks_.For("r2", [] { return MessageStatus::kSent; }));
  ASSERT_EQ(acks_.answers().size(), 1u);
  EXPECT_EQ(acks_.answers()[0].name, "r1");
  EXPECT_TRUE(acks_.answers()[0].stored);
  d->Stop();  // lost with the process: the SMSC must repeat it
  ASSERT_EQ(acks_.answers().size(), 2u);
  EXPECT_EQ(acks_.answers()[1].name, "r2");
  EXPECT_FALSE(acks_.answers()[1].stored);
  d.reset();
}

// parts (docs/adr/0028): each part's receipt of a long message is acknowledged after its
// own commit (one that overtook the acceptance, once it is applied after the MarkSent);
// the store decides the message, and listeners hear only the final status.
TEST_F(DispatcherReceiptAckTest, EachPartsReceiptIsAcknowledgedAndTheLastDecides) {
  a_.HoldAll();
  auto d = Make();
  std::mutex heard_mu;
  std::vector<MessageStatus> heard;
  d->AddReceiptListener([&](const store::Message& m) {
    std::lock_guard lock(heard_mu);
    heard.push_back(m.status);
  });
  ASSERT_TRUE(d->Start().ok());
  const std::string id = Accept();
  d->Wake();
  ASSERT_TRUE(a_.WaitForHeld(1, 5000));
  a_.events()->OnReceipt(Receipt("p2"), acks_.For("p2", StatusOf(id)));  // overtakes
  SendOutcome accepted = SendOutcome::Accepted("p1");
  accepted.part_ids = {"p1", "p2", "p3"};
  ASSERT_TRUE(a_.AnswerHeld(accepted));
  ASSERT_TRUE(acks_.WaitFor(1));
  EXPECT_TRUE(acks_.answers()[0].stored);
  EXPECT_EQ(acks_.answers()[0].status_then, MessageStatus::kSent);
  a_.events()->OnReceipt(Receipt("p1"), acks_.For("p1", StatusOf(id)));
  ASSERT_TRUE(acks_.WaitFor(2));
  EXPECT_TRUE(acks_.answers()[1].stored);
  EXPECT_EQ(acks_.answers()[1].status_then, MessageStatus::kSent);
  a_.events()->OnReceipt(Receipt("p3"), acks_.For("p3", StatusOf(id)));
  ASSERT_TRUE(acks_.WaitFor(3));
  EXPECT_TRUE(acks_.answers()[2].stored);
  EXPECT_EQ(acks_.answers()[2].status_then, MessageStatus::kDelivered);
  ASSERT_TRUE(d->WaitIdle(5000));
  d->Stop();
  std::lock_guard lock(heard_mu);
  EXPECT_EQ(heard, std::vector<MessageStatus>{MessageStatus::kDelivered});
}

}  // namespace
}  // namespace bramka::delivery
