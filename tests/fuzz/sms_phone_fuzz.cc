// Fuzz target: PhoneNormalizer (src/sms/phone.h).
// Properties: never crashes; an accepted number is '+' and digits and normalises to
// itself. (Not "at most 15 digits": libphonenumber deems some 16-digit German numbers
// valid, e.g. +4933162066933148, and PhoneNormalizer follows it.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sms/phone.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bramka::sms::PhoneNormalizer normalizer("PL");
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto e164 = normalizer.Normalize(input);
  if (e164.ok()) {
    const std::string& n = *e164;
    BRAMKA_CHECK(n.size() >= 3 && n.size() <= 18 && n[0] == '+');
    for (size_t i = 1; i < n.size(); ++i) BRAMKA_CHECK(n[i] >= '0' && n[i] <= '9');
    auto again = normalizer.Normalize(n);
    BRAMKA_CHECK(again.ok() && *again == n);
  }
  return 0;
}
