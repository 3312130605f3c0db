#include "connectors/smpp/upstream_id.h"

#include <cctype>
#include <charconv>
#include <cstdint>

#include <fmt/format.h>

namespace bramka::smpp_client {

std::string CanonicalUpstreamId(std::string_view id) {
  auto is_pad = [](char c) { return c == '\0' || c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!id.empty() && is_pad(id.front())) id.remove_prefix(1);
  while (!id.empty() && is_pad(id.back())) id.remove_suffix(1);
  while (id.size() > 1 && id.front() == '0') id.remove_prefix(1);
  std::string out(id);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ReceiptTextIdToCanonical(std::string_view id, ReceiptIdFormat format) {
  std::string canonical = CanonicalUpstreamId(id);
  if (format == ReceiptIdFormat::kAsIs || canonical.empty()) return canonical;
  int base = format == ReceiptIdFormat::kHex ? 16 : 10;
  uint64_t value = 0;
  const char* end = canonical.data() + canonical.size();
  auto [ptr, ec] = std::from_chars(canonical.data(), end, value, base);
  if (ec != std::errc() || ptr != end) return canonical;
  // kHex: the resp id was decimal; kDecimal: the resp id was hex.
  return format == ReceiptIdFormat::kHex ? fmt::format("{}", value) : fmt::format("{:x}", value);
}

}  // namespace bramka::smpp_client
