// The Beast side of the API v2 server. Structure follows Beast's
// advanced_server_flex example: a Listener per port accepts onto a fresh
// strand, a Session per connection runs read -> handle -> write in a loop.
#include "api/http/server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/execution.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "api/http/actions.h"
#include "api/http/openapi.h"
#include "api/http/request.h"
#include "api/http/response.h"
#include "api/http/response_head.h"
#include "api/http/server_state.h"
#include "api/http/text_util.h"
#include "common/metrics.h"

namespace bramka::api::http {
namespace {

using server_internal::MakeTlsContext;
using server_internal::SessionBase;
using server_internal::State;

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
// http (ADR 0034): every connection's socket and handlers name their strand's concrete
// type. With the type-erased any_io_executor of beast::tcp_stream each executor copy
// (every async operation, every post back from a completion) allocated a shared copy of
// the strand. And a connection is a bare socket: its idle and linger deadlines are a
// number the sweeper (HttpServer::Impl::Sweep) checks once a second, instead of
// beast::tcp_stream's timer armed and cancelled around every read and write.
using Strand = net::strand<net::io_context::executor_type>;
using Socket = tcp::socket::rebind_executor<Strand>::other;
constexpr std::chrono::milliseconds kSweepInterval{1000};

constexpr size_t kHeaderLimit = 16 * 1024;
constexpr std::chrono::seconds kShutdownTimeout{5};

std::string BearerToken(std::string_view header) {
  header = Trim(header);
  if (header.size() > 7 && EqualsAsciiLower(header.substr(0, 7), "bearer ")) {
    return std::string(Trim(header.substr(7)));
  }
  return {};
}

bool IsHttpParseError(const beast::error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category();
}

// One connection. kTls selects the stream type; everything else is shared.
template <bool kTls>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<kTls>> {
 public:
  using Stream = std::conditional_t<kTls, beast::ssl_stream<Socket>, Socket>;
  using Response = bhttp::response<bhttp::string_body>;

  Session(Socket&& socket, std::shared_ptr<State> state)
      : state_(std::move(state)), stream_(MakeStream(std::move(socket), *state_)) {
    beast::error_code ec;
    auto remote = Lowest().remote_endpoint(ec);
    if (!ec) {
      remote_ip_ = remote.address().to_string();
      remote_ = remote_ip_ + ":" + std::to_string(remote.port());
    }
  }
  ~Session() override { state_->Unregister(this); }

  void Run() {
    state_->Register(this, this->weak_from_this());
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

  void Close() override {
    net::post(stream_.get_executor(), [self = this->shared_from_this()] {
      beast::error_code ec;
      self->Lowest().close(ec);
    });
  }

 private:
  static Stream MakeStream(Socket&& socket, State& state) {
    if constexpr (kTls) {
      return Stream(std::move(socket), *state.tls);
    } else {
      return Stream(std::move(socket));
    }
  }

  auto Self() { return this->shared_from_this(); }
  Socket& Lowest() { return beast::get_lowest_layer(stream_); }
  std::chrono::seconds Idle() const { return std::chrono::seconds(state_->options.idle_timeout_s); }

  void Begin() {
    if constexpr (kTls) {
      Arm(Idle());
      stream_.async_handshake(ssl::stream_base::server, [self = Self()](beast::error_code ec) {
        if (ec) {
          spdlog::debug("https: handshake with {} failed: {}", self->remote_, ec.message());
          return;
        }
        self->ReadHeader();
      });
    } else {
      // http (session 8, ADR 0042): Send writes the answer at once, without blocking.
      beast::error_code ec;
      Lowest().non_blocking(true, ec);
      ReadHeader();
    }
  }

  // httpio (session 13): `now` is the caller's clock reading (the answer's, in Send), so that
  // a request costs two clock reads, not four.
  void ReadHeader(Clock::time_point now = Clock::now()) {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(state_->options.max_body_bytes);
    ArmFrom(now, Idle());
    if constexpr (kTls) {
      bhttp::async_read_header(
          stream_, buffer_, *parser_,
          [self = Self()](beast::error_code ec, size_t) { self->OnHeader(ec); });
    } else {
      ParseOrReadHeader(/*read_before=*/false);
    }
  }

  // httpio (session 13), plain TCP: what bhttp::async_read_header does (its read_op and
  // read_some_op, Beast 1.74 http/impl/read.hpp), with one socket read and our own handler
  // instead of two composed operations, each tracking work on the strand at every step.
  // Bytes already buffered (a pipelined request) are parsed first; a header complete
  // without a read is answered through a post, as Beast does, so a long pipeline does not
  // recurse. Errors are Beast's: the parser's, end_of_stream on a close before any byte,
  // put_eof's after some, buffer_overflow.
  void ParseOrReadHeader(bool read_before) {
    if (buffer_.size() > 0) {
      beast::error_code ec;
      buffer_.consume(parser_->put(buffer_.data(), ec));
      if (ec != bhttp::error::need_more && (ec || parser_->is_header_done())) {
        if (read_before) return OnHeader(ec);
        return net::post(stream_.get_executor(), [self = Self(), ec] { self->OnHeader(ec); });
      }
    }
    const size_t size = beast::read_size(buffer_, 65536);
    if (size == 0) return OnHeader(beast::http::error::buffer_overflow);
    beast::error_code ec;
    auto buffers = beast::detail::dynamic_buffer_prepare(buffer_, size, ec,
                                                         beast::http::error::buffer_overflow);
    if (ec) return OnHeader(ec);
    stream_.async_read_some(*buffers, [self = Self()](beast::error_code rec, size_t n) {
      self->OnHeaderBytes(rec, n);
    });
  }

  void OnHeaderBytes(beast::error_code ec, size_t n) {
    buffer_.commit(n);
    if (ec == net::error::eof) {
      if (!parser_->got_some()) return OnHeader(bhttp::error::end_of_stream);
      ec = {};
      parser_->put_eof(ec);
      return OnHeader(ec);
    }
    if (ec) return OnHeader(ec);
    ParseOrReadHeader(/*read_before=*/true);
  }

  void OnHeader(beast::error_code ec) {
    started_ = Clock::now();
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    if (auto length = parser_->content_length();
        length && *length > state_->options.max_body_bytes) {
      return WriteTooLarge();
    }
    if (AsciiLower(Trim(req[bhttp::field::expect])) == "100-continue") {
      // Old .NET HttpClient waits for this before sending the body (spec §1.3).
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_,
                                                                       req.version());
      bhttp::async_write(stream_, *cont, [self = Self(), cont](beast::error_code wec, size_t) {
        if (wec) return self->Shutdown();
        self->ReadBody();
      });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (!parser_->is_done() && buffer_.size() > 0) {
      // The body usually arrived with the header: parse it here, as async_read's first step
      // would, without another asynchronous operation and its post (ADR 0034).
      parser_->eager(true);
      beast::error_code ec;
      buffer_.consume(parser_->put(buffer_.data(), ec));
      if (ec && ec != bhttp::error::need_more) return OnReadError(ec);
    }
    if (parser_->is_done()) return OnRequest();
    Arm(Idle());
    bhttp::async_read(stream_, buffer_, *parser_, [self = Self()](beast::error_code ec, size_t) {
      if (ec) return self->OnReadError(ec);
      self->OnRequest();
    });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) return WriteTooLarge();
    if (ec == bhttp::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == net::error::bad_descriptor) {  // closed by the sweeper (idle) or Stop
      return Shutdown();
    }
    if (IsHttpParseError(ec)) {
      state_->Count("unknown", "400");
      Response res{bhttp::status::bad_request, 11};
      res.set(bhttp::field::content_type, "text/plain; charset=UTF-8");
      res.body() = "bad request: " + ec.message() + "\n";
      return Write(std::move(res), /*close=*/true);
    }
    spdlog::debug("http: read from {} failed: {}", remote_, ec.message());
    Shutdown();
  }

  void WriteTooLarge() {
    if (const auto* m = state_->MountFor(SplitTarget(parser_->get().target()).first)) {
      MountedResponse answer = m->handler->TooLarge();
      if (answer.metric_label.empty()) answer.metric_label = m->path.substr(1);
      return WriteMounted(std::move(answer), parser_->get().version(), /*close=*/true);
    }
    state_->Count("unknown", "413");
    Response res{bhttp::status::payload_too_large, parser_->get().version()};
    const ApiAnswer answer = state_->handler.ErrorAnswer(api_code::kRequestTooLarge);
    res.set(bhttp::field::content_type, kJsonContentType);
    res.body() = RenderJson(answer.body);
    Write(std::move(res), /*close=*/true);
  }

  void OnRequest() {
    bhttp::request<bhttp::string_body> req = parser_->release();
    parser_.reset();
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    auto [path, query] = SplitTarget(req.target());
    const bool is_get = req.method() == bhttp::verb::get;

    if (is_get && path == "/healthz") {
      const bool ready = state_->ready.load();
      state_->Count("healthz", ready ? "ok" : "503");
      Response res{ready ? bhttp::status::ok : bhttp::status::service_unavailable, version};
      res.set(bhttp::field::content_type, kJsonContentType);
      res.body() = ready ? R"({"status":"ok"})" : R"({"status":"starting"})";
      return Write(std::move(res), !keep_alive);
    }
    if (is_get && path == "/metrics") {
      state_->Count("metrics", "ok");
      Response res{bhttp::status::ok, version};
      res.set(bhttp::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
      res.body() = state_->metrics.RenderPrometheus();
      return Write(std::move(res), !keep_alive);
    }
    // ---- operator: the API v2 OpenAPI document (openapi.h, docs/adr/0018) ----
    if (is_get && path == "/openapi.json") {
      state_->Count("openapi", "ok");
      Response res{bhttp::status::ok, version};
      res.set(bhttp::field::content_type, kJsonContentType);
      res.body() = OpenApiJson();
      return Write(std::move(res), !keep_alive);
    }
    // Mounted handlers answer every method themselves (the panel's POSTs, SOAP's GET ?wsdl).
    if (const auto* m = state_->MountFor(path)) {
      return HandleMounted(*m, req);
    }
    if (!is_get && req.method() != bhttp::verb::post) {
      state_->Count("unknown", "405");
      Response res{bhttp::status::method_not_allowed, version};
      res.set(bhttp::field::allow, "GET, POST");
      res.set(bhttp::field::content_type, "text/plain; charset=UTF-8");
      res.body() = "method not allowed\n";
      return Write(std::move(res), /*close=*/true);
    }

    ApiRequest api;
    api.route = ParseRoute(path);
    api.bearer_token = BearerToken(req[bhttp::field::authorization]);
    api.remote_address = remote_;
    api.remote_ip = remote_ip_;
    const Format format = api.route.format;
    // A view of the handler's static table: no copy per request.
    const std::string_view label = ActionHandler::MetricLabel(api.route.action);
    // The strand's executor, counted as outstanding work until the answer is
    // posted: a send waits for its commit with no asio operation pending, and
    // io_context::run() must not return (at shutdown) before it is answered.
    auto tracked = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    auto finish = [self = Self(), tracked, format, label, keep_alive, version](ApiAnswer answer) {
      // Sends complete on a core thread: hop back onto this connection's strand.
      net::post(tracked, [self, format, label, keep_alive, version, answer = std::move(answer)] {
        self->WriteAnswer(answer, format, label, keep_alive, version);
      });
    };
    std::vector<UploadedFile> uploads;
    auto tree = DecodeParameters(req[bhttp::field::content_type], req.body(), query, &uploads);
    if (!tree.ok()) return finish(state_->handler.ErrorAnswer(tree.error()));
    api.params = Params(std::move(*tree), std::move(uploads));
    // While the action runs (a send waits for its commit) no timer runs:
    // the connection is busy, not idle.
    Disarm();
    // (send_mms reads, and may store, its files synchronously: it takes the hop.)
    if (!api.bearer_token.empty() && api.route.action.rfind("messages/send_", 0) == 0 &&
        api.route.action != "messages/send_mms") {
      // The hot path: a token check is a hash and one indexed read, and the
      // send itself waits for its commit off-thread; the hop would cost more.
      state_->handler.Handle(std::move(api), std::move(finish));
      return;
    }
    net::post(state_->workers,
              [state = state_, api = std::move(api), finish = std::move(finish)]() mutable {
                state->handler.Handle(std::move(api), std::move(finish));
              });
  }

  // ---- mounted handlers (api/soap, the panel; mount.h) ----
  void HandleMounted(const State::MountEntry& mount, bhttp::request<bhttp::string_body>& req) {
    MountedRequest m;
    m.method = std::string(req.method_string());
    auto [path, query] = SplitTarget(req.target());
    m.path = std::string(path);
    m.query = std::string(query);
    for (const auto& field : req) {
      m.headers.emplace_back(AsciiLower(field.name_string()), std::string(field.value()));
    }
    m.content_type = std::string(req[bhttp::field::content_type]);
    m.authorization = std::string(req[bhttp::field::authorization]);
    m.host = std::string(req[bhttp::field::host]);
    m.tls = kTls;
    m.body = std::move(req.body());
    m.remote_ip = remote_ip_;
    m.remote_address = remote_;
    const bool close = !req.keep_alive();
    const unsigned version = req.version();
    auto tracked = net::prefer(stream_.get_executor(), net::execution::outstanding_work.tracked);
    auto finish = [self = Self(), tracked, close, version,
                   label = mount.path.substr(1)](MountedResponse res) {
      if (res.metric_label.empty()) res.metric_label = label;
      net::post(tracked, [self, close, version, res = std::move(res)]() mutable {
        self->WriteMounted(std::move(res), version, close);
      });
    };
    Disarm();
    net::post(state_->workers,
              [handler = mount.handler, m = std::move(m), finish = std::move(finish)]() mutable {
                handler->Handle(std::move(m), std::move(finish));
              });
  }

  void WriteMounted(MountedResponse answer, unsigned version, bool close) {
    state_->Count(answer.metric_label.empty() ? "unknown" : answer.metric_label,
                  answer.error          ? "error"
                  : answer.status < 400 ? "ok"
                                        : std::to_string(answer.status));
    Response res{static_cast<bhttp::status>(answer.status), version};
    if (!answer.content_type.empty()) res.set(bhttp::field::content_type, answer.content_type);
    for (auto& [name, value] : answer.headers) res.insert(name, value);
    res.body() = std::move(answer.body);
    Write(std::move(res), close);
  }

  void WriteAnswer(const ApiAnswer& answer, Format format, std::string_view label, bool keep_alive,
                   unsigned version) {
    CountAnswer(label, answer.error_code == 0);
    // HTTP 200 for API errors too (spec §1.6).
    if (!answer.raw_content_type.empty()) {
      return WriteBody(200, version, !keep_alive, answer.raw_content_type, answer.raw_body);
    }
    // httpio (session 13): rendered straight into the connection's body buffer.
    const std::string_view content_type = RenderInto(answer.body, format, body_);
    BeginResponseHead(head_, 200, version);
    AppendField(head_, "Content-Type", content_type);
    Send(version, !keep_alive);
  }

  // ---- ingest (ADR 0030): the API answer's counter without the registry's lock and label
  // strings on every request: a connection usually repeats its action, so the counters of
  // its last label are kept (they live as long as the registry, which outlives the state).
  void CountAnswer(std::string_view label, bool ok) {
    if (label != counted_label_) {
      counted_label_ = std::string(label);
      counted_[0] = counted_[1] = nullptr;
    }
    Counter*& slot = counted_[ok ? 0 : 1];
    if (slot == nullptr) {
      slot = &state_->metrics.GetCounter(
          "bramka_http_requests_total", "HTTP requests by action and result",
          "action=\"" + counted_label_ + "\",result=\"" + (ok ? "ok" : "error") + "\"");
    }
    slot->Inc();
  }

  // The rare answers built as a Beast message (errors, /metrics, mounted handlers): its
  // fields go into the same hand-rendered head as the API answers'.
  void Write(Response res, bool close) {
    BeginResponseHead(head_, static_cast<unsigned>(res.result_int()), res.version());
    for (const auto& field : res) AppendField(head_, field.name_string(), field.value());
    body_ = std::move(res.body());
    Send(res.version(), close);
  }

  // The API answer (ADR 0034): head rendered into a reused buffer, no Beast message.
  void WriteBody(unsigned status, unsigned version, bool close, std::string_view content_type,
                 std::string body) {
    BeginResponseHead(head_, status, version);
    AppendField(head_, "Content-Type", content_type);
    body_ = std::move(body);
    Send(version, close);
  }

  // Head and body in one gathered write (one sendmsg for plain TCP; Beast's ssl_stream
  // flattens small buffer sequences into one TLS record).
  void Send(unsigned version, bool close) {
    sent_at_once_ = false;
    EndResponseHead(head_, version, close, body_.size());
    const Clock::time_point now = Clock::now();
    state_->latency.Observe(std::chrono::duration<double>(now - started_).count());
    ArmFrom(now, Idle());
    auto done = [self = Self(), close, now](beast::error_code ec, size_t) {
      if (ec || close || self->state_->stopped.load()) return self->Shutdown();
      self->KeepBuffersSmall();
      // Written at once: the answer's clock reading is still now. (After an async_write
      // the deadline starts again from the write's end.)
      self->ReadHeader(self->sent_at_once_ ? now : Clock::now());
    };
    if constexpr (kTls) {
      // One buffer: the TLS layer copies it into records anyway, and a two-buffer write
      // with a body over 16 KiB lost the body on Beast 1.74's ssl_stream (integration
      // test_soap's WSDL over HTTPS).
      head_.append(body_);
      net::async_write(stream_, net::buffer(head_), std::move(done));
    } else {
      // http (session 8, ADR 0042): an answer usually fits the socket's send buffer. Written
      // at once (non-blocking, one sendmsg as before) the connection goes on to the next
      // request without the write's completion handler and its trip through the strand;
      // what did not fit goes out with async_write as before.
      const size_t total = head_.size() + body_.size();
      beast::error_code ec;
      const size_t n =
          Lowest().non_blocking()
              ? Lowest().write_some(
                    std::array<net::const_buffer, 2>{net::buffer(head_), net::buffer(body_)}, ec)
              : 0;
      sent_at_once_ = !ec && n == total;
      if (sent_at_once_) return done(ec, n);
      if (ec && ec != net::error::would_block && ec != net::error::try_again) return done(ec, 0);
      if (n < head_.size()) {
        head_.erase(0, n);
      } else {
        body_.erase(0, n - head_.size());
        head_.clear();
      }
      const std::array<net::const_buffer, 2> buffers{net::buffer(head_), net::buffer(body_)};
      net::async_write(stream_, buffers, std::move(done));
    }
  }

  // The answer buffers keep their capacity from one answer to the next (no allocation per
  // answer), but not that of a rare large one (a report, a WSDL).
  void KeepBuffersSmall() {
    constexpr size_t kKept = 64 * 1024;
    if (body_.capacity() > kKept) std::string().swap(body_);
    if (head_.capacity() > kKept) std::string().swap(head_);
  }

  // Closes the connection. Plain TCP closes lingeringly: shut down our
  // side, then read and discard until the peer closes (bounded in time), so
  // that unread request bytes (an oversized body) do not make the kernel
  // reset the connection before the client has read our last answer.
  void Shutdown() {
    Socket& lowest = Lowest();
    Arm(kShutdownTimeout);
    if constexpr (kTls) {
      stream_.async_shutdown([self = Self()](beast::error_code) {
        beast::error_code ec;
        self->Lowest().close(ec);
      });
    } else {
      beast::error_code ec;
      lowest.shutdown(tcp::socket::shutdown_send, ec);
      if (ec) {
        lowest.close(ec);
        return;
      }
      drain_.resize(16 * 1024);
      Drain();
    }
  }

  void Drain() {
    Lowest().async_read_some(net::buffer(drain_), [self = Self()](beast::error_code ec, size_t) {
      if (ec) {
        self->Lowest().close(ec);
        return;
      }
      self->Drain();
    });
  }

  std::shared_ptr<State> state_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string head_;  // the answer being written (ADR 0034)
  std::string body_;
  Clock::time_point started_ = Clock::now();
  std::string remote_ = "?";
  std::string remote_ip_;  // for the account allowlist and login throttling
  std::vector<char> drain_;
  bool sent_at_once_ = false;                 // Send's last write went out whole at once
  std::string counted_label_;                 // CountAnswer's cache (ADR 0030)
  Counter* counted_[2] = {nullptr, nullptr};  // ok, error
};

// Accepts connections on one port, each onto its own strand.
class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& io, std::shared_ptr<State> state, bool tls)
      : io_(io),
        strand_(net::make_strand(io)),
        acceptor_(strand_),
        retry_(strand_),
        state_(std::move(state)),
        tls_(tls) {}

