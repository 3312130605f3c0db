#pragma once
// FtpPoller: the `bramka serve` side of SMS via FTP. One thread polls every FTP
// source of every account when its interval is due (sources added or removed with
// `bramka admin ftp` are picked up at the next tick), one source at a time, and
// records each poll's time and error in the store. Stop() abandons a transfer in
// progress and waits for the current batch of lines to be recorded; the rest of the
// file is done after a restart (processor.h rules).
//
// Thread-safety: Start/Stop from one thread; Wake from any.

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

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
  int connect_timeout_s = 10;
  int stall_timeout_s = 15;
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
  void Loop();
  void PollSource(const store::FtpSource& source);

  store::Store& store_;
  core::GatewayService& gateway_;
  Clock& clock_;
  SecretBox box_;
  PollerOptions options_;
  std::map<int64_t, int64_t> next_due_ms_;  // by source id
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> cancel_{false};  // abandons a transfer in progress at Stop()
  bool woken_ = false;
  std::thread thread_;
};

// The endpoint of a stored source, its password opened with `box`.
Result<FtpEndpoint> EndpointOf(const store::FtpSource& source, const SecretBox& box);

// bramka_ftp_* gauges for /metrics, read from the store when scraped: per source
// (labels source, account) the last poll time, whether the last poll failed, and
// the files and lines processed.
void RegisterFtpMetrics(MetricsRegistry& metrics, store::Store& store);

}  // namespace bramka::ingest::ftp
