#pragma once
// Private to smpp/net: the Asio types behind the public headers.

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include "smpp/net/connection.h"
#include "smpp/net/tls.h"

namespace bramka::smpp::net {

struct TlsContext::Impl {
  explicit Impl(boost::asio::ssl::context::method method) : ctx(method) {}
  boost::asio::ssl::context ctx;
};

// `socket` must be bound to a strand (its executor runs every handler). With `tls`, the
// handshake (server or client side) runs first, bounded by `handshake_timeout`; `ready`
// gets the connection (not started) or the error. `sni_host` names the server (client
// side; also checked against its certificate when the context verifies peers).
void MakeConnection(boost::asio::ip::tcp::socket socket, std::shared_ptr<TlsContext> tls,
                    bool server, const std::string& sni_host, Duration handshake_timeout,
                    SessionOptions session,
                    std::function<void(Result<std::shared_ptr<Connection>>)> ready);

}  // namespace bramka::smpp::net
