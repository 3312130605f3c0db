// Fuzz target: delivery receipt text (src/sms/receipt.h).
// Properties: parsing never crashes; a parsed receipt has id and stat; formatting a
// parsed receipt and parsing it again keeps id and stat (when they have no blanks,
// which the parser never produces for them).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "sms/receipt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::sms;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto receipt = ParseReceipt(input);
  if (receipt.ok()) {
    BRAMKA_CHECK(!receipt->id.empty() && !receipt->stat.empty());
    auto again = ParseReceipt(FormatReceipt(*receipt));
    BRAMKA_CHECK(again.ok());
    BRAMKA_CHECK(again->id == receipt->id);
    BRAMKA_CHECK(again->stat == receipt->stat);
  }
  ParseReceiptDate(input.substr(0, 12));
  return 0;
}
