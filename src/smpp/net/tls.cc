#include "smpp/net/tls.h"

#include <boost/asio/ssl/context.hpp>

#include "smpp/net/internal.h"

namespace bramka::smpp::net {

namespace ssl = boost::asio::ssl;

TlsContext::TlsContext(std::unique_ptr<Impl> impl, bool verify_peer)
    : impl_(std::move(impl)), verify_peer_(verify_peer) {}
TlsContext::~TlsContext() = default;

namespace {

Result<void> RequireTls12(ssl::context& ctx) {
  boost::system::error_code ec;
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                      ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                      ssl::context::single_dh_use,
                  ec);
  if (ec || SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
    return Fail(ErrorCode::kInternal, "cannot require TLS 1.2");
  }
  return Ok();
}

}  // namespace

Result<std::shared_ptr<TlsContext>> TlsContext::Server(const std::string& cert_file,
                                                       const std::string& key_file) {
  if (cert_file.empty() || key_file.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "SMPP over TLS needs a certificate and a key file");
  }
  auto impl = std::make_unique<Impl>(ssl::context::tls_server);
  BRAMKA_RETURN_IF_ERROR(RequireTls12(impl->ctx));
  boost::system::error_code ec;
  impl->ctx.use_certificate_chain_file(cert_file, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load certificate " + cert_file + ": " + ec.message());
  }
  impl->ctx.use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument,
                "cannot load private key " + key_file + ": " + ec.message());
  }
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl), false));
}

Result<std::shared_ptr<TlsContext>> TlsContext::Client(bool verify_peer,
                                                       const std::string& ca_file) {
  auto impl = std::make_unique<Impl>(ssl::context::tls_client);
  BRAMKA_RETURN_IF_ERROR(RequireTls12(impl->ctx));
  boost::system::error_code ec;
  if (verify_peer) {
    if (ca_file.empty()) {
      impl->ctx.set_default_verify_paths(ec);
    } else {
      impl->ctx.load_verify_file(ca_file, ec);
    }
    if (ec) {
      return Fail(ErrorCode::kInvalidArgument,
                  "cannot load CA certificates " + ca_file + ": " + ec.message());
    }
    impl->ctx.set_verify_mode(ssl::verify_peer);
  } else {
    impl->ctx.set_verify_mode(ssl::verify_none);
  }
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl), verify_peer));
}

}  // namespace bramka::smpp::net
