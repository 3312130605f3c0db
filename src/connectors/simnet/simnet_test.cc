#include "connectors/simnet/simnet.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "connectors/simnet/hlr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <future>
#include <memory>
#include <mutex>

#include "common/metrics.h"
#include "delivery/dispatcher.h"
#include "store/testing/in_memory_store.h"

namespace bramka::simnet {
namespace {

using delivery::SendOutcome;
using store::MessageStatus;

constexpr int kWaitMs = 5000;  // bound for every condition wait

// Records what a connector reports.
class RecordingEvents final : public delivery::ConnectorEvents {
 public:
  void OnReceipt(store::ReceiptUpdate receipt, ReceiptDone done) override {
    EXPECT_FALSE(done) << "simnet keeps its receipts across restarts: no completion";
    std::lock_guard lock(mu_);
    receipts_.push_back(std::move(receipt));
    cv_.notify_all();
  }
  void OnReadyChanged(const std::string&, bool ready) override {
    std::lock_guard lock(mu_);
    ready_reports_.push_back(ready);
  }
  bool WaitReceipts(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(kWaitMs),
                        [&] { return receipts_.size() >= n; });
  }
  std::vector<store::ReceiptUpdate> receipts() {
    std::lock_guard lock(mu_);
    return receipts_;
  }
  std::vector<bool> ready_reports() {
    std::lock_guard lock(mu_);
    return ready_reports_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<store::ReceiptUpdate> receipts_;
  std::vector<bool> ready_reports_;
};

store::Message Msg(const std::string& id, const std::string& phone, int attempts = 1) {
  store::Message m;
  m.id = id;
  m.phone = phone;
  m.attempts = attempts;
  return m;
}

// Sends one message and waits for the answer.
SendOutcome SendAndWait(SimnetConnector& simnet, const store::Message& m) {
  auto promise = std::make_shared<std::promise<SendOutcome>>();
  auto future = promise->get_future();
  simnet.Send(m, [promise](SendOutcome o) { promise->set_value(std::move(o)); });
  EXPECT_EQ(future.wait_for(std::chrono::milliseconds(kWaitMs)), std::future_status::ready);
  return future.get();
}

// ---- DecideFate (pure) ---------------------------------------------------------

TEST(SimnetFateTest, DefaultTestNumbers) {
  SimnetOptions o;
  EXPECT_EQ(DecideFate(o, "+48500100200", "m1", 1).kind, Fate::Kind::kDelivered);
  EXPECT_EQ(DecideFate(o, "+48600000099", "m1", 1).kind, Fate::Kind::kDelivered);

  Fate undelivered = DecideFate(o, "+48600000123", "m1", 1);
  EXPECT_EQ(undelivered.kind, Fate::Kind::kUndelivered);
  EXPECT_EQ(undelivered.reason, "wrong_number");

  Fate rejected = DecideFate(o, "+48600000200", "m1", 1);
  EXPECT_EQ(rejected.kind, Fate::Kind::kRejectPermanent);
  EXPECT_EQ(rejected.reason, "unsupported_number");

  for (int attempt = 1; attempt < 20; ++attempt) {
    EXPECT_EQ(DecideFate(o, "+48600000399", "m1", attempt).kind, Fate::Kind::kRejectTemporary);
  }
}

TEST(SimnetFateTest, RateSplitsMessagesAndIsStablePerMessage) {
  SimnetOptions o;
  int undelivered = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "id" + std::to_string(i);
    Fate f = DecideFate(o, "+48600000400", id, 1);
    undelivered += f.kind == Fate::Kind::kUndelivered;
    EXPECT_EQ(f.kind, DecideFate(o, "+48600000400", id, 7).kind)
        << "an undelivered fate does not change with the attempt (restarts, retries)";
  }
  EXPECT_GT(undelivered, 850);
  EXPECT_LT(undelivered, 1150);
}

TEST(SimnetFateTest, TemporaryRejectionDependsOnTheAttempt) {
  SimnetOptions o;
  o.rules = {{"+49", 0.5, FailureRule::Effect::kRejectTemporary, ""}};
  int changed = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "id" + std::to_string(i);
    changed += DecideFate(o, "+49151", id, 1).kind != DecideFate(o, "+49151", id, 2).kind;
  }
  EXPECT_GT(changed, 50) << "a retry may pass";
  o.rules[0].rate = 1.0;
  Fate f = DecideFate(o, "+49151", "x", 1);
  EXPECT_EQ(f.kind, Fate::Kind::kRejectTemporary);
  EXPECT_EQ(f.reason, "operator_error");
}

