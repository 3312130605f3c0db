#include "delivery/dispatcher.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <utility>

#include "common/check.h"
#include "common/log.h"

namespace bramka::delivery {
namespace {

constexpr char kOutMetric[] = "bramka_messages_out_total";
constexpr char kOutHelp[] =
    "Send attempts by connector and outcome (accepted, temporary, permanent, not_ready, expired)";
constexpr char kNoConnector[] = "none";
// spec §5: the generic reason when a connector refuses without saying why.
constexpr char kReasonRejected[] = "message_rejected";

// The shard key of work about a message the connector knows as `upstream_id`.
std::string UpstreamKey(const std::string& connector, const std::string& upstream_id) {
  return connector + '\n' + upstream_id;
}

}  // namespace

std::string Dispatcher::MetricLabels(const std::string& connector, const char* key,
                                     std::string_view value) {
  return "connector=\"" + connector + "\"," + key + "=\"" + std::string(value) + "\"";
}

std::string_view SendOutcomeKindName(SendOutcome::Kind kind) {
  switch (kind) {
    case SendOutcome::Kind::kAccepted:
      return "accepted";
    case SendOutcome::Kind::kTemporary:
      return "temporary";
    case SendOutcome::Kind::kPermanent:
      return "permanent";
  }
  return "unknown";
}

// Lets late callbacks find out that the Dispatcher is gone: each callback
// Enter()s before touching the Dispatcher; the destructor Close()s, waiting
// for the callbacks inside and refusing later ones.
struct Dispatcher::Lifeline {
  std::mutex mu;
  std::condition_variable cv;
  bool alive = true;
  int active = 0;

  bool Enter() {
    std::lock_guard lock(mu);
    if (!alive) return false;
    ++active;
    return true;
  }
  void Leave() {
    std::lock_guard lock(mu);
    if (--active == 0) cv.notify_all();
  }
  void Close() {
    std::unique_lock lock(mu);
    alive = false;
    cv.wait(lock, [&] { return active == 0; });
  }
};

// One claimed message on its way through the candidates of its route.
struct Dispatcher::Attempt {
  store::Message message;
  std::vector<std::string> candidates;
  size_t next = 0;             // index of the next candidate to try
  std::string last_connector;  // the last connector that answered kTemporary
  std::string last_error;      // what it (or readiness) said
  bool sent_anywhere = false;  // some connector tried it upstream (not handed back)
  // The rule that chose the candidates (nullptr: a default route), kept alive
  // with its table for the cost metric.
  const RouteRule* rule = nullptr;
  std::shared_ptr<const RoutingTable> routing;
};

// One recorder thread and its FIFO of store work.
struct Dispatcher::Recorder {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::function<void()>> tasks;
  bool stopping = false;
  std::thread thread;
};

class Dispatcher::Events final : public ConnectorEvents {
 public:
  Events(Dispatcher& dispatcher, std::shared_ptr<Lifeline> lifeline)
      : dispatcher_(dispatcher), lifeline_(std::move(lifeline)) {}

  void OnReceipt(store::ReceiptUpdate receipt, ReceiptDone done) override {
    if (!lifeline_->Enter()) {
      if (done) done(false);  // the dispatcher is gone: not stored
      return;
    }
    BatchItem item{nullptr, {}, {}, std::move(receipt), std::move(done)};
    if (dispatcher_.EnqueueBatch(item)) {
      lifeline_->Leave();
      return;
    }
    receipt = std::move(item.receipt);
    const std::string key = UpstreamKey(receipt.connector, receipt.upstream_id);
    Dispatcher* d = &dispatcher_;
    dispatcher_.Post(key,
                     [d, r = std::move(receipt), done = std::move(item.receipt_done)]() mutable {
                       d->HandleReceipt(std::move(r), std::move(done));
                     });
    lifeline_->Leave();
  }

  void OnReadyChanged(const std::string& connector, bool ready) override {
    if (!lifeline_->Enter()) return;
    spdlog::info("connector {} is {}", connector, ready ? "ready" : "not ready");
    if (ready) dispatcher_.Wake();
    lifeline_->Leave();
  }

