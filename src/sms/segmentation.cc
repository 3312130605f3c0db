#include "sms/segmentation.h"

#include <algorithm>

#include "common/check.h"
#include "sms/gsm7.h"
#include "sms/ucs2.h"
#include "sms/utf8.h"

namespace bramka::sms {
namespace {

// 140 octets of user data per SMS (TS 23.040 §9.2.3.24: TP-UDL max 140 octets).
constexpr size_t kUserDataOctets = 140;

void CheckLimits(const PartLimits& limits) {
  // An atom is at most 2 units, so a part must hold at least 2 or splitting stalls.
  BRAMKA_CHECK(limits.single >= 2 && limits.per_part >= 2);
}

// Greedy part filling: an atom of `cost` units that does not fit in the current part
// starts the next one. Matches SplitIntoParts exactly.
struct PartCounter {
  explicit PartCounter(size_t per_part) : per_part_(per_part) {}
  void Add(size_t cost) {
    units_ += cost;
    if (fill_ + cost > per_part_) {
      ++parts_;
      fill_ = cost;
    } else {
      fill_ += cost;
    }
  }
  TextInfo Finish(Encoding encoding, size_t single) const {
    return TextInfo{encoding, units_, units_ <= single ? 1 : parts_};
  }

  size_t per_part_;
  size_t units_ = 0;
  size_t fill_ = 0;
  int parts_ = 1;
};

Unexpected InvalidUtf8(size_t offset) {
  return Fail(ErrorCode::kInvalidArgument, "invalid UTF-8 at byte " + std::to_string(offset));
}

}  // namespace

std::string_view EncodingName(Encoding encoding) {
  return encoding == Encoding::kGsm7 ? "gsm7" : "ucs2";
}

Encoding DetectEncoding(std::string_view utf8) {
  return IsGsm7Encodable(utf8) ? Encoding::kGsm7 : Encoding::kUcs2;
}

PartLimits DefaultPartLimits(Encoding encoding) {
  return encoding == Encoding::kGsm7 ? PartLimits{160, 153} : PartLimits{70, 67};
}

PartLimits PartLimitsForUdh(Encoding encoding, size_t udh_octets) {
  BRAMKA_CHECK(udh_octets > 0 && udh_octets <= kUserDataOctets - 4);
  const size_t free_octets = kUserDataOctets - udh_octets;
  if (encoding == Encoding::kGsm7) {
    // Septets that fit after the UDH and its fill bits (TS 23.040 §9.2.3.24).
    return PartLimits{kUserDataOctets * 8 / 7, free_octets * 8 / 7};
  }
  return PartLimits{kUserDataOctets / 2, free_octets / 2};
}

Result<TextInfo> AnalyzeText(std::string_view utf8, Encoding encoding) {
  return AnalyzeText(utf8, encoding, DefaultPartLimits(encoding));
}

Result<TextInfo> AnalyzeText(std::string_view utf8, Encoding encoding, PartLimits limits) {
  CheckLimits(limits);
  PartCounter counter(limits.per_part);
  size_t pos = 0;
  if (encoding == Encoding::kGsm7) {
    while (pos < utf8.size()) {
      const size_t start = pos;
      const char32_t cp = NextCodePoint(utf8, &pos);
      if (cp == kInvalidCodePoint) return InvalidUtf8(start);
      const int septets = Gsm7SeptetCount(cp);
      if (septets == 0) {
        return Fail(ErrorCode::kInvalidArgument, "character " + DescribeCodePoint(cp) +
                                                     " at byte " + std::to_string(start) +
                                                     " is not in the GSM 03.38 alphabet");
      }
      counter.Add(static_cast<size_t>(septets));
    }
  } else {
    while (pos < utf8.size()) {
      const size_t start = pos;
      const char32_t cp = NextCodePoint(utf8, &pos);
      if (cp == kInvalidCodePoint) return InvalidUtf8(start);
      counter.Add(cp < 0x10000 ? 1 : 2);
    }
  }
  return counter.Finish(encoding, limits.single);
}

Result<std::vector<std::string>> SplitIntoParts(std::string_view utf8, Encoding encoding) {
  return SplitIntoParts(utf8, encoding, DefaultPartLimits(encoding));
}

Result<std::vector<std::string>> SplitIntoParts(std::string_view utf8, Encoding encoding,
                                                PartLimits limits) {
  CheckLimits(limits);
  const bool gsm = encoding == Encoding::kGsm7;
  BRAMKA_ASSIGN_OR_RETURN(std::string encoded, gsm ? EncodeGsm7(utf8) : EncodeUcs2(utf8));
  const size_t unit_bytes = gsm ? 1 : 2;
  std::vector<std::string> parts;
  if (encoded.size() <= limits.single * unit_bytes) {
    parts.push_back(std::move(encoded));
    return parts;
  }
  const size_t part_bytes = limits.per_part * unit_bytes;
  parts.reserve(encoded.size() / part_bytes + 2);
  size_t start = 0;
  while (start < encoded.size()) {
    size_t end = std::min(start + part_bytes, encoded.size());
    if (end < encoded.size()) {
      if (gsm) {
        // An escape byte only ever leads a pair (no extension code is 0x1B), so a
        // part ending in one would split the pair.
        if (static_cast<uint8_t>(encoded[end - 1]) == kGsm7Escape) --end;
      } else {
        const uint8_t hi = static_cast<uint8_t>(encoded[end - 2]);
        if (hi >= 0xD8 && hi <= 0xDB) end -= 2;  // high surrogate: keep the pair together
      }
    }
    parts.emplace_back(encoded, start, end - start);
    start = end;
  }
  return parts;
}

std::string MakeConcatUdh(uint16_t reference, uint8_t total, uint8_t sequence,
                          bool sixteen_bit_reference) {
  std::string udh;
  if (sixteen_bit_reference) {
    udh = {0x06, 0x08, 0x04, static_cast<char>(reference >> 8),
           static_cast<char>(reference & 0xFF)};
  } else {
    udh = {0x05, 0x00, 0x03, static_cast<char>(reference & 0xFF)};
  }
  udh.push_back(static_cast<char>(total));
  udh.push_back(static_cast<char>(sequence));
  return udh;
}

std::optional<ConcatInfo> ParseConcatUdh(std::string_view udh) {
  if (udh.empty()) return std::nullopt;
  const auto at = [&](size_t i) { return static_cast<uint8_t>(udh[i]); };
  const size_t end = 1 + static_cast<size_t>(at(0));
  if (udh.size() < end) return std::nullopt;
  std::optional<ConcatInfo> found;
  size_t i = 1;
  while (i < end) {
    if (end - i < 2) return std::nullopt;  // an IE header cut off by UDHL
    const uint8_t iei = at(i);
    const size_t length = at(i + 1);
    const size_t data = i + 2;
    if (end - data < length) return std::nullopt;  // IE data runs past UDHL
    std::optional<ConcatInfo> candidate;
    if (iei == 0x00 && length == 3) {
      candidate = ConcatInfo{at(data), at(data + 1), at(data + 2)};
    } else if (iei == 0x08 && length == 4) {
      candidate = ConcatInfo{static_cast<uint16_t>(at(data) << 8 | at(data + 1)), at(data + 2),
                             at(data + 3)};
    }
    if (candidate && candidate->total != 0 && candidate->sequence != 0 &&
        candidate->sequence <= candidate->total) {
      found = candidate;
    }
    i = data + length;
  }
  return found;
}

}  // namespace bramka::sms
