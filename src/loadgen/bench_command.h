#pragma once
// The `bramka bench smpp|http` subcommand: its flags (options.h) and running it.

#include "loadgen/options.h"

namespace CLI {
class App;
}

namespace bramka::loadgen {

struct BenchCommand {
  SmppBenchOptions smpp;
  HttpBenchOptions http;
  CLI::App* smpp_cmd = nullptr;
  CLI::App* http_cmd = nullptr;
};

// Adds `bench` with `smpp` and `http` to `app`; returns the `bench` subcommand.
CLI::App* AddBenchCommand(CLI::App& app, BenchCommand& bench);

// Runs the chosen load: prints the report (text, or JSON with --json) on stdout.
// Exit code 0 when every request succeeded (and, with --receipts, every receipt came),
// 1 when some did not, 2 for bad options or no bind / connection at all.
int RunBench(BenchCommand& bench);

}  // namespace bramka::loadgen
