#pragma once
// Dispatcher: moves due messages from the store to connectors and connectors'
// receipts back into the store.
//
// One thread claims due messages under a lease (Store::ClaimDue, so several
// nodes can share one store), routes each (RoutingTable), sends it through the
// first Ready connector of its route, and records the outcome:
//   accepted   -> Store::MarkSent
//   temporary  -> the next connector of the route (failover); when none is
//                 left, Store::MarkRetry at RetryPolicy's backoff, or
//                 Store::MarkUnsent("message_expired") once expired
//   permanent  -> Store::MarkUnsent(reason): the charge is refunded
// Receipts (ConnectorEvents::OnReceipt) go to Store::ApplyReceipt, then to
// every receipt listener with the updated message. A receipt's completion
// runs once its status is committed (see "receipt-ack" below).
//
// Store writes never run on a connector's thread: connectors' I/O is not held
// up by commits. Acceptances and receipts go, in the order reported, into one
// FIFO written in batches (Store::MarkSentBatch, Store::ApplyReceipts; see
// "perf-delivery" below), so a receipt is applied after the MarkSent of its
// own submit when the connector reported them in that order; a receipt that
// still overtakes its MarkSent is kept and applied right after. The other
// writes run on `record_threads` recorder threads (many concurrent writes
// share one commit, the store's group commit).
//
// Delivery is at least once: a crash between a connector's acceptance and
// MarkSent leaves the message leased; when the lease expires it is claimed
// and sent again.
//
// Connectors may come and go while it runs (AddConnector / RemoveConnector, a
// reloaded config: docs/adr/0015): a removed connector gets no new Send once
// RemoveConnector has taken it out, and its Stop() hands back what it holds.
//
// Life cycle: construct; AddReceiptListener(...); Start(); Wake() whenever
// messages were accepted; Stop(); destroy. Stop() is also run by the
// destructor. Thread-safety: every public method is thread-safe except that
// Start/Stop must not race each other.
//
// Without Start() (unit tests drive DispatchOnce by hand) everything runs
// inline on the calling or reporting thread, which makes tests deterministic.
//
// Time: every timestamp written to the store comes from the injected Clock;
// the thread's poll interval is real time (it only paces polling).

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "delivery/connector.h"
#include "delivery/retry.h"
#include "delivery/routing.h"
#include "store/store.h"

namespace bramka::delivery {

struct DispatcherOptions {
  std::string node_id = "node-1";  // lease owner; unique per `bramka serve` sharing a store
  int batch_size = 512;            // messages per ClaimDue
  int poll_interval_ms = 200;      // claim at least this often without Wake()
  int64_t lease_ms = 60'000;       // a claimed message is ours this long (crash recovery)
  int max_in_flight = 10'000;      // claimed but not yet recorded, across all connectors
  // Threads that make the store writes (outcomes, receipts). Each write
  // blocks its thread until committed, so this bounds how many writes can
  // share one group commit: with SQLite on 2 cores, 64 gave ~4-10k msg/s
  // end to end through simnet where 1 gave ~250. 0 = inline on the
  // reporting connector's thread.
  int record_threads = 64;
  int stop_timeout_ms = 5'000;  // Stop() waits this long for in-flight outcomes
  RetryOptions retry;
  // Cycles of acceptances and receipts in the store's hands at once (docs/adr/0039): the
  // next cycle's writes go to the writer while this one commits and syncs. 1: each cycle
  // waits for its commit. Two moved 60,000 messages end to end up to 12 % faster but
  // slowed the accepts beside them (the writer puts every queued job in one transaction:
  // 8 binds −16 % msg/CPU-s, p99 at 20,000/s 17 → 25 ms, side by side), so 1 until the
  // writer can take accepts first. (While accepts are quiet: max_writes_in_flight_quiet.)
  size_t max_writes_in_flight = 1;
  // e2e (docs/adr/0045): while no message was accepted for `accepts_quiet_ms` (Wake(),
  // which the gateway's accepted hook calls, marks an accept), up to this many cycles in
  // the store's hands: there are no accepts then for a second cycle to hold up, and a
  // receipt need not wait for the cycle before it (with 1, the SMSC's window of
  // unanswered receipts was split in two: half in the cycle committing, half waiting).
  // 0: never quiet (each cycle as with max_writes_in_flight alone).
  size_t max_writes_in_flight_quiet = 2;
  int accepts_quiet_ms = 20;
};

class Dispatcher {
 public:
  using ReceiptListener = std::function<void(const store::Message&)>;

