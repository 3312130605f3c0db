#pragma once
// What server.cc's connections share, kept apart so that server.cc stays one screenful of
// the connection loop: the session's deadline (SessionBase), the server's shared State,
// and the HTTPS context (server_tls.cc). Internal to api/http.

#include <atomic>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/http/actions.h"
#include "api/http/server.h"
#include "common/metrics.h"
#include "common/result.h"

namespace bramka::api::http::server_internal {

using Clock = std::chrono::steady_clock;

class SessionBase {
 public:
  virtual ~SessionBase() = default;
  virtual void Close() = 0;  // thread-safe: posts to the session's strand

  // The connection's deadline (steady clock, ns since its epoch; 0 = none: an action is
  // running). Set on the session's strand, read by the sweeper.
  void Arm(std::chrono::nanoseconds after) { ArmFrom(Clock::now(), after); }
  void ArmFrom(Clock::time_point now, std::chrono::nanoseconds after) {
    deadline_ns_.store((now + after).time_since_epoch().count(), std::memory_order_relaxed);
  }
  void Disarm() { deadline_ns_.store(0, std::memory_order_relaxed); }
  bool Expired(Clock::time_point now) const {
    const int64_t d = deadline_ns_.load(std::memory_order_relaxed);
    return d != 0 && d <= now.time_since_epoch().count();
  }

 private:
  std::atomic<int64_t> deadline_ns_{0};
};

// What every connection shares. Held by shared_ptr so that a connection (or a
// send completing after Stop) never outlives what it uses.
struct State {
  State(HttpOptions opts, core::GatewayService& service, MetricsRegistry& registry)
      : options(std::move(opts)),
        handler(service, options.language, options.billing),
        workers(static_cast<size_t>(std::max(1, options.worker_threads))),
        metrics(registry),
        latency(registry.GetHistogram("bramka_http_request_duration_seconds",
                                      "Time from a request's headers to its answer")) {}

  void Count(std::string_view action, std::string_view result) {
    metrics
        .GetCounter("bramka_http_requests_total", "HTTP requests by action and result",
                    "action=\"" + std::string(action) + "\",result=\"" + std::string(result) + "\"")
        .Inc();
  }

  void Register(SessionBase* s, std::weak_ptr<SessionBase> w) {
    std::lock_guard lock(mu);
    sessions.emplace(s, std::move(w));
  }
  void Unregister(SessionBase* s) {
    std::lock_guard lock(mu);
    sessions.erase(s);
  }
  void CloseAll() {
    std::vector<std::shared_ptr<SessionBase>> live;
    {
      std::lock_guard lock(mu);
      for (auto& [ptr, weak] : sessions) {
        if (auto s = weak.lock()) live.push_back(std::move(s));
      }
    }
    for (auto& s : live) s->Close();
  }
  // Closes the connections past their deadline; false once stopped with none left.
  bool CloseExpired() {
    std::vector<std::shared_ptr<SessionBase>> expired;
    const auto now = Clock::now();
    {
      std::lock_guard lock(mu);
      // A registered session is alive (it unregisters in its destructor, under `mu`).
      for (auto& [ptr, weak] : sessions) {
        if (ptr->Expired(now)) {
          if (auto s = weak.lock()) expired.push_back(std::move(s));
        }
      }
      if (stopped.load() && sessions.empty()) return false;
    }
    for (auto& s : expired) s->Close();
    return true;
  }

  const HttpOptions options;
  ActionHandler handler;
  // Requests run here, not on the I/O threads, so that argon2id on a
  // credential-cache miss (tens of milliseconds) or a large report does not
  // stall every other connection. Sends with a token run inline: the hop
  // would cost them ~20 % of throughput (measured).
  boost::asio::thread_pool workers;
  MetricsRegistry& metrics;
  Histogram& latency;
  std::unique_ptr<boost::asio::ssl::context> tls;
  std::atomic<bool> ready{false};
  std::atomic<bool> stopped{false};
  std::mutex mu;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions;

  // ---- mounted handlers (api/soap at /soap, the panel under /panel): set before Start,
  // read-only after ----
  struct MountEntry {
    std::string path;
    bool subtree = false;  // also every path below `path/`
    std::shared_ptr<MountedHandler> handler;
  };
  std::vector<MountEntry> mounts;
  const MountEntry* MountFor(std::string_view path) const {
    for (const MountEntry& m : mounts) {
      if (path == m.path) return &m;
      if (m.subtree && path.size() > m.path.size() && path.starts_with(m.path) &&
          path[m.path.size()] == '/') {
        return &m;
      }
    }
    return nullptr;
  }
};

// The HTTPS port's context: TLS 1.2 or later, the certificate chain and its key.
Result<std::unique_ptr<boost::asio::ssl::context>> MakeTlsContext(const HttpOptions& options);

}  // namespace bramka::api::http::server_internal