  Result<void> OnIncoming(IncomingSms sms) override {
    if (!dispatcher_.inbound_sink_) return ConnectorEvents::OnIncoming(std::move(sms));
    return dispatcher_.inbound_sink_(std::move(sms));
  }

 private:
  Dispatcher& dispatcher_;
  std::shared_ptr<Lifeline> lifeline_;
};

Dispatcher::Dispatcher(store::Store& store, Clock& clock, RoutingTable routing,
                       std::map<std::string, Connector*> connectors, DispatcherOptions options,
                       MetricsRegistry& metrics)
    : store_(store),
      clock_(clock),
      routing_(std::make_shared<const RoutingTable>(std::move(routing))),
      options_(std::move(options)),
      retry_(options_.retry),
      metrics_(metrics),
      in_flight_gauge_(metrics.GetGauge("bramka_dispatch_in_flight",
                                        "Claimed messages whose send outcome is not recorded yet")),
      lifeline_(std::make_shared<Lifeline>()) {
  BRAMKA_CHECK(options_.batch_size > 0);
  BRAMKA_CHECK(options_.max_in_flight > 0);
  BRAMKA_CHECK(options_.lease_ms > 0);
  auto slots = std::make_shared<SlotMap>();
  for (const auto& [name, connector] : connectors) {
    BRAMKA_CHECK(connector != nullptr);
    slots->emplace(name, std::make_shared<Slot>(connector));
  }
  slots_ = std::move(slots);
  for (const auto& [name, connector] : connectors) RegisterOperatorMetrics(name);
  events_ = std::make_unique<Events>(*this, lifeline_);
}

Dispatcher::~Dispatcher() {
  Stop();
  lifeline_->Close();
}

void Dispatcher::AddReceiptListener(ReceiptListener listener) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<std::vector<ReceiptListener>>(*listeners_);
  next->push_back(std::move(listener));
  listeners_ = std::move(next);
}

ConnectorEvents& Dispatcher::events() { return *events_; }

void Dispatcher::SetInboundSink(InboundSink sink) { inbound_sink_ = std::move(sink); }

Result<void> Dispatcher::Start() {
  std::lock_guard life(lifecycle_mu_);
  {
    std::lock_guard lock(mu_);
    BRAMKA_CHECK(!started_ && !stopped_);
    started_ = true;
  }
  // What this node claimed before a crash or restart died with it: make it
  // claimable now instead of after the lease (duplicates towards a connector
  // stay bounded by what was in flight at the crash).
  if (auto released = store_.ReleaseLeases(options_.node_id); !released.ok()) {
    return Fail(released.take_error());
  } else if (*released > 0) {
    spdlog::info("released {} messages leased by a previous run of {}", *released,
                 options_.node_id);
  }
  for (int i = 0; i < options_.record_threads; ++i) {
    auto recorder = std::make_unique<Recorder>();
    Recorder* r = recorder.get();
    recorder->thread = std::thread([this, r] {
      (void)pthread_setname_np(pthread_self(), "bramka-record");
      std::unique_lock lock(r->mu);
      while (true) {
        r->cv.wait(lock, [&] { return r->stopping || !r->tasks.empty(); });
        if (r->tasks.empty()) return;  // stopping, and drained
        std::function<void()> task = std::move(r->tasks.front());
        r->tasks.pop_front();
        lock.unlock();
        task();
        {
          std::lock_guard guard(mu_);
          --pending_tasks_;
          cv_.notify_all();
        }
        lock.lock();
      }
    });
    recorders_.push_back(std::move(recorder));
  }
  recorders_running_.store(!recorders_.empty(), std::memory_order_release);
  if (!recorders_.empty()) StartBatcher();  // record_threads = 0: everything inline
  std::vector<Connector*> running;
  for (const auto& [name, slot] : *Slots()) {
    Connector* connector = slot->connector;
    Result<void> r = connector->Start(*events_);
    if (!r.ok()) {
      for (Connector* c : running) c->Stop();
      StopRecorders();
      StopBatcher();
      Error e = r.take_error();
      e.message = "connector " + name + ": " + e.message;
      return Fail(std::move(e));
    }
    running.push_back(connector);
  }
  thread_ = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-dispatch");
    Run();
  });
  return Ok();
}

