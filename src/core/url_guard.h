#pragma once
// Server-side request forgery guard for URLs the gateway fetches on a client's
// behalf (files/add with `url`, spec §4.10; docs/adr/0009, docs/adr/0021).
//
// A client must not make bramka read its own loopback services, the cloud
// metadata endpoint (169.254.169.254) or hosts on the operator's private
// network. The check is on the *resolved* address of every connection libcurl
// opens (the first request and each redirect), not on the host name, so a DNS
// name pointing at 127.0.0.1 or a redirect to http://10.0.0.1/ is refused too,
// and there is no gap between the check and the connect (DNS rebinding).
//
// Pure functions; thread-safe.

#include <string>

struct sockaddr;

namespace bramka::core {

// Whether `address` (AF_INET or AF_INET6) is a public unicast address: not
// unspecified, loopback, private (RFC 1918, fc00::/7), shared (100.64/10),
// link-local (169.254/16, fe80::/10), multicast, broadcast, reserved, or an
// IPv4-mapped / NAT64 / 6to4 form of one of those. Other families: false.
bool IsPublicAddress(const sockaddr* address);

// The same for a textual IPv4 or IPv6 address; false when it does not parse.
bool IsPublicAddress(const std::string& text);

// Whether `text` is a textual IPv4 (dotted quad) or IPv6 address.
bool IsIpLiteral(const std::string& text);

}  // namespace bramka::core
