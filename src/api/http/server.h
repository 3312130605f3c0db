#pragma once
// HttpServer: the HTTP/1.1 and HTTPS listeners of the API v2 (spec §1), plus
// GET /healthz and GET /metrics. Beast and Asio stay behind a pimpl so that
// including this header costs nothing.
//
// Behaviour:
//  * Keep-alive; requests on one connection are answered strictly in order
//    (one at a time: a pipelined request waits in the read buffer).
//  * API actions on POST and GET, any path; API-level errors always with
//    HTTP 200 (spec §1.6). Transport failures: 400 (unparseable HTTP), 405
//    (other methods), 413 (body over max_body_bytes; JSON error 1011), each
//    followed by closing the connection.
//  * `Expect: 100-continue` is answered with 100 Continue before the body
//    is read (after the size check, so an oversized upload gets 413 instead).
//  * Reads time out after idle_timeout_s (slow clients and idle keep-alive
//    connections are closed); a pending send holds no timer.
//  * HTTPS: TLS 1.2 and 1.3 only, certificate chain and key from PEM files.
//  * Metrics: bramka_http_requests_total{action,result} (result = ok, error,
//    or the HTTP status for transport failures) and the latency histogram
//    bramka_http_request_duration_seconds.
//
// Threading: the io_context may run on any number of threads. Each
// connection works on its own strand; send completions arrive on a core
// thread and are posted back to the connection's strand.
// Ownership: the io_context, GatewayService and MetricsRegistry must outlive
// the server. Stop() (or the destructor) closes the listeners and every
// connection (asynchronously, on their strands). A send still committing
// counts as outstanding work on the io_context until its completion has been
// posted back, so io_context::run() returns only after every in-flight send
// is answered (into a closed connection, if Stop() closed it); if the
// io_context is stopped or destroyed first, the store must not complete a
// pending send afterwards.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/actions.h"
#include "api/http/errors.h"
#include "api/http/mount.h"
#include "common/result.h"

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace bramka {
class MetricsRegistry;
}  // namespace bramka

namespace bramka::core {
class GatewayService;
}  // namespace bramka::core

namespace bramka::api::http {

struct HttpOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t http_port = 8080;  // 0 = an ephemeral port (tests)
  bool https_enabled = true;
  uint16_t https_port = 8443;
  std::string cert_file;  // PEM certificate chain; required when https_enabled
  std::string key_file;   // PEM private key
  size_t max_body_bytes = 32 << 20;
  int idle_timeout_s = 60;
  int worker_threads = 2;                 // run every request but token-authenticated sends
  Language language = Language::kPolish;  // of API error messages
  BillingInfo billing;                    // the seller on invoices
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpOptions options, core::GatewayService& service,
             MetricsRegistry& metrics);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Loads the TLS certificate (if enabled), binds and starts accepting.
  // Errors: kInvalidArgument (bad bind address, unreadable certificate or
  // key), kUnavailable (the port is taken or cannot be bound).
  Result<void> Start();

  // The bound ports (the real ones when 0 was asked for); 0 before Start()
  // and for HTTPS when it is disabled.
  uint16_t http_port() const;
  uint16_t https_port() const;

  // /healthz answers 200 {"status":"ok"} once ready, 503 before.
  void SetReady(bool ready);

  // Stops accepting and closes every open connection. Idempotent.
  void Stop();

  // ---- mounted handlers (mount.h: api/soap at /soap, the web panel under /panel) ----
  // Before Start(): requests (any method) for exactly `path` (query aside), or with
  // `subtree` also for every path below `path/`, go to `handler` instead of the API v2
  // actions; an oversized body gets handler->TooLarge().
  void Mount(std::string path, std::shared_ptr<MountedHandler> handler, bool subtree = false);

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace bramka::api::http
