// The Asio loop around smpp::Session (see connection.h and smpp/README.md).

#include "smpp/net/connection.h"

#include <array>
#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>

#include "smpp/net/internal.h"

namespace bramka::smpp::net {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::atomic<uint64_t> g_next_connection_id{1};

// How long queued bytes (an unbind_resp, a last generic_nack) may take to flush after the
// session asked to close.
constexpr Duration kCloseLinger = std::chrono::seconds(2);

TimePoint Now() { return std::chrono::steady_clock::now(); }

// The connection whose strand this thread is running now (perf, docs/adr/0024): Respond()
// from inside a handler runs inline as before; from any other thread it joins a batch.
thread_local const void* t_on_strand = nullptr;

class OnStrand {
 public:
  explicit OnStrand(const void* conn) : saved_(t_on_strand) { t_on_strand = conn; }
  ~OnStrand() { t_on_strand = saved_; }
  OnStrand(const OnStrand&) = delete;
  OnStrand& operator=(const OnStrand&) = delete;

 private:
  const void* saved_;
};

tcp::socket& Lowest(tcp::socket& s) { return s; }
tcp::socket& Lowest(ssl::stream<tcp::socket>& s) { return s.next_layer(); }

template <typename Stream>
class ConnectionImpl final : public Connection,
                             public std::enable_shared_from_this<ConnectionImpl<Stream>> {
 public:
  ConnectionImpl(Stream stream, bool tls, SessionOptions options)
      : stream_(std::move(stream)),
        timer_(Lowest(stream_).get_executor()),
        session_(options, Now()) {
    error_code ec;
    auto& sock = Lowest(stream_);
    info_.id = g_next_connection_id.fetch_add(1);
    info_.tls = tls;
    auto remote = sock.remote_endpoint(ec);
    if (!ec) {
      info_.remote_address = remote.address().to_string();
      info_.remote_port = remote.port();
    }
    auto local = sock.local_endpoint(ec);
    if (!ec) {
      info_.local_address = local.address().to_string();
      info_.local_port = local.port();
    }
    sock.set_option(tcp::no_delay(true), ec);
  }

  // TLS handshake (no-op for plain TCP), bounded by `timeout`.
  void Handshake(bool server, const std::string& sni_host, Duration timeout,
                 std::function<void(error_code)> done) {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      (void)server, (void)sni_host, (void)timeout;
      done({});
    } else {
      if (!server && !sni_host.empty()) {
        SSL_set_tlsext_host_name(stream_.native_handle(), sni_host.c_str());
        stream_.set_verify_callback(ssl::host_name_verification(sni_host));
      }
      auto self = this->shared_from_this();
      timer_.expires_after(timeout);
      timer_.async_wait([self](error_code ec) {
        if (!ec) {
          error_code ignored;
          Lowest(self->stream_).close(ignored);
        }
      });
      stream_.async_handshake(server ? ssl::stream_base::server : ssl::stream_base::client,
                              [self, done = std::move(done)](error_code ec) {
                                self->timer_.cancel();
                                done(ec);
                              });
    }
  }

  void Start(Handlers handlers) override {
    Dispatch([this, handlers = std::move(handlers)]() mutable {
      if (started_) return;
      started_ = true;
      handlers_ = std::move(handlers);
      if (closed_) {
        if (handlers_.on_closed) handlers_.on_closed(close_reason_);
        handlers_ = {};
        return;
      }
      DoRead();
      Drain();
    });
  }

  void SendRequest(Pdu request, uint64_t context,
                   std::function<void(Result<uint32_t>)> sent) override {
    Dispatch([this, request = std::move(request), context, sent = std::move(sent)]() mutable {
      if (closed_) {
        if (sent) sent(Fail(ErrorCode::kUnavailable, "connection closed"));
        return;
      }
      Result<uint32_t> r = session_.SendRequest(std::move(request), Now(), context);
      if (sent) sent(std::move(r));
      Drain();
    });
  }

