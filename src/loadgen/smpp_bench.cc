#include "loadgen/smpp_bench.h"

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <condition_variable>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>
#include <vector>

#include "common/fd_limit.h"
#include "loadgen/pacer.h"
#include "smpp/net/connection.h"
#include "smpp/net/tls.h"
#include "smpp/pdu/short_message.h"

namespace bramka::loadgen {
namespace {

namespace net = bramka::smpp::net;
using bramka::smpp::Pdu;
using SteadyClock = std::chrono::steady_clock;

constexpr uint64_t kBindContext = std::numeric_limits<uint64_t>::max();

std::string StatusName(uint32_t status) {
  auto name = smpp::CommandStatusName(status);
  return name.empty() ? smpp::FormatCommandStatus(status) : std::string(name);
}

void AtomicMax(std::atomic<int64_t>& a, int64_t v) {
  int64_t cur = a.load(std::memory_order_relaxed);
  while (cur < v && !a.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

// State shared by every bind; atomics or under its mutexes.
struct Run {
  explicit Run(const SmppBenchOptions& opts) : o(opts) {}
  const SmppBenchOptions& o;
  const SteadyClock::time_point origin = SteadyClock::now();
  std::atomic<int64_t> tickets{0};
  std::atomic<int64_t> deadline_ns{std::numeric_limits<int64_t>::max()};
  std::atomic<uint64_t> next_number{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> receipts{0};
  std::atomic<uint64_t> receipts_other{0};
  std::atomic<int64_t> last_receipt_ns{0};
  std::atomic<int64_t> last_response_ns{0};
  std::atomic<uint32_t> bound{0};
  std::atomic<uint32_t> bind_done{0};
  std::atomic<uint32_t> submit_done{0};
  std::atomic<uint32_t> closed{0};
  std::unique_ptr<Pacer> pacer;  // --rate: set before submitting starts

  // Message ids accepted and not yet receipted; receipts that came before their
  // submit_sm_resp was handled (another bind) wait in `early`.
  std::mutex ids_mu;
  std::unordered_set<std::string> ids;
  std::unordered_set<std::string> early;

  std::mutex mu;
  std::condition_variable cv;

  int64_t Now() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(SteadyClock::now() - origin)
        .count();
  }
  bool TakeTicket(int64_t now) {
    if (now >= deadline_ns.load(std::memory_order_relaxed)) return false;
    if (o.bounds.count == 0) return true;
    return tickets.fetch_sub(1, std::memory_order_relaxed) > 0;
  }
  void Notify() {
    std::lock_guard lock(mu);
    cv.notify_all();
  }
  template <typename Pred>
  bool WaitFor(Pred pred, std::chrono::nanoseconds timeout) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, timeout, pred);
  }
  void Accepted(const std::string& id) {
    accepted.fetch_add(1, std::memory_order_relaxed);
    if (!o.receipts) return;
    std::lock_guard lock(ids_mu);
    if (early.erase(id) != 0) {
      receipts.fetch_add(1, std::memory_order_relaxed);
    } else {
      ids.insert(id);
    }
  }
  void Receipt(const std::string& id, int64_t now) {
    bool matched = false;
    {
      std::lock_guard lock(ids_mu);
      if (ids.erase(id) != 0) {
        matched = true;
      } else {
        early.insert(id);
      }
    }
    if (matched) {
      AtomicMax(last_receipt_ns, now);
      receipts.fetch_add(1, std::memory_order_relaxed);
      Notify();
    }
  }
};

// One session. Its counters are touched only on the connection's strand and read after
// the io threads have been joined.
class Bind : public std::enable_shared_from_this<Bind> {
 public:
  explicit Bind(Run& run) : run_(run) {}

  void Connect(boost::asio::io_context& io, std::shared_ptr<net::TlsContext> tls) {
    timer_ = std::make_unique<boost::asio::steady_timer>(io);
    net::ConnectOptions c;
    c.host = run_.o.host;
    c.port = run_.o.port;
    c.tls = std::move(tls);
    c.session.window = run_.o.window;
    c.session.session_init_timeout =
        std::chrono::milliseconds(static_cast<int64_t>(run_.o.bind_timeout_s * 1000) + 1000);
    net::Connect(io, std::move(c), [self = shared_from_this()](auto r) {
      if (!r.ok()) {
        self->bind_errors_["connect: " + r.error().message]++;
        self->BindDone(false);
        self->run_.closed.fetch_add(1);  // no connection to close
        self->run_.Notify();
        return;
      }
      self->Started(std::move(*r));
    });
  }

  // From the main thread, once every bind is answered.
  void StartSubmitting() {
    conn_->Post([self = shared_from_this()] { self->Pump(); });
  }
  void Unbind() {
    if (conn_) conn_->Unbind();
  }
  void Close() {
    if (conn_) conn_->Close("bench over");
  }
  bool bound() const { return bound_; }

  LatencySamples latency;
  Counts errors, failed;
  uint64_t submitted = 0;
  Counts& bind_errors() { return bind_errors_; }