TEST(SimnetFateTest, FirstRuleThatHitsWinsAndSeedMatters) {
  SimnetOptions o;
  o.rules = {{"48", 0.0, FailureRule::Effect::kRejectPermanent, ""},
             {"+48", 1.0, FailureRule::Effect::kUndelivered, ""}};
  Fate f = DecideFate(o, "+48500", "m", 1);
  EXPECT_EQ(f.kind, Fate::Kind::kUndelivered);
  EXPECT_EQ(f.reason, "other_error");

  o.rules = {{"+48", 0.5, FailureRule::Effect::kUndelivered, ""}};
  SimnetOptions other = o;
  other.seed = 2;
  int differ = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string id = "id" + std::to_string(i);
    differ += DecideFate(o, "+48500", id, 1).kind != DecideFate(other, "+48500", id, 1).kind;
  }
  EXPECT_GT(differ, 50);
}

TEST(SimnetFateTest, ValidateOptions) {
  EXPECT_TRUE(ValidateSimnetOptions(SimnetOptions{}).ok());
  SimnetOptions o;
  o.receipt_delay_ms = -1;
  EXPECT_FALSE(ValidateSimnetOptions(o).ok());
  o = SimnetOptions{};
  o.rules.push_back({"+48x", 1.0, FailureRule::Effect::kUndelivered, ""});
  EXPECT_FALSE(ValidateSimnetOptions(o).ok());
  o = SimnetOptions{};
  o.rules.push_back({"+48", 1.5, FailureRule::Effect::kUndelivered, ""});
  EXPECT_FALSE(ValidateSimnetOptions(o).ok());
}

// ---- the connector on its own ------------------------------------------------------

class SimnetConnectorTest : public ::testing::Test {
 protected:
  SimnetOptions Fast() {
    SimnetOptions o;
    o.submit_delay_ms = 0;
    o.receipt_delay_ms = 0;
    return o;
  }
  FakeClock clock_;
  store::InMemoryStore store_;
  RecordingEvents events_;
};

TEST_F(SimnetConnectorTest, AcceptsWithDecimalIdsThenReportsReceipts) {
  SimnetConnector simnet(store_, clock_, Fast());
  EXPECT_EQ(simnet.name(), "simnet");
  EXPECT_FALSE(simnet.Ready());
  ASSERT_TRUE(simnet.Start(events_).ok());
  EXPECT_TRUE(simnet.Ready());
  EXPECT_EQ(events_.ready_reports(), std::vector<bool>{true});

  SendOutcome a = SendAndWait(simnet, Msg("m1", "+48500100200"));
  SendOutcome b = SendAndWait(simnet, Msg("m2", "+48600000150"));
  ASSERT_EQ(a.kind, SendOutcome::Kind::kAccepted);
  ASSERT_EQ(b.kind, SendOutcome::Kind::kAccepted);
  EXPECT_THAT(a.upstream_id, ::testing::MatchesRegex("[0-9]+"));
  EXPECT_EQ(std::stoull(b.upstream_id), std::stoull(a.upstream_id) + 1);
  EXPECT_EQ(a.upstream_id, std::to_string(ToUnixMillis(clock_.Now()) * 1000));

  ASSERT_TRUE(events_.WaitReceipts(2));
  auto receipts = events_.receipts();
  std::map<std::string, store::ReceiptUpdate> by_id;
  for (const auto& r : receipts) by_id[r.upstream_id] = r;
  EXPECT_EQ(by_id[a.upstream_id].connector, "simnet");
  EXPECT_EQ(by_id[a.upstream_id].status, MessageStatus::kDelivered);
  EXPECT_EQ(by_id[a.upstream_id].at_ms, ToUnixMillis(clock_.Now()));
  EXPECT_EQ(by_id[b.upstream_id].status, MessageStatus::kUndelivered);
  EXPECT_EQ(by_id[b.upstream_id].reason, "wrong_number");
  simnet.Stop();
}