void Dispatcher::Wake() {
  NoteWake();  // e2e (docs/adr/0045)
  std::lock_guard lock(mu_);
  wake_ = true;
  cv_.notify_all();
}

void Dispatcher::Post(const std::string& key, std::function<void()> task) {
  if (recorders_running_.load(std::memory_order_acquire)) {
    Recorder& r = *recorders_[std::hash<std::string>{}(key) % recorders_.size()];
    {
      std::lock_guard guard(mu_);
      ++pending_tasks_;
    }
    {
      std::lock_guard lock(r.mu);
      if (!r.stopping) {
        r.tasks.push_back(std::move(task));
        r.cv.notify_one();
        return;
      }
    }
    std::lock_guard guard(mu_);  // the recorders stopped meanwhile: run it here
    --pending_tasks_;
    cv_.notify_all();
  }
  task();
}

void Dispatcher::StopRecorders() {
  for (auto& r : recorders_) {
    std::lock_guard lock(r->mu);
    r->stopping = true;
    r->cv.notify_all();
  }
  for (auto& r : recorders_) {
    if (r->thread.joinable()) r->thread.join();
  }
  recorders_running_.store(false, std::memory_order_release);
}

void Dispatcher::Stop() {
  std::lock_guard life(lifecycle_mu_);
  bool started;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
    started = started_;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
  if (!WaitIdle(options_.stop_timeout_ms)) {
    spdlog::warn("dispatcher: {} sends still unanswered after {} ms; stopping connectors",
                 in_flight(), options_.stop_timeout_ms);
  }
  if (started) {
    for (const auto& [name, slot] : *Slots()) slot->connector->Stop();
  }
  StopRecorders();  // drains what the connectors' Stop reported
  StopBatcher();    // and what they (or the recorders' failovers) accepted
  // receipt-ack: kept receipts not applied by now are lost with this process;
  // the SMSC repeats them after the restart (answered nothing or an error).
  std::vector<ConnectorEvents::ReceiptDone> unstored;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, pending] : pending_receipts_) {
      if (pending.done) unstored.push_back(std::move(pending.done));
    }
    pending_acks_.clear();
  }
  for (auto& done : unstored) done(false);
  if (int left = in_flight(); left > 0) {
    spdlog::warn("dispatcher: {} messages left leased; they are re-sent after the lease", left);
  }
}

int Dispatcher::in_flight() const {
  std::lock_guard lock(mu_);
  return in_flight_;
}

bool Dispatcher::WaitIdle(int timeout_ms) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, std::chrono::milliseconds(std::max(timeout_ms, 0)), [&] {
    return !claiming_ && in_flight_ == 0 && pending_tasks_ == 0 && batch_items_.load() == 0;
  });
}

void Dispatcher::Run() {
  const int low_water = std::max(0, options_.max_in_flight - options_.batch_size);
  while (true) {
    const int claimed = DispatchOnce();
    std::unique_lock lock(mu_);
    if (stopping_) break;
    const bool saturated = in_flight_ >= options_.max_in_flight;
    // A full batch means more may be due: go again at once unless saturated.
    if (claimed >= options_.batch_size && !saturated) continue;
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                 [&] { return stopping_ || wake_ || (saturated && in_flight_ <= low_water); });
    wake_ = false;
    if (stopping_) break;
  }
}

bool Dispatcher::AnyConnectorReady() const {
  auto slots = Slots();
  return std::any_of(slots->begin(), slots->end(), [](const auto& entry) {
    const Slot& slot = *entry.second;
    std::shared_lock lock(slot.mu);
    return !slot.removed && slot.connector->Ready();
  });
}