  Result<uint16_t> Bind(const tcp::endpoint& endpoint) {
    beast::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
      return Fail(ErrorCode::kUnavailable, "cannot listen on " + endpoint.address().to_string() +
                                               ":" + std::to_string(endpoint.port()) + ": " +
                                               ec.message());
    }
    return acceptor_.local_endpoint().port();
  }

  void Start() {
    net::dispatch(strand_, [self = shared_from_this()] { self->Accept(); });
  }

  void Stop() {
    net::post(strand_, [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
      self->retry_.cancel();
    });
  }

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(io_.get_executor()),
                           net::bind_executor(strand_, [self = shared_from_this()](
                                                           beast::error_code ec, Socket socket) {
                             self->OnAccept(ec, std::move(socket));
                           }));
  }

  void OnAccept(beast::error_code ec, Socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: back off instead of spinning.
      spdlog::warn("http: accept failed: {}", ec.message());
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([self = shared_from_this()](beast::error_code wec) {
        if (!wec) self->Accept();
      });
      return;
    }
    if (state_->stopped.load()) return;  // `socket` closes as it goes out of scope
    if (tls_) {
      std::make_shared<Session<true>>(std::move(socket), state_)->Run();
    } else {
      std::make_shared<Session<false>>(std::move(socket), state_)->Run();
    }
    Accept();
  }

  net::io_context& io_;
  net::strand<net::io_context::executor_type> strand_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_;
  std::shared_ptr<State> state_;
  bool tls_;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(net::io_context& io, HttpOptions options, core::GatewayService& service,
       MetricsRegistry& metrics)
      : io_(io), state_(std::make_shared<State>(std::move(options), service, metrics)) {}

  Result<void> Start() {
    const HttpOptions& o = state_->options;
    beast::error_code ec;
    const auto address = net::ip::make_address(o.bind_address, ec);
    if (ec) return Fail(ErrorCode::kInvalidArgument, "bad bind address '" + o.bind_address + "'");
    if (o.https_enabled) {
      BRAMKA_ASSIGN_OR_RETURN(state_->tls, MakeTlsContext(o));
    }
    auto plain = std::make_shared<Listener>(io_, state_, /*tls=*/false);
    BRAMKA_ASSIGN_OR_RETURN(http_port_, plain->Bind(tcp::endpoint(address, o.http_port)));
    std::shared_ptr<Listener> secure;
    if (o.https_enabled) {
      secure = std::make_shared<Listener>(io_, state_, /*tls=*/true);
      BRAMKA_ASSIGN_OR_RETURN(https_port_, secure->Bind(tcp::endpoint(address, o.https_port)));
    }
    plain->Start();
    listeners_.push_back(plain);
    sweeper_ = std::make_shared<net::steady_timer>(net::make_strand(io_));
    Sweep(sweeper_, state_);
    if (secure) {
      secure->Start();
      listeners_.push_back(secure);
    }
    spdlog::info("http: listening on {}:{} (HTTP){}", o.bind_address, http_port_,
                 secure ? fmt::format(" and {}:{} (HTTPS)", o.bind_address, https_port_) : "");
    return Ok();
  }

  // Once a second: close the connections past their idle (or linger) deadline. Runs until
  // the server is stopped and its last connection gone, so that io_context::run() returns
  // (Stop cancels the wait: a sweep at once, the last one if no connection is left).
  static void Sweep(std::shared_ptr<net::steady_timer> timer, std::weak_ptr<State> weak) {
    timer->expires_after(kSweepInterval);
    timer->async_wait([timer, weak](beast::error_code) {
      auto state = weak.lock();
      if (!state || !state->CloseExpired()) return;
      Sweep(timer, weak);
    });
  }

  void Stop() {
    if (state_->stopped.exchange(true)) return;
    for (auto& l : listeners_) l->Stop();
    listeners_.clear();
    state_->CloseAll();
    if (sweeper_) {
      net::post(sweeper_->get_executor(), [timer = sweeper_] { timer->cancel(); });
    }
  }

  net::io_context& io_;
  std::shared_ptr<State> state_;
  std::vector<std::shared_ptr<Listener>> listeners_;
  std::shared_ptr<net::steady_timer> sweeper_;  // Sweep's timer (ADR 0034)
  uint16_t http_port_ = 0;
  uint16_t https_port_ = 0;
};

HttpServer::HttpServer(net::io_context& io, HttpOptions options, core::GatewayService& service,
                       MetricsRegistry& metrics)
    : impl_(std::make_shared<Impl>(io, std::move(options), service, metrics)) {}

HttpServer::~HttpServer() {
  Stop();
  // Let running actions finish here, so that no worker drops the last
  // reference to the state (whose pool would then join itself).
  impl_->state_->workers.join();
}

Result<void> HttpServer::Start() { return impl_->Start(); }
uint16_t HttpServer::http_port() const { return impl_->http_port_; }
uint16_t HttpServer::https_port() const { return impl_->https_port_; }
void HttpServer::SetReady(bool ready) { impl_->state_->ready.store(ready); }
void HttpServer::Stop() { impl_->Stop(); }
void HttpServer::Mount(std::string path, std::shared_ptr<MountedHandler> handler, bool subtree) {
  impl_->state_->mounts.push_back({std::move(path), subtree, std::move(handler)});
}

}  // namespace bramka::api::http
