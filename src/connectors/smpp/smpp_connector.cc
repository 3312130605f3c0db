#include <utility>

#include "connectors/smpp/smpp_connector.h"

#include <pthread.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

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

// Threads: one io_context thread runs everything: each bind's core on its connection's
// strand (handlers, Post) or, with no connection, directly (Send, timers).
//
// A connector has one bind (transceiver or transmitter) or, with bind_mode = pair, two
// (docs/adr/0015): legs[0] the transmitter that takes Sends, legs[1] the receiver that
// only receives receipts and MO. Each leg connects, binds and reconnects on its own; a
// receipt on the receiver resolves parts sent on the transmitter through the store
// (docs/adr/0028).
struct SmppConnector::Impl : std::enable_shared_from_this<SmppConnector::Impl> {
  struct Leg {
    Leg(asio::io_context& io, SmppConnectorOptions o, Clock& clock)
        : options(std::move(o)),
          core(options, clock, SteadyClock::now()),
          tps_timer(io),
          reconnect_timer(io),
          reconnect_delay(std::chrono::seconds(options.reconnect_s)) {}
    SmppConnectorOptions options;  // bind_mode: this leg's bind
    ClientCore core;
    std::shared_ptr<smpp::net::Connection> conn;
    std::unique_ptr<ConnectionLink> link;
    asio::steady_timer tps_timer;
    asio::steady_timer reconnect_timer;
    SteadyClock::duration reconnect_delay;
    bool timer_armed = false;
    SteadyClock::time_point timer_at;
    bool finished = false;  // stopped: link gone while stopping
    Gauge* g_bind = nullptr;
    // e2e (docs/adr/0039): receipts the store has answered, waiting for this leg's
    // strand; those that arrive before it runs are answered in one hop.
    struct ReceiptAnswer {
      smpp::Pdu request;
      uint64_t link = 0;
      bool stored = false;
    };
    std::mutex answers_mu;
    std::vector<ReceiptAnswer> answers;
  };

  Impl(SmppConnectorOptions o, Clock& clock, MetricsRegistry& metrics)
      : options(std::move(o)), stop_timer(io) {
    std::string labels = fmt::format("connector=\"{}\"", options.name);
    auto add_leg = [&](BindMode mode, const char* bind) {
      SmppConnectorOptions lo = options;
      lo.bind_mode = mode;
      legs.push_back(std::make_unique<Leg>(io, lo, clock));
      legs.back()->g_bind = &metrics.GetGauge("bramka_connector_bind_up",
                                              "1 when this bind of the SMPP connector is bound.",
                                              fmt::format("{},bind=\"{}\"", labels, bind));
    };
    if (options.bind_mode == BindMode::kPair) {
      add_leg(BindMode::kTransmitter, "transmitter");
      add_leg(BindMode::kReceiver, "receiver");
    } else {
      add_leg(options.bind_mode,
              options.bind_mode == BindMode::kTransmitter ? "transmitter" : "transceiver");
    }
    g_bound = &metrics.GetGauge("bramka_connector_bound",
                                "1 when every bind of the SMPP connector is bound.", labels);
    g_window = &metrics.GetGauge("bramka_connector_window_in_use",
                                 "submit_sm awaiting their response.", labels);
    g_tps = &metrics.GetGauge("bramka_connector_tps", "Current submit rate limit (0 = unlimited).",
                              labels);
    g_queue =
        &metrics.GetGauge("bramka_connector_queue", "Messages taken and not yet answered.", labels);
    c_throttled = &metrics.GetCounter("bramka_connector_throttled_total",
                                      "ESME_RTHROTTLED answers received.", labels);
    c_submits =
        &metrics.GetCounter("bramka_connector_submits_total",
                            "submit_sm sent (one per part; its rate is the real TPS).", labels);
  }

  Leg& tx() { return *legs[0]; }

  // Runs `fn` where the leg's core may run: on the connection's strand when there is one.
  void OnCore(Leg& leg, std::function<void()> fn) {
    if (leg.conn) {
      leg.conn->Post(std::move(fn));
    } else {
      fn();
    }
  }

