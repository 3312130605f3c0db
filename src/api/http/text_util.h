#pragma once
// Small text helpers shared by the request decoder and the response encoders.
// Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace bramka::api::http {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view s);

// Appends the UTF-8 encoding of `cp` (which must be a Unicode scalar value).
void AppendUtf8(std::string& out, uint32_t cp);

// Decodes one code point at s[*pos] and advances *pos; returns U+FFFD (and
// advances by one byte) for an ill-formed sequence.
uint32_t NextCodePoint(std::string_view s, size_t* pos);

// Strips ASCII whitespace (space, \t, \r, \n, \v, \f) at both ends.
std::string_view Trim(std::string_view s);

// ASCII-only lower-casing.
std::string AsciiLower(std::string_view s);

}  // namespace bramka::api::http