TEST_F(SimnetConnectorTest, RejectionsAreAnsweredAndHaveNoReceipt) {
  SimnetConnector simnet(store_, clock_, Fast());
  ASSERT_TRUE(simnet.Start(events_).ok());
  SendOutcome permanent = SendAndWait(simnet, Msg("m1", "+48600000250"));
  EXPECT_EQ(permanent.kind, SendOutcome::Kind::kPermanent);
  EXPECT_EQ(permanent.reason, "unsupported_number");
  SendOutcome temporary = SendAndWait(simnet, Msg("m2", "+48600000350"));
  EXPECT_EQ(temporary.kind, SendOutcome::Kind::kTemporary);
  EXPECT_EQ(simnet.pending_receipts(), 0u);
}

TEST_F(SimnetConnectorTest, SendBeforeStartOrAfterStopIsTemporary) {
  SimnetConnector simnet(store_, clock_, Fast());
  bool answered = false;
  simnet.Send(Msg("m1", "+48500"), [&](SendOutcome o) {
    answered = true;
    EXPECT_EQ(o.kind, SendOutcome::Kind::kTemporary);
  });
  EXPECT_TRUE(answered) << "answered at once, inside Send";
  ASSERT_TRUE(simnet.Start(events_).ok());
  simnet.Stop();
  EXPECT_FALSE(simnet.Ready());
  answered = false;
  simnet.Send(Msg("m2", "+48500"), [&](SendOutcome o) {
    answered = true;
    EXPECT_EQ(o.kind, SendOutcome::Kind::kTemporary);
  });
  EXPECT_TRUE(answered);
  EXPECT_FALSE(simnet.Start(events_).ok()) << "no restart of a stopped connector";
}

TEST_F(SimnetConnectorTest, StopAnswersPendingSubmitsAndDropsReceipts) {
  SimnetOptions o = Fast();
  o.submit_delay_ms = 60'000;
  SimnetConnector simnet(store_, clock_, o);
  ASSERT_TRUE(simnet.Start(events_).ok());
  std::vector<SendOutcome> answers;
  simnet.Send(Msg("m1", "+48500"), [&](SendOutcome out) { answers.push_back(std::move(out)); });
  EXPECT_TRUE(answers.empty()) << "answered only after the submit delay";
  simnet.Stop();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].kind, SendOutcome::Kind::kTemporary);
  simnet.Stop();  // idempotent
  EXPECT_EQ(answers.size(), 1u) << "answered exactly once";
}

TEST_F(SimnetConnectorTest, SubmitDelayIsHonoured) {
  SimnetOptions o = Fast();
  o.submit_delay_ms = 30;
  SimnetConnector simnet(store_, clock_, o);
  ASSERT_TRUE(simnet.Start(events_).ok());
  const auto start = std::chrono::steady_clock::now();
  SendOutcome out = SendAndWait(simnet, Msg("m1", "+48500"));
  EXPECT_EQ(out.kind, SendOutcome::Kind::kAccepted);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(30));
}

TEST_F(SimnetConnectorTest, ReceiptWaitsForItsDelay) {
  SimnetOptions o = Fast();
  o.receipt_delay_ms = 60'000;
  SimnetConnector simnet(store_, clock_, o);
  ASSERT_TRUE(simnet.Start(events_).ok());
  EXPECT_EQ(SendAndWait(simnet, Msg("m1", "+48500")).kind, SendOutcome::Kind::kAccepted);
  EXPECT_EQ(simnet.pending_receipts(), 1u);
  EXPECT_TRUE(events_.receipts().empty());
  simnet.Stop();
  EXPECT_TRUE(events_.receipts().empty()) << "a stopped connector reports nothing";
}