  // Borrows everything; all must outlive the Dispatcher. `connectors` maps
  // Connector::name() to the connector; route names missing from it are
  // treated as never ready (check with RoutingTable::CheckConnectors first).
  Dispatcher(store::Store& store, Clock& clock, RoutingTable routing,
             std::map<std::string, Connector*> connectors, DispatcherOptions options,
             MetricsRegistry& metrics);
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // Called with the stored message after each receipt that matched a message
  // (status kDelivered or kUndelivered), and after a message ends kUnsent
  // (refused by every connector or expired), on a recorder thread, after the
  // store has the new status. Receipts may repeat, so a listener may see the
  // same final message twice. message.callback_queued says whether this receipt queued
  // a DLR callback (always true after a message ended unsent; docs/adr/0058). Listeners
  // must be quick (enqueue work), must not block and must not call Stop(). Register
  // before Start().
  void AddReceiptListener(ReceiptListener listener);

  // ---- inbound (docs/adr/0011) ----
  // Where ConnectorEvents::OnIncoming goes (delivery/inbound.h's
  // InboundRouter::Handle); without one, incoming messages are refused (the
  // upstream keeps them). Register before Start().
  using InboundSink = std::function<Result<void>(IncomingSms)>;
  void SetInboundSink(InboundSink sink);

  // Starts the recorder threads, every connector (with this dispatcher as its
  // events sink), then the dispatch thread. Returns the first connector's
  // start error, prefixed with its name (the connectors already started are
  // stopped again). Call once.
  Result<void> Start();

  // Claim now rather than at the next poll. Cheap; call after accepting.
  void Wake();

  // Replaces the routing table (a reloaded config): messages claimed from now
  // on take the new routes; sends in flight keep the route they had. Check
  // the table's connectors first (RoutingTable::CheckConnectors). Thread-safe.
  void SetRouting(RoutingTable routing);

  // ---- live connectors (docs/adr/0015) ----
  // Adds a connector while running (a reloaded config): borrowed until
  // RemoveConnector(name) returns or the Dispatcher is destroyed. Started with
  // this dispatcher's events when the Dispatcher is started. Add it before a
  // routing table that names it (SetRouting). kAlreadyExists for a name in
  // use, kUnavailable after Stop(), else the connector's start error.
  Result<void> AddConnector(Connector& connector);
  // Takes `name` out: no Send or Ready() reaches it once this returns; then
  // it is Stop()ped (rule 7: it answers everything it holds; messages it had
  // not submitted come back as handed back and go to the next candidate or
  // back to the store, due at once). Returns when the connector may be
  // destroyed; false if there is no such connector. Blocks while the
  // connector drains (its Stop()): call it from a thread that may block.
  bool RemoveConnector(const std::string& name);
  // Names of the connectors in use, sorted.
  std::vector<std::string> ConnectorNames() const;
  // Receipts arriving on connector K that match no message sent through K
  // are tried under each name in aliases[K], in order (connectors to the same
  // SMSC account: a removed connector's receipts arriving on its successor).
  void SetReceiptAliases(std::map<std::string, std::vector<std::string>> aliases);

  // Stops claiming, joins the thread, waits up to stop_timeout_ms for
  // in-flight sends to be recorded, then stops the connectors (which answer
  // what they still hold; those answers are recorded too) and the recorder
  // threads. Messages whose outcome was never recorded stay leased and are
  // re-claimed after the lease. Idempotent.
  void Stop();

  // One claim-and-send pass on the calling thread; returns how many messages
  // were claimed. The thread calls it; tests may call it directly instead of
  // Start() (connectors then need starting by the test, with events()).
  int DispatchOnce();

  // The sink connectors report to (for tests that start connectors themselves).
  ConnectorEvents& events();

  // Claimed messages whose outcome is not recorded yet.
  int in_flight() const;

  // Waits (bounded) until no claim is running, no send is in flight and no recorder
  // work (outcome or receipt) is queued or running; true if reached. For tests and Stop().
  bool WaitIdle(int timeout_ms);

  // receipt-ack: how long a receipt that matched no message yet stays
  // unacknowledged (Clock::SteadyNow, monotonic; see the private "receipt-ack" section).
  static constexpr int64_t kPendingReceiptAckMs = 2'000;

