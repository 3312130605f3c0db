// url_guard.h: which resolved addresses a fetched URL may connect to.
#include "core/url_guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>

namespace bramka::core {
namespace {

bool InV4(uint32_t a, uint32_t net, int bits) {
  const uint32_t mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
  return (a & mask) == (net & mask);
}

constexpr uint32_t V4(int a, int b, int c, int d) {
  return (uint32_t(a) << 24) | (uint32_t(b) << 16) | (uint32_t(c) << 8) | uint32_t(d);
}

// `a` in host byte order.
bool PublicV4(uint32_t a) {
  struct Net {
    uint32_t net;
    int bits;
  };
  // RFC 6890 special-purpose registry, the parts that are not globally reachable.
  static constexpr Net kBlocked[] = {
      {V4(0, 0, 0, 0), 8},        // "this network"
      {V4(10, 0, 0, 0), 8},       // private
      {V4(100, 64, 0, 0), 10},    // shared address space (carrier NAT)
      {V4(127, 0, 0, 0), 8},      // loopback
      {V4(169, 254, 0, 0), 16},   // link-local, cloud metadata
      {V4(172, 16, 0, 0), 12},    // private
      {V4(192, 0, 0, 0), 24},     // IETF protocol assignments
      {V4(192, 0, 2, 0), 24},     // TEST-NET-1
      {V4(192, 88, 99, 0), 24},   // 6to4 relay anycast
      {V4(192, 168, 0, 0), 16},   // private
      {V4(198, 18, 0, 0), 15},    // benchmarking
      {V4(198, 51, 100, 0), 24},  // TEST-NET-2
      {V4(203, 0, 113, 0), 24},   // TEST-NET-3
      {V4(224, 0, 0, 0), 4},      // multicast
      {V4(240, 0, 0, 0), 4},      // reserved, broadcast
  };
  for (const Net& n : kBlocked) {
    if (InV4(a, n.net, n.bits)) return false;
  }
  return true;
}

uint32_t V4At(const uint8_t* b) {
  return (uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) | (uint32_t(b[2]) << 8) | uint32_t(b[3]);
}

bool PublicV6(const uint8_t* b) {
  static constexpr uint8_t kZero[16] = {};
  if (std::memcmp(b, kZero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return false;  // ::, ::1
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible): judge the IPv4 address.
  static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(b, kMapped, 12) == 0 || std::memcmp(b, kZero, 12) == 0) {
    return PublicV4(V4At(b + 12));
  }
  // 64:ff9b::/96 (NAT64) carries an IPv4 address in the last 32 bits.
  static constexpr uint8_t kNat64[12] = {0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(b, kNat64, 12) == 0) return PublicV4(V4At(b + 12));
  // 2002::/16 (6to4) carries one in bits 16..47.
  if (b[0] == 0x20 && b[1] == 0x02) return PublicV4(V4At(b + 2));
  if ((b[0] & 0xfe) == 0xfc) return false;                  // fc00::/7 unique local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return false;  // fec0::/10 site-local
  if (b[0] == 0xff) return false;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return false;       // docs
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return false;  // discard
  return true;
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    sockaddr_in in;
    std::memcpy(&in, address, sizeof in);
    return PublicV4(ntohl(in.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6;
    std::memcpy(&in6, address, sizeof in6);
    return PublicV6(in6.sin6_addr.s6_addr);
  }
  return false;
}

bool IsPublicAddress(const std::string& text) {
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return PublicV4(ntohl(v4.s_addr));
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return PublicV6(v6.s6_addr);
  return false;
}

bool IsIpLiteral(const std::string& text) {
  in_addr v4;
  in6_addr v6;
  return inet_pton(AF_INET, text.c_str(), &v4) == 1 || inet_pton(AF_INET6, text.c_str(), &v6) == 1;
}

}  // namespace bramka::core