  // On the strand (inside a handler or Post): answered at once, as always. From another
  // thread (the store's completion thread answering submits): the responses that arrive
  // before the strand gets to them are answered together, one Drain and one socket write
  // for all of them instead of a strand hop and a write each (docs/adr/0024).
  void Respond(Pdu response) override {
    if (t_on_strand == this) {
      RespondNow(std::move(response));
      Drain();
      return;
    }
    bool first = false;
    {
      std::lock_guard lock(respond_mu_);
      first = respond_queue_.empty();
      respond_queue_.push_back(std::move(response));
    }
    // Posted, not dispatched: from an I/O thread (the store's CompletionHome runs the
    // submits' completions there, docs/adr/0067) a dispatch would run at once and write each
    // answer of a burst alone; posted, the burst's answers still go out in one write.
    if (first) {
      asio::post(Lowest(stream_).get_executor(), [self = this->shared_from_this()] {
        OnStrand on(self.get());
        self->RespondQueued();
      });
    }
  }

  void Unbind() override {
    Dispatch([this] {
      if (closed_) return;
      if (!session_.Unbind(Now()).ok()) session_.Close("unbind while not bound");
      Drain();
    });
  }

  void Close(std::string detail) override {
    Dispatch([this, detail = std::move(detail)]() mutable {
      if (closed_) return;
      session_.Close(detail);
      Drain();
      // Inside a handler the running Drain() processes the Close action (and flushes).
      if (!closed_ && !closing_ && !draining_) FinishClose("closed locally: " + detail);
    });
  }

  void Post(std::function<void()> fn) override {
    asio::post(Lowest(stream_).get_executor(),
               [self = this->shared_from_this(), fn = std::move(fn)] {
                 OnStrand on(self.get());
                 self->RunGathered(fn);
               });
  }

  const ConnectionInfo& info() const override { return info_; }
  SessionState state() const override { return session_.state(); }
  uint32_t WindowAvailable() const override { return session_.WindowAvailable(); }

 private:
  template <typename Fn>
  void Dispatch(Fn&& fn) {
    asio::dispatch(Lowest(stream_).get_executor(),
                   [self = this->shared_from_this(), fn = std::forward<Fn>(fn)]() mutable {
                     OnStrand on(self.get());
                     fn();
                   });
  }

  // smppcli (docs/adr/0068): the commands `fn` runs (a hop's submit_sm, a batch of
  // receipts' deliver_sm_resp) queue their actions, and one Drain after it runs them and
  // starts one write for all, instead of the first command's Drain writing its PDU alone
  // and the rest going out in a second write once that one completed. (Post's task never
  // runs inside a Drain; if it did, the running Drain would pick the actions up as before.)
  void RunGathered(const std::function<void()>& fn) {
    if (draining_ || closed_) {
      fn();
      return;
    }
    draining_ = true;  // Drain() calls from the commands return at once (re-entrant)
    fn();
    draining_ = false;
    Drain();
  }

  void RespondNow(Pdu response) {
    if (closed_) return;
    const uint32_t seq = response.sequence_number;
    Result<void> r = session_.Respond(std::move(response), Now());
    if (!r.ok()) {
      spdlog::debug("smpp conn {}: respond seq={}: {}", info_.id, seq, r.error().ToString());
    }
  }

  void RespondQueued() {
    std::vector<Pdu> batch;
    {
      std::lock_guard lock(respond_mu_);
      batch.swap(respond_queue_);
    }
    if (closed_) return;
    for (Pdu& response : batch) RespondNow(std::move(response));
    Drain();
  }

  void DoRead() {
    stream_.async_read_some(asio::buffer(read_buf_),
                            [self = this->shared_from_this()](error_code ec, size_t n) {
                              OnStrand on(self.get());
                              self->OnRead(ec, n);
                            });
  }

  void OnRead(error_code ec, size_t n) {
    if (closed_) return;
    if (ec) {
      Disconnect(ec == asio::error::eof ? "peer closed the connection" : "read: " + ec.message());
      return;
    }
    session_.OnBytes(std::string_view(read_buf_.data(), n), Now());
    Drain();
    if (!closed_ && !closing_) DoRead();
  }

  // Runs every queued session action; re-entrant calls (a handler calling Respond) return
  // at once and the outer loop picks up what they queued.
  void Drain() {
    if (draining_ || closed_) return;
    draining_ = true;
    for (;;) {
      while (!closed_) {
        std::optional<Action> next = session_.NextAction();
        if (!next) break;
        std::visit([this](auto& a) { this->Handle(a); }, *next);
      }
      // accept (ADR 0032): the requests of this burst are all handed over; what the
      // handler queues (answers, a close) is drained by the next turn of the loop.
      if (closed_ || !requests_since_drained_ || !handlers_.on_requests_drained) break;
      requests_since_drained_ = false;
      handlers_.on_requests_drained();
    }
    requests_since_drained_ = false;
    draining_ = false;
    if (closed_) return;
    if (disconnected_) {
      FinishClose(close_reason_);
      return;
    }
    StartWrite();
    if (closing_ && !writing_) {
      FinishClose(close_reason_);
      return;
    }
    ArmTimer();
  }

