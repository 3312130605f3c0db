#include "delivery/routing.h"

#include <algorithm>
#include <utility>

namespace bramka::delivery {
namespace {

std::string_view StripPlus(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  return s;
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string RuleLabel(const RouteRule& rule, size_t index) {
  return rule.name.empty() ? "route #" + std::to_string(index + 1) : "route '" + rule.name + "'";
}

Result<void> CheckList(const std::vector<std::string>& connectors, const std::string& label) {
  if (connectors.empty()) return Fail(ErrorCode::kInvalidArgument, label + " has no connector");
  std::set<std::string> seen;
  for (const std::string& c : connectors) {
    if (c.empty()) return Fail(ErrorCode::kInvalidArgument, label + " has an empty connector name");
    if (!seen.insert(c).second) {
      return Fail(ErrorCode::kInvalidArgument, label + " names connector '" + c + "' twice");
    }
  }
  return Ok();
}

// Voice and MMS are not SMS: only rules that name them carry them (routing.h).
bool IsMedia(store::MessageType t) {
  return t == store::MessageType::kVoice || t == store::MessageType::kMms;
}

template <typename T>
bool AnyOrContains(const std::vector<T>& allowed, const T& value) {
  return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

}  // namespace

bool PhoneHasPrefix(std::string_view phone, std::string_view prefix) {
  phone = StripPlus(phone);
  prefix = StripPlus(prefix);
  return phone.substr(0, prefix.size()) == prefix;
}

RoutingTable::RoutingTable() : RoutingTable(RoutingOptions{}) {}

RoutingTable::RoutingTable(RoutingOptions options) : options_(std::move(options)) {}

Result<RoutingTable> RoutingTable::Create(RoutingOptions options) {
  for (size_t i = 0; i < options.rules.size(); ++i) {
    RouteRule& rule = options.rules[i];
    const std::string label = RuleLabel(rule, i);
    BRAMKA_RETURN_IF_ERROR(CheckList(rule.connectors, label));
    for (std::string& prefix : rule.prefixes) {
      std::string_view digits = StripPlus(prefix);
      if (!AllDigits(digits)) {
        return Fail(ErrorCode::kInvalidArgument,
                    label + ": prefix '" + prefix + "' is not an E.164 prefix like +48");
      }
      prefix = std::string(digits);
    }
    if (!rule.weights.empty()) {
      if (rule.weights.size() != rule.connectors.size()) {
        return Fail(ErrorCode::kInvalidArgument,
                    label + ": " + std::to_string(rule.weights.size()) + " weights for " +
                        std::to_string(rule.connectors.size()) + " connectors");
      }
      uint64_t sum = 0;
      for (uint32_t w : rule.weights) sum += w;
      if (sum == 0) return Fail(ErrorCode::kInvalidArgument, label + ": the weights add up to 0");
    }
    if (rule.price_micro_pln < 0) {
      return Fail(ErrorCode::kInvalidArgument, label + ": the price cannot be negative");
    }
  }
  BRAMKA_RETURN_IF_ERROR(CheckList(options.default_route, "the default route"));
  if (!options.media_route.empty()) {
    BRAMKA_RETURN_IF_ERROR(CheckList(options.media_route, "the media route"));
  }
  return RoutingTable(std::move(options));
}

Result<void> RoutingTable::CheckConnectors(const std::set<std::string>& known) const {
  auto check = [&](const std::vector<std::string>& list, const std::string& label) -> Result<void> {
    for (const std::string& c : list) {
      if (!known.count(c)) {
        return Fail(ErrorCode::kInvalidArgument, label + " names unknown connector '" + c + "'");
      }
    }
    return Ok();
  };
  for (size_t i = 0; i < options_.rules.size(); ++i) {
    BRAMKA_RETURN_IF_ERROR(check(options_.rules[i].connectors, RuleLabel(options_.rules[i], i)));
  }
  BRAMKA_RETURN_IF_ERROR(check(options_.media_route, "the media route"));
  return check(options_.default_route, "the default route");
}

const RouteRule* RoutingTable::Match(const store::Message& message) const {
  for (const RouteRule& rule : options_.rules) {
    if (rule.types.empty() ? IsMedia(message.type) : !AnyOrContains(rule.types, message.type)) {
      continue;
    }
    if (!AnyOrContains(rule.accounts, message.account_id)) continue;
    if (!AnyOrContains(rule.senders, message.sender)) continue;
    if (!rule.prefixes.empty() &&
        std::none_of(rule.prefixes.begin(), rule.prefixes.end(),
                     [&](const std::string& p) { return PhoneHasPrefix(message.phone, p); })) {
      continue;
    }
    return &rule;
  }
  return nullptr;
}

std::vector<std::string> RoutingTable::Route(const store::Message& message,
                                             uint64_t sequence) const {
  const RouteRule* rule = Match(message);
  if (rule == nullptr) return IsMedia(message.type) ? options_.media_route : options_.default_route;
  std::vector<std::string> out = rule->connectors;
  if (out.size() < 2) return out;
  size_t first = 0;
  if (!rule->weights.empty()) {
    uint64_t total = 0;
    for (uint32_t w : rule->weights) total += w;
    uint64_t point = sequence % total;
    while (point >= rule->weights[first]) point -= rule->weights[first++];
  } else if (rule->round_robin) {
    first = sequence % out.size();
  }
  std::rotate(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
  return out;
}

}  // namespace bramka::delivery
