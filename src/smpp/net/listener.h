#pragma once
// Listener: accepts SMPP connections (plain TCP, or TLS when a TlsContext is given) and
// hands each one over as a Connection in kOpen, not yet started (see connection.h).
//
// Thread-safety: Start/Stop/port from any thread; `on_accept` runs on an io_context
// thread. Accept errors (EMFILE...) are retried after a short delay, never fatal.
// TLS handshakes that fail or exceed `handshake_timeout` are dropped silently (logged).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "smpp/net/connection.h"

namespace bramka::smpp::net {

struct ListenerOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;                // 0: any free port (see Listener::port())
  std::shared_ptr<TlsContext> tls;  // null: plain TCP
  Duration handshake_timeout = std::chrono::seconds(10);
  SessionOptions session;  // role is forced to kSmsc
};

class Listener {
 public:
  using AcceptHandler = std::function<void(std::shared_ptr<Connection>)>;

  // Binds and starts accepting. kInvalidArgument for a bad address, kUnavailable when the
  // port cannot be bound.
  static Result<std::unique_ptr<Listener>> Start(boost::asio::io_context& io,
                                                 ListenerOptions options, AcceptHandler on_accept);
  virtual ~Listener() = default;

  // The bound port (the real one when options.port was 0).
  virtual uint16_t port() const = 0;
  // Stops accepting; connections already handed over are not touched. Idempotent.
  virtual void Stop() = 0;
};

}  // namespace bramka::smpp::net