 private:
  void Started(std::shared_ptr<net::Connection> conn) {
    conn_ = std::move(conn);
    auto self = shared_from_this();
    net::Connection::Handlers h;
    h.on_request = [self](Pdu pdu) { self->OnRequest(std::move(pdu)); };
    h.on_response = [self](Pdu pdu, uint64_t context) {
      self->OnResponse(std::move(pdu), context);
    };
    h.on_request_failed = [self](const smpp::action::RequestFailed& f) { self->OnFailed(f); };
    h.on_closed = [self](const std::string& reason) { self->OnClosed(reason); };
    conn_->Start(std::move(h));
    Pdu bind;
    if (run_.o.receipts) {
      bind.body = smpp::BindTransceiver{.system_id = run_.o.system_id, .password = run_.o.password};
    } else {
      bind.body = smpp::BindTransmitter{.system_id = run_.o.system_id, .password = run_.o.password};
    }
    conn_->SendRequest(std::move(bind), kBindContext, [self](Result<uint32_t> r) {
      if (!r.ok()) {
        self->bind_errors_["bind not sent: " + r.error().message]++;
        self->BindDone(false);
      }
    });
  }

  void BindDone(bool ok) {
    if (bind_answered_) return;
    bind_answered_ = true;
    bound_ = ok;
    if (ok) run_.bound.fetch_add(1);
    run_.bind_done.fetch_add(1);
    run_.Notify();
  }

  void Pump() {
    if (done_) return;
    const auto& o = run_.o;
    while (!stop_ && !closed_ && inflight_ < o.window) {
      int64_t now = run_.Now();
      if (run_.pacer) {
        // Open loop: the next submit_sm waits for its due time; its latency counts
        // from then (pacer.h).
        if (!pending_) pending_ = run_.pacer->Take();
        if (pending_->due_ns > now && pending_->due_ns < run_.deadline_ns.load()) {
          ArmTimer(pending_->due_ns - now);
          break;
        }
        now = pending_->due_ns;
        pending_.reset();
      }
      if (!run_.TakeTicket(now)) {
        stop_ = true;
        break;
      }
      const uint64_t n = run_.next_number.fetch_add(1, std::memory_order_relaxed);
      smpp::SubmitSm sm;
      const bool numeric =
          !o.source.empty() && o.source.find_first_not_of("0123456789") == std::string::npos;
      sm.source_addr_ton = numeric ? 1 : 5;
      sm.source_addr_npi = numeric ? 1 : 0;
      sm.source_addr = o.source;
      sm.dest_addr_ton = 1;
      sm.dest_addr_npi = 1;
      sm.destination_addr = DestinationNumber(o.destination, n);
      sm.registered_delivery = o.receipts ? 1 : 0;
      sm.short_message = o.text;
      ++inflight_;
      ++submitted;
      conn_->SendRequest(
          Pdu{.body = std::move(sm)}, static_cast<uint64_t>(now),
          [self = shared_from_this()](Result<uint32_t> r) {
            if (r.ok()) return;
            --self->inflight_;
            self->failed["not sent: " + std::string(ErrorCodeName(r.error().code))]++;
            self->stop_ = true;
            self->MaybeDone();
          });
    }
    MaybeDone();
  }

  void ArmTimer(int64_t delay_ns) {
    if (timer_armed_) return;
    timer_armed_ = true;
    timer_->expires_after(std::chrono::nanoseconds(delay_ns));
    timer_->async_wait([self = shared_from_this()](const boost::system::error_code&) {
      self->conn_->Post([self] {
        self->timer_armed_ = false;
        self->Pump();
      });
    });
  }

  void MaybeDone() {
    if (done_ || inflight_ != 0 || !(stop_ || closed_)) return;
    done_ = true;
    run_.submit_done.fetch_add(1);
    run_.Notify();
  }

  void OnResponse(Pdu pdu, uint64_t context) {
    const int64_t now = run_.Now();
    if (context == kBindContext) {
      if (pdu.command_status == smpp::kEsmeRok) {
        BindDone(true);
      } else {
        bind_errors_[StatusName(pdu.command_status)]++;
        BindDone(false);
      }
      return;
    }
    --inflight_;
    latency.Add(std::chrono::nanoseconds(now - static_cast<int64_t>(context)));
    AtomicMax(run_.last_response_ns, now);
    if (const auto* resp = pdu.get<smpp::SubmitSmResp>();
        resp != nullptr && pdu.command_status == smpp::kEsmeRok) {
      run_.Accepted(resp->message_id);
    } else {
      errors[StatusName(pdu.command_status)]++;
    }
    Pump();
  }

  void OnFailed(const smpp::action::RequestFailed& f) {
    if (f.context == kBindContext) {
      bind_errors_[std::string(smpp::FailReasonName(f.reason))]++;
      BindDone(false);
      return;
    }
    --inflight_;
    failed[std::string(smpp::FailReasonName(f.reason))]++;
    AtomicMax(run_.last_response_ns, run_.Now());
    Pump();
  }

