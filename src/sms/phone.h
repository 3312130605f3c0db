#pragma once
// Recipient phone numbers -> E.164 ("+48500600700"), spec §3 "Phone numbers".
//
// Accepted forms (default region PL):
//   "+48500600700"  "48500600700"  "500600700"  "0048500600700"
//   with spaces (also U+00A0), tabs, dashes, dots, slashes or parentheses anywhere:
//   "+48 (500) 600-700".
//   A leading space stands for '+': the Bash client sends '+' unencoded in a form body,
//   so it arrives as " 48500600700". Leading/trailing whitespace is otherwise ignored;
//   if the '+' reading of a leading space gives no valid number, the number is read
//   again without it (so " 500600700" is still +48500600700).
//   A number without '+' or '00' is national to the default region (9 digits in PL), or
//   the default region's country code followed by a national number ("48500600700").
//   Foreign numbers therefore need '+' or '00' and their country code.
//
// Validation (decided here, see README): by default a number must be *valid* per
// libphonenumber's IsValidNumber — it matches a number range the numbering plan
// allocates (Polish 500600700 and 600700800, the spec's examples, are mobile numbers
// and pass; +48111111111 does not). PhoneValidation::kPossible relaxes this to
// IsPossibleNumber (length only), for deployments whose numbering metadata lags behind
// new ranges.
//
// Errors: kInvalidArgument with a message that says what is wrong: empty, letters or
// other characters, misplaced '+', too short, too long, unknown country code, or not a
// valid number for its region.
//
// Thread-safety: const methods may be called concurrently (libphonenumber's
// PhoneNumberUtil is an immutable singleton after first use).

#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::sms {

enum class PhoneValidation {
  kValid,     // IsValidNumber: the number is in an allocated range (default)
  kPossible,  // IsPossibleNumber: the length fits the country's plan
};

class PhoneNormalizer {
 public:
  // `default_region` is a CLDR region code ("PL", "DE"); if libphonenumber does not know
  // it (see IsKnownRegion), only international forms ('+' or '00') are accepted.
  explicit PhoneNormalizer(std::string default_region = "PL");
  PhoneNormalizer(std::string default_region, PhoneValidation validation);

  // -> E.164 "+48500600700", or kInvalidArgument (see the file comment).
  Result<std::string> Normalize(std::string_view raw) const;

  const std::string& default_region() const { return default_region_; }

  // True if libphonenumber has metadata for `region` (e.g. "PL"; not "ZZ" or "XX").
  static bool IsKnownRegion(std::string_view region);

 private:
  Result<std::string> NormalizeCleaned(const std::string& cleaned, std::string_view raw) const;

  std::string default_region_;
  PhoneValidation validation_;
};

}  // namespace bramka::sms
