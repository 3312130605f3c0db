// Fuzz target: AnalyzeText / SplitIntoParts / transliteration / concatenation UDH
// (src/sms/segmentation.h, src/sms/transliterate.h).
// Properties: the part count from AnalyzeText equals SplitIntoParts' element count,
// parts concatenate to the encoded text and never split an escape or surrogate pair;
// transliterated text is always GSM-7; ParseConcatUdh never reads out of bounds and
// inverts MakeConcatUdh.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sms/gsm7.h"
#include "sms/segmentation.h"
#include "sms/transliterate.h"
#include "sms/ucs2.h"

namespace {

void CheckSplit(std::string_view text, bramka::sms::Encoding encoding) {
  using namespace bramka::sms;
  auto info = AnalyzeText(text, encoding);
  auto parts = SplitIntoParts(text, encoding);
  BRAMKA_CHECK(info.ok() == parts.ok());
  if (!info.ok()) return;
  BRAMKA_CHECK(info->parts >= 1);
  BRAMKA_CHECK(parts->size() == static_cast<size_t>(info->parts));
  const bool gsm = encoding == Encoding::kGsm7;
  const PartLimits limits = DefaultPartLimits(encoding);
  std::string joined;
  for (const std::string& part : *parts) {
    const size_t units = gsm ? part.size() : part.size() / 2;
    BRAMKA_CHECK(units <= (parts->size() == 1 ? limits.single : limits.per_part));
    if (gsm) {
      BRAMKA_CHECK(part.empty() || static_cast<uint8_t>(part.back()) != kGsm7Escape);
    } else {
      BRAMKA_CHECK(DecodeUcs2(part).ok());
    }
    joined += part;
  }
  BRAMKA_CHECK((gsm ? joined.size() : joined.size() / 2) == info->units);
  BRAMKA_CHECK(gsm ? DecodeGsm7(joined) == text : *DecodeUcs2(joined) == text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::sms;
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  CheckSplit(input, Encoding::kGsm7);
  CheckSplit(input, Encoding::kUcs2);
  CheckSplit(input, DetectEncoding(input));

  const std::string plain = TransliterateForGsm7(input);
  BRAMKA_CHECK(IsGsm7Encodable(plain));
  BRAMKA_CHECK(TransliterateForGsm7(plain) == plain);  // idempotent
  CheckSplit(plain, Encoding::kGsm7);

  auto udh = ParseConcatUdh(input);
  if (udh) BRAMKA_CHECK(udh->sequence >= 1 && udh->sequence <= udh->total);
  if (size >= 4) {
    const uint16_t ref = static_cast<uint16_t>(data[0] << 8 | data[1]);
    const uint8_t total = data[2] == 0 ? 1 : data[2];
    const uint8_t seq = static_cast<uint8_t>(data[3] % total + 1);
    const bool sixteen = (data[0] & 1) != 0;
    auto parsed = ParseConcatUdh(MakeConcatUdh(ref, total, seq, sixteen));
    BRAMKA_CHECK(parsed.has_value());
    BRAMKA_CHECK(parsed->reference == (sixteen ? ref : (ref & 0xFF)));
    BRAMKA_CHECK(parsed->total == total && parsed->sequence == seq);
  }
  return 0;
}