TEST_F(SimnetConnectorTest, BadOptionsFailStart) {
  SimnetOptions o;
  o.submit_delay_ms = -5;
  SimnetConnector simnet(store_, clock_, o);
  auto r = simnet.Start(events_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

// ---- with the dispatcher and a store -------------------------------------------------

class SimnetDeliveryTest : public ::testing::Test {
 protected:
  SimnetDeliveryTest() {
    account_ = *store_.CreateAccount("acme", "", 0, Now());
    EXPECT_TRUE(
        store_.AdjustBalance(account_, store::MessageType::kEco, 100, "top-up", Now()).ok());
    options_.poll_interval_ms = 60'000;  // Wake() drives it
    options_.retry.jitter = 0;
  }
  int64_t Now() const { return ToUnixMillis(clock_.Now()); }

  std::string Accept(const std::string& phone) {
    store::Message m;
    char id[11];
    std::snprintf(id, sizeof id, "%010x", ++next_id_);
    m.id = id;
    m.phone = phone;
    m.text = "hi";
    m.cost_units = 1;
    m.queued_ms = m.due_ms = Now();
    EXPECT_TRUE(store_.Accept({account_, {m}}).ok());
    return m.id;
  }
  store::Message Get(const std::string& id) { return *store_.GetMessage(account_, id); }

  // Runs a dispatcher over `simnet` until `final_count` receipts were heard.
  std::unique_ptr<delivery::Dispatcher> MakeDispatcher(SimnetConnector& simnet) {
    auto d = std::make_unique<delivery::Dispatcher>(
        store_, clock_, delivery::RoutingTable(),
        std::map<std::string, delivery::Connector*>{{"simnet", &simnet}}, options_, metrics_);
    d->AddReceiptListener([this](const store::Message& m) {
      std::lock_guard lock(mu_);
      heard_.push_back(m);
      cv_.notify_all();
    });
    return d;
  }
  bool WaitHeard(size_t n) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(kWaitMs),
                        [&] { return heard_.size() >= n; });
  }

  FakeClock clock_;
  store::InMemoryStore store_;
  MetricsRegistry metrics_;
  delivery::DispatcherOptions options_;
  store::AccountId account_ = 0;
  unsigned next_id_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<store::Message> heard_;
};

TEST_F(SimnetDeliveryTest, DefaultRouteDeliversAndFailsTestNumbers) {
  SimnetOptions o;
  o.receipt_delay_ms = 0;
  SimnetConnector simnet(store_, clock_, o);
  // All four queued before the dispatcher starts: its first claim takes them together, so
  // WaitIdle cannot return between two claims (a poll that took only the first ones).
  const std::string ok = Accept("+48500100200");
  const std::string undeliv = Accept("+48600000101");
  const std::string rejected = Accept("+48600000201");
  const std::string busy = Accept("+48600000301");
  auto d = MakeDispatcher(simnet);
  ASSERT_TRUE(d->Start().ok());
  ASSERT_TRUE(WaitHeard(2));
  ASSERT_TRUE(d->WaitIdle(kWaitMs));
  d->Stop();

  EXPECT_EQ(Get(ok).status, MessageStatus::kDelivered);
  EXPECT_EQ(Get(ok).connector, "simnet");
  EXPECT_EQ(Get(undeliv).status, MessageStatus::kUndelivered);
  EXPECT_EQ(Get(undeliv).reason, "wrong_number");
  EXPECT_EQ(Get(rejected).status, MessageStatus::kUnsent);
  EXPECT_EQ(Get(rejected).reason, "unsupported_number");
  EXPECT_EQ(*store_.LedgerSumForMessage(rejected), 0);
  EXPECT_EQ(Get(busy).status, MessageStatus::kQueued);
  EXPECT_EQ(Get(busy).due_ms, Now() + 1000) << "retried with backoff";
}

