#pragma once
// IP allowlists as CIDR lists ("10.0.0.0/8", "2001:db8::/32", "127.0.0.1" = /32), for
// per-login restrictions (SMPP users; later API accounts). Pure; thread-safe.

#include <string>
#include <vector>

#include "common/result.h"

namespace bramka::core {

// kInvalidArgument unless `cidr` is an IPv4/IPv6 address with an optional /prefix in range.
Result<void> ValidateCidr(const std::string& cidr);

// True when `cidrs` is empty (no restriction) or `address` lies in one of them. An IPv4
// address written as IPv6 (::ffff:1.2.3.4) matches IPv4 ranges. Invalid entries and an
// unparsable address never match.
bool IpAllowed(const std::vector<std::string>& cidrs, const std::string& address);

}  // namespace bramka::core
