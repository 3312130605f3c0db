#include "loadgen/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace bramka::loadgen {
namespace {

nlohmann::json LatencyJson(const LatencySummary& s) {
  return {{"count", s.count},   {"p50_ms", s.p50_ms}, {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms}, {"max_ms", s.max_ms}, {"mean_ms", s.mean_ms}};
}

nlohmann::json CountsJson(const Counts& c) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [name, n] : c) j[name] = n;
  return j;
}

std::string LatencyLine(const LatencySummary& s) {
  return fmt::format(
      "p50 {:.2f} ms, p90 {:.2f} ms, p99 {:.2f} ms, max {:.2f} ms (mean {:.2f}, {} samples)",
      s.p50_ms, s.p90_ms, s.p99_ms, s.max_ms, s.mean_ms, s.count);
}

std::string CountsLine(const Counts& c) {
  if (c.empty()) return "none";
  std::string out;
  for (const auto& [name, n] : c) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", name, n);
  return out;
}

}  // namespace

double SmppBenchReport::accepted_per_s() const {
  return submit_s > 0 ? static_cast<double>(accepted) / submit_s : 0;
}
double SmppBenchReport::receipts_per_s() const {
  return last_receipt_s > 0 ? static_cast<double>(receipts) / last_receipt_s : 0;
}
double HttpBenchReport::requests_per_s() const {
  return seconds > 0 ? static_cast<double>(ok) / seconds : 0;
}
double HttpBenchReport::messages_per_s() const {
  return seconds > 0 ? static_cast<double>(messages) / seconds : 0;
}

std::string ToText(const SmppBenchReport& r) {
  std::string out;
  out += fmt::format("binds: {} of {} bound in {:.3f} s; bind errors: {}\n", r.bound, r.binds,
                     r.bind_s, CountsLine(r.bind_errors));
  out += fmt::format(
      "submit_sm: {} sent, {} accepted (ESME_ROK) in {:.3f} s = {:.0f} accepted/s "
      "(window {} per bind)\n",
      r.submitted, r.accepted, r.submit_s, r.accepted_per_s(), r.window);
  if (r.rate > 0) {
    out += fmt::format("open loop: {:.0f} submit_sm/s offered, latency from each one's due time\n",
                       r.rate);
  }
  out += "submit_sm_resp latency: " + LatencyLine(r.latency) + "\n";
  out += "errors by command_status: " + CountsLine(r.errors) + "\n";
  out += "no response: " + CountsLine(r.failed) + "\n";
  if (r.receipts_wanted) {
    out += fmt::format(
        "receipts: {} of {} in {:.3f} s from the first submit = {:.0f}/s end to "
        "end; last receipt {:.3f} s after the last submit_sm_resp; other "
        "deliver_sm {}\n",
        r.receipts, r.accepted, r.last_receipt_s, r.receipts_per_s(), r.after_last_submit_s,
        r.receipts_other);
  }
  return out;
}

std::string ToJson(const SmppBenchReport& r) {
  nlohmann::json j = {{"binds", r.binds},
                      {"bound", r.bound},
                      {"bind_errors", CountsJson(r.bind_errors)},
                      {"bind_s", r.bind_s},
                      {"window", r.window},
                      {"submitted", r.submitted},
                      {"accepted", r.accepted},
                      {"errors", CountsJson(r.errors)},
                      {"failed", CountsJson(r.failed)},
                      {"submit_s", r.submit_s},
                      {"accepted_per_s", r.accepted_per_s()},
                      {"latency", LatencyJson(r.latency)},
                      {"rate", r.rate}};
  if (r.receipts_wanted) {
    j["receipts"] = r.receipts;
    j["receipts_other"] = r.receipts_other;
    j["last_receipt_s"] = r.last_receipt_s;
    j["after_last_submit_s"] = r.after_last_submit_s;
    j["receipts_per_s"] = r.receipts_per_s();
  }
  return j.dump();
}

std::string ToText(const HttpBenchReport& r) {
  std::string out;
  out += fmt::format("{} {} connections, {} recipient(s) per request\n", r.tls ? "HTTPS" : "HTTP",
                     r.connections, r.recipients);
  out += fmt::format(
      "requests: {} sent, {} succeeded in {:.3f} s = {:.0f} req/s ({} messages "
      "= {:.0f} msg/s)\n",
      r.requests, r.ok, r.seconds, r.requests_per_s(), r.messages, r.messages_per_s());
  if (r.rate > 0) {
    out += fmt::format("open loop: {:.0f} requests/s offered, latency from each one's due time\n",
                       r.rate);
  }
  out += "latency: " + LatencyLine(r.latency) + "\n";
  out += "errors: " + CountsLine(r.errors) + "\n";
  return out;
}

std::string ToJson(const HttpBenchReport& r) {
  nlohmann::json j = {{"connections", r.connections},
                      {"recipients", r.recipients},
                      {"tls", r.tls},
                      {"requests", r.requests},
                      {"ok", r.ok},
                      {"messages", r.messages},
                      {"errors", CountsJson(r.errors)},
                      {"seconds", r.seconds},
                      {"requests_per_s", r.requests_per_s()},
                      {"messages_per_s", r.messages_per_s()},
                      {"latency", LatencyJson(r.latency)},
                      {"rate", r.rate}};
  return j.dump();
}

}  // namespace bramka::loadgen
