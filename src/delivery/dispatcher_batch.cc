// Dispatcher: batched acceptance and receipt writes (dispatcher.h, "perf-delivery";
// docs/adr/0019).
//
// Before: each acceptance and each receipt was a task on one of 64 recorder threads,
// each blocking on its own store write job (MarkSent / ApplyReceipt) until the group
// commit; at 10k msg/s that is 20k futex hand-offs and write jobs per second. Now the
// connector's thread appends to one FIFO and a single thread writes whatever is
// waiting as one store call (WriteDeliveries, one commit). Failovers, retries and
// refusals keep the recorders: they are rare and may call back into connectors.
//
// e2e (docs/adr/0039): the thread hands a cycle's writes to the store without waiting
// (WriteDeliveriesAsync) and takes the next cycle while it commits, up to
// DispatcherOptions::max_writes_in_flight cycles at once (1 by default); each cycle's answer comes
// back to this thread, which finishes the cycles in the order it started them. Before, one cycle (≤
// kMaxWriteBatch items, an acceptance and a receipt per message) waited for its whole commit round
// trip, which bounded the trip to ~64 messages per round trip.
//
// e2e (docs/adr/0045): while no message was accepted for accepts_quiet_ms (Wake(), which
// the gateway's accepted hook calls), up to max_writes_in_flight_quiet cycles may be in the
// store's hands (there are no accepts for them to hold up), a cycle holds its place only
// until its write is answered, and the next cycle is handed over before the answered one
// is finished (AfterSent, AfterReceipt), so the store does not wait for the finishing.
// While accepts come, each cycle as before (max_writes_in_flight; ADR 0039's addendum).

#include <pthread.h>

#include <algorithm>
#include <utility>

#include "common/log.h"
#include "delivery/dispatcher.h"

namespace bramka::delivery {

void Dispatcher::StartBatcher() {
  batcher_ = std::make_unique<WriteBatcher>();
  constexpr const char* kCycles = "bramka_dispatch_cycles_total";
  constexpr const char* kCyclesHelp =
      "Delivery write cycles handed to the store, while messages were being accepted and "
      "while accepts were quiet (then up to two in the store's hands)";
  batcher_->cycles_accepting = &metrics_.GetCounter(kCycles, kCyclesHelp, "while=\"accepting\"");
  batcher_->cycles_quiet = &metrics_.GetCounter(kCycles, kCyclesHelp, "while=\"quiet\"");
  batcher_->running = true;
  batcher_->thread = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-dbatch");
    BatchLoop();
  });
}

void Dispatcher::StopBatcher() {
  if (!batcher_) return;
  {
    std::lock_guard lock(batcher_->mu);
    batcher_->stopping = true;
    batcher_->cv.notify_all();
  }
  if (batcher_->thread.joinable()) batcher_->thread.join();
}

bool Dispatcher::EnqueueBatch(BatchItem& item) {
  WriteBatcher* b = batcher_.get();
  if (b == nullptr) return false;
  // WaitIdle waits for it. wire (docs/adr/0052): counted without mu_, which the claim loop
  // and the batch thread also take (one lock fewer per acceptance and per receipt); it
  // only goes down under mu_ (BatchLoop), so WaitIdle cannot miss the change to 0.
  batch_items_.fetch_add(1);
  {
    std::lock_guard lock(b->mu);
    if (b->running) {
      b->items.push_back(std::move(item));
      if (b->items.size() == 1) b->cv.notify_one();
      return true;
    }
  }
  std::lock_guard guard(mu_);
  batch_items_.fetch_sub(1);
  cv_.notify_all();
  return false;
}

void Dispatcher::BatchLoop() {
  WriteBatcher& b = *batcher_;
  std::vector<BatchItem> batch;
  while (true) {
    std::unique_ptr<CycleWrite> finished;
    CycleWrite* started = nullptr;
    {
      std::unique_lock lock(b.mu);
      const auto oldest_done = [&] { return !b.writing.empty() && b.writing.front()->written; };
      const auto can_start = [&](bool quiet) {
        if (b.items.empty()) return false;
        if (!quiet) return b.writing.size() < std::max<size_t>(1, options_.max_writes_in_flight);
        size_t unanswered = 0;  // e2e (ADR 0045): an answered cycle waiting to be finished
        for (const auto& cycle : b.writing) unanswered += cycle->written ? 0 : 1;
        return unanswered < std::max<size_t>({1, options_.max_writes_in_flight,
                                              options_.max_writes_in_flight_quiet});
      };
      b.cv.wait(lock, [&] {
        return oldest_done() || can_start(AcceptsQuiet()) ||
               (b.stopping && b.items.empty() && b.writing.empty());
      });
      const bool quiet = AcceptsQuiet();
      // While accepts are quiet the store gets the next cycle before this thread finishes
      // the answered one; otherwise as before (docs/adr/0039's addendum).
      if (quiet && can_start(true)) {
        StartFromQueue(b, batch, started, true);
      } else if (oldest_done()) {
        finished = std::move(b.writing.front());
        b.writing.pop_front();
      } else if (can_start(quiet)) {
        StartFromQueue(b, batch, started, quiet);
      } else if (b.stopping && b.items.empty() && b.writing.empty()) {
        b.running = false;  // stopping, drained and written: later items take the old path
        return;
      } else {
        continue;  // quiet ended between the wait and here: wait again
      }
    }
    if (started != nullptr) {
      StartCycleWrite(batch, *started);  // its `done` may run in here (the default store)
      batch.clear();
      continue;
    }
    // e2e (docs/adr/0039): cycles finish in the order they were handed to the store, so
    // AfterSent and AfterReceipt see the same order as when each cycle waited for its write.
    FinishCycleWrite(*finished);
    std::lock_guard guard(mu_);
    batch_items_.fetch_sub(finished->items);
    cv_.notify_all();
  }
}

