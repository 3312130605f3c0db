#include "sms/gsm7.h"

#include <array>

#include "common/check.h"
#include "sms/utf8.h"

namespace bramka::sms {
namespace {

// TS 23.038 §6.2.1, default alphabet. 0x1B is the escape to the extension table and
// has no character of its own (kNone).
constexpr char32_t kNone = 0xFFFFFFFF;
constexpr std::array<char32_t, 128> kBasic = {
    0x0040, 0x00A3, 0x0024, 0x00A5, 0x00E8, 0x00E9, 0x00F9, 0x00EC,  // 0x00 @ £ $ ¥ è é ù ì
    0x00F2, 0x00C7, 0x000A, 0x00D8, 0x00F8, 0x000D, 0x00C5, 0x00E5,  // 0x08 ò Ç LF Ø ø CR Å å
    0x0394, 0x005F, 0x03A6, 0x0393, 0x039B, 0x03A9, 0x03A0, 0x03A8,  // 0x10 Δ _ Φ Γ Λ Ω Π Ψ
    0x03A3, 0x0398, 0x039E, kNone,  0x00C6, 0x00E6, 0x00DF, 0x00C9,  // 0x18 Σ Θ Ξ ESC Æ æ ß É
    0x0020, 0x0021, 0x0022, 0x0023, 0x00A4, 0x0025, 0x0026, 0x0027,  // 0x20 space ! " # ¤ % & '
    0x0028, 0x0029, 0x002A, 0x002B, 0x002C, 0x002D, 0x002E, 0x002F,  // 0x28 ( ) * + , - . /
    0x0030, 0x0031, 0x0032, 0x0033, 0x0034, 0x0035, 0x0036, 0x0037,  // 0x30 0-7
    0x0038, 0x0039, 0x003A, 0x003B, 0x003C, 0x003D, 0x003E, 0x003F,  // 0x38 8 9 : ; < = > ?
    0x00A1, 0x0041, 0x0042, 0x0043, 0x0044, 0x0045, 0x0046, 0x0047,  // 0x40 ¡ A-G
    0x0048, 0x0049, 0x004A, 0x004B, 0x004C, 0x004D, 0x004E, 0x004F,  // 0x48 H-O
    0x0050, 0x0051, 0x0052, 0x0053, 0x0054, 0x0055, 0x0056, 0x0057,  // 0x50 P-W
    0x0058, 0x0059, 0x005A, 0x00C4, 0x00D6, 0x00D1, 0x00DC, 0x00A7,  // 0x58 X Y Z Ä Ö Ñ Ü §
    0x00BF, 0x0061, 0x0062, 0x0063, 0x0064, 0x0065, 0x0066, 0x0067,  // 0x60 ¿ a-g
    0x0068, 0x0069, 0x006A, 0x006B, 0x006C, 0x006D, 0x006E, 0x006F,  // 0x68 h-o
    0x0070, 0x0071, 0x0072, 0x0073, 0x0074, 0x0075, 0x0076, 0x0077,  // 0x70 p-w
    0x0078, 0x0079, 0x007A, 0x00E4, 0x00F6, 0x00F1, 0x00FC, 0x00E0,  // 0x78 x y z ä ö ñ ü à
};

// TS 23.038 §6.2.1.1, extension table (after 0x1B). 0x0D (CR2) and 0x1B (a further
// extension table) are reserved and treated as undefined.
struct ExtensionEntry {
  uint8_t code;
  char32_t code_point;
};
constexpr std::array<ExtensionEntry, 10> kExtension = {{
    {0x0A, 0x000C},  // form feed (page break)
    {0x14, 0x005E},  // ^
    {0x28, 0x007B},  // {
    {0x29, 0x007D},  // }
    {0x2F, 0x005C},  // backslash
    {0x3C, 0x005B},  // [
    {0x3D, 0x007E},  // ~
    {0x3E, 0x005D},  // ]
    {0x40, 0x007C},  // |
    {0x65, 0x20AC},  // €
}};
constexpr char32_t kEuro = 0x20AC;

constexpr std::array<char32_t, 128> MakeExtensionDecodeTable() {
  std::array<char32_t, 128> table{};
  for (auto& cp : table) cp = kNone;
  for (const auto& e : kExtension) table[e.code] = e.code_point;
  return table;
}
constexpr std::array<char32_t, 128> kExtensionDecode = MakeExtensionDecodeTable();

// Reverse lookup for every code point below U+0400 (Latin-1 and the Greek capitals);
// the euro sign, the only one above, is special-cased. -1 = not encodable.
constexpr size_t kReverseSize = 0x400;
constexpr std::array<int16_t, kReverseSize> MakeReverseTable() {
  std::array<int16_t, kReverseSize> table{};
  for (auto& v : table) v = -1;
  for (size_t code = 0; code < kBasic.size(); ++code) {
    if (kBasic[code] != kNone) table[kBasic[code]] = static_cast<int16_t>(code);
  }
  for (const auto& e : kExtension) {
    if (e.code_point < kReverseSize) table[e.code_point] = static_cast<int16_t>(0x100 | e.code);
  }
  return table;
}
constexpr std::array<int16_t, kReverseSize> kReverse = MakeReverseTable();

}  // namespace

int Gsm7Code(char32_t code_point) {
  if (code_point < kReverseSize) return kReverse[code_point];
  if (code_point == kEuro) return 0x100 | 0x65;
  return -1;
}

bool IsGsm7Encodable(std::string_view utf8) {
  size_t pos = 0;
  while (pos < utf8.size()) {
    const uint8_t b = static_cast<uint8_t>(utf8[pos]);
    if (b < 0x80) {  // ASCII fast path (controls other than LF/CR and ` are not encodable)
      if (kReverse[b] < 0) return false;
      ++pos;
      continue;
    }
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint || Gsm7Code(cp) < 0) return false;
  }
  return true;
}

