#include "connectors/simnet/hlr.h"

#include <array>
#include <cstdint>

namespace bramka::simnet {
namespace {

struct Network {
  int64_t mcc_mnc;
  const char* name;
};
// Poland (MCC 260).
constexpr std::array<Network, 4> kPolishNetworks = {{
    {26001, "Plus (Polkomtel Sp. z o.o.)"},
    {26002, "T-Mobile (T-Mobile Polska S.A.)"},
    {26003, "Orange (Orange Polska S.A.)"},
    {26006, "Play (P4 Sp. z o.o.)"},
}};

// FNV-1a: a hash that is the same in every build (std::hash need not be).
uint64_t Fnv(const std::string& s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// A simplified allocation by the two first digits of the national number.
int OriginalNetwork(const std::string& national) {
  const std::string p = national.substr(0, 2);
  if (p == "50" || p == "51" || p == "55") return 2;               // Orange
  if (p == "60" || p == "69" || p == "72") return 0;               // Plus
  if (p == "53" || p == "57" || p == "78" || p == "79") return 3;  // Play
  if (p == "66" || p == "88") return 1;                            // T-Mobile
  return static_cast<int>(Fnv(national, 0) % kPolishNetworks.size());
}

}  // namespace

Result<delivery::HlrAnswer> SimnetHlr::Lookup(const std::string& phone, bool network_only) {
  delivery::HlrAnswer a;
  // The number's fate as a message: the message id is the number itself, so the
  // answer is the same every time.
  const Fate fate = DecideFate(options_, phone, phone, 0);
  switch (fate.kind) {
    case Fate::Kind::kDelivered:
      break;
    case Fate::Kind::kUndelivered:
      if (!network_only) {  // still a member of its network
        a.status = delivery::HlrAnswer::Status::kErr;
        a.description = "ABSENT_SUBSCRIBER_SM";
      }
      break;
    case Fate::Kind::kRejectPermanent:
      a.status = delivery::HlrAnswer::Status::kErr;
      a.description = "UNKNOWN_SUBSCRIBER";
      return a;  // no such subscriber: no network either
    case Fate::Kind::kRejectTemporary:
      a.status = delivery::HlrAnswer::Status::kErr;
      a.description = "SYSTEM_FAILURE";
      return a;
  }
  if (phone.rfind("+48", 0) != 0 || phone.size() != 12) return a;  // foreign: unknown network
  const std::string national = phone.substr(3);
  const int original = OriginalNetwork(national);
  int serving = original;
  if (Fnv(national, options_.seed) % 10 == 0) {  // ported
    serving = (original + 1 + static_cast<int>(Fnv(national, options_.seed + 1) % 3)) % 4;
    a.ported = true;
    a.network_ported = kPolishNetworks[static_cast<size_t>(serving)].name;
  }
  a.imsi = kPolishNetworks[static_cast<size_t>(serving)].mcc_mnc;
  a.network = kPolishNetworks[static_cast<size_t>(original)].name;
  return a;
}

}  // namespace bramka::simnet