  void Connect(Leg& leg) {
    if (stopping) return;
    smpp::net::ConnectOptions co;
    co.host = options.host;
    co.port = options.port;
    co.tls = tls;
    co.connect_timeout = std::chrono::seconds(std::max(1, options.response_timeout_s));
    co.session = ClientCore::SessionOptionsFor(options);
    auto self = shared_from_this();
    Leg* l = &leg;
    smpp::net::Connect(io, co, [self, l](Result<std::shared_ptr<smpp::net::Connection>> r) {
      asio::post(self->io, [self, l, r = std::move(r)]() mutable {
        if (!r.ok()) {
          spdlog::warn("smpp connector {}: {}", self->options.name, r.error().message);
          return self->ScheduleReconnect(*l);
        }
        self->Attach(*l, std::move(*r));
      });
    });
  }

  void Attach(Leg& leg, std::shared_ptr<smpp::net::Connection> c) {
    if (stopping) {
      c->Close("stopping");
      return LegFinished(leg);
    }
    leg.conn = c;
    leg.link = std::make_unique<ConnectionLink>(c);
    auto self = shared_from_this();
    Leg* l = &leg;
    smpp::net::Connection::Handlers h;
    h.on_request = [self, l](smpp::Pdu pdu) {
      l->core.OnRequest(pdu, SteadyClock::now());
      self->Flush(*l);
    };
    h.on_response = [self, l](smpp::Pdu pdu, uint64_t context) {
      l->core.OnResponse(pdu, context, SteadyClock::now());
      self->Flush(*l);
    };
    h.on_request_failed = [self, l](const smpp::action::RequestFailed& f) {
      l->core.OnRequestFailed(f.context, f.reason, SteadyClock::now());
      self->Flush(*l);
    };
    h.on_state = [self, l](smpp::SessionState, smpp::SessionState to) {
      l->core.OnState(to, SteadyClock::now());
      if (l->core.bound()) l->reconnect_delay = std::chrono::seconds(self->options.reconnect_s);
      self->Flush(*l);
    };
    h.on_warning = [self](const std::string& m) {
      spdlog::warn("smpp connector {}: {}", self->options.name, m);
    };
    h.on_closed = [self, l, c](const std::string& reason) { self->Detached(*l, c, reason); };
    c->Start(std::move(h));
    c->Post([self, l, c] {
      if (l->conn != c) return;
      l->core.LinkUp(*l->link, SteadyClock::now());
      self->Flush(*l);
    });
  }

  void Detached(Leg& leg, const std::shared_ptr<smpp::net::Connection>& c,
                const std::string& reason) {
    if (leg.conn != c) return;
    leg.core.LinkDown(reason, SteadyClock::now());
    leg.conn.reset();
    Flush(leg);
    // Keep `link` alive until the core is done with it (LinkDown above).
    leg.link.reset();
    if (stopping) return LegFinished(leg);
    if (leg.core.bind_refused())
      spdlog::warn("smpp connector {}: bind refused; retrying", options.name);
    ScheduleReconnect(leg);
  }

  void ScheduleReconnect(Leg& leg) {
    if (stopping) return LegFinished(leg);
    leg.reconnect_timer.expires_after(leg.reconnect_delay);
    leg.reconnect_delay = std::min<SteadyClock::duration>(
        leg.reconnect_delay * 2, std::chrono::seconds(options.reconnect_max_s));
    auto self = shared_from_this();
    Leg* l = &leg;
    leg.reconnect_timer.async_wait([self, l](const boost::system::error_code& ec) {
      if (!ec) self->Connect(*l);
    });
  }