Result<std::string> EncodeGsm7(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    const size_t start = pos;
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint) {
      return Fail(ErrorCode::kInvalidArgument, "invalid UTF-8 at byte " + std::to_string(start));
    }
    const int code = Gsm7Code(cp);
    if (code < 0) {
      return Fail(ErrorCode::kInvalidArgument, "character " + DescribeCodePoint(cp) + " at byte " +
                                                   std::to_string(start) +
                                                   " is not in the GSM 03.38 alphabet");
    }
    if (code >= 0x100) out.push_back(static_cast<char>(kGsm7Escape));
    out.push_back(static_cast<char>(code & 0x7F));
  }
  return out;
}

std::string DecodeGsm7(std::string_view septets) {
  std::string out;
  out.reserve(septets.size() + septets.size() / 4);
  for (size_t i = 0; i < septets.size(); ++i) {
    const uint8_t code = static_cast<uint8_t>(septets[i]) & 0x7F;
    if (code != kGsm7Escape) {
      AppendUtf8(&out, kBasic[code]);
      continue;
    }
    if (i + 1 == septets.size()) {  // lone escape at the end
      out.push_back(' ');
      break;
    }
    const uint8_t next = static_cast<uint8_t>(septets[++i]) & 0x7F;
    if (next == kGsm7Escape) {
      out.push_back(' ');
    } else if (kExtensionDecode[next] != kNone) {
      AppendUtf8(&out, kExtensionDecode[next]);
    } else {
      AppendUtf8(&out, kBasic[next]);
    }
  }
  return out;
}

std::string PackSeptets(std::string_view septets, int fill_bits) {
  BRAMKA_CHECK(fill_bits >= 0 && fill_bits <= 6);
  const size_t total_bits = static_cast<size_t>(fill_bits) + 7 * septets.size();
  std::string out((total_bits + 7) / 8, '\0');
  size_t bit = static_cast<size_t>(fill_bits);
  for (const char c : septets) {
    const unsigned septet = static_cast<uint8_t>(c) & 0x7F;
    const size_t byte = bit / 8;
    const unsigned shift = bit % 8;
    out[byte] = static_cast<char>(static_cast<uint8_t>(out[byte]) | ((septet << shift) & 0xFF));
    if (shift > 1) {  // the septet spills into the next octet
      out[byte + 1] =
          static_cast<char>(static_cast<uint8_t>(out[byte + 1]) | (septet >> (8 - shift)));
    }
    bit += 7;
  }
  return out;
}

std::string UnpackSeptets(std::string_view packed, size_t count, int fill_bits) {
  BRAMKA_CHECK(fill_bits >= 0 && fill_bits <= 6);
  const size_t available_bits = packed.size() * 8;
  const size_t fill = static_cast<size_t>(fill_bits);
  const size_t available = available_bits < fill ? 0 : (available_bits - fill) / 7;
  if (count > available) count = available;
  std::string out;
  out.reserve(count);
  size_t bit = fill;
  for (size_t i = 0; i < count; ++i) {
    const size_t byte = bit / 8;
    const unsigned shift = bit % 8;
    unsigned value = static_cast<uint8_t>(packed[byte]) >> shift;
    if (shift > 1)
      value |= static_cast<unsigned>(static_cast<uint8_t>(packed[byte + 1])) << (8 - shift);
    out.push_back(static_cast<char>(value & 0x7F));
    bit += 7;
  }
  return out;
}

}  // namespace bramka::sms