  void OnRequest(Pdu pdu) {
    if (const auto* dsm = pdu.get<smpp::DeliverSm>()) {
      const int64_t now = run_.Now();
      const auto id = pdu.tlvs.receipted_message_id();
      if ((dsm->esm_class & smpp::kEsmClassDeliveryReceipt) != 0 && id) {
        run_.Receipt(std::string(*id), now);
      } else {
        run_.receipts_other.fetch_add(1, std::memory_order_relaxed);
      }
    }
    conn_->Respond(smpp::MakeResponse(pdu, smpp::kEsmeRok));
  }

  void OnClosed(const std::string& reason) {
    closed_ = true;
    if (!bind_answered_) {
      bind_errors_["closed: " + reason]++;
      BindDone(false);
    }
    MaybeDone();
    run_.closed.fetch_add(1);
    run_.Notify();
  }

  Run& run_;
  std::shared_ptr<net::Connection> conn_;
  Counts bind_errors_;
  uint32_t inflight_ = 0;
  bool bind_answered_ = false;
  bool bound_ = false;
  bool stop_ = false;
  bool closed_ = false;
  bool done_ = false;
  // --rate: the slot taken from the pacer and not yet due, and the timer waiting for it.
  std::optional<Pacer::Slot> pending_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  bool timer_armed_ = false;
};

}  // namespace

Result<SmppBenchReport> RunSmppBench(const SmppBenchOptions& o) {
  (void)RaiseFdLimit();
  std::shared_ptr<net::TlsContext> tls;
  if (o.tls) {
    BRAMKA_ASSIGN_OR_RETURN(tls, net::TlsContext::Client(/*verify_peer=*/false));
  }
  Run run(o);
  run.tickets.store(static_cast<int64_t>(o.bounds.count));
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  std::vector<std::thread> threads;
  for (uint32_t i = 0; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });

  std::vector<std::shared_ptr<Bind>> binds;
  for (uint32_t i = 0; i < o.binds; ++i) {
    binds.push_back(std::make_shared<Bind>(run));
    binds.back()->Connect(io, tls);
  }
  const auto bind_timeout = std::chrono::nanoseconds(static_cast<int64_t>(o.bind_timeout_s * 1e9));
  run.WaitFor([&] { return run.bind_done.load() == o.binds; }, bind_timeout);

  SmppBenchReport r;
  r.binds = o.binds;
  r.window = o.window;
  r.receipts_wanted = o.receipts;
  r.rate = o.rate;
  r.bind_s = Seconds(std::chrono::nanoseconds(run.Now()));
  const uint32_t bound = run.bound.load();

  const int64_t start = run.Now();
  if (o.bounds.duration_s > 0) {
    run.deadline_ns.store(start + static_cast<int64_t>(o.bounds.duration_s * 1e9));
  }
  if (o.rate > 0) run.pacer = std::make_unique<Pacer>(o.rate, start);
  uint32_t submitting = 0;
  for (auto& b : binds) {
    if (b->bound()) {
      ++submitting;
      b->StartSubmitting();
    }
  }
  // Every request ends (response, or the session's 30 s response timer).
  run.WaitFor([&] { return run.submit_done.load() >= submitting; }, std::chrono::hours(24));
  const int64_t last_response = std::max(run.last_response_ns.load(), start);

  if (o.receipts) {
    const auto receipt_timeout =
        std::chrono::nanoseconds(static_cast<int64_t>(o.receipt_timeout_s * 1e9));
    run.WaitFor([&] { return run.receipts.load() >= run.accepted.load(); }, receipt_timeout);
  }

  // Unbind gracefully; whatever has not closed after 5 s is closed.
  for (auto& b : binds) b->Unbind();
  run.WaitFor([&] { return run.closed.load() >= bound; }, std::chrono::seconds(5));
  for (auto& b : binds) b->Close();
  work.reset();
  run.WaitFor([&] { return run.closed.load() >= o.binds; }, std::chrono::seconds(5));
  io.stop();
  for (auto& t : threads) t.join();

  r.bound = bound;
  LatencySamples all;
  for (auto& b : binds) {
    all.Merge(b->latency);
    MergeCounts(r.errors, b->errors);
    MergeCounts(r.failed, b->failed);
    MergeCounts(r.bind_errors, b->bind_errors());
    r.submitted += b->submitted;
  }
  r.latency = all.Summarize();
  r.accepted = run.accepted.load();
  r.submit_s = Seconds(std::chrono::nanoseconds(last_response - start));
  r.receipts = run.receipts.load();
  r.receipts_other = run.receipts_other.load() + run.early.size();
  const int64_t last_receipt = run.last_receipt_ns.load();
  if (r.receipts > 0 && last_receipt > start) {
    r.last_receipt_s = Seconds(std::chrono::nanoseconds(last_receipt - start));
    r.after_last_submit_s = Seconds(std::chrono::nanoseconds(last_receipt - last_response));
  }
  if (bound == 0) {
    return Fail(ErrorCode::kUnavailable, "no bind succeeded: " + ToText(r));
  }
  return r;
}

}  // namespace bramka::loadgen
