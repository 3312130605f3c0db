#include "sms/phone.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <utility>

#include "sms/phone_fast.h"

namespace bramka::sms {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// Longer input is rejected before libphonenumber sees it (E.164 allows 15 digits; the
// rest of the budget is for separators).
constexpr size_t kMaxRawLength = 64;
// 15 E.164 digits plus a "00" prefix.
constexpr size_t kMaxDigits = 17;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsSeparator(char c) {
  return c == ' ' || c == '\t' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')';
}
bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// The raw input as error messages quote it: at most 32 bytes, non-printable and
// non-ASCII bytes as '?' so that a message is always safe to log and to put in JSON.
std::string Quote(std::string_view raw) {
  std::string out = "'";
  for (size_t i = 0; i < raw.size() && i < 32; ++i) {
    const char c = raw[i];
    out.push_back(c >= 0x20 && c < 0x7F ? c : '?');
  }
  if (raw.size() > 32) out += "...";
  out += "'";
  return out;
}

Unexpected Invalid(std::string_view raw, std::string_view what) {
  return Fail(ErrorCode::kInvalidArgument, "phone number " + Quote(raw) + " " + std::string(what));
}

}  // namespace

PhoneNormalizer::PhoneNormalizer(std::string default_region)
    : PhoneNormalizer(std::move(default_region), PhoneValidation::kValid) {}

PhoneNormalizer::PhoneNormalizer(std::string default_region, PhoneValidation validation)
    : default_region_(std::move(default_region)), validation_(validation) {
  // Warm the singleton (it loads all metadata) here rather than on the first request.
  PhoneNumberUtil::GetInstance();
}

bool PhoneNormalizer::IsKnownRegion(std::string_view region) {
  return PhoneNumberUtil::GetInstance()->GetCountryCodeForRegion(std::string(region)) != 0;
}

Result<std::string> PhoneNormalizer::Normalize(std::string_view raw) const {
  if (raw.size() > kMaxRawLength) return Invalid(raw, "is too long");
  std::string_view trimmed = raw;
  while (!trimmed.empty() && IsSpace(trimmed.back())) trimmed.remove_suffix(1);
  bool leading_space = false;
  while (!trimmed.empty() && IsSpace(trimmed.front())) {
    trimmed.remove_prefix(1);
    leading_space = true;
  }
  if (trimmed.empty()) return Invalid(raw, "is empty");

  // Keep digits and one leading '+'; drop separators; reject everything else.
  std::string cleaned;
  size_t digits = 0;
  for (size_t i = 0; i < trimmed.size(); ++i) {
    const char c = trimmed[i];
    if (c == '\xC2' && i + 1 < trimmed.size() && trimmed[i + 1] == '\xA0') {
      ++i;  // UTF-8 no-break space, common in numbers pasted from web pages
      continue;
    }
    if (c >= '0' && c <= '9') {
      cleaned.push_back(c);
      ++digits;
    } else if (c == '+') {
      if (!cleaned.empty()) return Invalid(raw, "has a '+' that is not at the start");
      cleaned.push_back(c);
    } else if (IsSeparator(c)) {
      continue;
    } else if (IsAsciiLetter(c)) {
      return Invalid(raw, "contains letters");
    } else {
      return Invalid(raw, "contains an invalid character");
    }
  }
  if (digits == 0) return Invalid(raw, "has no digits");
  if (digits > kMaxDigits) return Invalid(raw, "is too long");
  // "00" is the international prefix in PL and most of Europe; accept it whatever
  // the default region's own prefix is (spec §3).
  if (cleaned.starts_with("00")) cleaned.replace(0, 2, "+");

  if (leading_space && cleaned.front() != '+') {
    // The Bash client's '+' decoded to a space (spec §12.8): try that reading first.
    auto international = NormalizeCleaned("+" + cleaned, raw);
    if (international.ok()) return international;
    auto national = NormalizeCleaned(cleaned, raw);
    if (national.ok()) return national;
    return international;
  }
  return NormalizeCleaned(cleaned, raw);
}

Result<std::string> PhoneNormalizer::NormalizeCleaned(const std::string& cleaned,
                                                      std::string_view raw) const {
  // Plain Polish numbers skip libphonenumber's Parse (ADR 0020, phone_fast.h).
  if (auto fast = internal::FastPolishNumber(cleaned, default_region_ == "PL", validation_)) {
    return *std::move(fast);
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  if (cleaned.size() < 2) return Invalid(raw, "is too short");
  // Read as national, a foreign number looks too long or invalid: say why.
  const std::string hint =
      cleaned.front() == '+' ? "" : " (a foreign number needs '+' or '00' and its country code)";
  PhoneNumber number;
  switch (util.Parse(cleaned, default_region_, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
      if (cleaned.front() != '+') {
        return Invalid(raw, "needs a country code ('+' or '00')");
      }
      return Invalid(raw, "has an unknown country code");
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
      return Invalid(raw, "is too short");
    case PhoneNumberUtil::TOO_LONG_NSN:
      return Invalid(raw, "is too long" + hint);
    case PhoneNumberUtil::NOT_A_NUMBER:
    default:
      return Invalid(raw, "is not a phone number");
  }
  switch (util.IsPossibleNumberWithReason(number)) {
    case PhoneNumberUtil::IS_POSSIBLE:
      break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE:
      return Invalid(raw, "has an unknown country code");
    case PhoneNumberUtil::TOO_SHORT:
    case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:  // a local number without area code
      return Invalid(raw, "is too short");
    case PhoneNumberUtil::TOO_LONG:
      return Invalid(raw, "is too long" + hint);
    case PhoneNumberUtil::INVALID_LENGTH:
    default:
      return Invalid(raw, "has the wrong number of digits for its country");
  }
  if (validation_ == PhoneValidation::kValid && !util.IsValidNumber(number)) {
    std::string region;
    util.GetRegionCodeForCountryCode(number.country_code(), &region);
    return Invalid(raw, "is not a valid number for " + region + " (+" +
                            std::to_string(number.country_code()) + ")" + hint);
  }
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

}  // namespace bramka::sms
