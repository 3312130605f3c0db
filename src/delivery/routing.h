#pragma once
// RoutingTable: which connectors a message may leave through, in order.
//
// Pure: no clock, no I/O, no threads. Immutable after construction, so it is
// safe to share between threads.
//
// Rules are tried in order; the first rule whose every condition holds gives
// the route, else the default route applies. Voice and MMS messages are not
// SMS: they take only rules that name their type in `types` (a rule without
// `types` means "any SMS type", eco and full), else the media route — simnet
// by default, which can "play" them. So a voice message never leaves as a
// plain SMS over an SMPP connector unless a route says so. An empty media
// route (simnet disabled, no route for the type) leaves them without a
// connector: Route() returns an empty list and the dispatcher ends them unsent. A route is an
// ordered list of connector names: the first is the primary, the rest are failover in order. With
// `round_robin` the list is rotated by a caller-supplied sequence number, spreading traffic over
// equal connectors while keeping the others as failover (the caller owns the counter, which keeps
// this class pure); `weights` spread it unequally the same way. Rules may also match on the sender
// name.
//
// Example (config):
//   [[routes]] types = ["full"], prefixes = ["+4850", "+4851"],
//              connectors = ["smsc-a", "smsc-b"], round_robin = true
//   [[routes]] accounts = [42], connectors = ["smsc-premium", "smsc-a"]
//   [[routes]] senders = ["BANK"], connectors = ["smsc-a", "smsc-b"], weights = [3, 1]
//   default_route = ["simnet"]

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "store/model.h"

namespace bramka::delivery {

struct RouteRule {
  std::string name;                        // for logs and errors only; may be empty
  std::vector<store::MessageType> types;   // empty = any SMS type (eco, full)
  std::vector<std::string> prefixes;       // E.164 prefixes, "+48" or "48"; empty = any number
  std::vector<store::AccountId> accounts;  // empty = any account
  std::vector<std::string> connectors;     // ordered; must not be empty
  bool round_robin = false;                // rotate `connectors` per message
  // Sender names, exact; "" stands for ECO (no sender). Empty = any sender.
  std::vector<std::string> senders = {};
  // Weighted spreading: empty, or one weight per connector. The primary is
  // picked in proportion to the weights (exactly, over every sum-of-weights
  // consecutive sequence numbers); the others follow as failover in list
  // order from there. A weight of 0 makes a connector failover only.
  std::vector<uint32_t> weights = {};
  // What one SMS part costs the operator on this route, in millionths of a
  // PLN (0 = not priced); the dispatcher adds it up per route in /metrics.
  int64_t price_micro_pln = 0;
};

struct RoutingOptions {
  std::vector<RouteRule> rules;
  std::vector<std::string> default_route = {"simnet"};  // a fresh install's only route
  // Voice and MMS messages no rule names by type; may be empty (see above).
  std::vector<std::string> media_route = {"simnet"};
};

class RoutingTable {
 public:
  // kInvalidArgument when a rule or the default route has no connector, a
  // prefix is not '+' followed by digits (or plain digits), a route names
  // a connector twice, or weights do not match the connectors (count, a zero
  // sum) or a price is negative.
  static Result<RoutingTable> Create(RoutingOptions options);

  // The default: everything to "simnet".
  RoutingTable();

  // kInvalidArgument naming the first route connector not in `known`. Call at
  // start-up with the configured connectors' names.
  Result<void> CheckConnectors(const std::set<std::string>& known) const;

  // The ordered candidates for `message`; empty only for a voice or MMS
  // message without a route (see above). `sequence` picks the
  // rotation of a round-robin route (any counter the caller increments).
  std::vector<std::string> Route(const store::Message& message, uint64_t sequence) const;

  // The rule that matches, or nullptr for the default route.
  const RouteRule* Match(const store::Message& message) const;

 private:
  explicit RoutingTable(RoutingOptions options);

  RoutingOptions options_;  // prefixes stored without '+'
};

// "+48 500-100-200" style input is not normalised here: phones in the store
// are E.164 with '+' (core normalises them). Exposed for tests.
bool PhoneHasPrefix(std::string_view phone, std::string_view prefix);

}  // namespace bramka::delivery