  // ---- cluster: several nodes on one store (docs/adr/0023) ----
  // Asked for each claimed message with its route's candidates and whether the route
  // spreads (round_robin or weights): a connector name means "that connector is bound on
  // another node: hand the message over" (Store::HandOverMessages, one call per
  // connector and claim), nullopt "send it here". Quick and thread-safe. Before Start().
  using RemoteRoute = std::function<std::optional<std::string>(
      const std::vector<std::string>& candidates, bool spread)>;
  void SetRemoteRoute(RemoteRoute route) { remote_route_ = std::move(route); }

 private:
  class Events;
  struct Attempt;
  struct Lifeline;
  struct Recorder;

  void Run();
  // Runs `task` on the recorder that owns `key` (inline without recorders).
  void Post(const std::string& key, std::function<void()> task);
  void StopRecorders();
  void TryNext(std::shared_ptr<Attempt> attempt);
  void OnOutcome(const std::shared_ptr<Attempt>& attempt, const std::string& connector,
                 SendOutcome outcome);
  void RetryOrExpire(const Attempt& attempt);
  void Requeue(const Attempt& attempt);
  // How many claims of the message found its route busy (Requeue). The
  // store counts every claim as an attempt, busy or not, so the count is kept
  // for the message's whole life here, not only since its last real attempt
  // (docs/adr/0026: a link cut again and again made a message wait a sixth
  // failure's backoff after its second real failure).
  int BusyClaims(const std::string& message_id);
  // The same, and forgets them: the message is sent or final.
  int TakeBusyClaims(const std::string& message_id);
  void HandleReceipt(store::ReceiptUpdate receipt, ConnectorEvents::ReceiptDone done = nullptr);
  void CallListeners(const store::Message& message);
  void NotifyFinal(const store::Message& claimed);
  void KeepPendingReceipt(store::ReceiptUpdate receipt, ConnectorEvents::ReceiptDone done);
  void ApplyPendingReceipt(const std::string& connector, const std::string& upstream_id);
  // ApplyPendingReceipt for the message's upstream id and its other parts' (ADR 0028).
  void ApplyPendingReceipts(const store::SentUpdate& sent);
  bool AnyConnectorReady() const;
  // A connector in use. Send and Ready() run under a shared lock of `mu`;
  // RemoveConnector takes it exclusively to set `removed`, so once it has, no
  // call is inside the connector and none will start.
  struct Slot {
    explicit Slot(Connector* c) : connector(c) {}
    Connector* const connector;
    mutable std::shared_mutex mu;
    bool removed = false;  // guarded by mu
  };
  using SlotMap = std::map<std::string, std::shared_ptr<Slot>>;
  std::shared_ptr<const SlotMap> Slots() const;

  store::Store& store_;
  Clock& clock_;
  mutable std::mutex routing_mu_;  // guards the pointer, not the (immutable) table
  std::shared_ptr<const RoutingTable> routing_;
  // Copy-on-write under slots_mu_; lifecycle_mu_ orders Start / Stop /
  // AddConnector / RemoveConnector.
  mutable std::mutex slots_mu_;
  std::shared_ptr<const SlotMap> slots_;
  std::mutex lifecycle_mu_;
  std::shared_ptr<const std::map<std::string, std::vector<std::string>>> aliases_;  // slots_mu_
  const DispatcherOptions options_;
  const RetryPolicy retry_;
  MetricsRegistry& metrics_;
  Gauge& in_flight_gauge_;
  std::unique_ptr<Events> events_;
  // Outcome callbacks hold this; the destructor waits for the running ones
  // and turns later ones into no-ops.
  std::shared_ptr<Lifeline> lifeline_;
  // Created by Start() before any connector can report, joined by Stop().
  std::vector<std::unique_ptr<Recorder>> recorders_;
  std::atomic<bool> recorders_running_{false};