TEST_F(SimnetDeliveryTest, ReceiptsSurviveARestartOfBramka) {
  SimnetOptions o;
  o.receipt_delay_ms = 30'000;  // longer than this run lasts
  const std::string normal = Accept("+48500100200");
  const std::string undeliv = Accept("+48600000199");
  std::string first_upstream;
  {
    SimnetConnector simnet(store_, clock_, o);
    auto d = MakeDispatcher(simnet);
    ASSERT_TRUE(simnet.Start(d->events()).ok());
    EXPECT_EQ(d->DispatchOnce(), 2);
    ASSERT_TRUE(d->WaitIdle(kWaitMs));
    EXPECT_EQ(Get(normal).status, MessageStatus::kSent);
    EXPECT_EQ(simnet.pending_receipts(), 2u);
    first_upstream = Get(undeliv).upstream_id;
    simnet.Stop();  // bramka goes down before the receipts come
  }
  EXPECT_EQ(Get(normal).status, MessageStatus::kSent);
  {
    std::lock_guard lock(mu_);
    EXPECT_TRUE(heard_.empty());
  }

  // bramka comes back after the receipts were due: the network reports them.
  clock_.Advance(std::chrono::seconds(30));
  SimnetConnector simnet(store_, clock_, o);
  auto d = MakeDispatcher(simnet);
  ASSERT_TRUE(d->Start().ok());
  ASSERT_TRUE(WaitHeard(2));
  d->Stop();
  EXPECT_EQ(Get(normal).status, MessageStatus::kDelivered);
  EXPECT_EQ(Get(normal).done_ms, Now());
  EXPECT_EQ(Get(undeliv).status, MessageStatus::kUndelivered);
  EXPECT_EQ(Get(undeliv).reason, "wrong_number");
  EXPECT_EQ(Get(undeliv).upstream_id, first_upstream);
}

TEST_F(SimnetDeliveryTest, ResumedReceiptsWaitForTheirRemainingDelay) {
  SimnetOptions o;
  o.receipt_delay_ms = 60'000;
  const std::string id = Accept("+48500100200");
  {
    SimnetConnector simnet(store_, clock_, o);
    auto d = MakeDispatcher(simnet);
    ASSERT_TRUE(simnet.Start(d->events()).ok());
    EXPECT_EQ(d->DispatchOnce(), 1);
    ASSERT_TRUE(d->WaitIdle(kWaitMs));
    ASSERT_EQ(Get(id).status, MessageStatus::kSent);
    simnet.Stop();
  }
  clock_.Advance(std::chrono::seconds(10));  // 50 s of the delay left
  SimnetConnector simnet(store_, clock_, o);
  RecordingEvents events;
  ASSERT_TRUE(simnet.Start(events).ok());
  EXPECT_EQ(simnet.pending_receipts(), 1u);
  EXPECT_TRUE(events.receipts().empty());
  simnet.Stop();
}

TEST_F(SimnetDeliveryTest, UpstreamIdsDoNotRepeatAcrossRestartsAtTheSameTime) {
  SimnetOptions o;
  o.receipt_delay_ms = 60'000;
  Accept("+48500100200");
  Accept("+48500100201");
  std::string last_upstream;
  {
    SimnetConnector simnet(store_, clock_, o);
    auto d = MakeDispatcher(simnet);
    ASSERT_TRUE(simnet.Start(d->events()).ok());
    EXPECT_EQ(d->DispatchOnce(), 2);
    ASSERT_TRUE(d->WaitIdle(kWaitMs));
    simnet.Stop();
  }
  auto sent = store_.ListSentVia("simnet", 10);
  ASSERT_TRUE(sent.ok());
  ASSERT_EQ(sent->size(), 2u);
  for (const auto& m : *sent) {
    if (last_upstream.empty() || std::stoull(m.upstream_id) > std::stoull(last_upstream)) {
      last_upstream = m.upstream_id;
    }
  }
  // Same clock reading (a fast restart, or a clock that did not move): the
  // ids still held by the network are skipped.
  const std::string later = Accept("+48500100202");
  SimnetConnector simnet(store_, clock_, o);
  auto d = MakeDispatcher(simnet);
  ASSERT_TRUE(simnet.Start(d->events()).ok());
  EXPECT_EQ(d->DispatchOnce(), 1);
  ASSERT_TRUE(d->WaitIdle(kWaitMs));
  simnet.Stop();
  EXPECT_EQ(std::stoull(Get(later).upstream_id), std::stoull(last_upstream) + 1);
}

// ---- HLR (hlr.h) -------------------------------------------------------------------------

