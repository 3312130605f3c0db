#include <utility>

#include "connectors/smpp/smpp_connector.h"

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "connectors/smpp/client_core.h"
#include "connectors/smpp/link.h"
#include "smpp/net/connection.h"
#include "smpp/net/tls.h"

namespace bramka::smpp_client {

namespace asio = boost::asio;
using SteadyClock = std::chrono::steady_clock;

namespace {

// Link over smpp::net::Connection. Called only on the connection's strand, where the
// connection runs commands inline, so SendRequest's result is known on return.
class ConnectionLink final : public Link {
 public:
  explicit ConnectionLink(std::shared_ptr<smpp::net::Connection> conn) : conn_(std::move(conn)) {}

  Result<uint32_t> SendRequest(smpp::Pdu request, uint64_t context) override {
    std::optional<Result<uint32_t>> result;
    conn_->SendRequest(std::move(request), context,
                       [&result](Result<uint32_t> r) { result.emplace(std::move(r)); });
    if (!result)
      return Fail(ErrorCode::kInternal, "SendRequest not run inline (not on the strand)");
    return std::move(*result);
  }
  void Respond(smpp::Pdu response) override { conn_->Respond(std::move(response)); }
  void Unbind() override { conn_->Unbind(); }
  void Close(std::string detail) override { conn_->Close(std::move(detail)); }
  uint32_t WindowAvailable() const override { return conn_->WindowAvailable(); }

 private:
  std::shared_ptr<smpp::net::Connection> conn_;
};

}  // namespace

// Threads: one io_context thread. The core runs on the current connection's strand
// (handlers, Post) or, with no connection, on that same single thread (Send, timers).
struct SmppConnector::Impl : std::enable_shared_from_this<SmppConnector::Impl> {
  Impl(SmppConnectorOptions o, Clock& clock, MetricsRegistry& metrics)
      : options(std::move(o)),
        core(options, clock, SteadyClock::now()),
        tps_timer(io),
        reconnect_timer(io),
        stop_timer(io),
        reconnect_delay(std::chrono::seconds(options.reconnect_s)) {
    std::string labels = fmt::format("connector=\"{}\"", options.name);
    g_bound =
        &metrics.GetGauge("bramka_connector_bound", "1 when the SMPP connector is bound.", labels);
    g_window = &metrics.GetGauge("bramka_connector_window_in_use",
                                 "submit_sm awaiting their response.", labels);
    g_tps = &metrics.GetGauge("bramka_connector_tps", "Current submit rate limit (0 = unlimited).",
                              labels);
    g_queue =
        &metrics.GetGauge("bramka_connector_queue", "Messages taken and not yet answered.", labels);
    c_throttled = &metrics.GetCounter("bramka_connector_throttled_total",
                                      "ESME_RTHROTTLED answers received.", labels);
  }

  // Runs `fn` where the core may run: on the connection's strand when there is one.
  void OnCore(std::function<void()> fn) {
    if (conn) {
      conn->Post(std::move(fn));
    } else {
      fn();
    }
  }

  void Connect() {
    if (stopping) return;
    smpp::net::ConnectOptions co;
    co.host = options.host;
    co.port = options.port;
    co.tls = tls;
    co.connect_timeout = std::chrono::seconds(std::max(1, options.response_timeout_s));
    co.session = ClientCore::SessionOptionsFor(options);
    auto self = shared_from_this();
    smpp::net::Connect(io, co, [self](Result<std::shared_ptr<smpp::net::Connection>> r) {
      asio::post(self->io, [self, r = std::move(r)]() mutable {
        if (!r.ok()) {
          spdlog::warn("smpp connector {}: {}", self->options.name, r.error().message);
          return self->ScheduleReconnect();
        }
        self->Attach(std::move(*r));
      });
    });
  }

  void Attach(std::shared_ptr<smpp::net::Connection> c) {
    if (stopping) {
      c->Close("stopping");
      return FinishStop();
    }
    conn = c;
    link = std::make_unique<ConnectionLink>(c);
    auto self = shared_from_this();
    smpp::net::Connection::Handlers h;
    h.on_request = [self](smpp::Pdu pdu) {
      self->core.OnRequest(pdu, SteadyClock::now());
      self->Flush();
    };
    h.on_response = [self](smpp::Pdu pdu, uint64_t context) {
      self->core.OnResponse(pdu, context, SteadyClock::now());
      self->Flush();
    };
    h.on_request_failed = [self](const smpp::action::RequestFailed& f) {
      self->core.OnRequestFailed(f.context, f.reason, SteadyClock::now());
      self->Flush();
    };
    h.on_state = [self](smpp::SessionState, smpp::SessionState to) {
      self->core.OnState(to, SteadyClock::now());
      if (self->core.bound())
        self->reconnect_delay = std::chrono::seconds(self->options.reconnect_s);
      self->Flush();
    };
    h.on_warning = [self](const std::string& m) {
      spdlog::warn("smpp connector {}: {}", self->options.name, m);
    };
    h.on_closed = [self, c](const std::string& reason) { self->Detached(c, reason); };
    c->Start(std::move(h));
    c->Post([self, c] {
      if (self->conn != c) return;
      self->core.LinkUp(*self->link, SteadyClock::now());
      self->Flush();
    });
  }

