#include "ingest/ftp/poller.h"

#include <algorithm>

#include <spdlog/spdlog.h>

#include <fmt/format.h>

namespace bramka::ingest::ftp {

Result<FtpEndpoint> EndpointOf(const store::FtpSource& source, const SecretBox& box) {
  FtpEndpoint e;
  e.host = source.host;
  e.port = source.port;
  e.username = source.username;
  BRAMKA_ASSIGN_OR_RETURN(e.password, box.Open(source.password_sealed));
  e.directory = source.directory;
  e.tls = source.tls == store::FtpTls::kImplicit   ? FtpTlsMode::kImplicit
          : source.tls == store::FtpTls::kExplicit ? FtpTlsMode::kExplicit
                                                   : FtpTlsMode::kNone;
  e.ca_file = source.ca_file;
  return e;
}

FtpPoller::FtpPoller(store::Store& store, core::GatewayService& gateway, Clock& clock,
                     SecretBox box, PollerOptions options)
    : store_(store), gateway_(gateway), clock_(clock), box_(std::move(box)), options_(options) {}

FtpPoller::~FtpPoller() { Stop(); }

void FtpPoller::Start() {
  const int n = std::max(1, options_.workers);
  for (int i = 0; i < n; ++i) workers_.emplace_back([this] { Work(); });
  thread_ = std::thread([this] { Loop(); });
}

void FtpPoller::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cancel_ = true;
  cv_.notify_all();
  work_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (std::thread& w : workers_) {
    if (w.joinable()) w.join();
  }
}

void FtpPoller::Wake() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void FtpPoller::Loop() {
  while (true) {
    {
      std::unique_lock lock(mu_);
      if (stop_) return;
    }
    const bool active = !options_.active || options_.active();
    Result<std::vector<store::FtpSource>> sources = std::vector<store::FtpSource>();
    if (active) sources = store_.ListFtpSources(0);
    if (!sources.ok()) {
      spdlog::warn("FTP sources not readable: {}", sources.error().ToString());
    } else {
      const int64_t now = ToUnixMillis(clock_.Now());
      std::lock_guard lock(mu_);
      if (stop_) return;
      for (const auto& s : *sources) {
        if (busy_.count(s.id) != 0) continue;  // still being polled: due again after it
        int64_t& due = next_due_ms_[s.id];
        if (now < due) continue;
        due = now + std::max(1, s.interval_s) * 1000LL;
        busy_.insert(s.id);
        queue_.push_back(s);
        work_cv_.notify_one();
      }
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.tick_ms),
                 [this] { return stop_ || woken_; });
    woken_ = false;
  }
}

void FtpPoller::Work() {
  while (true) {
    store::FtpSource source;
    {
      std::unique_lock lock(mu_);
      work_cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      source = std::move(queue_.front());
      queue_.pop_front();
    }
    PollSource(source);
    std::lock_guard lock(mu_);
    busy_.erase(source.id);
  }
}

void FtpPoller::PollSource(const store::FtpSource& source) {
  std::string error;
  auto endpoint = EndpointOf(source, box_);
  if (!endpoint.ok()) {
    error = "password cannot be opened: " + endpoint.error().message;
  } else {
    endpoint->connect_timeout_s = options_.connect_timeout_s;
    endpoint->stall_timeout_s = options_.stall_timeout_s;
    endpoint->cancel = &cancel_;
    ProcessorOptions popts = options_.processor;
    popts.cancel = &cancel_;
    auto client = MakeCurlFtpClient(*endpoint);
    auto r = PollOnce(store_, gateway_, clock_, *client, source, popts);
    if (!r.ok()) error = r.error().message;
  }
  if (!error.empty()) spdlog::warn("FTP source {} ({}): {}", source.id, source.host, error);
  if (auto r = store_.SetFtpSourceStatus(source.id, ToUnixMillis(clock_.Now()), error); !r.ok()) {
    spdlog::warn("FTP source {} status not stored: {}", source.id, r.error().ToString());
  }
}

void RegisterFtpMetrics(MetricsRegistry& metrics, store::Store& store) {
  using Values = std::vector<std::pair<std::string, double>>;
  auto gauge = [&metrics, &store](const char* name, const char* help,
                                  double (*value)(const store::FtpSource&)) {
    metrics.AddCallbackGauge(name, help, [&store, value] {
      Values out;
      auto sources = store.ListFtpSources(0);
      if (!sources.ok()) return out;
      for (const auto& s : *sources) {
        out.emplace_back(fmt::format("source=\"{}\",account=\"{}\"", s.id, s.account_id), value(s));
      }
      return out;
    });
  };
  gauge("bramka_ftp_last_poll_timestamp_seconds", "When the FTP source was last polled.",
        [](const store::FtpSource& s) { return static_cast<double>(s.last_poll_ms) / 1000.0; });
  gauge("bramka_ftp_source_error", "1 when the FTP source's last poll failed.",
        [](const store::FtpSource& s) { return s.last_error.empty() ? 0.0 : 1.0; });
  gauge("bramka_ftp_files_processed", "Files of the FTP source processed.",
        [](const store::FtpSource& s) { return static_cast<double>(s.files_processed); });
  gauge("bramka_ftp_lines_processed", "Lines of the FTP source's files processed.",
        [](const store::FtpSource& s) { return static_cast<double>(s.lines_processed); });
}

}  // namespace bramka::ingest::ftp
