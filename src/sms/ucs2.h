#pragma once
// UCS-2 / UTF-16BE (SMPP data_coding 8), ISO-8859-1 (data_coding 3) and ISO-8859-2
// (files from the "SMS via FTP" interface, spec §8) conversions to and from UTF-8,
// bramka's internal text encoding.
//
// What SMSCs call "UCS-2" is in practice UTF-16BE: characters outside the BMP (emoji)
// travel as surrogate pairs, so EncodeUcs2 emits them and DecodeUcs2 accepts them.
// All functions are pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::sms {

// True if `s` is strict UTF-8 (RFC 3629: no overlongs, surrogates or code points above
// U+10FFFF, no truncated sequences).
bool IsValidUtf8(std::string_view s);

// UTF-8 -> UTF-16BE; code points above U+FFFF become surrogate pairs.
// Errors: kInvalidArgument (with the byte offset) if `utf8` is not valid UTF-8.
Result<std::string> EncodeUcs2(std::string_view utf8);

// UTF-16BE -> UTF-8. Errors: kInvalidArgument for an odd byte count or a lone (high
// without low, or low without high) surrogate, naming its byte offset.
Result<std::string> DecodeUcs2(std::string_view bytes);

// Number of UTF-16 code units `utf8` needs, or nullopt if it is not valid UTF-8.
std::optional<size_t> Utf16Length(std::string_view utf8);

// ISO-8859-1 -> UTF-8. Every byte maps to U+0000..U+00FF, so this never fails today;
// it returns Result so that callers treat all decoders alike.
Result<std::string> DecodeLatin1(std::string_view bytes);

// UTF-8 -> ISO-8859-1, or nullopt if `utf8` is invalid or holds a code point above U+00FF.
std::optional<std::string> EncodeLatin1(std::string_view utf8);

// ISO-8859-2 (Central European; Polish files from spec §8) -> UTF-8. Never fails today.
Result<std::string> DecodeLatin2(std::string_view bytes);

}  // namespace bramka::sms