  mutable std::mutex mu_;
  std::condition_variable cv_;  // wake_, stopping_, in_flight_, pending_tasks_ changes
  bool wake_ = false;
  bool stopping_ = false;
  bool started_ = false;
  bool stopped_ = false;
  int in_flight_ = 0;
  int pending_tasks_ = 0;  // recorder tasks queued or running
  // Items in the write batcher's FIFO or in a cycle not yet finished (EnqueueBatch,
  // BatchLoop); decreased only under mu_ (with cv_), increased without it.
  std::atomic<int> batch_items_{0};
  uint64_t route_sequence_ = 0;
  // Copy-on-write (AddReceiptListener): CallListeners takes a snapshot under mu_.
  std::shared_ptr<const std::vector<ReceiptListener>> listeners_ =
      std::make_shared<const std::vector<ReceiptListener>>();
  InboundSink inbound_sink_;                          // set before Start, read-only afterwards
  std::unordered_map<std::string, int> busy_claims_;  // see TakeBusyClaims
  // `connector="c",key="value"`: the labels of the per-connector counters.
  static std::string MetricLabels(const std::string& connector, const char* key,
                                  std::string_view value);
  // Receipts that matched no message yet, by (connector, upstream_id), kept
  // in case they overtook their own MarkSent; the oldest go first when full.
  using PendingKey = std::pair<std::string, std::string>;
  static constexpr size_t kMaxPendingReceipts = 10'000;
  struct PendingReceipt {
    store::ReceiptUpdate receipt;
    uint64_t seq = 0;
    ConnectorEvents::ReceiptDone done;  // receipt-ack: empty once called
  };
  std::map<PendingKey, PendingReceipt> pending_receipts_;
  std::deque<std::pair<PendingKey, uint64_t>> pending_order_;  // (key, seq), oldest first
  uint64_t pending_seq_ = 0;
  std::thread thread_;

  // ---- operator: observability (docs/adr/0018) ----
  // Receipt latency histogram and the receipt's log line; retry counter and line.
  void RegisterOperatorMetrics(const std::string& connector);  // series at 0 from the start
  // wire (docs/adr/0052): the per-connector series every message touches (its acceptance,
  // its receipt), each looked up in the registry once, at its first use as before, instead
  // of per message (the label strings built, the registry's lock, two map searches).
  static constexpr char kReceiptMetric[] = "bramka_receipts_total";
  static constexpr char kReceiptHelp[] =
      "Receipts by connector and status (delivered, undelivered, part, unmatched, error)";
  enum class Series { kAccepted, kDelivered, kUndelivered, kPart, kUnmatched, kError, kCount };
  Counter& SeriesCounter(const std::string& connector, Series series);
  Histogram& ReceiptLatencyOf(const std::string& connector);
  struct ConnectorSeries {
    std::array<Counter*, static_cast<size_t>(Series::kCount)> counters{};
    Histogram* latency = nullptr;
  };
  std::mutex series_mu_;
  std::unordered_map<std::string, ConnectorSeries> series_;  // guarded by series_mu_
  void ObserveReceipt(const std::string& connector, const store::Message& m);
  void CountRetry(const Attempt& attempt, int64_t next_due_ms);

