#pragma once
// HlrProvider: a way to ask the mobile network about a number (an HLR query:
// is the subscriber reachable, which network serves it, was it ported). Used by
// core for phones/check and phones/lookup (spec §4.16); implemented by the
// built-in simulated network (connectors/simnet, SimnetHlr) and, later, by real
// HLR-lookup providers (an HTTP API or SS7/MAP gateway) behind the same interface.
//
// Contract:
//  1. Lookup is synchronous and bounded in time (a provider with a slow upstream
//     applies its own timeout and answers kUnavailable). It is called from the
//     HTTP worker pool, never from an I/O thread.
//  2. Thread-safe: Lookup may be called concurrently.
//  3. An answer about the number (absent subscriber, unknown number) is a
//     successful Lookup with status kErr and a description; an Error means the
//     provider could not answer at all (kUnavailable: try later), and core
//     refunds the charge.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace bramka::delivery {

struct HlrAnswer {
  enum class Status { kOk, kErr };
  Status status = Status::kOk;
  // MCC followed by MNC as one integer (26003 = Poland, Orange); 0 = unknown.
  int64_t imsi = 0;
  std::string network;  // the network's name, empty = unknown
  bool ported = false;
  std::string network_ported;  // the network it was ported to; empty unless ported
  // kErr: why, as MAP errors name it ("ABSENT_SUBSCRIBER_SM", "UNKNOWN_SUBSCRIBER",
  // "SYSTEM_FAILURE"); empty for kOk.
  std::string description;
};

class HlrProvider {
 public:
  virtual ~HlrProvider() = default;
  // For logs: "simnet", ...
  virtual const std::string& name() const = 0;
  // `phone` is E.164 with '+' (core normalises it). `network_only`: a "lookup"
  // (network membership only, spec §4.16 phones/lookup); a provider may answer
  // it more cheaply, without asking whether the subscriber is reachable.
  virtual Result<HlrAnswer> Lookup(const std::string& phone, bool network_only) = 0;
};

}  // namespace bramka::delivery
