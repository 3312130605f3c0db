#include "loadgen/http_bench.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "common/fd_limit.h"
#include "loadgen/http_response.h"
#include "loadgen/pacer.h"

namespace bramka::loadgen {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

constexpr auto kIoTimeout = std::chrono::seconds(30);

struct Run {
  explicit Run(const HttpBenchOptions& opts) : o(opts), bodies(opts) {}
  const HttpBenchOptions& o;
  const BodyMaker bodies;
  const SteadyClock::time_point origin = SteadyClock::now();
  std::atomic<int64_t> tickets{0};
  std::atomic<int64_t> deadline_ns{std::numeric_limits<int64_t>::max()};
  std::atomic<uint64_t> next_number{0};
  std::atomic<uint32_t> done{0};
  tcp::resolver::results_type endpoints;
  std::unique_ptr<Pacer> pacer;  // --rate
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
};

// One connection's figures; touched only by its coroutine, read after the threads joined.
struct Worker {
  LatencySamples latency;
  Counts errors;
  uint64_t requests = 0;
  uint64_t ok = 0;
  uint64_t messages = 0;
  int64_t last_answer_ns = 0;
};

// The server's own success answer, {"success":true,"queued":N,...}, read without a JSON
// parser (the generator's CPU per request, ADR 0030); anything else goes the long way.
bool ClassifyFast(std::string_view body, Worker& w) {
  constexpr std::string_view kPrefix = R"({"success":true,"queued":)";
  if (!body.starts_with(kPrefix) || !body.ends_with('}')) return false;
  body.remove_prefix(kPrefix.size());
  uint64_t queued = 0;
  auto [end, ec] = std::from_chars(body.data(), body.data() + body.size(), queued);
  if (ec != std::errc() || end == body.data() || (*end != ',' && *end != '}')) return false;
  w.ok++;
  w.messages += queued;
  return true;
}

void Classify(unsigned status, std::string_view body, Worker& w) {
  if (status != 200) {
    w.errors["HTTP " + std::to_string(status)]++;
    return;
  }
  if (ClassifyFast(body, w)) return;
  auto j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    w.errors["not JSON"]++;
    return;
  }
  if (auto s = j.find("success"); s != j.end() && s->is_boolean() && s->get<bool>()) {
    w.ok++;
    if (auto q = j.find("queued"); q != j.end() && q->is_number_unsigned()) {
      w.messages += q->get<uint64_t>();
    }
    return;
  }
  if (auto e = j.find("error"); e != j.end() && e->is_object()) {
    auto code = e->find("code");
    w.errors["error " + (code != e->end() ? code->dump() : std::string("?"))]++;
    return;
  }
  w.errors["no success"]++;
}

template <typename Stream>
auto& Lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

enum class Outcome { kDone, kReconnect };

// Sends requests on an open stream until the run is over or the connection breaks.
template <typename Stream>
asio::awaitable<Outcome> Exchange(Stream& stream, Run& run, Worker& w) {
  beast::flat_buffer buffer;
  std::optional<asio::steady_timer> timer;
  const std::string prefix = RequestHeadPrefix(run.o);  // once per connection
  std::string wire;
  for (;;) {
    int64_t start = run.Now();
    if (run.pacer) {
      // Open loop: wait for this request's due time; its latency counts from then.
      const Pacer::Slot slot = run.pacer->Take();
      if (slot.due_ns > start && slot.due_ns < run.deadline_ns.load()) {
        if (!timer) timer.emplace(co_await asio::this_coro::executor);
        timer->expires_after(std::chrono::nanoseconds(slot.due_ns - start));
        beast::error_code wait_ec;
        co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, wait_ec));
      }
      start = slot.due_ns;
    }
    if (!run.TakeTicket(start)) co_return Outcome::kDone;
    const std::string body =
        run.bodies.Make(run.next_number.fetch_add(1, std::memory_order_relaxed));
    AppendRequest(wire, prefix, body);
    ++w.requests;
    beast::error_code ec;
    Lowest(stream).expires_after(kIoTimeout);
    co_await asio::async_write(stream, asio::buffer(wire),
                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      w.errors["io: " + ec.message()]++;
      co_return Outcome::kReconnect;
    }
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, asio::redirect_error(asio::use_awaitable, ec));
    const int64_t end = run.Now();
    if (ec) {
      w.errors["io: " + ec.message()]++;
      co_return Outcome::kReconnect;
    }
    w.latency.Add(std::chrono::nanoseconds(end - start));
    w.last_answer_ns = end;
    Classify(res.result_int(), res.body(), w);
    if (!res.keep_alive()) co_return Outcome::kReconnect;
  }
}