  // Takes the leg core's output (answers, then receipts: contract rule 11), publishes
  // the state, re-arms the TPS timer.
  void Flush(Leg& leg) {
    ClientCore::Output out = leg.core.TakeOutput();
    for (auto& c : out.completions) c.done(std::move(c.outcome));
    // Receipts (rule 5): acknowledged once the store committed them. The completion
    // runs on a store thread: it posts back here and answers on the leg's strand; it
    // holds no strong reference (a stopped connector's io_context never runs it).
    for (auto& r : out.receipts) {
      if (events == nullptr) continue;  // stopped: unanswered, the SMSC repeats it
      std::weak_ptr<Impl> weak = weak_from_this();
      Leg* l = &leg;
      events->OnReceipt(std::move(r.update), [weak, l, request = std::move(r.request),
                                              link = r.link](bool stored) mutable {
        auto posting = weak.lock();
        if (!posting) return;
        // e2e (docs/adr/0039): the store answers a cycle's receipts one after the other;
        // the first of them takes the hop to the strand for all.
        bool first = false;
        {
          std::lock_guard lock(l->answers_mu);
          first = l->answers.empty();
          l->answers.push_back({std::move(request), link, stored});
        }
        if (!first) return;
        asio::post(posting->io, [weak, l] {
          auto running = weak.lock();
          if (!running) return;
          running->OnCore(*l, [weak, l] {
            if (auto impl = weak.lock()) impl->AnswerReceipts(*l);
          });
        });
      });
    }
    // Incoming messages (rule 12): acknowledged only once the core stored them.
    for (auto& in : out.incoming) {
      Result<void> stored = events != nullptr
                                ? events->OnIncoming(std::move(in.sms))
                                : Result<void>(Fail(ErrorCode::kUnavailable, "not started"));
      if (!stored.ok()) {
        spdlog::warn("smpp connector {}: incoming message not stored (the SMSC repeats it): {}",
                     options.name, stored.error().ToString());
      }
      leg.core.AnswerIncoming(in.request, stored.ok());
    }
    UpdateState();
    ArmTimer(leg);
  }

  // On the leg's strand: every receipt answer the store gave since the last call.
  void AnswerReceipts(Leg& leg) {
    std::vector<Leg::ReceiptAnswer> answers;
    {
      std::lock_guard lock(leg.answers_mu);
      answers.swap(leg.answers);
    }
    for (Leg::ReceiptAnswer& a : answers) {
      if (!a.stored) {
        spdlog::warn("smpp connector {}: receipt not stored (the SMSC repeats it)", options.name);
      }
      leg.core.AnswerReceipt(a.request, a.link, a.stored);
    }
  }

  void ArmTimer(Leg& leg) {
    auto at = leg.core.NextDeadline(SteadyClock::now());
    if (!at) return;
    if (leg.timer_armed && leg.timer_at <= *at) return;
    leg.timer_armed = true;
    leg.timer_at = *at;
    leg.tps_timer.expires_at(*at);
    auto self = shared_from_this();
    Leg* l = &leg;
    leg.tps_timer.async_wait([self, l](const boost::system::error_code& ec) {
      if (ec) return;
      l->timer_armed = false;
      self->OnCore(*l, [self, l] {
        l->core.OnTimer(SteadyClock::now());
        self->Flush(*l);
      });
    });
  }

  void UpdateState() {
    const ClientCore& core = tx().core;
    bool r = core.Ready();
    bool was = ready.exchange(r);
    bool all_bound = true;
    for (auto& leg : legs) {
      leg->g_bind->Set(leg->core.bound() ? 1 : 0);
      all_bound = all_bound && leg->core.bound();
    }
    is_bound = all_bound;
    g_bound->Set(all_bound ? 1 : 0);
    g_window->Set(static_cast<int64_t>(core.outstanding()));
    g_tps->Set(static_cast<int64_t>(core.current_tps()));
    g_queue->Set(static_cast<int64_t>(core.queued_messages()));
    uint64_t t = core.throttled_count();
    if (t > throttled_seen) {
      c_throttled->Inc(static_cast<int64_t>(t - throttled_seen));
      throttled_seen = t;
    }
    uint64_t n = core.submitted_count();
    if (n > submitted_seen) {
      c_submits->Inc(static_cast<int64_t>(n - submitted_seen));
      submitted_seen = n;
    }
    if (was != r && events != nullptr) events->OnReadyChanged(options.name, r);
  }

  void BeginStop() {
    stopping = true;
    bool any_conn = false;
    for (auto& leg : legs) {
      leg->reconnect_timer.cancel();
      any_conn = any_conn || leg->conn != nullptr;
    }
    if (any_conn) {
      // The window drains (response timers), then unbind waits for its response; the
      // connection's own timers bound both. This is the backstop.
      stop_timer.expires_after(std::chrono::seconds(2 * options.response_timeout_s + 2));
      auto self = shared_from_this();
      stop_timer.async_wait([self](const boost::system::error_code& ec) {
        if (ec || self->finished) return;
        spdlog::warn("smpp connector {}: unbind not finished; closing", self->options.name);
        for (auto& leg : self->legs) {
          if (leg->conn) leg->conn->Close("stop timeout");
        }
      });
    }
    for (auto& leg : legs) {
      Leg* l = leg.get();
      if (!l->conn) {
        l->core.Stop(SteadyClock::now());
        Flush(*l);
        LegFinished(*l);
        continue;
      }
      auto self = shared_from_this();
      OnCore(*l, [self, l] {
        l->core.Stop(SteadyClock::now());
        self->Flush(*l);
      });
    }
  }