TEST(SimnetHlrTest, AnswersFollowTheTestNumbers) {
  SimnetHlr hlr(SimnetOptions{});
  auto ok = hlr.Lookup("+48500600700", false);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->status, delivery::HlrAnswer::Status::kOk);
  EXPECT_EQ(ok->imsi / 100, 260);
  EXPECT_FALSE(ok->network.empty());
  EXPECT_TRUE(ok->description.empty());
  auto again = hlr.Lookup("+48500600700", false);
  EXPECT_EQ(again->imsi, ok->imsi);  // deterministic
  EXPECT_EQ(again->ported, ok->ported);

  auto absent = hlr.Lookup("+48600000101", false);
  EXPECT_EQ(absent->status, delivery::HlrAnswer::Status::kErr);
  EXPECT_EQ(absent->description, "ABSENT_SUBSCRIBER_SM");
  EXPECT_EQ(hlr.Lookup("+48600000101", /*network_only=*/true)->status,
            delivery::HlrAnswer::Status::kOk);  // absent, still in its network
  auto unknown = hlr.Lookup("+48600000201", false);
  EXPECT_EQ(unknown->description, "UNKNOWN_SUBSCRIBER");
  EXPECT_EQ(unknown->imsi, 0);
  EXPECT_EQ(hlr.Lookup("+48600000301", false)->description, "SYSTEM_FAILURE");
  auto foreign = hlr.Lookup("+4915112345678", false);
  EXPECT_EQ(foreign->status, delivery::HlrAnswer::Status::kOk);
  EXPECT_EQ(foreign->imsi, 0);

  int ported = 0;
  for (int i = 0; i < 1000; ++i)
    ported += hlr.Lookup("+48500" + std::to_string(100000 + i), false)->ported;
  EXPECT_GT(ported, 50);  // about one in ten
  EXPECT_LT(ported, 200);
}

// ---- voice messages (voice.h) ------------------------------------------------------------

TEST_F(SimnetConnectorTest, VoiceFileMessagesAreWrittenBeforeTheirReceipt) {
  const std::string dir = ::testing::TempDir() + "/simnet-voice-" + std::to_string(::getpid());
  SimnetOptions o = Fast();
  o.voice_dir = dir;
  auto account = store_.CreateAccount("voice", "x", 0, 1);
  ASSERT_TRUE(account.ok());
  store::MediaFile f;
  f.id = "00000000f1";
  f.account_id = *account;
  f.type = store::MessageType::kVoice;
  f.name = "a.wav";
  f.content_type = "audio/wav";
  f.data = std::string("RIFF....WAVEdata\0\x01", 18);
  f.size = static_cast<int64_t>(f.data.size());
  ASSERT_TRUE(store_.AddMediaFile(f).ok());

  SimnetConnector simnet(store_, clock_, o);
  ASSERT_TRUE(simnet.Start(events_).ok());
  store::Message m = Msg("v1", "+48500100200");
  m.type = store::MessageType::kVoice;
  m.account_id = *account;
  m.attachments = {f.id};
  ASSERT_EQ(SendAndWait(simnet, m).kind, SendOutcome::Kind::kAccepted);
  ASSERT_TRUE(events_.WaitReceipts(1));
  EXPECT_EQ(events_.receipts()[0].status, MessageStatus::kDelivered);
  std::ifstream in(dir + "/v1.wav", std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, f.data);  // played as it is
  simnet.Stop();
  std::filesystem::remove_all(dir);
}

