// Fuzz target: UCS-2/UTF-16BE, Latin-1 and Latin-2 conversions (src/sms/ucs2.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sms/ucs2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::sms;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // As UTF-16BE: a successful decode re-encodes to the same bytes.
  auto decoded = DecodeUcs2(input);
  if (decoded.ok()) {
    BRAMKA_CHECK(IsValidUtf8(*decoded));
    auto again = EncodeUcs2(*decoded);
    BRAMKA_CHECK(again.ok() && *again == input);
  }

  // As UTF-8: encodes exactly when valid, and round-trips.
  auto encoded = EncodeUcs2(input);
  BRAMKA_CHECK(encoded.ok() == IsValidUtf8(input));
  BRAMKA_CHECK(Utf16Length(input).has_value() == IsValidUtf8(input));
  if (encoded.ok()) {
    BRAMKA_CHECK(encoded->size() == 2 * *Utf16Length(input));
    auto back = DecodeUcs2(*encoded);
    BRAMKA_CHECK(back.ok() && *back == input);
  }

  // Single-byte charsets always decode to valid UTF-8; Latin-1 round-trips.
  auto latin1 = DecodeLatin1(input);
  BRAMKA_CHECK(latin1.ok() && IsValidUtf8(*latin1));
  auto bytes = EncodeLatin1(*latin1);
  BRAMKA_CHECK(bytes.has_value() && *bytes == input);
  auto latin2 = DecodeLatin2(input);
  BRAMKA_CHECK(latin2.ok() && IsValidUtf8(*latin2));
  return 0;
}
