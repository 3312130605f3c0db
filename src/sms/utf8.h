#pragma once
// Strict UTF-8 stepping, shared by the GSM 03.38, UCS-2 and transliteration code.
//
// "Strict" means RFC 3629: no overlong forms, no UTF-16 surrogates (U+D800..U+DFFF),
// nothing above U+10FFFF, no truncated sequences. Header-only and allocation-free so
// that AnalyzeText can walk a text once without touching the heap. Thread-safe (pure).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace bramka::sms {

// Returned by NextCodePoint for a byte that does not start a valid sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point that starts at s[*pos] and advances *pos past it. On an
// invalid sequence returns kInvalidCodePoint and advances *pos by exactly one byte,
// so a caller that substitutes something for each invalid byte always makes progress.
// Precondition: *pos < s.size().
inline char32_t NextCodePoint(std::string_view s, size_t* pos) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  const size_t i = *pos;
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    *pos = i + 1;
    return b0;
  }
  size_t len;
  char32_t cp;
  char32_t min;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {  // continuation byte, 0xC0/0xC1 (always overlong) or 0xF5..0xFF
    *pos = i + 1;
    return kInvalidCodePoint;
  }
  if (s.size() - i < len) {
    *pos = i + 1;
    return kInvalidCodePoint;
  }
  for (size_t k = 1; k < len; ++k) {
    const uint8_t b = byte(i + k);
    if ((b & 0xC0) != 0x80) {
      *pos = i + 1;
      return kInvalidCodePoint;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    *pos = i + 1;
    return kInvalidCodePoint;
  }
  *pos = i + len;
  return cp;
}

// Appends `cp` (which must be a Unicode scalar value) to `out` as UTF-8.
inline void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// How error messages name a code point: "'ł' (U+0142)", or just "U+0009" for a
// control character.
std::string DescribeCodePoint(char32_t cp);

}  // namespace bramka::sms
