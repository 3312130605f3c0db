#include "loadgen/bench_command.h"

#include <CLI/CLI.hpp>
#include <iostream>

#include "loadgen/http_bench.h"
#include "loadgen/smpp_bench.h"

namespace bramka::loadgen {

CLI::App* AddBenchCommand(CLI::App& app, BenchCommand& bench) {
  auto* cmd = app.add_subcommand("bench", "Load generators: SMPP binds or API v2 send_sms");
  cmd->require_subcommand(1);
  bench.smpp_cmd = cmd->add_subcommand(
      "smpp", "Bind N sessions and keep a window of submit_sm outstanding on each");
  AddSmppBenchFlags(*bench.smpp_cmd, bench.smpp);
  bench.http_cmd = cmd->add_subcommand(
      "http", "Keep-alive connections, each with one messages/send_sms outstanding");
  AddHttpBenchFlags(*bench.http_cmd, bench.http);
  return cmd;
}

int RunBench(BenchCommand& bench) {
  if (bench.smpp_cmd != nullptr && bench.smpp_cmd->parsed()) {
    if (auto r = Finish(bench.smpp); !r.ok()) {
      std::cerr << "bramka bench smpp: " << r.error().message << "\n";
      return 2;
    }
    auto report = RunSmppBench(bench.smpp);
    if (!report.ok()) {
      std::cerr << "bramka bench smpp: " << report.error().message << "\n";
      return 2;
    }
    std::cout << (bench.smpp.json ? ToJson(*report) + "\n" : ToText(*report)) << std::flush;
    const bool all_ok = report->accepted == report->submitted && report->bound == report->binds &&
                        (!bench.smpp.receipts || report->receipts == report->accepted);
    return all_ok ? 0 : 1;
  }
  if (auto r = Finish(bench.http); !r.ok()) {
    std::cerr << "bramka bench http: " << r.error().message << "\n";
    return 2;
  }
  auto report = RunHttpBench(bench.http);
  if (!report.ok()) {
    std::cerr << "bramka bench http: " << report.error().message << "\n";
    return 2;
  }
  std::cout << (bench.http.json ? ToJson(*report) + "\n" : ToText(*report)) << std::flush;
  return report->ok == report->requests && report->requests > 0 ? 0 : 1;
}

}  // namespace bramka::loadgen
