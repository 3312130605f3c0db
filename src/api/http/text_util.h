#pragma once
// Small text helpers shared by the request decoder and the response encoders
// (UTF-8 itself is sms/utf8.h and sms/ucs2.h). Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace bramka::api::http {

// Strips ASCII whitespace (space, \t, \r, \n, \v, \f) at both ends.
std::string_view Trim(std::string_view s);

// ASCII-only lower-casing.
std::string AsciiLower(std::string_view s);

// AsciiLower(s) == lower, without building the lower-cased copy (`lower` is lower case).
bool EqualsAsciiLower(std::string_view s, std::string_view lower);

}  // namespace bramka::api::http
