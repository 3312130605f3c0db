#pragma once
// A handler that the composition root mounts on one exact path of HttpServer,
// for ways in that share the HTTP listeners but not the API v2 wire format
// (api/soap at /soap). The server still does everything HTTP: TLS, body
// limits, keep-alive, timeouts, metrics; the handler sees the decoded request
// and returns the whole answer. It lets api/http stay free of any dependency
// on what is mounted.
//
// Thread-safety: Handle and TooLarge may be called from several threads at
// once (the server's worker pool and I/O threads).

#include <functional>
#include <string>

namespace bramka::api::http {

struct MountedRequest {
  std::string method;  // "GET" or "POST" (other methods get 405 before this)
  std::string path;    // as requested, e.g. "/soap"
  std::string query;   // after '?', undecoded ("wsdl")
  std::string content_type;
  std::string authorization;  // the Authorization header as sent
  std::string host;           // the Host header, for absolute URLs in answers
  bool tls = false;           // arrived on the HTTPS listener
  std::string body;
  std::string remote_ip;       // the bare client address (allowlists, throttling)
  std::string remote_address;  // "address:port", for logs
};

struct MountedResponse {
  unsigned status = 200;
  std::string content_type;
  std::string body;
  // For bramka_http_requests_total{action,result}: a bounded label set.
  std::string metric_label;
  bool error = false;  // counted as result="error"
};

class MountedHandler {
 public:
  virtual ~MountedHandler() = default;

  // Runs on a worker thread; calls `done` exactly once, from any thread.
  virtual void Handle(MountedRequest request, std::function<void(MountedResponse)> done) = 0;

  // The answer to a request whose body is over the server's limit (sent
  // before the body is read; the server then closes the connection).
  virtual MountedResponse TooLarge() const = 0;
};

}  // namespace bramka::api::http