  void Handle(action::Send& a) { write_pending_ += a.bytes; }
  void Handle(action::RequestReceived& a) {
    requests_since_drained_ = true;
    if (handlers_.on_request) handlers_.on_request(std::move(a.pdu));
  }
  void Handle(action::ResponseReceived& a) {
    if (handlers_.on_response) handlers_.on_response(std::move(a.pdu), a.context);
  }
  void Handle(action::RequestFailed& a) {
    if (handlers_.on_request_failed) handlers_.on_request_failed(a);
  }
  void Handle(action::StateChanged& a) {
    if (handlers_.on_state) handlers_.on_state(a.from, a.to);
  }
  void Handle(action::Warning& a) {
    if (handlers_.on_warning) {
      handlers_.on_warning(a.message);
    } else {
      spdlog::debug("smpp conn {}: {}", info_.id, a.message);
    }
  }
  void Handle(action::Close& a) {
    if (closing_) return;
    closing_ = true;
    linger_until_ = Now() + kCloseLinger;
    close_reason_ = std::string(CloseReasonName(a.reason));
    if (!a.detail.empty()) close_reason_ += ": " + a.detail;
  }

  void StartWrite() {
    if (writing_ || write_pending_.empty() || closed_) return;
    writing_ = true;
    write_inflight_.swap(write_pending_);
    write_pending_.clear();
    asio::async_write(stream_, asio::buffer(write_inflight_),
                      [self = this->shared_from_this()](error_code ec, size_t) {
                        OnStrand on(self.get());
                        self->OnWrite(ec);
                      });
  }

  void OnWrite(error_code ec) {
    writing_ = false;
    write_inflight_.clear();
    if (closed_) return;
    if (ec) {
      Disconnect("write: " + ec.message());
      return;
    }
    StartWrite();
    if (closing_ && !writing_) FinishClose(close_reason_);
  }

  // The transport failed: the session learns it, its last actions (failed requests,
  // state change) go out, then the socket is closed.
  void Disconnect(std::string reason) {
    if (closed_) return;
    if (!closing_) close_reason_ = std::move(reason);
    disconnected_ = true;
    session_.OnDisconnected(Now());
    if (draining_) return;  // the running Drain finishes the close
    Drain();
    if (!closed_) FinishClose(close_reason_);
  }

  void ArmTimer() {
    std::optional<TimePoint> deadline = session_.NextDeadline();
    if (closing_ && (!deadline || linger_until_ < *deadline)) deadline = linger_until_;
    if (!deadline) {
      if (armed_) timer_.cancel();
      armed_.reset();
      return;
    }
    // smppcli (docs/adr/0068): a timer that fires no later than needed stays. The next
    // deadline moves later with nearly every burst (the oldest outstanding request was
    // answered), and re-arming it each time cost a cancel (an aborted wait run as a
    // handler) and a timerfd_settime per Drain; one that fires early finds nothing due in
    // Session::OnTimer and is armed again for the real deadline.
    if (armed_ && *armed_ <= *deadline) return;
    armed_ = deadline;
    timer_.expires_at(*deadline);
    timer_.async_wait([self = this->shared_from_this(), at = *deadline](error_code ec) {
      if (ec || self->closed_ || self->armed_ != at) return;
      OnStrand on(self.get());
      self->armed_.reset();
      self->OnTimer();
    });
  }

  void OnTimer() {
    const TimePoint now = Now();
    if (closing_ && now >= linger_until_) {
      FinishClose(close_reason_ + " (unflushed writes dropped)");
      return;
    }
    session_.OnTimer(now);
    Drain();
  }

  void FinishClose(const std::string& reason) {
    if (closed_) return;
    closed_ = true;
    close_reason_ = reason;
    timer_.cancel();
    error_code ignored;
    Lowest(stream_).shutdown(tcp::socket::shutdown_both, ignored);
    Lowest(stream_).close(ignored);
    if (!started_) return;  // Start() reports it
    Handlers h = std::move(handlers_);
    handlers_ = {};
    if (h.on_closed) h.on_closed(reason);
  }

