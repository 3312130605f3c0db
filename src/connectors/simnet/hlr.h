#pragma once
// SimnetHlr: simnet answering HLR queries (delivery/hlr.h) for phones/check and
// phones/lookup, consistent with how it delivers messages: a number whose
// messages simnet's rules (SimnetOptions::rules, README) make undelivered is an
// absent subscriber, one they refuse is unknown, a temporarily refused one gets a
// system failure; every other number is reachable.
//
// Networks are a simulation: Polish mobile numbers are given one of the four
// networks by their first digits (a simplified allocation; libphonenumber's C++
// library has no carrier mapper, only the Java one does), about one in ten is
// "ported" to another network, deterministically per number. Foreign numbers
// get no network. Pure apart from reading its options; thread-safe.

#include <string>

#include "connectors/simnet/simnet.h"
#include "delivery/hlr.h"

namespace bramka::simnet {

class SimnetHlr final : public delivery::HlrProvider {
 public:
  explicit SimnetHlr(SimnetOptions options) : options_(std::move(options)) {}
  const std::string& name() const override { return name_; }
  Result<delivery::HlrAnswer> Lookup(const std::string& phone, bool network_only) override;

 private:
  const std::string name_ = kSimnetName;
  const SimnetOptions options_;
};

}  // namespace bramka::simnet
