#include "app/observability.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "store/sqlite/migrations.h"
#include "store/sqlite/sqlite_store.h"

#ifndef BRAMKA_VERSION
#define BRAMKA_VERSION "unknown"
#endif

namespace bramka::app {
namespace {

constexpr char kInName[] = "bramka_messages_in_total";
constexpr char kInHelp[] =
    "Messages taken in, by interface and result (accepted: stored; unsent: refused recipient)";
constexpr char kRequestsName[] = "bramka_submit_requests_total";
constexpr char kRequestsHelp[] =
    "Submit requests by interface and result (ok, or error: the whole request was refused)";

std::string Labels(const std::string& interface, const char* result) {
  return fmt::format("interface=\"{}\",result=\"{}\"", interface, result);
}

}  // namespace

void RegisterObservability(MetricsRegistry& metrics, core::GatewayService& gateway,
                           store::Store& store) {
  // s8-smpp (docs/adr/0041): each interface's four counters looked up once, not per
  // request (two label strings formatted and two registry lookups per SMPP submit).
  struct Counters {
    const char* interface;
    Counter* accepted;
    Counter* unsent;
    Counter* ok;
    Counter* error;
  };
  std::vector<Counters> counters;
  for (const char* interface : kInterfaces) {
    counters.push_back(
        {interface, &metrics.GetCounter(kInName, kInHelp, Labels(interface, "accepted")),
         &metrics.GetCounter(kInName, kInHelp, Labels(interface, "unsent")),
         &metrics.GetCounter(kRequestsName, kRequestsHelp, Labels(interface, "ok")),
         &metrics.GetCounter(kRequestsName, kRequestsHelp, Labels(interface, "error"))});
  }
  gateway.SetSubmitObserver([&metrics, counters = std::move(counters)](
                                const std::string& source, const Result<core::SubmitResult>& r) {
    const Counters* c = nullptr;
    for (const Counters& known : counters) {
      if (source == known.interface) c = &known;
    }
    auto counter = [&](Counter* Counters::*known, const char* name, const char* help,
                       const char* result) -> Counter& {
      return c != nullptr ? *(c->*known) : metrics.GetCounter(name, help, Labels(source, result));
    };
    if (!r.ok()) {
      counter(&Counters::error, kRequestsName, kRequestsHelp, "error").Inc();
      return;
    }
    counter(&Counters::ok, kRequestsName, kRequestsHelp, "ok").Inc();
    if (r->queued > 0) counter(&Counters::accepted, kInName, kInHelp, "accepted").Inc(r->queued);
    if (r->unsent > 0) counter(&Counters::unsent, kInName, kInHelp, "unsent").Inc(r->unsent);
  });

  metrics.AddCallbackGauge(
      "bramka_queue_depth",
      "Messages waiting for the dispatcher: due (queued, including retries waiting for their "
      "time) and scheduled (saved for a later date).",
      [&store] {
        std::vector<std::pair<std::string, double>> out;
        if (auto counts = store.CountByStatus(); counts.ok()) {
          double due = 0, scheduled = 0;
          for (const auto& [status, n] : *counts) {
            if (status == store::MessageStatus::kQueued) due += static_cast<double>(n);
            if (status == store::MessageStatus::kSaved) scheduled += static_cast<double>(n);
          }
          out.emplace_back("state=\"due\"", due);
          out.emplace_back("state=\"scheduled\"", scheduled);
        }
        return out;
      });
  metrics.AddCallbackGauge("bramka_build_info", "The running bramka: version and store schema.",
                           [] {
                             return std::vector<std::pair<std::string, double>>{
                                 {fmt::format("version=\"{}\",schema=\"{}\"", BRAMKA_VERSION,
                                              store::sqlite::LatestSchemaVersion()),
                                  1.0}};
                           });
  // s6-latency (docs/adr/0035): where a write's time goes in the SQLite writer.
  if (auto* sqlite = dynamic_cast<store::SqliteStore*>(&store)) sqlite->AttachMetrics(metrics);
}

}  // namespace bramka::app
