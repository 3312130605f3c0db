#include "core/ip_allowlist.h"

#include <arpa/inet.h>

#include <array>
#include <cstring>
#include <optional>

namespace bramka::core {
namespace {

struct Addr {
  std::array<unsigned char, 16> bytes{};
  int bits = 0;  // 32 or 128
};

std::optional<Addr> ParseAddr(const std::string& text) {
  Addr a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.bits = 32;
    return a;
  }
  if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {  // ::ffff:a.b.c.d
      std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
      std::memset(a.bytes.data() + 4, 0, 12);
      a.bits = 32;
      return a;
    }
    a.bits = 128;
    return a;
  }
  return std::nullopt;
}

struct Cidr {
  Addr addr;
  int prefix = 0;
};

std::optional<Cidr> ParseCidr(const std::string& text) {
  const size_t slash = text.find('/');
  auto addr = ParseAddr(text.substr(0, slash));
  if (!addr) return std::nullopt;
  Cidr c{*addr, addr->bits};
  if (slash != std::string::npos) {
    const std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3) return std::nullopt;
    int prefix = 0;
    for (char ch : p) {
      if (ch < '0' || ch > '9') return std::nullopt;
      prefix = prefix * 10 + (ch - '0');
    }
    if (prefix > addr->bits) return std::nullopt;
    c.prefix = prefix;
  }
  return c;
}

bool Contains(const Cidr& c, const Addr& a) {
  if (c.addr.bits != a.bits) return false;
  int bits = c.prefix;
  for (size_t i = 0; bits > 0; ++i, bits -= 8) {
    const unsigned mask = bits >= 8 ? 0xFFu : (0xFFu << (8 - bits)) & 0xFFu;
    if ((c.addr.bytes[i] & mask) != (a.bytes[i] & mask)) return false;
  }
  return true;
}

}  // namespace

Result<void> ValidateCidr(const std::string& cidr) {
  if (!ParseCidr(cidr)) {
    return Fail(ErrorCode::kInvalidArgument,
                "'" + cidr + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8)");
  }
  return Ok();
}

bool IpAllowed(const std::vector<std::string>& cidrs, const std::string& address) {
  if (cidrs.empty()) return true;
  auto a = ParseAddr(address);
  if (!a) return false;
  for (const auto& text : cidrs) {
    auto c = ParseCidr(text);
    if (c && Contains(*c, *a)) return true;
  }
  return false;
}

}  // namespace bramka::core
