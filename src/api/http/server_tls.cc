// The HTTPS port's TLS context (server_state.h).
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/error.hpp>

#include "api/http/server_state.h"

namespace bramka::api::http::server_internal {

namespace ssl = boost::asio::ssl;

Result<std::unique_ptr<ssl::context>> MakeTlsContext(const HttpOptions& options) {
  if (options.cert_file.empty() || options.key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "HTTPS needs a certificate and a key file");
  }
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  boost::beast::error_code ec;
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::single_dh_use,
                   ec);
  if (!ec && SSL_CTX_set_min_proto_version(ctx->native_handle(), TLS1_2_VERSION) != 1) {
    return Fail(ErrorCode::kInternal, "cannot require TLS 1.2");
  }
  if (!ec) ctx->use_certificate_chain_file(options.cert_file, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load certificate " + options.cert_file + ": " + ec.message());
  }
  ctx->use_private_key_file(options.key_file, ssl::context::pem, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load private key " + options.key_file + ": " + ec.message());
  }
  return ctx;
}

}  // namespace bramka::api::http::server_internal