asio::awaitable<void> Connection(Run& run, Worker& w, asio::ssl::context* tls) {
  auto executor = co_await asio::this_coro::executor;
  for (int attempt = 0;; ++attempt) {
    beast::error_code ec;
    Outcome outcome = Outcome::kDone;
    if (tls == nullptr) {
      beast::tcp_stream stream(executor);
      stream.expires_after(kIoTimeout);
      co_await stream.async_connect(run.endpoints, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        w.errors["connect: " + ec.message()]++;
        break;
      }
      stream.socket().set_option(tcp::no_delay(true), ec);
      outcome = co_await Exchange(stream, run, w);
      stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    } else {
      beast::ssl_stream<beast::tcp_stream> stream(executor, *tls);
      SSL_set_tlsext_host_name(stream.native_handle(), run.o.host.c_str());
      Lowest(stream).expires_after(kIoTimeout);
      co_await Lowest(stream).async_connect(run.endpoints,
                                            asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) {
        Lowest(stream).socket().set_option(tcp::no_delay(true), ec);
        co_await stream.async_handshake(asio::ssl::stream_base::client,
                                        asio::redirect_error(asio::use_awaitable, ec));
      }
      if (ec) {
        w.errors["connect: " + ec.message()]++;
        break;
      }
      outcome = co_await Exchange(stream, run, w);
      Lowest(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
    }
    // A broken connection is opened again (a few times in a row at most).
    if (outcome == Outcome::kDone || attempt >= 100) break;
  }
  run.done.fetch_add(1);
  std::lock_guard lock(run.mu);
  run.cv.notify_all();
}

// ---- http (session 8, docs/adr/0042): plain TCP without Beast's stream, parser and
// coroutine frames, for the generator's own CPU per request. One io_context per thread
// (a "lane", concurrency hint 1: no strands and no locks between threads), each connection
// a bare socket driven by callbacks: one write of the request, reads into a buffer the
// connection keeps, the answer read by ReadHttpAnswer (a full HTTP/1.1 answer: status,
// Content-Length body, keep-alive) and checked by Classify like every answer before. The
// 30-second I/O timeout is a deadline that a once-a-second watchdog per lane checks (no
// timer armed and cancelled around every operation). TLS keeps the coroutine client.

constexpr int64_t kIoTimeoutNs = std::chrono::nanoseconds(kIoTimeout).count();
constexpr size_t kReadChunk = 16 * 1024;

class PlainClient;

struct Lane {
  asio::io_context io{1};
  asio::steady_timer watchdog{io};
  std::vector<std::unique_ptr<PlainClient>> clients;
  size_t active = 0;
};

class PlainClient {
 public:
  PlainClient(Run& run, Worker& w, Lane& lane)
      : run_(run), w_(w), lane_(lane), socket_(lane.io), prefix_(RequestHeadPrefix(run.o)) {}

  void Start() { Connect(); }
  bool finished() const { return finished_; }

  // The lane's watchdog: an operation pending past its deadline ends the connection (its
  // handler then sees operation_aborted and counts a timeout, as beast::tcp_stream did).
  void CheckDeadline(int64_t now) {
    if (deadline_ns_ == 0 || now < deadline_ns_) return;
    deadline_ns_ = 0;
    timed_out_ = true;
    beast::error_code ec;
    socket_.close(ec);
  }

 private:
  void Arm() { deadline_ns_ = run_.Now() + kIoTimeoutNs; }

  void Connect() {
    used_ = 0;
    timed_out_ = false;
    Arm();
    asio::async_connect(socket_, run_.endpoints,
                        [this](beast::error_code ec, const tcp::endpoint&) {
                          deadline_ns_ = 0;
                          if (ec) {
                            w_.errors["connect: " + Reason(ec)]++;
                            return Finish();
                          }
                          socket_.set_option(tcp::no_delay(true), ec);
                          Next();
                        });
  }

  void Next() {
    int64_t start = run_.Now();
    if (run_.pacer) {
      // Open loop: wait for this request's due time; its latency counts from then.
      const Pacer::Slot slot = run_.pacer->Take();
      if (slot.due_ns > start && slot.due_ns < run_.deadline_ns.load()) {
        if (!timer_) timer_.emplace(lane_.io);
        timer_->expires_after(std::chrono::nanoseconds(slot.due_ns - start));
        start_ns_ = slot.due_ns;
        timer_->async_wait([this](beast::error_code) { Send(start_ns_); });
        return;
      }
      start = slot.due_ns;
    }
    Send(start);
  }

  void Send(int64_t start) {
    if (!run_.TakeTicket(start)) return Close(/*reconnect=*/false);
    start_ns_ = start;
    AppendRequest(wire_, prefix_,
                  run_.bodies.Make(run_.next_number.fetch_add(1, std::memory_order_relaxed)));
    ++w_.requests;
    Arm();
    asio::async_write(socket_, asio::buffer(wire_), [this](beast::error_code ec, size_t) {
      if (ec) return Broken(ec);
      Parse();
    });
  }

  void Read() {
    if (buf_.size() - used_ < kReadChunk)
      buf_.resize(std::max(2 * buf_.size(), used_ + kReadChunk));
    socket_.async_read_some(asio::buffer(buf_.data() + used_, buf_.size() - used_),
                            [this](beast::error_code ec, size_t n) {
                              if (ec) return Broken(ec);
                              used_ += n;
                              Parse();
                            });
  }

  // The bytes received so far: a whole answer, or read on.
  void Parse() {
    const HttpAnswer a = ReadHttpAnswer(std::string_view(buf_.data(), used_));
    switch (a.state) {
      case HttpAnswer::State::kNeedMore:
        return Read();
      case HttpAnswer::State::kMalformed:
        w_.errors["io: malformed HTTP answer"]++;
        return Close(/*reconnect=*/true);
      case HttpAnswer::State::kUnsupported:
        w_.errors["io: HTTP answer without Content-Length"]++;
        return Close(/*reconnect=*/true);
      case HttpAnswer::State::kDone:
        break;
    }
    deadline_ns_ = 0;
    const int64_t end = run_.Now();
    w_.latency.Add(std::chrono::nanoseconds(end - start_ns_));
    w_.last_answer_ns = end;
    Classify(a.status, a.body, w_);
    const bool keep_alive = a.keep_alive;
    // Bytes past the answer (none from a server that waits for each request) stay for the next.
    std::memmove(buf_.data(), buf_.data() + a.consumed, used_ - a.consumed);
    used_ -= a.consumed;
    if (!keep_alive) return Close(/*reconnect=*/true);
    Next();
  }

  void Broken(beast::error_code ec) {
    w_.errors["io: " + Reason(ec)]++;
    Close(/*reconnect=*/true);
  }

  // The labels of Beast's stream, so that figures stay comparable.
  std::string Reason(beast::error_code ec) const {
    if (timed_out_) return beast::error_code(beast::error::timeout).message();
    if (ec == asio::error::eof) return beast::error_code(http::error::end_of_stream).message();
    return ec.message();
  }

  // A broken or closing connection is opened again (a few times in a row at most).
  void Close(bool reconnect) {
    deadline_ns_ = 0;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    if (!reconnect || attempt_ >= 100) return Finish();
    ++attempt_;
    Connect();
  }

  void Finish() {
    finished_ = true;
    run_.done.fetch_add(1);
    if (--lane_.active == 0) lane_.watchdog.cancel();
  }

  Run& run_;
  Worker& w_;
  Lane& lane_;
  tcp::socket socket_;
  const std::string prefix_;  // once per connection
  std::string wire_;
  std::vector<char> buf_;
  size_t used_ = 0;
  std::optional<asio::steady_timer> timer_;  // --rate
  int64_t start_ns_ = 0;
  int64_t deadline_ns_ = 0;  // 0: nothing pending
  int attempt_ = 0;
  bool timed_out_ = false;
  bool finished_ = false;
};

void Watch(Lane& lane, Run& run) {
  lane.watchdog.expires_after(std::chrono::seconds(1));
  lane.watchdog.async_wait([&lane, &run](beast::error_code) {
    if (lane.active == 0) return;
    const int64_t now = run.Now();
    for (auto& c : lane.clients) {
      if (!c->finished()) c->CheckDeadline(now);
    }
    Watch(lane, run);
  });
}

}  // namespace