// A voice message still sent at a restart (stopped before it was "played") is played then.
TEST_F(SimnetConnectorTest, ResumedVoiceMessagesArePlayedBeforeTheirReceipt) {
  const std::string dir = ::testing::TempDir() + "/simnet-resume-" + std::to_string(::getpid());
  auto account = store_.CreateAccount("resume", "x", 0, 1);
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE(store_.AdjustBalance(*account, store::MessageType::kVoice, 5, "t", 1).ok());
  store::MediaFile f;
  f.id = "00000000f2";
  f.account_id = *account;
  f.type = store::MessageType::kVoice;
  f.data = "RIFF-resumed";
  f.size = static_cast<int64_t>(f.data.size());
  ASSERT_TRUE(store_.AddMediaFile(f).ok());
  store::Message m;
  m.id = "00000000a7";
  m.phone = "+48500100200";
  m.type = store::MessageType::kVoice;
  m.attachments = {f.id};
  m.cost_units = 1;
  m.queued_ms = m.due_ms = ToUnixMillis(clock_.Now());
  ASSERT_TRUE(store_.Accept({*account, {m}}).ok());
  ASSERT_EQ(store_.ClaimDue(ToUnixMillis(clock_.Now()), 10, "n", ToUnixMillis(clock_.Now()) + 1000)
                ->size(),
            1u);
  ASSERT_TRUE(store_.MarkSent(m.id, "simnet", "77", ToUnixMillis(clock_.Now())).ok());

  SimnetOptions o = Fast();
  o.voice_dir = dir;
  SimnetConnector simnet(store_, clock_, o);
  ASSERT_TRUE(simnet.Start(events_).ok());
  ASSERT_TRUE(events_.WaitReceipts(1));
  EXPECT_EQ(events_.receipts()[0].upstream_id, "77");
  std::ifstream in(dir + "/00000000a7.wav", std::ios::binary);
  std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(written, "RIFF-resumed");
  simnet.Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace bramka::simnet

// ---- incoming messages (simnet_mo.cc; docs/adr/0011) -------------------------------
namespace bramka::simnet {
namespace {

class MoEvents final : public delivery::ConnectorEvents {
 public:
  void OnReceipt(store::ReceiptUpdate, ReceiptDone) override {}
  void OnReadyChanged(const std::string&, bool) override {}
  Result<void> OnIncoming(delivery::IncomingSms sms) override {
    std::lock_guard lock(mu);
    if (refuse) return Fail(ErrorCode::kUnavailable, "refused");
    got.push_back(std::move(sms));
    cv.notify_all();
    return Ok();
  }
  // Bounded wait for `n` incoming messages.
  bool WaitFor(size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(5), [&] { return got.size() >= n; });
  }
  std::condition_variable cv;
  size_t count() {
    std::lock_guard lock(mu);
    return got.size();
  }
  std::mutex mu;
  bool refuse = false;
  std::vector<delivery::IncomingSms> got;
};

TEST(SimnetMoTest, InjectedMessagesAreDeliveredOnceTakenAndKeptWhenRefused) {
  store::InMemoryStore store;
  FakeClock clock;
  SimnetOptions o;
  o.mo_poll_ms = 0;  // the test drives DeliverInjected itself
  SimnetConnector simnet(store, clock, o);
  MoEvents events;
  ASSERT_TRUE(simnet.Start(events).ok());
  ASSERT_TRUE(store.QueueInjectedMo({0, "+48600100200", "+48500000101", "hi", 1}).ok());
  events.refuse = true;
  EXPECT_EQ(simnet.DeliverInjected(), 0);
  EXPECT_EQ(store.ListInjectedMo(-1)->size(), 1u);  // kept for the next poll
  events.refuse = false;
  EXPECT_EQ(simnet.DeliverInjected(), 1);
  EXPECT_TRUE(store.ListInjectedMo(-1)->empty());
  ASSERT_EQ(events.count(), 1u);
  EXPECT_EQ(events.got[0].connector, "simnet");
  EXPECT_EQ(events.got[0].from, "+48600100200");
  EXPECT_EQ(events.got[0].to, "+48500000101");
  EXPECT_EQ(events.got[0].text, "hi");
  simnet.Stop();
}

TEST(SimnetMoTest, AutoReplyNumbersAnswerTheSender) {
  store::InMemoryStore store;
  FakeClock clock;
  SimnetOptions o;
  o.mo_poll_ms = 0;
  o.receipt_delay_ms = 0;
  o.auto_reply_delay_ms = 0;
  SimnetConnector simnet(store, clock, o);
  MoEvents events;
  ASSERT_TRUE(simnet.Start(events).ok());
  store::Message m;
  m.id = "00000000a1";
  m.phone = "+48600000950";
  m.sender = "+48500000200";
  m.text = "ping";
  std::atomic<int> answered{0};
  simnet.Send(m, [&](delivery::SendOutcome) { ++answered; });
  m.id = "00000000a2";
  m.phone = "+48600000150";  // not an auto-reply number
  simnet.Send(m, [&](delivery::SendOutcome) { ++answered; });
  ASSERT_TRUE(events.WaitFor(1));  // simnet's MO thread runs in real time
  EXPECT_EQ(events.count(), 1u);
  EXPECT_EQ(events.got[0].from, "+48600000950");
  EXPECT_EQ(events.got[0].to, "+48500000200");
  EXPECT_EQ(events.got[0].text, "Re: ping");
  simnet.Stop();
  EXPECT_EQ(answered.load(), 2);
}

}  // namespace
}  // namespace bramka::simnet
