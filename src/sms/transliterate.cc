#include "sms/transliterate.h"

#include <array>

#include "sms/gsm7.h"
#include "sms/utf8.h"

namespace bramka::sms {
namespace {

// Replacements for U+00A0..U+00FF. nullptr where the character is already GSM (never
// consulted) or has no sensible ASCII form ('?').
// clang-format off
constexpr std::array<const char*, 96> kLatin1 = {
    " ",   nullptr, "c",   nullptr, nullptr, nullptr, "|",   nullptr,  // A0 NBSP ¡ ¢ £ ¤ ¥ ¦ §
    "\"",  "(c)",   "a",   "\"",    "-",     "",      "(R)", "-",      // A8 ¨ © ª « ¬ SHY ® ¯
    "o",   "+/-",   "2",   "3",     "'",     "u",     nullptr, ".",    // B0 ° ± ² ³ ´ µ ¶ ·
    ",",   "1",     "o",   "\"",    "1/4",   "1/2",   "3/4", nullptr,  // B8 ¸ ¹ º » ¼ ½ ¾ ¿
    "A",   "A",     "A",   "A",     nullptr, nullptr, nullptr, nullptr,  // C0 À Á Â Ã Ä Å Æ Ç
    "E",   nullptr, "E",   "E",     "I",     "I",     "I",   "I",      // C8 È É Ê Ë Ì Í Î Ï
    "D",   nullptr, "O",   "O",     "O",     "O",     nullptr, "x",    // D0 Ð Ñ Ò Ó Ô Õ Ö ×
    nullptr, "U",   "U",   "U",     nullptr, "Y",     "Th",  nullptr,  // D8 Ø Ù Ú Û Ü Ý Þ ß
    nullptr, "a",   "a",   "a",     nullptr, nullptr, nullptr, "c",    // E0 à á â ã ä å æ ç
    nullptr, nullptr, "e", "e",     nullptr, "i",     "i",   "i",      // E8 è é ê ë ì í î ï
    "d",   nullptr, nullptr, "o",   "o",     "o",     nullptr, "/",    // F0 ð ñ ò ó ô õ ö ÷
    nullptr, nullptr, "u", "u",     nullptr, "y",     "th",  "y",      // F8 ø ù ú û ü ý þ ÿ
};
// clang-format on

// Base letters for U+0100..U+024F (Latin Extended-A and -B) and U+1E00..U+1EFF (Latin
// Extended Additional), one ASCII letter per code point, '?' where there is none. Taken
// from the Unicode canonical decompositions (NFD), plus the letters with a stroke or
// hook that have no decomposition (ł, đ, ħ, ƒ, ...). Multi-letter cases are in
// kMultiLetter.
constexpr std::string_view kLatinExtA =
    "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIi??JjKkkLlLlLlL"
    "lLlNnNnNnnNnOoOoOo??RrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
constexpr std::string_view kLatinExtB =
    "bB?????Cc?D??????FfG???IKkl??Nn?Oo??Pp?????tTtTUu?VYyZz?????????"
    "?????????????AaIiOoUuUuUuUuUu?AaAa????GgKkOoOo??j???Gg??NnAa????"
    "AaAaEeEeIiIiOoOoRrRrUuUuSsTt??Hh?d????AaEeOoOoOoOoYylntj??ACcLTs"
    "z??BU?EeJjQqRrYy";
constexpr std::string_view kLatinExtAdditional =
    "AaBbBbBbCcDdDdDdDdDdEeEeEeEeEeFfGgHhHhHhHhHhIiIiKkKkKkLlLlLlLlMm"
    "MmMmNnNnNnNnOoOoOoOoPpPpRrRrRrRrSsSsSsSsSsTtTtTtTtUuUuUuUuUuVvVv"
    "WwWwWwWwWwXxXxYyZzZzZzhtwy?s????AaAaAaAaAaAaAaAaAaAaAaAaEeEeEeEe"
    "EeEeEeEeIiIiOoOoOoOoOoOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy??????";
static_assert(kLatinExtA.size() == 0x80);
static_assert(kLatinExtB.size() == 0xD0);
static_assert(kLatinExtAdditional.size() == 0x100);

struct Multi {
  char32_t code_point;
  const char* replacement;
};
constexpr std::array<Multi, 20> kMultiLetter = {{
    {0x0132, "IJ"}, {0x0133, "ij"}, {0x0152, "OE"}, {0x0153, "oe"}, {0x01C4, "DZ"},
    {0x01C5, "Dz"}, {0x01C6, "dz"}, {0x01C7, "LJ"}, {0x01C8, "Lj"}, {0x01C9, "lj"},
    {0x01CA, "NJ"}, {0x01CB, "Nj"}, {0x01CC, "nj"}, {0x01F1, "DZ"}, {0x01F2, "Dz"},
    {0x01F3, "dz"}, {0x1E9E, "SS"}, {0xFB00, "ff"}, {0xFB01, "fi"}, {0xFB02, "fl"},
}};

// Greek capitals U+0391..U+03A9 that are not in the GSM table but look like Latin
// letters ('?' = none). Those in the GSM table (Δ Φ Γ Λ Ω Π Ψ Σ Θ Ξ) never get here.
constexpr std::string_view kGreekCapitals = "AB??EZH?IK?MN?O?P??TY?X??";
static_assert(kGreekCapitals.size() == 0x3A9 - 0x391 + 1);

// Typography and invisible characters. Returns nullptr if `cp` is not one of them.
const char* Typography(char32_t cp) {
  // clang-format off
  switch (cp) {
    case 0x0009: return " ";  // tab
    case 0x0060: return "'";  // grave accent, often used as an apostrophe
    case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
    case 0x2212: case 0x2043:
      return "-";  // hyphens, dashes, minus
    case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: case 0x2035:
    case 0x2039: case 0x203A:
      return "'";
    case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033: case 0x2036:
      return "\"";
    case 0x2026: return "...";
    case 0x2022: case 0x2023: case 0x2219: case 0x25CF: return "*";  // bullets
    case 0x2024: return ".";
    case 0x2044: case 0x2215: return "/";
    case 0x2122: return "TM";
    case 0x2116: return "No";
    case 0x2190: return "<-";
    case 0x2192: return "->";
    case 0x00A0: case 0x1680: case 0x2000: case 0x2001: case 0x2002: case 0x2003:
    case 0x2004: case 0x2005: case 0x2006: case 0x2007: case 0x2008: case 0x2009:
    case 0x200A: case 0x202F: case 0x205F: case 0x3000:
      return " ";  // no-break and other spaces
    case 0x00AD: case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F:
    case 0x2060: case 0xFEFF:
      return "";  // soft hyphen, zero-width characters and marks, BOM
    default:
      break;
  }
  // clang-format on
  if (cp >= 0x0300 && cp <= 0x036F) return "";    // combining diacritical marks
  if (cp >= 0xFE00 && cp <= 0xFE0F) return "";    // variation selectors (emoji style)
  if (cp >= 0x1F3FB && cp <= 0x1F3FF) return "";  // emoji skin-tone modifiers
  return nullptr;
}

// Appends the replacement for `cp`, which is not GSM-encodable.
void AppendReplacement(std::string* out, char32_t cp) {
  if (const char* typo = Typography(cp)) {
    *out += typo;
    return;
  }
  if (cp >= 0xA0 && cp <= 0xFF) {
    const char* r = kLatin1[cp - 0xA0];
    *out += r != nullptr ? r : "?";
    return;
  }
  for (const auto& m : kMultiLetter) {
    if (m.code_point == cp) {
      *out += m.replacement;
      return;
    }
  }
  char letter = '?';
  if (cp >= 0x0100 && cp < 0x0180) {
    letter = kLatinExtA[cp - 0x0100];
  } else if (cp >= 0x0180 && cp < 0x0250) {
    letter = kLatinExtB[cp - 0x0180];
  } else if (cp >= 0x1E00 && cp < 0x1F00) {
    letter = kLatinExtAdditional[cp - 0x1E00];
  } else if (cp >= 0x0391 && cp <= 0x03A9) {
    letter = kGreekCapitals[cp - 0x0391];
  }
  out->push_back(letter);
}

}  // namespace

std::string TransliterateForGsm7(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t pos = 0;
  while (pos < utf8.size()) {
    const size_t start = pos;
    const char32_t cp = NextCodePoint(utf8, &pos);
    if (cp == kInvalidCodePoint) {
      out.push_back('?');
    } else if (Gsm7Code(cp) >= 0) {
      out.append(utf8, start, pos - start);
    } else {
      AppendReplacement(&out, cp);
    }
  }
  return out;
}

}  // namespace bramka::sms
