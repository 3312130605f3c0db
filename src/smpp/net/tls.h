#pragma once
// TLS settings for SMPP over TLS (bramka's SMPP server on its TLS port, SMSC connectors
// that bind over TLS). TLS 1.2 is the minimum in both directions.
//
// A TlsContext wraps an OpenSSL context; it is immutable once made and may be shared by
// any number of connections on any threads (hold it by shared_ptr for as long as a
// Listener or Connect uses it). Asio stays out of this header.

#include <memory>
#include <string>

#include "common/result.h"

namespace bramka::smpp::net {

class TlsContext {
 public:
  // A server context from PEM files. kInvalidArgument when a file cannot be loaded.
  static Result<std::shared_ptr<TlsContext>> Server(const std::string& cert_file,
                                                    const std::string& key_file);
  // A client context. `verify_peer` checks the server's certificate against `ca_file`
  // (or the system store when empty) and its name against the host given to Connect.
  static Result<std::shared_ptr<TlsContext>> Client(bool verify_peer,
                                                    const std::string& ca_file = {});

  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  struct Impl;
  Impl& impl() { return *impl_; }
  bool verify_peer() const { return verify_peer_; }

 private:
  explicit TlsContext(std::unique_ptr<Impl> impl, bool verify_peer);
  std::unique_ptr<Impl> impl_;
  bool verify_peer_ = false;
};

}  // namespace bramka::smpp::net
