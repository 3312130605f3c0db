#include "smpp/net/listener.h"

#include <atomic>

#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "smpp/net/internal.h"

namespace bramka::smpp::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

struct AcceptState : std::enable_shared_from_this<AcceptState> {
  AcceptState(asio::io_context& io_context, ListenerOptions o, Listener::AcceptHandler h)
      : io(io_context),
        strand(asio::make_strand(io_context)),
        acceptor(strand),
        retry(strand),
        options(std::move(o)),
        on_accept(std::move(h)) {}

  void Accept() {
    acceptor.async_accept(asio::make_strand(io),
                          [self = shared_from_this()](error_code ec, tcp::socket socket) {
                            self->OnAccept(ec, std::move(socket));
                          });
  }

  void OnAccept(error_code ec, tcp::socket socket) {
    if (stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      // EMFILE and friends: back off instead of spinning.
      spdlog::warn("smpp listener {}: accept: {}", port, ec.message());
      retry.expires_after(std::chrono::milliseconds(100));
      retry.async_wait([self = shared_from_this()](error_code wec) {
        if (!wec && !self->stopped) self->Accept();
      });
      return;
    }
    std::weak_ptr<AcceptState> weak = shared_from_this();
    MakeConnection(std::move(socket), options.tls, /*server=*/true, {}, options.handshake_timeout,
                   options.session, [weak, port = port](Result<std::shared_ptr<Connection>> r) {
                     if (!r.ok()) {
                       spdlog::info("smpp listener {}: {}", port, r.error().message);
                       return;
                     }
                     auto self = weak.lock();
                     if (!self || self->stopped) {
                       (*r)->Close("listener stopped");
                       return;
                     }
                     self->on_accept(std::move(*r));
                   });
    Accept();
  }

  asio::io_context& io;
  asio::strand<asio::io_context::executor_type> strand;
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  ListenerOptions options;
  Listener::AcceptHandler on_accept;
  uint16_t port = 0;
  std::atomic<bool> stopped{false};
};

class ListenerImpl final : public Listener {
 public:
  explicit ListenerImpl(std::shared_ptr<AcceptState> state) : state_(std::move(state)) {}
  ~ListenerImpl() override { Stop(); }

  uint16_t port() const override { return state_->port; }

  void Stop() override {
    if (state_->stopped.exchange(true)) return;
    asio::post(state_->strand, [st = state_] {
      error_code ignored;
      st->acceptor.close(ignored);
      st->retry.cancel();
    });
  }

 private:
  std::shared_ptr<AcceptState> state_;
};

}  // namespace

Result<std::unique_ptr<Listener>> Listener::Start(asio::io_context& io, ListenerOptions options,
                                                  AcceptHandler on_accept) {
  error_code ec;
  auto address = asio::ip::make_address(options.bind_address, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "bad SMPP bind address '" + options.bind_address + "': " + ec.message());
  }
  options.session.role = Role::kSmsc;
  const tcp::endpoint endpoint(address, options.port);
  auto state = std::make_shared<AcceptState>(io, std::move(options), std::move(on_accept));
  auto& acceptor = state->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Fail(ErrorCode::kUnavailable, "cannot listen for SMPP on " +
                                             endpoint.address().to_string() + ":" +
                                             std::to_string(endpoint.port()) + ": " + ec.message());
  }
  state->port = acceptor.local_endpoint().port();
  asio::post(state->strand, [state] { state->Accept(); });
  return std::unique_ptr<Listener>(new ListenerImpl(std::move(state)));
}

}  // namespace bramka::smpp::net