// Under b.mu: takes up to kMaxWriteBatch items into `batch` and a new CycleWrite.
void Dispatcher::StartFromQueue(WriteBatcher& b, std::vector<BatchItem>& batch,
                                CycleWrite*& started, bool quiet) {
  (quiet ? b.cycles_quiet : b.cycles_accepting)->Inc();
  const size_t n = std::min(b.items.size(), kMaxWriteBatch);
  batch.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    batch.push_back(std::move(b.items.front()));
    b.items.pop_front();
  }
  b.writing.push_back(std::make_unique<CycleWrite>());
  started = b.writing.back().get();  // stays put: only this thread pops it
}

namespace {
int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void Dispatcher::NoteWake() { last_wake_ns_.store(SteadyNanos(), std::memory_order_relaxed); }

bool Dispatcher::AcceptsQuiet() const {
  if (options_.max_writes_in_flight_quiet == 0) return false;
  return SteadyNanos() - last_wake_ns_.load(std::memory_order_relaxed) >=
         int64_t{options_.accepts_quiet_ms} * 1'000'000;
}

void Dispatcher::StartCycleWrite(std::vector<BatchItem>& items, CycleWrite& cycle) {
  const int64_t now = ToUnixMillis(clock_.Now());
  cycle.items = static_cast<int>(items.size());
  for (BatchItem& item : items) {
    if (item.attempt) {
      cycle.sent.push_back(PrepareSent(*item.attempt, item.connector, item.outcome, now));
    } else {
      cycle.receipts.push_back(std::move(item.receipt));
      cycle.receipt_dones.push_back(std::move(item.receipt_done));
    }
  }
  // Acceptances first: a receipt in this batch may be for a message accepted in it. Both
  // in one store write (one commit, docs/adr/0031), its answer taken by BatchLoop.
  WriteBatcher& b = *batcher_;
  store_.WriteDeliveriesAsync(cycle.sent, cycle.receipts,
                              [&b, &cycle](Result<store::Store::DeliveryWrites> written) {
                                std::lock_guard lock(b.mu);
                                cycle.written.emplace(std::move(written));
                                b.cv.notify_all();
                              });
}

void Dispatcher::FinishCycleWrite(CycleWrite& cycle) {
  std::vector<store::SentUpdate>& sent = cycle.sent;
  std::vector<store::ReceiptUpdate>& receipts = cycle.receipts;
  std::vector<ConnectorEvents::ReceiptDone>& receipt_dones = cycle.receipt_dones;
  Result<store::Store::DeliveryWrites>& written = *cycle.written;
  if (!written.ok() && written.error().code == ErrorCode::kInvalidArgument) {
    // A connector reported a status a receipt cannot have (nothing was written): the
    // acceptances alone, then the receipts one by one so that only that one fails.
    auto found = store_.MarkSentBatch(sent);
    AfterSent(sent, found.ok() ? Result<std::vector<bool>>(std::move(*found))
                               : Result<std::vector<bool>>(found.error()));
    for (size_t i = 0; i < receipts.size(); ++i) {
      HandleReceipt(std::move(receipts[i]), std::move(receipt_dones[i]));
    }
    return;
  }
  if (!sent.empty()) {
    AfterSent(sent, written.ok() ? Result<std::vector<bool>>(std::move(written->found))
                                 : Result<std::vector<bool>>(written.error()));
  }
  for (size_t i = 0; i < receipts.size(); ++i) {
    Result<std::optional<store::Message>> one =
        written.ok() ? Result<std::optional<store::Message>>(std::move(written->applied[i]))
                     : Result<std::optional<store::Message>>(written.error());
    // receipt-ack: the batch is committed (or failed): its completions run now.
    AfterReceipt(std::move(receipts[i]), std::move(one), std::move(receipt_dones[i]));
  }
}

void Dispatcher::AfterSent(const std::vector<store::SentUpdate>& sent,
                           Result<std::vector<bool>> found) {
  for (size_t i = 0; i < sent.size(); ++i) {
    const store::SentUpdate& s = sent[i];
    if (!found.ok() || !(*found)[i]) {
      // The upstream has it; the lease will expire and it may go out twice.
      spdlog::error("dispatcher: MarkSent({}) failed: {}", s.message_id,
                    found.ok() ? "no such message" : found.error().ToString());
    } else {
      spdlog::debug("message sent message_id={} connector={} upstream_id={}", s.message_id,
                    s.connector, s.upstream_id);
      ApplyPendingReceipts(s);
    }
  }
  std::lock_guard lock(mu_);
  for (const store::SentUpdate& u : sent) {  // FinishInFlight(id, true) for each
    in_flight_ids_.erase(u.message_id);
    if (claiming_) done_while_claiming_.insert(u.message_id);
  }
  in_flight_ -= static_cast<int>(sent.size());
  in_flight_gauge_.Set(in_flight_);
  cv_.notify_all();
}

}  // namespace bramka::delivery