  Stream stream_;
  asio::steady_timer timer_;
  Session session_;
  Handlers handlers_;
  ConnectionInfo info_;
  std::array<char, 16 * 1024> read_buf_{};
  std::string write_pending_;
  std::string write_inflight_;
  std::mutex respond_mu_;
  std::vector<Pdu> respond_queue_;  // Respond() from other threads, not yet on the strand
  std::optional<TimePoint> armed_;
  TimePoint linger_until_{};
  std::string close_reason_;
  bool started_ = false;
  bool draining_ = false;
  bool requests_since_drained_ = false;  // accept (ADR 0032)
  bool writing_ = false;
  bool closing_ = false;       // the session asked to close; flushing writes
  bool disconnected_ = false;  // the transport failed
  bool closed_ = false;        // socket closed, on_closed delivered
};

}  // namespace

void MakeConnection(tcp::socket socket, std::shared_ptr<TlsContext> tls, bool server,
                    const std::string& sni_host, Duration handshake_timeout, SessionOptions session,
                    std::function<void(Result<std::shared_ptr<Connection>>)> ready) {
  if (!tls) {
    ready(std::shared_ptr<Connection>(
        std::make_shared<ConnectionImpl<tcp::socket>>(std::move(socket), false, session)));
    return;
  }
  using TlsStream = ssl::stream<tcp::socket>;
  auto conn = std::make_shared<ConnectionImpl<TlsStream>>(
      TlsStream(std::move(socket), tls->impl().ctx), true, session);
  conn->Handshake(server, sni_host, handshake_timeout,
                  [conn, tls, ready = std::move(ready)](error_code ec) {
                    if (ec) {
                      ready(Fail(ErrorCode::kUnavailable, "TLS handshake: " + ec.message()));
                      return;
                    }
                    ready(std::shared_ptr<Connection>(conn));
                  });
}

namespace {

struct ConnectState {
  ConnectState(asio::io_context& io, ConnectOptions o,
               std::function<void(Result<std::shared_ptr<Connection>>)> d)
      : strand(asio::make_strand(io)),
        resolver(strand),
        socket(strand),
        timer(strand),
        options(std::move(o)),
        done(std::move(d)) {}

  void Finish(Result<std::shared_ptr<Connection>> r) {
    if (finished) return;
    finished = true;
    timer.cancel();
    done(std::move(r));
  }

  asio::strand<asio::io_context::executor_type> strand;
  tcp::resolver resolver;
  tcp::socket socket;
  asio::steady_timer timer;
  ConnectOptions options;
  std::function<void(Result<std::shared_ptr<Connection>>)> done;
  bool finished = false;
  bool timed_out = false;
};

}  // namespace

void Connect(asio::io_context& io, ConnectOptions options,
             std::function<void(Result<std::shared_ptr<Connection>>)> done) {
  auto st = std::make_shared<ConnectState>(io, std::move(options), std::move(done));
  st->options.session.role = Role::kEsme;
  asio::dispatch(st->strand, [st] {
    st->timer.expires_after(st->options.connect_timeout);
    st->timer.async_wait([st](error_code ec) {
      if (ec) return;
      st->timed_out = true;
      st->resolver.cancel();
      error_code ignored;
      st->socket.close(ignored);
    });
    const std::string where = st->options.host + ":" + std::to_string(st->options.port);
    st->resolver.async_resolve(
        st->options.host, std::to_string(st->options.port),
        [st, where](error_code ec, tcp::resolver::results_type results) {
          if (ec) {
            st->Finish(
                Fail(ErrorCode::kUnavailable,
                     "resolve " + where + ": " + (st->timed_out ? "timeout" : ec.message())));
            return;
          }
          asio::async_connect(
              st->socket, results, [st, where](error_code cec, const tcp::endpoint&) {
                if (cec) {
                  st->Finish(Fail(
                      ErrorCode::kUnavailable,
                      "connect " + where + ": " + (st->timed_out ? "timeout" : cec.message())));
                  return;
                }
                // The handshake has its own bound (the rest of connect_timeout is close
                // enough); stop the connect timer so it cannot close the handed-over socket.
                st->timer.cancel();
                MakeConnection(
                    std::move(st->socket), st->options.tls, /*server=*/false, st->options.host,
                    st->options.connect_timeout, st->options.session,
                    [st](Result<std::shared_ptr<Connection>> r) { st->Finish(std::move(r)); });
              });
        });
  });
}

}  // namespace bramka::smpp::net
