#include "sms/ucs2.h"

#include <array>
#include <cstdint>

#include "sms/utf8.h"

namespace bramka::sms {
namespace {

void AppendUnit(std::string* out, uint32_t unit) {
  out->push_back(static_cast<char>(unit >> 8));
  out->push_back(static_cast<char>(unit & 0xFF));
}

// ISO-8859-2 0xA0..0xFF; below 0xA0 it equals ISO-8859-1 (ASCII and C1 controls).
constexpr std::array<char16_t, 96> kLatin2High = {
    0x00A0, 0x0104, 0x02D8, 0x0141, 0x00A4, 0x013D, 0x015A, 0x00A7,  // 0xA0
    0x00A8, 0x0160, 0x015E, 0x0164, 0x0179, 0x00AD, 0x017D, 0x017B,  // 0xA8
    0x00B0, 0x0105, 0x02DB, 0x0142, 0x00B4, 0x013E, 0x015B, 0x02C7,  // 0xB0
    0x00B8, 0x0161, 0x015F, 0x0165, 0x017A, 0x02DD, 0x017E, 0x017C,  // 0xB8
    0x0154, 0x00C1, 0x00C2, 0x0102, 0x00C4, 0x0139, 0x0106, 0x00C7,  // 0xC0
    0x010C, 0x00C9, 0x0118, 0x00CB, 0x011A, 0x00CD, 0x00CE, 0x010E,  // 0xC8
    0x0110, 0x0143, 0x0147, 0x00D3, 0x00D4, 0x0150, 0x00D6, 0x00D7,  // 0xD0
    0x0158, 0x016E, 0x00DA, 0x0170, 0x00DC, 0x00DD, 0x0162, 0x00DF,  // 0xD8
    0x0155, 0x00E1, 0x00E2, 0x0103, 0x00E4, 0x013A, 0x0107, 0x00E7,  // 0xE0
    0x010D, 0x00E9, 0x0119, 0x00EB, 0x011B, 0x00ED, 0x00EE, 0x010F,  // 0xE8
    0x0111, 0x0144, 0x0148, 0x00F3, 0x00F4, 0x0151, 0x00F6, 0x00F7,  // 0xF0
    0x0159, 0x016F, 0x00FA, 0x0171, 0x00FC, 0x00FD, 0x0163, 0x02D9,  // 0xF8
};

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    if (static_cast<uint8_t>(s[pos]) < 0x80) {
      ++pos;
    } else if (NextCodePoint(s, &pos) == kInvalidCodePoint) {
      return false;
    }
  }
  return true;
}

Result<std::string> EncodeUcs2(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size() * 2);
  size_t pos = 0;
  while (pos < utf8.size()) {
    const size_t start = pos;
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint) {
      return Fail(ErrorCode::kInvalidArgument, "invalid UTF-8 at byte " + std::to_string(start));
    }
    if (cp < 0x10000) {
      AppendUnit(&out, cp);
    } else {
      const uint32_t v = cp - 0x10000;
      AppendUnit(&out, 0xD800 | (v >> 10));
      AppendUnit(&out, 0xDC00 | (v & 0x3FF));
    }
  }
  return out;
}

Result<std::string> DecodeUcs2(std::string_view bytes) {
  if (bytes.size() % 2 != 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "UCS-2 text has an odd number of bytes (" + std::to_string(bytes.size()) + ")");
  }
  const auto unit_at = [&](size_t i) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[i]) << 8 |
                                 static_cast<uint8_t>(bytes[i + 1]));
  };
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const uint32_t unit = unit_at(i);
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return Fail(ErrorCode::kInvalidArgument,
                  "UCS-2 text has a lone low surrogate at byte " + std::to_string(i));
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      const uint32_t low = i + 3 < bytes.size() ? unit_at(i + 2) : 0;
      if (low < 0xDC00 || low > 0xDFFF) {
        return Fail(ErrorCode::kInvalidArgument,
                    "UCS-2 text has a lone high surrogate at byte " + std::to_string(i));
      }
      AppendUtf8(&out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
      i += 2;
      continue;
    }
    AppendUtf8(&out, unit);
  }
  return out;
}

std::optional<size_t> Utf16Length(std::string_view utf8) {
  size_t units = 0;
  size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint) return std::nullopt;
    units += cp < 0x10000 ? 1 : 2;
  }
  return units;
}

Result<std::string> DecodeLatin1(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const char c : bytes) AppendUtf8(&out, static_cast<uint8_t>(c));
  return out;
}

std::optional<std::string> EncodeLatin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint || cp > 0xFF) return std::nullopt;
    out.push_back(static_cast<char>(cp));
  }
  return out;
}

Result<std::string> DecodeLatin2(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (const char c : bytes) {
    const uint8_t b = static_cast<uint8_t>(c);
    AppendUtf8(&out, b < 0xA0 ? b : kLatin2High[b - 0xA0]);
  }
  return out;
}

}  // namespace bramka::sms
