// `bramka smsc`: an SMSC simulator speaking SMPP 3.4 with simnet's network behind it
// (src/smsc/README.md). Prints one JSON line with its ports, then (unless --quiet) one
// JSON line per event; runs until SIGTERM/SIGINT, then prints a last line with its
// counters ({"event":"stats","submits":N,"receipts":M}), --quiet or not: benchmarks run it
// quiet (two event lines per message cost the simulator and its reader ~10 us of CPU per
// message) and read the counts at the end.
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <mutex>

#include <fmt/format.h>

#include "app/commands.h"
#include "common/log.h"
#include "smsc/smsc.h"

namespace bramka::app {

int RunSmsc(const SmscCommandOptions& options) {
  InitLogging("text", options.quiet ? "warn" : "info");
  // Logs go to stderr (InitLogging): stdout carries the JSON lines tests read.
  smsc::SmscOptions o;
  o.bind_address = options.bind;
  o.port = static_cast<uint16_t>(options.port);
  o.tls_port = options.tls_port;
  o.cert_file = options.cert_file;
  o.key_file = options.key_file;
  o.system_id = options.system_id;
  o.password = options.password;
  o.receipt_delay_ms = options.receipt_delay_ms;
  o.window = options.window;
  for (const auto& mode : options.misbehave) {
    if (auto r = smsc::ParseMisbehaviour(mode, o.misbehave); !r.ok()) {
      std::fprintf(stderr, "bramka smsc: %s\n", r.error().message.c_str());
      return 2;
    }
  }
  if (!options.quiet) {
    o.on_event = [](const std::string& json) {
      std::fputs((json + "\n").c_str(), stdout);
      std::fflush(stdout);
    };
  }
  boost::asio::io_context io;
  smsc::SmscSimulator sim(io, o);
  if (auto r = sim.Start(); !r.ok()) {
    std::fprintf(stderr, "bramka smsc: %s\n", r.error().message.c_str());
    return 1;
  }
  std::fputs(fmt::format("{{\"port\":{},\"tls_port\":{},\"pid\":{}}}\n", sim.port(), sim.tls_port(),
                         ::getpid())
                 .c_str(),
             stdout);
  std::fflush(stdout);
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    sim.Stop();
    io.stop();
  });
  // e2e (docs/adr/0043): one thread. The simulator shares the gateway's cores in every
  // benchmark; a second thread on the one io_context woke for nearly every handler and
  // spent a fifth of the simulator's CPU switching (one bind: one strand at a time anyway).
  io.run();
  std::fputs(fmt::format("{{\"event\":\"stats\",\"submits\":{},\"receipts\":{}}}\n",
                         sim.submits_received(), sim.receipts_sent())
                 .c_str(),
             stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace bramka::app