// One recipient: the body is {"phone":"<digits>", followed by the rest, which is the same
// for every request (nlohmann::json writes keys sorted, "phone" first), built once.
BodyMaker::BodyMaker(const HttpBenchOptions& o) : o_(o) {
  if (o.recipients > 1) return;
  nlohmann::json j;
  j["text"] = o.text;
  if (!o.sender.empty()) j["sender"] = o.sender;
  rest_ = j.dump().substr(1);  // without its '{'
}

std::string BodyMaker::Make(uint64_t n) const {
  if (o_.recipients > 1) return SendSmsBodyList(o_, n);
  const std::string phone = DestinationNumber(o_.destination, n);  // digits only
  std::string body;
  body.reserve(12 + phone.size() + rest_.size());
  body += R"({"phone":")";
  body += phone;
  body += "\",";
  body += rest_;
  return body;
}

std::string SendSmsBody(const HttpBenchOptions& o, uint64_t n) { return BodyMaker(o).Make(n); }

std::string RequestHeadPrefix(const HttpBenchOptions& o) {
  return "POST " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + std::to_string(o.port) +
         "\r\nContent-Type: application/json\r\nAuthorization: Bearer " + o.token +
         "\r\nContent-Length: ";
}

void AppendRequest(std::string& wire, std::string_view prefix, std::string_view body) {
  wire.assign(prefix);
  wire += std::to_string(body.size());
  wire += "\r\n\r\n";
  wire += body;
}

