#pragma once
// A handler that the composition root mounts on a path of HttpServer (exactly,
// or with everything below it), for ways in that share the HTTP listeners but
// not the API v2 wire format (api/soap at /soap, the web panel under /panel). The server still does
// everything HTTP: TLS, body limits, keep-alive, timeouts, metrics; the handler sees the decoded
// request and returns the whole answer. It lets api/http stay free of any dependency on what is
// mounted.
//
// Thread-safety: Handle and TooLarge may be called from several threads at
// once (the server's worker pool and I/O threads).

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bramka::api::http {

struct MountedRequest {
  std::string method;  // "GET", "POST", ... (any method: the handler decides)
  std::string path;    // as requested, without the query, e.g. "/soap"
  std::string query;   // after '?', undecoded ("wsdl")
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  // Three headers as sent, for convenience (also in `headers`).
  std::string content_type;
  std::string authorization;
  std::string host;  // for absolute URLs in answers
  bool tls = false;  // arrived on the HTTPS listener
  std::string body;
  std::string remote_ip;       // the bare client address (allowlists, throttling)
  std::string remote_address;  // "address:port", for logs

  // The first header of that (lower-case) name; empty when absent.
  std::string_view Header(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k == name) return v;
    }
    return {};
  }
};

struct MountedResponse {
  int status = 200;
  std::string content_type;  // set when not empty (or give it in `headers`)
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // For bramka_http_requests_total{action,result}: a bounded label set; empty =
  // the mount's path without its '/'.
  std::string metric_label;
  bool error = false;  // counted as result="error" (else "ok" below 400, else the status)
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
