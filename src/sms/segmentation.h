#pragma once
// Long-message arithmetic and splitting, plus the concatenation user data header.
//
// A single SMS carries 140 octets: 160 GSM-7 septets or 70 UCS-2 code units. A long
// text is sent as parts that each start with a concatenation UDH (TS 23.040
// §9.2.3.24.1); with the usual 6-octet UDH (8-bit reference) a part holds 153 septets
// or 67 code units. bramka counts and bills parts with those figures (spec: "918
// characters / 6 parts"), whatever a connector later does on the wire.
//
// Two atoms are never split across parts: an escape pair (0x1B + extension code, e.g.
// '€') and a UTF-16 surrogate pair (e.g. an emoji). When one would straddle a boundary
// it moves whole to the next part, which leaves the previous part one unit short.
//
// All functions are pure and thread-safe.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace bramka::sms {

enum class Encoding { kGsm7, kUcs2 };

inline constexpr int kMaxParts = 6;
inline constexpr int kMaxGsm7Chars = 918;  // 6 * 153

// "gsm7" / "ucs2" (stable: stored and shown to users).
std::string_view EncodingName(Encoding encoding);

// kGsm7 if IsGsm7Encodable(utf8), else kUcs2 (also for invalid UTF-8, which
// AnalyzeText then rejects).
Encoding DetectEncoding(std::string_view utf8);

// Capacity in units (septets or UTF-16 code units).
struct PartLimits {
  size_t single;    // a text this long or shorter is sent as one SMS without UDH
  size_t per_part;  // capacity of each part of a longer text
};
// 160/153 for GSM-7, 70/67 for UCS-2 (6-octet UDH).
PartLimits DefaultPartLimits(Encoding encoding);
// Limits for parts carrying a UDH of `udh_octets` octets including its length octet,
// e.g. 7 for a 16-bit-reference concatenation UDH: 152 septets or 66 code units.
// Precondition: 0 < udh_octets <= 136, so a part holds at least 2 units (BRAMKA_CHECK).
PartLimits PartLimitsForUdh(Encoding encoding, size_t udh_octets);

struct TextInfo {
  Encoding encoding;
  size_t units;  // septets (an extension character counts 2) or UTF-16 code units
  int parts;     // >= 1; an empty text is one part of 0 units
};

// Counts units and parts without allocating. Does not enforce kMaxParts or
// kMaxGsm7Chars; callers decide. Errors: kInvalidArgument for invalid UTF-8, or, for
// kGsm7, a character outside the GSM 03.38 alphabet (the message names it).
Result<TextInfo> AnalyzeText(std::string_view utf8, Encoding encoding);
Result<TextInfo> AnalyzeText(std::string_view utf8, Encoding encoding, PartLimits limits);

// Encodes `utf8` and splits it into part payloads without UDH: GSM-7 as unpacked
// septets (one per byte), UCS-2 as UTF-16BE bytes. A text that fits one SMS (including
// the empty text) yields exactly one element. The number of elements always equals
// AnalyzeText(...).parts for the same limits. Errors: as AnalyzeText.
Result<std::vector<std::string>> SplitIntoParts(std::string_view utf8, Encoding encoding);
Result<std::vector<std::string>> SplitIntoParts(std::string_view utf8, Encoding encoding,
                                                PartLimits limits);

// Concatenation UDH including its length octet (TS 23.040 §9.2.3.24.1 and .8):
//   8-bit reference:  05 00 03 ref total seq   (the low byte of `reference` is used)
//   16-bit reference: 06 08 04 refhi reflo total seq
std::string MakeConcatUdh(uint16_t reference, uint8_t total, uint8_t sequence,
                          bool sixteen_bit_reference);

struct ConcatInfo {
  uint16_t reference;
  uint8_t total;
  uint8_t sequence;
};

// Finds a concatenation IE (00 or 08) in `udh`, which starts with its length octet
// (UDHL) and may be followed by the rest of the user data (ignored). Other IEs are
// skipped; if several concatenation IEs appear the last valid one wins (TS 23.040
// §9.2.3.24: the last occurrence applies). nullopt if `udh` is truncated or malformed,
// has no concatenation IE, or the IE has total 0 or a sequence outside 1..total (which
// TS 23.040 says the receiver shall ignore).
std::optional<ConcatInfo> ParseConcatUdh(std::string_view udh);

}  // namespace bramka::sms
