#pragma once
// Options of `bramka bench smpp` and `bramka bench http`, their command-line flags
// (CLI11, kept out of this header) and where the target is: --host/--port, or --config
// FILE, which reads bramka.toml and the running serve's <data_dir>/listeners.json (the
// ports it really bound, e.g. with port 0) and, for HTTP, <config dir>/demo-token.txt.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace CLI {
class App;
}

namespace bramka::loadgen {

// How long a run lasts: the first of `count` requests and `duration_s` seconds; at least
// one must be set (> 0).
struct Bounds {
  uint64_t count = 0;
  double duration_s = 0;
};

struct SmppBenchOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string config_path;  // fills host/port when set and --port is not
  bool tls = false;
  std::string system_id = "demo";
  std::string password = "demo";
  uint32_t binds = 1;
  uint32_t window = 1;  // outstanding submit_sm per bind
  Bounds bounds;
  // registered_delivery=1, binds as transceiver, waits for every receipt (answering
  // each deliver_sm) up to receipt_timeout_s after the last submit_sm_resp.
  bool receipts = false;
  double receipt_timeout_s = 60;
  double bind_timeout_s = 60;
  std::string source = "Bramka";      // source_addr (an approved sender; SMSECO = eco)
  std::string destination = "48500";  // destination prefix; a counter fills 11 digits
  std::string text = "bramka bench";
  uint32_t threads = 1;  // I/O threads of the load generator
  bool json = false;
  // > 0: open loop (pacer.h), this many submit_sm per second over all binds; latency
  // counts from each submit_sm's due time. 0: closed loop (window-bound).
  double rate = 0;
};

struct HttpBenchOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  std::string config_path;
  bool tls = false;
  std::string token;          // Bearer token; with --config defaults to demo-token.txt
  std::string token_file;     // or read from a file
  uint32_t connections = 32;  // keep-alive connections, one request outstanding each
  uint32_t recipients = 1;    // phones per send_sms request
  Bounds bounds;              // count = requests
  std::string path = "/messages/send_sms";
  std::string sender;  // empty: ECO
  std::string destination = "48500";
  std::string text = "bramka bench";
  uint32_t threads = 1;
  bool json = false;
  // > 0: open loop (pacer.h), this many requests per second over all connections;
  // latency counts from each request's due time. 0: closed loop.
  double rate = 0;
};

// Adds the flags to a `smpp` / `http` subcommand bound to `o`.
void AddSmppBenchFlags(CLI::App& cmd, SmppBenchOptions& o);
void AddHttpBenchFlags(CLI::App& cmd, HttpBenchOptions& o);

// After parsing: checks the values and resolves the target (--config, token file).
// kInvalidArgument names the flag; kNotFound / kInvalidArgument from the config file.
Result<void> Finish(SmppBenchOptions& o);
Result<void> Finish(HttpBenchOptions& o);

// The ports a running serve wrote to listeners.json ({"http":..,"https":..,"smpp":..,
// "smpp_tls":..}); 0 for a missing key. kInvalidArgument for unparsable text.
struct ListenerPorts {
  uint16_t http = 0, https = 0, smpp = 0, smpp_tls = 0;
};
Result<ListenerPorts> ParseListeners(const std::string& json_text);

// The destination number of the n-th message: `prefix` padded by n's digits to 11
// digits ("48500" + "000042"); the counter wraps within the free digits.
std::string DestinationNumber(const std::string& prefix, uint64_t n);

}  // namespace bramka::loadgen