  void Detached(const std::shared_ptr<smpp::net::Connection>& c, const std::string& reason) {
    if (conn != c) return;
    core.LinkDown(reason, SteadyClock::now());
    conn.reset();
    Flush();
    // Keep `link` alive until the core is done with it (LinkDown above).
    link.reset();
    if (stopping) return FinishStop();
    if (core.bind_refused())
      spdlog::warn("smpp connector {}: bind refused; retrying", options.name);
    ScheduleReconnect();
  }

  void ScheduleReconnect() {
    if (stopping) return FinishStop();
    reconnect_timer.expires_after(reconnect_delay);
    reconnect_delay = std::min<SteadyClock::duration>(
        reconnect_delay * 2, std::chrono::seconds(options.reconnect_max_s));
    auto self = shared_from_this();
    reconnect_timer.async_wait([self](const boost::system::error_code& ec) {
      if (!ec) self->Connect();
    });
  }

  // Takes the core's output (answers, then receipts: contract rule 11), publishes the
  // state, re-arms the TPS timer.
  void Flush() {
    ClientCore::Output out = core.TakeOutput();
    for (auto& c : out.completions) c.done(std::move(c.outcome));
    for (auto& r : out.receipts) {
      if (events != nullptr) events->OnReceipt(std::move(r));
    }
    // Incoming messages (rule 12): acknowledged only once the core stored them.
    for (auto& in : out.incoming) {
      Result<void> stored = events != nullptr ? events->OnIncoming(std::move(in.sms))
                                              : Result<void>(Fail(ErrorCode::kUnavailable, "not started"));
      if (!stored.ok()) {
        spdlog::warn("smpp connector {}: incoming message not stored (the SMSC repeats it): {}",
                     options.name, stored.error().ToString());
      }
      core.AnswerIncoming(in.request, stored.ok());
    }
    UpdateState();
    ArmTimer();
  }

  void ArmTimer() {
    auto at = core.NextDeadline(SteadyClock::now());
    if (!at) return;
    if (timer_armed && timer_at <= *at) return;
    timer_armed = true;
    timer_at = *at;
    tps_timer.expires_at(*at);
    auto self = shared_from_this();
    tps_timer.async_wait([self](const boost::system::error_code& ec) {
      if (ec) return;
      self->timer_armed = false;
      self->OnCore([self] {
        self->core.OnTimer(SteadyClock::now());
        self->Flush();
      });
    });
  }

  void UpdateState() {
    bool r = core.Ready();
    bool was = ready.exchange(r);
    is_bound = core.bound();
    g_bound->Set(core.bound() ? 1 : 0);
    g_window->Set(static_cast<int64_t>(core.outstanding()));
    g_tps->Set(static_cast<int64_t>(core.current_tps()));
    g_queue->Set(static_cast<int64_t>(core.queued_messages()));
    uint64_t t = core.throttled_count();
    if (t > throttled_seen) {
      c_throttled->Inc(static_cast<int64_t>(t - throttled_seen));
      throttled_seen = t;
    }
    if (was != r && events != nullptr) events->OnReadyChanged(options.name, r);
  }

  void BeginStop() {
    stopping = true;
    reconnect_timer.cancel();
    if (!conn) {
      core.Stop(SteadyClock::now());
      Flush();
      return FinishStop();
    }
    // The window drains (response timers), then unbind waits for its response; the
    // connection's own timers bound both. This is the backstop.
    stop_timer.expires_after(std::chrono::seconds(2 * options.response_timeout_s + 2));
    auto self = shared_from_this();
    stop_timer.async_wait([self](const boost::system::error_code& ec) {
      if (ec || self->finished) return;
      spdlog::warn("smpp connector {}: unbind not finished; closing", self->options.name);
      if (self->conn) self->conn->Close("stop timeout");
    });
    OnCore([self] {
      self->core.Stop(SteadyClock::now());
      self->Flush();
    });
  }

