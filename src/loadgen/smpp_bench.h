#pragma once
// `bramka bench smpp`: an SMPP 3.4 load generator over smpp/net (the same codec and
// session as bramka's server and connectors). It opens `binds` sessions (transmitter, or
// transceiver with --receipts), waits until all are bound, then keeps `window`
// submit_sm outstanding on each until `count` submits were sent or `duration_s` passed,
// and measures submit_sm_resp latency, outcomes by command_status and, with --receipts,
// the delivery receipts that come back as deliver_sm (each answered ESME_ROK).
//
// Blocking: runs its own io_context on `threads` threads and returns when the run is
// over. Raises RLIMIT_NOFILE to the hard limit first (1,000 binds need 1,000 sockets).

#include "common/result.h"
#include "loadgen/options.h"
#include "loadgen/report.h"

namespace bramka::loadgen {

// kUnavailable when no bind succeeded (the report's figures are then in the error's
// message); otherwise the report, whatever the outcomes.
Result<SmppBenchReport> RunSmppBench(const SmppBenchOptions& options);

}  // namespace bramka::loadgen