  // ---- perf-delivery: batched outcome and receipt writes (dispatcher_batch.cc, ADR 0019) ----
  // Acceptances and receipts bypass the recorders: they go, in the order
  // reported, into one FIFO whose thread takes whatever is waiting (up to
  // kMaxWriteBatch) and writes it with Store::MarkSentBatch then
  // Store::ApplyReceipts: one commit each for the whole batch instead of one
  // write job per message, and no added latency when idle (the thread wakes at
  // the first item). One FIFO keeps a receipt behind the MarkSent of its own
  // submit when the connector reported them in that order.
  struct BatchItem {
    std::shared_ptr<Attempt> attempt;  // an acceptance; null: a receipt
    std::string connector;             // of the acceptance
    SendOutcome outcome;
    store::ReceiptUpdate receipt;
    ConnectorEvents::ReceiptDone receipt_done;  // receipt-ack, below
  };
  // e2e (docs/adr/0039): one cycle's writes handed to the store (WriteDeliveriesAsync)
  // and not yet finished; up to options_.max_writes_in_flight of them, finished in the order
  // handed.
  struct CycleWrite {
    std::vector<store::SentUpdate> sent;
    std::vector<store::ReceiptUpdate> receipts;
    std::vector<ConnectorEvents::ReceiptDone> receipt_dones;      // receipt-ack, per receipt
    int items = 0;                                                // BatchItems it holds
    std::optional<Result<store::Store::DeliveryWrites>> written;  // set under mu when done
  };
  struct WriteBatcher {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<BatchItem> items;
    std::deque<std::unique_ptr<CycleWrite>> writing;  // handed to the store, oldest first
    bool running = false;                             // accepting items
    bool stopping = false;
    std::thread thread;
    // e2e (docs/adr/0045): bramka_dispatch_cycles_total{while="accepting"|"quiet"}.
    Counter* cycles_accepting = nullptr;
    Counter* cycles_quiet = nullptr;
  };
  // Items per store call: big enough to share a commit, small enough that the
  // write job does not hold up the accepts in the same writer transaction
  // (1,024 doubled submit_sm latency under load; see docs/performance/sessions1-3.md,
  // "Delivery side: batched writes").
  static constexpr size_t kMaxWriteBatch = 128;
  // Queues the item (moved from); false, leaving it as it was, when the
  // batcher is not running (the caller then records it through Post).
  bool EnqueueBatch(BatchItem& item);
  void StartBatcher();
  void StopBatcher();  // drains what is queued
  void BatchLoop();
  // Builds one cycle's writes from `items` (moved from) and hands them to the store.
  void StartCycleWrite(std::vector<BatchItem>& items, CycleWrite& cycle);
  // What follows a cycle's writes, on the batcher's thread (AfterSent, AfterReceipt).
  void FinishCycleWrite(CycleWrite& cycle);
  // Under the batcher's lock: takes the next cycle's items and its CycleWrite.
  void StartFromQueue(WriteBatcher& b, std::vector<BatchItem>& batch, CycleWrite*& started,
                      bool quiet);
  // e2e (docs/adr/0045): no Wake() (no accept) for accepts_quiet_ms, and a quiet limit set.
  bool AcceptsQuiet() const;
  void NoteWake();  // Wake() ran: sets last_wake_ns_
  // When Wake() last ran (steady clock, ns): the gateway calls it after every accept.
  std::atomic<int64_t> last_wake_ns_{0};
  // The bookkeeping of an acceptance before its MarkSent (metrics, busy claims).
  store::SentUpdate PrepareSent(const Attempt& attempt, const std::string& connector,
                                const SendOutcome& outcome, int64_t now_ms);
  // What follows ApplyReceipt's answer (aliases, pending, metrics, listeners).
  void AfterReceipt(store::ReceiptUpdate receipt, Result<std::optional<store::Message>> applied,
                    ConnectorEvents::ReceiptDone done = nullptr);
  // What follows the MarkSent of a batch's acceptances (pending receipts, in-flight
  // bookkeeping); `found` is MarkSentBatch's answer (docs/adr/0031).
  void AfterSent(const std::vector<store::SentUpdate>& sent, Result<std::vector<bool>> found);
  std::unique_ptr<WriteBatcher> batcher_;

  // ---- receipt-ack: receipts acknowledged after commit (docs/adr/0019) ----
  // OnReceipt's completion runs after the commit that stored the receipt
  // (true), on a store error (false: the connector asks the SMSC to repeat
  // it), or, for a receipt that matched no message and is kept in
  // pending_receipts_, when it is applied after its MarkSent. A kept receipt
  // not applied within kPendingReceiptAckMs (clock_.SteadyNow()) or evicted is completed
  // true: it is taken for one that will never match (a message this store
  // never sent), and holding it would hold a slot of the SMSC's window. Stop()
  // completes the ones still held false (not stored). kPendingReceiptAckMs is public.
  // Completes the kept receipts older than kPendingReceiptAckMs.
  void ExpirePendingAcks();
  // (key, seq, kept at, monotonic) of kept receipts whose completion has not run,
  // oldest first; guarded by mu_.
  std::deque<std::tuple<PendingKey, uint64_t, SteadyTime>> pending_acks_;

  // ---- cluster (docs/adr/0023) ----
  RemoteRoute remote_route_;  // set before Start, read-only afterwards

  // ---- reliability: a lease that only looks expired (docs/adr/0025) ----
  // A wall clock that jumps forward past lease_ms (or a connector holding a message
  // longer than that) makes ClaimDue hand back messages this dispatcher still has in
  // flight. They are not sent again: DispatchOnce drops claimed ids found in
  // in_flight_ids_, or whose attempt ended as sent/unsent while ClaimDue ran
  // (done_while_claiming_: ClaimDue read them before that commit). Guarded by mu_.
  // `final_state`: the attempt ended with MarkSent/MarkUnsent (not a retry/requeue).
  void FinishInFlight(const std::string& id, bool final_state);
  std::unordered_set<std::string> in_flight_ids_;
  std::unordered_set<std::string> done_while_claiming_;
  bool claiming_ = false;
};

}  // namespace bramka::delivery