std::string SendSmsBodyList(const HttpBenchOptions& o, uint64_t n) {
  nlohmann::json j;
  if (o.recipients <= 1) {
    j["phone"] = DestinationNumber(o.destination, n);
  } else {
    nlohmann::json phones = nlohmann::json::array();
    for (uint32_t i = 0; i < o.recipients; ++i) {
      phones.push_back(DestinationNumber(o.destination, n * o.recipients + i));
    }
    j["phone"] = std::move(phones);
  }
  j["text"] = o.text;
  if (!o.sender.empty()) j["sender"] = o.sender;
  return j.dump();
}

Result<HttpBenchReport> RunHttpBench(const HttpBenchOptions& o) {
  (void)RaiseFdLimit();
  Run run(o);
  run.tickets.store(static_cast<int64_t>(o.bounds.count));
  asio::io_context io;
  {
    tcp::resolver resolver(io);
    beast::error_code ec;
    run.endpoints = resolver.resolve(o.host, std::to_string(o.port), ec);
    if (ec) return Fail(ErrorCode::kUnavailable, "cannot resolve " + o.host + ": " + ec.message());
  }
  std::optional<asio::ssl::context> tls;
  if (o.tls) {
    tls.emplace(asio::ssl::context::tls_client);
    tls->set_verify_mode(asio::ssl::verify_none);
  }
  std::vector<Worker> workers(o.connections);
  const int64_t start = run.Now();
  if (o.bounds.duration_s > 0) {
    run.deadline_ns.store(start + static_cast<int64_t>(o.bounds.duration_s * 1e9));
  }
  if (o.rate > 0) run.pacer = std::make_unique<Pacer>(o.rate, start);
  std::vector<std::thread> threads;
  std::vector<std::unique_ptr<Lane>> lanes;
  if (tls) {
    for (auto& w : workers) {
      asio::co_spawn(io, Connection(run, w, &*tls), asio::detached);
    }
    for (uint32_t i = 0; i < o.threads; ++i) threads.emplace_back([&io] { io.run(); });
  } else {
    // http (session 8): plain TCP on one single-threaded io_context per thread.
    for (uint32_t i = 0; i < o.threads; ++i) lanes.push_back(std::make_unique<Lane>());
    for (size_t i = 0; i < workers.size(); ++i) {
      Lane& lane = *lanes[i % lanes.size()];
      lane.clients.push_back(std::make_unique<PlainClient>(run, workers[i], lane));
      ++lane.active;
    }
    for (auto& lane : lanes) {
      for (auto& c : lane->clients) c->Start();
      if (lane->active > 0) Watch(*lane, run);
      threads.emplace_back([&lane = *lane] { lane.io.run(); });
    }
  }
  for (auto& t : threads) t.join();  // run() returns when every connection has finished

  HttpBenchReport r;
  r.connections = o.connections;
  r.recipients = o.recipients;
  r.tls = o.tls;
  r.rate = o.rate;
  LatencySamples all;
  int64_t last = start;
  for (const auto& w : workers) {
    all.Merge(w.latency);
    MergeCounts(r.errors, w.errors);
    r.requests += w.requests;
    r.ok += w.ok;
    r.messages += w.messages;
    last = std::max(last, w.last_answer_ns);
  }
  r.latency = all.Summarize();
  r.seconds = Seconds(std::chrono::nanoseconds(last - start));
  return r;
}

}  // namespace bramka::loadgen
