#pragma once
// `bramka bench http`: an API v2 load generator (plain TCP on bare sockets, docs/adr/0042;
// a Boost.Beast client over TLS). It
// opens `connections` keep-alive connections, each with one `messages/send_sms` request
// outstanding (`recipients` phones each), until `count` requests were sent or
// `duration_s` passed, and measures request latency and outcomes (HTTP status, API
// error code). A connection the server closes is opened again.
//
// Blocking: runs its own io_context on `threads` threads (plain TCP: one single-threaded
// io_context per thread, connections spread over them). Raises RLIMIT_NOFILE first.

#include <cstdint>
#include <string>

#include "common/result.h"
#include "loadgen/options.h"
#include "loadgen/report.h"

namespace bramka::loadgen {

// kUnavailable when the address cannot be resolved; otherwise the report.
Result<HttpBenchReport> RunHttpBench(const HttpBenchOptions& options);

// The JSON body of the n-th request: {"phone":"48500000042","text":...} (a list of
// `recipients` phones when more than one), with "sender" when set.
std::string SendSmsBody(const HttpBenchOptions& options, uint64_t n);
// The same built with nlohmann::json every time (also for one recipient).
std::string SendSmsBodyList(const HttpBenchOptions& options, uint64_t n);

// SendSmsBody for a whole run: with one recipient the part after the phone is built once
// (ADR 0030: the generator's own CPU per request).
class BodyMaker {
 public:
  explicit BodyMaker(const HttpBenchOptions& options);
  std::string Make(uint64_t n) const;

 private:
  const HttpBenchOptions& o_;
  std::string rest_;
};

// ---- http (session 6): the request on the wire, rendered by hand (no Beast serializer
// per request). RequestHeadPrefix is everything up to Content-Length's value, built once
// per connection; AppendRequest appends the whole request (length, blank line, body).
std::string RequestHeadPrefix(const HttpBenchOptions& options);
void AppendRequest(std::string& wire, std::string_view prefix, std::string_view body);

}  // namespace bramka::loadgen
