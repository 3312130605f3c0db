#pragma once
// CallbackSender: calls the customers' callback URLs (spec §6) for the
// entries of the store's durable callback outbox (store.h "callbacks",
// ADR 0007), and records each outcome in the store.
//
// One thread runs a libcurl multi handle: it claims due entries
// (Store::ClaimCallbacks, leased to `node_id` for the request timeout plus a
// margin), expands each URL template (notify/template.h) and issues GET
// requests, at most `max_concurrency` at a time, each bounded by
// connect_timeout_ms and timeout_ms — a receiver that hangs holds one slot
// for at most that long, never the others. The answer is judged by
// notify/policy.h: acknowledged (2xx and body "OK") -> Store::AckCallback;
// otherwise Store::RetryCallback with backoff, or Store::FailCallback once
// the entry is older than max_age (logged as a warning, counted in
// bramka_callbacks_failed_total, kept for `bramka admin account callbacks
// NAME --retry-failed`). A URL that is not http(s) or malformed (libcurl says
// so) fails at once: retrying cannot help.
//
// Delivery is at least once: a crash (or Stop) after the receiver answered
// and before AckCallback leaves the entry leased; Start() releases this
// node's leases, so it is called again at once after a restart.
//
// Metrics: bramka_callbacks_outbox{state="pending|failed"} (store depth),
// bramka_callbacks_sent_total{kind}, bramka_callbacks_retries_total,
// bramka_callbacks_failed_total, bramka_callbacks_in_flight,
// bramka_callbacks_claims_total (Store::ClaimCallbacks calls: each a store write),
// bramka_callbacks_wakeups_total (Wake() calls).
//
// Thread-safety: Wake() from any thread; Start/Stop from one thread.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "notify/policy.h"
#include "store/store.h"

namespace bramka::notify {

struct NotifyOptions {
  std::string node_id = "node-1";  // lease owner, as the dispatcher's
  int max_concurrency = 16;        // requests in flight at most
  int connect_timeout_ms = 5'000;
  int timeout_ms = 10'000;       // whole request, connect included
  int poll_interval_ms = 1'000;  // look for due entries at least this often
  bool verify_tls = true;        // check https receivers' certificates
  uint64_t seed = 0;             // jitter; 0 = random
  RetryOptions retry;
  // reliability (ADR 0025): receivers on loopback/private/link-local addresses are
  // refused (on the resolved address, core/curl_guard.h) unless this is set.
  bool allow_private_urls = false;
};

class CallbackSender {
 public:
  // Borrows store, clock and metrics; all must outlive the sender.
  CallbackSender(store::Store& store, Clock& clock, NotifyOptions options,
                 MetricsRegistry& metrics);
  ~CallbackSender();  // Stop()
  CallbackSender(const CallbackSender&) = delete;
  CallbackSender& operator=(const CallbackSender&) = delete;

  // Releases this node's leases and starts the thread. kInternal if libcurl
  // cannot be initialised. Call once.
  Result<void> Start();
  // New entries may be due: look now rather than at the next poll.
  void Wake();
  // The dispatcher's receipt listener (docs/adr/0058): Wake() only when the store says
  // this receipt queued a callback (message.callback_queued). A receipt that queued
  // none (no URL: most receipts) costs nothing here, and no claim (a store write).
  void OnReceipt(const store::Message& message);
  // Stops the thread; requests in flight are abandoned (their entries stay
  // leased to this node until the next Start or the lease's end). Idempotent.
  void Stop();

 private:
  class Loop;
  store::Store& store_;
  Clock& clock_;
  const NotifyOptions options_;
  MetricsRegistry& metrics_;
  Counter& wakeups_;
  std::unique_ptr<Loop> loop_;
  std::thread thread_;
};

}  // namespace bramka::notify