int Dispatcher::DispatchOnce() {
  ExpirePendingAcks();
  int limit;
  {
    std::lock_guard lock(mu_);
    limit = std::min(options_.batch_size, options_.max_in_flight - in_flight_);
  }
  // With no connector ready, claiming would only count attempts and push
  // every message back; wait for OnReadyChanged or the next poll instead.
  if (limit <= 0 || !AnyConnectorReady()) return 0;

  const int64_t now = ToUnixMillis(clock_.Now());
  {
    std::lock_guard lock(mu_);
    claiming_ = true;
  }
  auto claimed = store_.ClaimDue(now, limit, options_.node_id, now + options_.lease_ms);
  std::vector<std::string> skipped;
  {
    // reliability (ADR 0025): never send again what is still in flight here.
    std::lock_guard lock(mu_);
    claiming_ = false;
    if (claimed.ok()) {
      std::erase_if(*claimed, [&](const store::Message& m) {
        if (in_flight_ids_.count(m.id) || done_while_claiming_.count(m.id)) {
          skipped.push_back(m.id);
          return true;
        }
        in_flight_ids_.insert(m.id);
        return false;
      });
      // Counted in flight as they leave the claim, in the same step: WaitIdle never sees
      // claimed messages that are neither claiming nor in flight.
      in_flight_ += static_cast<int>(claimed->size());
      in_flight_gauge_.Set(in_flight_);
    }
    done_while_claiming_.clear();
  }
  cv_.notify_all();  // WaitIdle waits while claiming_
  for (const std::string& id : skipped) {
    spdlog::warn(
        "dispatcher: message {} claimed again while still in flight here (its lease "
        "looked expired: the wall clock jumped forward, or a connector held it longer "
        "than lease_ms); not sent twice",
        id);
  }
  if (!claimed.ok()) {
    spdlog::warn("dispatcher: ClaimDue failed: {}", claimed.error().ToString());
    return 0;
  }
  const int n = static_cast<int>(claimed->size());
  if (n == 0) return 0;
  uint64_t sequence;
  {
    std::lock_guard lock(mu_);
    sequence = route_sequence_;
    route_sequence_ += static_cast<uint64_t>(n);
  }
  std::shared_ptr<const RoutingTable> routing;
  {
    std::lock_guard lock(routing_mu_);
    routing = routing_;
  }
  std::map<std::string, std::vector<std::string>> handovers;  // cluster: connector -> ids
  for (store::Message& message : *claimed) {
    auto attempt = std::make_shared<Attempt>();
    attempt->candidates = routing->Route(message, sequence++);
    attempt->rule = routing->Match(message);
    attempt->routing = routing;
    attempt->message = std::move(message);
    const store::Message& m = attempt->message;
    if (attempt->candidates.empty()) {
      // A voice or MMS message no connector may carry (routing.h): refused for good.
      Post(m.id, [this, attempt] {
        const store::Message& msg = attempt->message;
        spdlog::info("message {}: no route carries {} messages", msg.id,
                     store::MessageTypeName(msg.type));
        Result<void> r = store_.MarkUnsent(msg.id, kReasonRejected, ToUnixMillis(clock_.Now()));
        if (r.ok()) {
          NotifyFinal(msg);
        } else {
          spdlog::error("dispatcher: MarkUnsent({}) failed: {}", msg.id, r.error().ToString());
        }
        FinishInFlight(msg.id, true);
      });
      continue;
    }
    // Re-claimed after failures (or a crash): it may have expired meanwhile.
    // The origin is the acceptance time; see RetryPolicy.
    if (m.attempts > 1 && retry_.Expired(m.attempts - 1, m.queued_ms, now)) {
      Post(m.id, [this, attempt] {
        RetryOrExpire(*attempt);
        FinishInFlight(attempt->message.id, false);
      });
      continue;
    }
    if (remote_route_) {  // cluster: its connector is bound on another node (ADR 0023)
      const RouteRule* rule = attempt->rule;
      const bool spread = rule != nullptr && (rule->round_robin || !rule->weights.empty());
      if (std::optional<std::string> there = remote_route_(attempt->candidates, spread)) {
        handovers[*there].push_back(m.id);
        continue;
      }
    }
    TryNext(std::move(attempt));
  }
  for (auto& [connector, ids] : handovers) {
    Post(ids.front(), [this, connector, ids] {
      auto r = store_.HandOverMessages(ids, connector, ToUnixMillis(clock_.Now()));
      if (!r.ok()) {
        spdlog::error("dispatcher: handing over to {}: {}", connector, r.error().ToString());
      }
      for (const std::string& id : ids) FinishInFlight(id, false);
    });
  }
  return n;
}

