#pragma once
// The GSM 7-bit default alphabet (3GPP TS 23.038 §6.2.1, formerly GSM 03.38): the basic
// table of 128 characters and its extension table, reached through the escape septet
// 0x1B (so an extension character costs two septets).
//
// Two representations of GSM text appear here:
//   * unpacked septets: one septet (0..127) per byte — what SMPP's short_message carries
//     for data_coding 0 on most SMSCs and what segmentation counts;
//   * packed septets: 8 septets in 7 octets (TS 23.038 §6.1.2.1.1) — what the air
//     interface and some SMSCs use; see PackSeptets / UnpackSeptets.
//
// All functions are pure and thread-safe.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::sms {

inline constexpr uint8_t kGsm7Escape = 0x1B;

// Where `code_point` lives in the default alphabet: 0..127 for the basic table,
// 0x100 | code for the extension table (sent as 0x1B, code), -1 if nowhere.
int Gsm7Code(char32_t code_point);

// Septets `code_point` costs: 1 (basic table), 2 (extension table) or 0 (not encodable).
inline int Gsm7SeptetCount(char32_t code_point) {
  const int code = Gsm7Code(code_point);
  return code < 0 ? 0 : (code >= 0x100 ? 2 : 1);
}

// True if `utf8` is valid UTF-8 and every code point is in the basic or extension table.
// The empty string is encodable.
bool IsGsm7Encodable(std::string_view utf8);

// UTF-8 -> unpacked septets, one per byte; extension characters become 0x1B, code.
// Errors: kInvalidArgument naming the first character that is not in the alphabet and
// its byte offset, or the byte offset of invalid UTF-8.
Result<std::string> EncodeGsm7(std::string_view utf8);

// Unpacked septets -> UTF-8. Never fails:
//   * bytes are taken modulo 128 (bit 7 is ignored);
//   * 0x1B followed by a code with no extension character decodes as that code's basic
//     character (TS 23.038 §6.2.1.1 note: "display the character shown in the main table");
//   * 0x1B 0x1B (reserved for a further extension table) and a trailing lone 0x1B decode
//     as a space (TS 23.038: "display a space until another extension table is defined").
std::string DecodeGsm7(std::string_view septets);

// Packs septets 8-into-7 (TS 23.038 §6.1.2.1.1), least significant bits first. Only
// the low 7 bits of each byte are used. `fill_bits` (0..6) zero bits are inserted
// before the first septet so that it starts on a septet boundary after a UDH (see
// Gsm7FillBits). Output: ceil((fill_bits + 7 * n) / 8) octets. When 7 * n + fill_bits
// leaves 7 spare bits in the last octet they are zero, so a receiver that ignores the
// septet count would read a trailing '@': SMS carries the count (UDL), so that is fine.
// Precondition: 0 <= fill_bits <= 6 (BRAMKA_CHECK).
std::string PackSeptets(std::string_view septets, int fill_bits = 0);

// Inverse of PackSeptets: reads `count` septets after skipping `fill_bits` bits. If
// `packed` holds fewer than `count` complete septets, returns the ones it holds (never
// reads past the input). Precondition: 0 <= fill_bits <= 6 (BRAMKA_CHECK).
std::string UnpackSeptets(std::string_view packed, size_t count, int fill_bits = 0);

// Fill bits needed after a user data header of `udh_octets` octets (including its
// length octet) so that the text starts on a septet boundary (TS 23.040 §9.2.3.24).
// A 6-octet concatenation UDH needs 1; a 7-octet one needs 0.
inline int Gsm7FillBits(size_t udh_octets) {
  return static_cast<int>((7 - (udh_octets * 8) % 7) % 7);
}

}  // namespace bramka::sms
