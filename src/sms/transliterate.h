#pragma once
// Lossy conversion of any UTF-8 text to the GSM 03.38 alphabet, for ECO messages
// (DESIGN.md: "text transliterated to GSM-7") and for senders that cannot do UCS-2.
//
// Per code point, first rule that applies:
//   1. already in the GSM basic or extension table (é, Ä, €, {, ...) -> unchanged;
//   2. Polish letters ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ -> acelnoszz ACELNOSZZ;
//   3. typography -> ASCII: “ ” „ « » -> "; ‘ ’ ‚ ′ ` -> '; ‐ – — − -> -; … -> ...;
//      no-break and other Unicode spaces, tab -> space; soft hyphen, zero-width
//      characters, variation selectors, emoji skin-tone modifiers and combining marks
//      (U+0300..U+036F) -> removed; ™ -> TM, © -> (c), ½ -> 1/2 and a few more;
//   4. other Latin letters with diacritics (Latin-1, Latin Extended-A/B, Latin Extended
//      Additional) -> base letter (ç -> c, ő -> o, ș -> s, ẞ -> SS, œ -> oe); Greek
//      capitals that look Latin (Α Β Ε ...) -> the Latin letter;
//   5. anything else (Cyrillic, CJK, emoji, other controls) -> '?'.
// Each byte of invalid UTF-8 becomes '?'. The result always satisfies IsGsm7Encodable.
// Pure and thread-safe.

#include <string>
#include <string_view>

namespace bramka::sms {

std::string TransliterateForGsm7(std::string_view utf8);

}  // namespace bramka::sms
