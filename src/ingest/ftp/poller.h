#pragma once
// FtpPoller: the `bramka serve` side of SMS via FTP. A scheduler thread looks for
// FTP sources of every account whose interval is due (sources added or removed with
// `bramka admin ftp` are picked up at the next tick) and hands each to a small pool
// of workers (PollerOptions::workers), so that a slow or hanging server holds up only
// its own source, never the others (docs/adr/0026). A source is polled by one worker
// at a time; its next poll is due `interval` after the previous one started, or as
// soon as that one ends if it took longer. Each poll's time and error are recorded
// in the store. Stop() abandons transfers in progress and waits for the current
// batches of lines to be recorded; the rest of a file is done after a restart
// (processor.h rules).
//
// Thread-safety: Start/Stop from one thread; Wake from any.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "core/gateway_service.h"
#include "ingest/ftp/processor.h"
#include "ingest/ftp/secret_box.h"
#include "store/store.h"

namespace bramka::ingest::ftp {

struct PollerOptions {
  ProcessorOptions processor;
  int tick_ms = 1000;  // how often due sources are looked for
  int workers = 4;     // sources polled at the same time (at least 1)
  int connect_timeout_s = 10;
  int stall_timeout_s = 15;
  // When set and false, no source is polled (a cluster node without the "ingest" role,
  // docs/adr/0023); asked at every tick.
  std::function<bool()> active;
};

class FtpPoller {
 public:
  FtpPoller(store::Store& store, core::GatewayService& gateway, Clock& clock, SecretBox box,
            PollerOptions options);
  ~FtpPoller();
  FtpPoller(const FtpPoller&) = delete;
  FtpPoller& operator=(const FtpPoller&) = delete;

  void Start();
  void Stop();
  void Wake();

 private:
  void Loop();  // the scheduler
  void Work();  // a worker
  void PollSource(const store::FtpSource& source);

  store::Store& store_;
  core::GatewayService& gateway_;
  Clock& clock_;
  SecretBox box_;
  PollerOptions options_;
  std::map<int64_t, int64_t> next_due_ms_;  // by source id; the scheduler's own
  std::mutex mu_;
  std::condition_variable cv_;       // the scheduler: stop, wake, a poll ended
  std::condition_variable work_cv_;  // the workers: stop, a source queued
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // abandons a transfer in progress at Stop()
  bool woken_ = false;
  std::deque<store::FtpSource> queue_;  // due, waiting for a worker
  std::set<int64_t> busy_;              // queued or being polled, by source id
  std::thread thread_;
  std::vector<std::thread> workers_;
};

// The endpoint of a stored source, its password opened with `box`.
Result<FtpEndpoint> EndpointOf(const store::FtpSource& source, const SecretBox& box);

// bramka_ftp_* gauges for /metrics, read from the store when scraped: per source
// (labels source, account) the last poll time, whether the last poll failed, and
// the files and lines processed.
void RegisterFtpMetrics(MetricsRegistry& metrics, store::Store& store);

}  // namespace bramka::ingest::ftp