  // Called once the link is gone (or never existed) while stopping. A connect may still
  // be in flight: its result is closed in Attach.
  void FinishStop() {
    if (finished) return;
    finished = true;
    core.LinkDown("stopping", SteadyClock::now());
    Flush();
    stop_timer.cancel();
    reconnect_timer.cancel();
    tps_timer.cancel();
    ready = false;
    g_bound->Set(0);
    events = nullptr;
    work.reset();
    stopped.set_value();
  }

  SmppConnectorOptions options;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  ClientCore core;
  std::shared_ptr<smpp::net::TlsContext> tls;
  std::shared_ptr<smpp::net::Connection> conn;
  std::unique_ptr<ConnectionLink> link;
  asio::steady_timer tps_timer;
  asio::steady_timer reconnect_timer;
  asio::steady_timer stop_timer;
  SteadyClock::duration reconnect_delay;
  bool timer_armed = false;
  SteadyClock::time_point timer_at;
  bool stopping = false;
  bool finished = false;
  uint64_t throttled_seen = 0;
  delivery::ConnectorEvents* events = nullptr;
  std::promise<void> stopped;

  std::atomic<bool> ready{false};
  std::atomic<bool> is_bound{false};
  std::atomic<bool> accepting{false};
  std::mutex life_mu;  // Start / Stop
  bool started = false;
  bool stop_done = false;
  std::thread thread;

  Gauge* g_bound;
  Gauge* g_window;
  Gauge* g_tps;
  Gauge* g_queue;
  Counter* c_throttled;
};

SmppConnector::SmppConnector(SmppConnectorOptions options, Clock& clock, MetricsRegistry& metrics)
    : impl_(std::make_shared<Impl>(std::move(options), clock, metrics)) {}

SmppConnector::~SmppConnector() { Stop(); }

const std::string& SmppConnector::name() const { return impl_->options.name; }

Result<void> SmppConnector::Start(delivery::ConnectorEvents& events) {
  if (auto r = ValidateSmppConnectorOptions(impl_->options); !r.ok()) return r;
  std::lock_guard lock(impl_->life_mu);
  if (impl_->started) return Fail(ErrorCode::kInternal, "connector started twice");
  if (impl_->options.tls) {
    // Operators' SMSCs mostly present certificates of their own CA: verification off
    // until a CA option exists (documented in README.md).
    auto ctx = smpp::net::TlsContext::Client(/*verify_peer=*/false);
    if (!ctx.ok()) return ctx.error();
    impl_->tls = *ctx;
  }
  impl_->started = true;
  impl_->events = &events;
  impl_->accepting = true;
  auto impl = impl_;
  asio::post(impl->io, [impl] { impl->Connect(); });
  impl->thread = std::thread([impl] { impl->io.run(); });
  return {};
}

bool SmppConnector::Ready() const { return impl_->ready.load(); }
bool SmppConnector::bound() const { return impl_->is_bound.load(); }

void SmppConnector::Send(const store::Message& message, delivery::SendCallback done) {
  if (!impl_->accepting.load()) {
    done(delivery::SendOutcome::Temporary("smpp: connector not running"));
    return;
  }
  if (!impl_->ready.load()) {
    done(delivery::SendOutcome::Temporary("smpp: not bound"));
    return;
  }
  auto impl = impl_;
  asio::post(impl->io, [impl, message, done = std::move(done)]() mutable {
    impl->OnCore([impl, message = std::move(message), done = std::move(done)]() mutable {
      impl->core.Submit(message, std::move(done), SteadyClock::now());
      impl->Flush();
    });
  });
}

void SmppConnector::Stop() {
  std::lock_guard lock(impl_->life_mu);
  if (!impl_->started || impl_->stop_done) return;
  impl_->stop_done = true;
  impl_->accepting = false;
  auto impl = impl_;
  auto stopped = impl->stopped.get_future();
  asio::post(impl->io, [impl] { impl->BeginStop(); });
  if (stopped.wait_for(std::chrono::seconds(2 * impl->options.response_timeout_s + 10)) !=
      std::future_status::ready) {
    spdlog::error("smpp connector {}: stop timed out", impl->options.name);
  }
  // Let the connection finish closing (its linger is bounded), then end the thread.
  if (impl->conn) impl->conn->Close("stopped");
  impl->io.stop();
  impl->thread.join();
  // Sends posted after the thread ended: answer them (contract rule 2).
  impl->io.restart();
  impl->io.poll();
  impl->conn.reset();
}

}  // namespace bramka::smpp_client