void Dispatcher::TryNext(std::shared_ptr<Attempt> attempt) {
  while (attempt->next < attempt->candidates.size()) {
    const std::string& name = attempt->candidates[attempt->next++];
    auto slots = Slots();
    auto it = slots->find(name);
    std::shared_ptr<Slot> slot = it == slots->end() ? nullptr : it->second;
    // Held across Ready() and Send(): RemoveConnector waits for it (see Slot).
    std::shared_lock<std::shared_mutex> slot_lock;
    if (slot) slot_lock = std::shared_lock(slot->mu);
    if (!slot || slot->removed || !slot->connector->Ready()) {
      attempt->last_error = name + ": not ready";
      metrics_.GetCounter(kOutMetric, kOutHelp, MetricLabels(name, "outcome", "not_ready")).Inc();
      continue;
    }
    auto answered = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<Lifeline> lifeline = lifeline_;
    // `attempt` is copied into the callback, which keeps it alive; Send gets
    // a reference it must copy from (connector.h rule 1).
    const store::Message& message = attempt->message;
    slot->connector->Send(message, [this, lifeline, attempt, name, answered](SendOutcome outcome) {
      if (answered->exchange(true)) {
        spdlog::error("connector {} answered message {} twice; ignored", name, attempt->message.id);
        return;
      }
      if (!lifeline->Enter()) return;
      if (outcome.kind == SendOutcome::Kind::kAccepted) {
        BatchItem item{attempt, name, std::move(outcome), {}, {}};
        if (EnqueueBatch(item)) {
          lifeline->Leave();
          return;
        }
        outcome = std::move(item.outcome);
      }
      // An acceptance shares its shard with the receipts that will follow.
      const std::string key = outcome.kind == SendOutcome::Kind::kAccepted
                                  ? UpstreamKey(name, outcome.upstream_id)
                                  : attempt->message.id;
      Post(key, [this, attempt, name, o = std::move(outcome)]() mutable {
        OnOutcome(attempt, name, std::move(o));
      });
      lifeline->Leave();
    });
    return;
  }
  // Every candidate failed temporarily or was not ready.
  Post(attempt->message.id, [this, attempt] {
    if (attempt->sent_anywhere) {
      RetryOrExpire(*attempt);
    } else {
      Requeue(*attempt);
    }
    FinishInFlight(attempt->message.id, false);
  });
}

// No connector of the route could take the message (all busy or down): that
// says nothing about the message, so it goes back at once, without the
// backoff a refusal earns (which would grow with every busy claim).
void Dispatcher::Requeue(const Attempt& attempt) {
  const store::Message& m = attempt.message;
  const int64_t now = ToUnixMillis(clock_.Now());
  if (retry_.Expired(m.attempts, m.queued_ms, now)) return RetryOrExpire(attempt);
  {
    std::lock_guard lock(mu_);
    ++busy_claims_[m.id];
  }
  auto r = store_.MarkRetry(m.id, now + options_.poll_interval_ms, attempt.last_error);
  if (!r.ok()) {
    spdlog::error("dispatcher: requeueing {} failed: {}", m.id, r.error().ToString());
  }
}

