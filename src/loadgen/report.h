#pragma once
// What a load run measured, as text for people and as one JSON object (--json) for
// scripts. Pure.

#include <cstdint>
#include <string>

#include "loadgen/stats.h"

namespace bramka::loadgen {

struct SmppBenchReport {
  uint32_t binds = 0;  // asked for
  uint32_t bound = 0;  // bind_*_resp ESME_ROK
  Counts bind_errors;  // by command_status name, or "connect", "timeout", ...
  double bind_s = 0;   // from the first connect until every bind was answered
  uint32_t window = 0;
  uint64_t submitted = 0;  // submit_sm sent
  uint64_t accepted = 0;   // submit_sm_resp ESME_ROK (durably stored by bramka)
  Counts errors;           // submit_sm_resp by command_status name
  Counts failed;           // no response: "timeout", "session_closed", "not_sent", ...
  double submit_s = 0;     // from the first submit_sm to the last submit_sm_resp
  LatencySummary latency;  // submit_sm -> submit_sm_resp
  bool receipts_wanted = false;
  uint64_t receipts = 0;           // receipts whose id is one of this run's messages
  uint64_t receipts_other = 0;     // deliver_sm not matching (earlier runs, MO)
  double last_receipt_s = 0;       // from the first submit_sm to the last receipt
  double after_last_submit_s = 0;  // from the last submit_sm_resp to the last receipt
  double rate = 0;                 // --rate (open loop; latency from due times), 0 closed
  double accepted_per_s() const;
  double receipts_per_s() const;
};

struct HttpBenchReport {
  uint32_t connections = 0;
  uint32_t recipients = 0;
  bool tls = false;
  uint64_t requests = 0;  // sent
  uint64_t ok = 0;        // HTTP 200 with "success":true
  uint64_t messages = 0;  // sum of "queued"
  Counts errors;          // "HTTP 503", "error 2101", "io: end of stream", ...
  double seconds = 0;     // from the first request to the last answer
  double rate = 0;        // --rate (open loop; latency from due times), 0 closed
  LatencySummary latency;
  double requests_per_s() const;
  double messages_per_s() const;
};

std::string ToText(const SmppBenchReport& r);
std::string ToJson(const SmppBenchReport& r);
std::string ToText(const HttpBenchReport& r);
std::string ToJson(const HttpBenchReport& r);

}  // namespace bramka::loadgen
