// Fuzz target: GSM 03.38 decode/encode and septet packing (src/sms/gsm7.h).
// Properties: decoding never fails and yields valid UTF-8; decoded text re-encodes
// unless it held reserved escapes; pack/unpack round-trip for every fill bit count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sms/gsm7.h"
#include "sms/ucs2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::sms;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // As septets.
  const std::string utf8 = DecodeGsm7(input);
  BRAMKA_CHECK(IsValidUtf8(utf8));
  BRAMKA_CHECK(IsGsm7Encodable(utf8));
  auto encoded = EncodeGsm7(utf8);
  BRAMKA_CHECK(encoded.ok());
  BRAMKA_CHECK(DecodeGsm7(*encoded) == utf8);

  // As UTF-8.
  auto direct = EncodeGsm7(input);
  BRAMKA_CHECK(direct.ok() == IsGsm7Encodable(input));
  if (direct.ok()) BRAMKA_CHECK(DecodeGsm7(*direct) == input);

  // Packing, with the first byte choosing the fill bits.
  const int fill = size > 0 ? data[0] % 7 : 0;
  std::string septets(input);
  for (char& c : septets) c = static_cast<char>(c & 0x7F);
  const std::string packed = PackSeptets(septets, fill);
  BRAMKA_CHECK(UnpackSeptets(packed, septets.size(), fill) == septets);
  // Unpacking arbitrary bytes never reads past them.
  const std::string unpacked = UnpackSeptets(input, size * 2, fill);
  BRAMKA_CHECK(unpacked.size() <= (size * 8) / 7);
  return 0;
}
