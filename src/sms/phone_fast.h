#pragma once
// The fast path of PhoneNormalizer (phone.h) for plain Polish numbers (ADR 0020).
//
// libphonenumber's Parse + IsValidNumber cost ~20 µs per number (ICU regular
// expressions), the largest share of a submit's CPU. Nearly every recipient bramka sees
// is a Polish number in one of three plain forms, so those skip Parse:
//
//   "+48" + 9 digits, first digit 1-9            (any default region: '+' ignores it)
//   9 digits, first digit 1-9, not "48…"          (default region PL only)
//   "48" + 9 digits, first digit 1-9              (default region PL only; 11 digits are
//                                                  too long for PL, so libphonenumber
//                                                  strips the country code)
//
// Validity (PhoneValidation::kValid) of a 9-digit Polish national number depends on its
// first 5 digits in libphonenumber's metadata (the PL patterns are a prefix followed by
// \d{n}); the answer per 5-digit prefix is asked of libphonenumber once, on the first
// number with that prefix, together with the prefix's lowest and highest number: if the
// three disagree the prefix is marked mixed and every number with it asks
// libphonenumber. The table is process-wide (libphonenumber's metadata is too), 100 KB,
// lock-free (relaxed atomics; every writer stores the same value).
//
// Only acceptance is fast: for a number the fast path would refuse it answers "ask the
// slow path", so every error message stays libphonenumber's. phone_fast_test.cc proves
// the two paths agree over every 5-digit prefix and each of the forms.
//
// Thread-safety: safe to call concurrently.

#include <optional>
#include <string>
#include <string_view>

#include "sms/phone.h"

namespace bramka::sms::internal {

// `cleaned`: digits with an optional leading '+' ("00" already turned into '+'), as
// PhoneNormalizer::Normalize makes it. `default_region_pl`: the normalizer's default
// region is "PL". Returns the E.164 form when the number is one of the plain forms above
// and libphonenumber would accept it; nullopt otherwise (ask libphonenumber).
std::optional<std::string> FastPolishNumber(std::string_view cleaned, bool default_region_pl,
                                            PhoneValidation validation);

}  // namespace bramka::sms::internal