void Dispatcher::OnOutcome(const std::shared_ptr<Attempt>& attempt, const std::string& connector,
                           SendOutcome outcome) {
  if (outcome.kind != SendOutcome::Kind::kAccepted) {  // PrepareSent counts acceptances
    metrics_
        .GetCounter(kOutMetric, kOutHelp,
                    MetricLabels(connector, "outcome",
                                 outcome.handed_back ? std::string_view("handed_back")
                                                     : SendOutcomeKindName(outcome.kind)))
        .Inc();
  }
  const store::Message& m = attempt->message;
  const int64_t now = ToUnixMillis(clock_.Now());
  switch (outcome.kind) {
    case SendOutcome::Kind::kAccepted: {
      store::SentUpdate sent = PrepareSent(*attempt, connector, outcome, now);
      // A long message's part ids are recorded by MarkSentBatch (docs/adr/0028).
      Result<void> r = Ok();
      if (sent.part_ids.size() < 2) {
        r = store_.MarkSent(m.id, connector, outcome.upstream_id, now);
      } else if (auto found = store_.MarkSentBatch({sent}); !found.ok()) {
        r = found.take_error();
      } else if (!found->at(0)) {
        r = Fail(ErrorCode::kNotFound, "no such message");
      }
      spdlog::debug("message sent message_id={} connector={} upstream_id={} attempt={}", m.id,
                    connector, outcome.upstream_id, m.attempts);
      if (!r.ok()) {
        // The upstream has it; the lease will expire and it may go out twice.
        spdlog::error("dispatcher: MarkSent({}) failed: {}", m.id, r.error().ToString());
      } else {
        ApplyPendingReceipts(sent);
      }
      FinishInFlight(m.id, true);
      return;
    }
    case SendOutcome::Kind::kTemporary:
      // Handed back (never seen upstream): like a connector that was not
      // ready, it does not make the message wait a backoff.
      if (!outcome.handed_back) attempt->sent_anywhere = true;
      attempt->last_connector = connector;
      attempt->last_error = connector + ": " + outcome.error;
      TryNext(attempt);  // failover; records the retry when none is left
      return;
    case SendOutcome::Kind::kPermanent: {
      TakeBusyClaims(m.id);
      const std::string reason = outcome.reason.empty() ? kReasonRejected : outcome.reason;
      spdlog::info("message refused message_id={} connector={} reason={} ({})", m.id, connector,
                   reason, outcome.error);
      Result<void> r = store_.MarkUnsent(m.id, reason, now);
      if (!r.ok()) {
        spdlog::error("dispatcher: MarkUnsent({}) failed: {}", m.id, r.error().ToString());
      } else {
        NotifyFinal(m);
      }
      FinishInFlight(m.id, true);
      return;
    }
  }
}

void Dispatcher::RetryOrExpire(const Attempt& attempt) {
  const store::Message& m = attempt.message;
  const int64_t now = ToUnixMillis(clock_.Now());
  // Claims that found the route busy were not attempts: they must not grow
  // the backoff (the store counts every claim, so all of them since the
  // message was accepted are subtracted, not only the latest ones).
  const int busy = BusyClaims(m.id);
  const int attempts = std::max(1, m.attempts - busy);
  const RetryDecision d = retry_.OnTemporaryFailure(m.id, attempts, m.queued_ms, now);
  Result<void> r;
  if (d.give_up) {
    TakeBusyClaims(m.id);
    const std::string& connector =
        attempt.last_connector.empty() ? std::string(kNoConnector) : attempt.last_connector;
    metrics_.GetCounter(kOutMetric, kOutHelp, MetricLabels(connector, "outcome", "expired")).Inc();
    spdlog::info("message expired message_id={} attempts={} (last: {})", m.id, m.attempts,
                 attempt.last_error);
    r = store_.MarkUnsent(m.id, d.reason, now);
    if (r.ok()) NotifyFinal(m);
  } else {
    CountRetry(attempt, d.next_due_ms);
    r = store_.MarkRetry(m.id, d.next_due_ms, attempt.last_error);
  }
  if (!r.ok()) {
    // The lease expires and the message is claimed again; nothing is lost.
    spdlog::error("dispatcher: recording retry of {} failed: {}", m.id, r.error().ToString());
  }
}

int Dispatcher::BusyClaims(const std::string& message_id) {
  std::lock_guard lock(mu_);
  auto it = busy_claims_.find(message_id);
  return it == busy_claims_.end() ? 0 : it->second;
}

int Dispatcher::TakeBusyClaims(const std::string& message_id) {
  std::lock_guard lock(mu_);
  auto it = busy_claims_.find(message_id);
  if (it == busy_claims_.end()) return 0;
  int n = it->second;
  busy_claims_.erase(it);
  return n;
}

void Dispatcher::FinishInFlight(const std::string& id, bool final_state) {
  std::lock_guard lock(mu_);
  in_flight_ids_.erase(id);
  if (claiming_ && final_state) done_while_claiming_.insert(id);
  --in_flight_;
  in_flight_gauge_.Set(in_flight_);
  cv_.notify_all();
}

// ---- operator: observability (docs/adr/0018) ----

