#include "sms/phone_fast.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <array>
#include <atomic>
#include <cstdint>

namespace bramka::sms::internal {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

constexpr int kPolandCode = 48;
constexpr size_t kNationalDigits = 9;
[[maybe_unused]] constexpr size_t kPrefixDigits = 5;  // named in the comments below
constexpr uint64_t kPrefixes = 100'000;               // 10^kPrefixDigits
constexpr uint64_t kSuffixSpan = 10'000;              // 10^(kNationalDigits - kPrefixDigits)

enum : uint8_t { kUnknown = 0, kValid = 1, kInvalid = 2, kMixed = 3 };

// Validity per 5-digit prefix of a Polish national number (see the header).
std::array<std::atomic<uint8_t>, kPrefixes> g_prefix_validity{};

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsValid(const PhoneNumberUtil& util, uint64_t national) {
  PhoneNumber n;
  n.set_country_code(kPolandCode);
  n.set_national_number(national);
  return util.IsValidNumber(n);
}

uint8_t PrefixValidity(const PhoneNumberUtil& util, uint64_t national) {
  const uint64_t prefix = national / kSuffixSpan;
  std::atomic<uint8_t>& slot = g_prefix_validity[prefix];
  uint8_t v = slot.load(std::memory_order_relaxed);
  if (v != kUnknown) return v;
  const bool here = IsValid(util, national);
  const bool low = IsValid(util, prefix * kSuffixSpan);
  const bool high = IsValid(util, prefix * kSuffixSpan + kSuffixSpan - 1);
  v = here == low && low == high ? (here ? kValid : kInvalid) : kMixed;
  slot.store(v, std::memory_order_relaxed);
  return v;
}

}  // namespace

std::optional<std::string> FastPolishNumber(std::string_view cleaned, bool default_region_pl,
                                            PhoneValidation validation) {
  std::string_view national;
  if (cleaned.size() == 3 + kNationalDigits && cleaned.starts_with("+48")) {
    national = cleaned.substr(3);
  } else if (default_region_pl && cleaned.size() == 2 + kNationalDigits &&
             cleaned.starts_with("48")) {
    national = cleaned.substr(2);
  } else if (default_region_pl && cleaned.size() == kNationalDigits && !cleaned.starts_with("48")) {
    // A 9-digit "48…" may lose its "48" in libphonenumber (a country code before a
    // shorter national number): left to it.
    national = cleaned;
  } else {
    return std::nullopt;
  }
  if (national.front() == '0' || !AllDigits(national)) return std::nullopt;
  uint64_t value = 0;
  for (char c : national) value = value * 10 + static_cast<uint64_t>(c - '0');

  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  if (validation == PhoneValidation::kPossible) {
    PhoneNumber n;
    n.set_country_code(kPolandCode);
    n.set_national_number(value);
    if (util.IsPossibleNumberWithReason(n) != PhoneNumberUtil::IS_POSSIBLE) return std::nullopt;
  } else {
    switch (PrefixValidity(util, value)) {
      case kValid:
        break;
      case kMixed:
        if (!IsValid(util, value)) return std::nullopt;
        break;
      default:
        return std::nullopt;
    }
  }
  std::string e164;
  e164.reserve(3 + kNationalDigits);
  e164 += "+48";
  e164 += national;
  return e164;
}

}  // namespace bramka::sms::internal
