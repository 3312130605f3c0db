#include "loadgen/options.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "config/config.h"

namespace bramka::loadgen {
namespace {

void AddCommon(CLI::App& cmd, std::string& host, uint16_t& port, std::string& config, bool& tls,
               Bounds& bounds, uint32_t& threads, bool& json) {
  cmd.add_option("--host", host, "Server address (default 127.0.0.1)");
  cmd.add_option("--port", port, "Server port (default: from --config)");
  cmd.add_option("--config", config,
                 "bramka.toml: take the address and ports from it (and from the running "
                 "serve's listeners.json)");
  cmd.add_flag("--tls", tls, "Use TLS (the TLS port of --config)");
  cmd.add_option("--count", bounds.count, "Stop after this many requests");
  cmd.add_option("--duration", bounds.duration_s, "Stop after this many seconds");
  cmd.add_option("--threads", threads, "I/O threads of the load generator (default 1)");
  cmd.add_flag("--json", json, "Print one JSON object instead of text");
}

void AddRate(CLI::App& cmd, double& rate, const char* what) {
  cmd.add_option("--rate", rate,
                 std::string("Open loop: this many ") + what +
                     " per second in total, latency from each one's due time "
                     "(default 0: closed loop, as fast as answers come back)");
}

Result<void> CheckRate(double rate) {
  if (!(rate >= 0) || rate > 10'000'000) {
    return Fail(ErrorCode::kInvalidArgument, "--rate must be between 0 and 10000000");
  }
  return {};
}

Result<void> CheckBounds(const Bounds& b) {
  if (b.count == 0 && b.duration_s <= 0) {
    return Fail(ErrorCode::kInvalidArgument, "give --count N and/or --duration S (> 0)");
  }
  if (b.duration_s < 0) return Fail(ErrorCode::kInvalidArgument, "--duration must be >= 0");
  return {};
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Fail(ErrorCode::kNotFound, "cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

std::string ClientAddress(const std::string& bind) {
  return bind == "0.0.0.0" || bind == "::" || bind.empty() ? "127.0.0.1" : bind;
}

// The serve's listeners.json when it exists (ports really bound), else nullopt.
Result<std::optional<ListenerPorts>> RunningPorts(const config::Config& c) {
  auto path = std::filesystem::path(c.Resolve(c.data_dir)) / "listeners.json";
  if (!std::filesystem::exists(path)) return std::optional<ListenerPorts>{};
  BRAMKA_ASSIGN_OR_RETURN(auto text, ReadFile(path.string()));
  BRAMKA_ASSIGN_OR_RETURN(auto ports, ParseListeners(text));
  return std::optional<ListenerPorts>{ports};
}

}  // namespace

void AddSmppBenchFlags(CLI::App& cmd, SmppBenchOptions& o) {
  AddCommon(cmd, o.host, o.port, o.config_path, o.tls, o.bounds, o.threads, o.json);
  cmd.add_option("--system-id", o.system_id, "SMPP user (default demo)");
  cmd.add_option("--password", o.password, "Its password (default demo)");
  cmd.add_option("--binds", o.binds, "Concurrent binds (default 1)");
  cmd.add_option("--window", o.window, "Outstanding submit_sm per bind (default 1)");
  cmd.add_flag("--receipts", o.receipts,
               "registered_delivery=1, bind as transceiver, wait for every receipt");
  cmd.add_option("--receipt-timeout", o.receipt_timeout_s,
                 "Seconds to wait for receipts after the last submit_sm_resp (default 60)");
  cmd.add_option("--bind-timeout", o.bind_timeout_s, "Seconds for all binds (default 60)");
  cmd.add_option("--source", o.source, "source_addr (default Bramka; SMSECO = eco)");
  cmd.add_option("--destination", o.destination, "Destination prefix (default 48500)");
  cmd.add_option("--text", o.text, "short_message");
  AddRate(cmd, o.rate, "submit_sm");
}

void AddHttpBenchFlags(CLI::App& cmd, HttpBenchOptions& o) {
  AddCommon(cmd, o.host, o.port, o.config_path, o.tls, o.bounds, o.threads, o.json);
  cmd.add_option("--token", o.token, "API token (default: demo-token.txt beside --config)");
  cmd.add_option("--token-file", o.token_file, "Read the API token from this file");
  cmd.add_option("--connections", o.connections,
                 "Keep-alive connections, one request outstanding each (default 32)");
  cmd.add_option("--recipients", o.recipients, "Phones per send_sms request (default 1)");
  cmd.add_option("--sender", o.sender, "Sender name (default: none, i.e. ECO)");
  cmd.add_option("--destination", o.destination, "Destination prefix (default 48500)");
  cmd.add_option("--text", o.text, "Message text");
  AddRate(cmd, o.rate, "requests");
}

Result<void> Finish(SmppBenchOptions& o) {
  BRAMKA_RETURN_IF_ERROR(CheckBounds(o.bounds));
  BRAMKA_RETURN_IF_ERROR(CheckRate(o.rate));
  if (o.binds == 0) return Fail(ErrorCode::kInvalidArgument, "--binds must be >= 1");
  if (o.window == 0) return Fail(ErrorCode::kInvalidArgument, "--window must be >= 1");
  if (o.threads == 0) return Fail(ErrorCode::kInvalidArgument, "--threads must be >= 1");
  if (o.system_id.empty() || o.system_id.size() > 15) {
    return Fail(ErrorCode::kInvalidArgument, "--system-id: 1 to 15 characters");
  }
  if (o.password.size() > 8) {
    return Fail(ErrorCode::kInvalidArgument, "--password: at most 8 characters (SMPP 3.4)");
  }
  if (o.destination.size() > 10) {
    return Fail(ErrorCode::kInvalidArgument, "--destination: a prefix of at most 10 digits");
  }
  if (o.port == 0 && !o.config_path.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(auto c, config::LoadConfig(o.config_path));
    BRAMKA_ASSIGN_OR_RETURN(auto running, RunningPorts(c));
    if (o.host == "127.0.0.1") o.host = ClientAddress(c.smpp.bind);
    if (running) {
      o.port = o.tls ? running->smpp_tls : running->smpp;
    } else {
      o.port = static_cast<uint16_t>(o.tls ? c.smpp.tls_port : c.smpp.port);
    }
  }
  if (o.port == 0) {
    return Fail(ErrorCode::kInvalidArgument, "no port: give --port or --config of a running serve");
  }
  return {};
}

Result<void> Finish(HttpBenchOptions& o) {
  BRAMKA_RETURN_IF_ERROR(CheckBounds(o.bounds));
  BRAMKA_RETURN_IF_ERROR(CheckRate(o.rate));
  if (o.connections == 0) return Fail(ErrorCode::kInvalidArgument, "--connections must be >= 1");
  if (o.recipients == 0) return Fail(ErrorCode::kInvalidArgument, "--recipients must be >= 1");
  if (o.threads == 0) return Fail(ErrorCode::kInvalidArgument, "--threads must be >= 1");
  if (o.destination.size() > 10) {
    return Fail(ErrorCode::kInvalidArgument, "--destination: a prefix of at most 10 digits");
  }
  if (!o.config_path.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(auto c, config::LoadConfig(o.config_path));
    if (o.port == 0) {
      BRAMKA_ASSIGN_OR_RETURN(auto running, RunningPorts(c));
      if (o.host == "127.0.0.1") o.host = ClientAddress(c.http.bind);
      if (running) {
        o.port = o.tls ? running->https : running->http;
      } else {
        o.port = static_cast<uint16_t>(o.tls ? c.http.https_port : c.http.port);
      }
    }
    if (o.token.empty() && o.token_file.empty()) {
      auto demo = std::filesystem::path(c.base_dir) / "demo-token.txt";
      if (std::filesystem::exists(demo)) o.token_file = demo.string();
    }
  }
  if (o.token.empty() && !o.token_file.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(auto text, ReadFile(o.token_file));
    o.token = Trim(text);
  }
  if (o.token.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "no API token: give --token, --token-file or --config");
  }
  if (o.port == 0) {
    return Fail(ErrorCode::kInvalidArgument, "no port: give --port or --config of a running serve");
  }
  return {};
}

Result<ListenerPorts> ParseListeners(const std::string& json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Fail(ErrorCode::kInvalidArgument, "listeners.json is not a JSON object");
  }
  auto port = [&j](const char* key) -> uint16_t {
    auto it = j.find(key);
    if (it == j.end() || !it->is_number_unsigned()) return 0;
    auto v = it->get<uint64_t>();
    return v <= 65535 ? static_cast<uint16_t>(v) : 0;
  };
  return ListenerPorts{port("http"), port("https"), port("smpp"), port("smpp_tls")};
}

std::string DestinationNumber(const std::string& prefix, uint64_t n) {
  constexpr size_t kDigits = 11;
  const size_t free_digits = prefix.size() < kDigits ? kDigits - prefix.size() : 1;
  uint64_t modulus = 1;
  for (size_t i = 0; i < free_digits; ++i) modulus *= 10;
  std::string digits = std::to_string(n % modulus);
  return prefix + std::string(free_digits - digits.size(), '0') + digits;
}

}  // namespace bramka::loadgen