namespace {

Histogram& ReceiptLatency(MetricsRegistry& metrics, const std::string& connector) {
  // Submit to the SMSC -> its receipt; receipts can take hours (phone off).
  return metrics.GetHistogram(
      "bramka_receipt_latency_seconds",
      "From the submit to the SMSC to its delivery receipt, by connector.",
      "connector=\"" + connector + "\"",
      {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 14400, 86400});
}

Counter& Retries(MetricsRegistry& metrics, const std::string& connector) {
  return metrics.GetCounter("bramka_retries_total",
                            "Messages put back for a later attempt, by connector.",
                            "connector=\"" + connector + "\"");
}

}  // namespace

Counter& Dispatcher::SeriesCounter(const std::string& connector, Series series) {
  std::lock_guard lock(series_mu_);
  Counter*& counter = series_[connector].counters[static_cast<size_t>(series)];
  if (counter != nullptr) return *counter;
  const char* status = nullptr;
  switch (series) {
    case Series::kAccepted:
      counter = &metrics_.GetCounter(kOutMetric, kOutHelp,
                                     MetricLabels(connector, "outcome", "accepted"));
      return *counter;
    case Series::kDelivered:
      status = "delivered";
      break;
    case Series::kUndelivered:
      status = "undelivered";
      break;
    case Series::kPart:
      status = "part";
      break;
    case Series::kUnmatched:
      status = "unmatched";
      break;
    case Series::kError:
    case Series::kCount:
      status = "error";
      break;
  }
  counter =
      &metrics_.GetCounter(kReceiptMetric, kReceiptHelp, MetricLabels(connector, "status", status));
  return *counter;
}

Histogram& Dispatcher::ReceiptLatencyOf(const std::string& connector) {
  std::lock_guard lock(series_mu_);
  Histogram*& latency = series_[connector].latency;
  if (latency == nullptr) latency = &ReceiptLatency(metrics_, connector);
  return *latency;
}

void Dispatcher::RegisterOperatorMetrics(const std::string& connector) {
  ReceiptLatency(metrics_, connector);
  Retries(metrics_, connector);
}

void Dispatcher::ObserveReceipt(const std::string& connector, const store::Message& m) {
  if (m.sent_ms > 0 && m.done_ms >= m.sent_ms) {
    ReceiptLatencyOf(connector).Observe(static_cast<double>(m.done_ms - m.sent_ms) / 1000.0);
  }
  spdlog::debug("message receipt message_id={} connector={} status={} reason={}", m.id, connector,
                store::MessageStatusName(m.status), m.reason.empty() ? "-" : m.reason);
}

void Dispatcher::CountRetry(const Attempt& attempt, int64_t next_due_ms) {
  const std::string& connector =
      attempt.last_connector.empty() ? std::string(kNoConnector) : attempt.last_connector;
  Retries(metrics_, connector).Inc();
  spdlog::debug("message retry message_id={} connector={} next_due_ms={} error={}",
                attempt.message.id, connector, next_due_ms, attempt.last_error);
}

// ---- perf-delivery (docs/adr/0019; the rest in dispatcher_batch.cc) ----

store::SentUpdate Dispatcher::PrepareSent(const Attempt& attempt, const std::string& connector,
                                          const SendOutcome& outcome, int64_t now_ms) {
  const store::Message& m = attempt.message;
  SeriesCounter(connector, Series::kAccepted).Inc();
  TakeBusyClaims(m.id);
  if (outcome.upstream_id.empty()) {
    spdlog::warn("connector {} accepted {} without an id: its receipt cannot match", connector,
                 m.id);
  }
  if (attempt.rule != nullptr && attempt.rule->price_micro_pln > 0) {
    const std::string route = attempt.rule->name.empty() ? "unnamed" : attempt.rule->name;
    metrics_
        .GetCounter("bramka_route_cost_micro_pln_total",
                    "What messages sent cost the operator, per priced route, in 1e-6 PLN.",
                    "route=\"" + route + "\"")
        .Inc(attempt.rule->price_micro_pln * m.parts);
  }
  store::SentUpdate sent{m.id, connector, outcome.upstream_id, now_ms};
  sent.part_ids = outcome.part_ids;
  return sent;
}

}  // namespace bramka::delivery