  // A leg's link is gone (or never existed) while stopping. A connect may still be in
  // flight: its result is closed in Attach.
  void LegFinished(Leg& leg) {
    if (leg.finished) return;
    leg.finished = true;
    leg.core.LinkDown("stopping", SteadyClock::now());
    Flush(leg);
    leg.reconnect_timer.cancel();
    leg.tps_timer.cancel();
    for (auto& l : legs) {
      if (!l->finished) return;
    }
    FinishStop();
  }

  // Every leg finished: no more events.
  void FinishStop() {
    if (finished) return;
    finished = true;
    stop_timer.cancel();
    ready = false;
    is_bound = false;
    g_bound->Set(0);
    g_window->Set(0);
    g_queue->Set(0);
    for (auto& leg : legs) leg->g_bind->Set(0);
    events = nullptr;
    work.reset();
    stopped.set_value();
  }

  SmppConnectorOptions options;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work{io.get_executor()};
  std::vector<std::unique_ptr<Leg>> legs;  // [0] takes Sends
  std::shared_ptr<smpp::net::TlsContext> tls;
  asio::steady_timer stop_timer;
  bool stopping = false;
  bool finished = false;
  uint64_t throttled_seen = 0;
  uint64_t submitted_seen = 0;
  delivery::ConnectorEvents* events = nullptr;
  std::promise<void> stopped;

  // wire (docs/adr/0052): Sends not yet taken by the io thread, in the order called; the
  // Send that finds it empty posts the hop that takes all of them.
  struct QueuedSend {
    store::Message message;
    delivery::SendCallback done;
  };
  std::mutex sends_mu;
  std::vector<QueuedSend> sends;

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
  Counter* c_submits;
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
  asio::post(impl->io, [impl] {
    for (auto& leg : impl->legs) impl->Connect(*leg);
  });
  impl->thread = std::thread([impl] {
    (void)pthread_setname_np(pthread_self(), "bramka-smppcli");
    impl->io.run();
  });
  return {};
}

bool SmppConnector::Ready() const { return impl_->ready.load(); }
bool SmppConnector::bound() const { return impl_->is_bound.load(); }
const SmppConnectorOptions& SmppConnector::options() const { return impl_->options; }

void SmppConnector::Send(const store::Message& message, delivery::SendCallback done) {
  if (!impl_->accepting.load()) {
    done(delivery::SendOutcome::HandedBack("smpp: connector not running"));
    return;
  }
  if (!impl_->ready.load()) {
    done(delivery::SendOutcome::HandedBack("smpp: not bound"));
    return;
  }
  // wire (docs/adr/0052): the dispatcher hands a claim's messages over one after the other;
  // those that arrive before the connector's thread gets to them go over in one hop and
  // one Flush, not a post to the io thread, a post to the strand and a Flush each.
  bool first = false;
  {
    std::lock_guard lock(impl_->sends_mu);
    first = impl_->sends.empty();
    impl_->sends.push_back({message, std::move(done)});
  }
  if (!first) return;
  auto impl = impl_;
  asio::post(impl->io, [impl] {
    Impl::Leg* leg = &impl->tx();
    impl->OnCore(*leg, [impl, leg] {
      std::vector<Impl::QueuedSend> sends;
      {
        std::lock_guard lock(impl->sends_mu);
        sends.swap(impl->sends);
      }
      const auto now = SteadyClock::now();
      for (Impl::QueuedSend& s : sends) leg->core.Submit(s.message, std::move(s.done), now);
      impl->Flush(*leg);
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
  for (auto& leg : impl->legs) {
    if (leg->conn) leg->conn->Close("stopped");
  }
  impl->io.stop();
  impl->thread.join();
  // Sends posted after the thread ended: answer them (contract rule 2).
  impl->io.restart();
  impl->io.poll();
  for (auto& leg : impl->legs) leg->conn.reset();
}

}  // namespace bramka::smpp_client
