// Differential test: the fast path for plain Polish numbers (phone_fast.h) against
// libphonenumber's own path (Parse, IsPossibleNumberWithReason, IsValidNumber, E.164),
// over every 5-digit prefix of a Polish national number in each plain form, random
// samples, and the edges the fast path leaves to libphonenumber.
#include "sms/phone_fast.h"

#include <gtest/gtest.h>
#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>

#include "sms/phone.h"

namespace bramka::sms {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

// What PhoneNormalizer's libphonenumber path accepts `cleaned` as, or nullopt.
std::optional<std::string> Reference(const std::string& cleaned, const std::string& region,
                                     PhoneValidation validation) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber number;
  if (util.Parse(cleaned, region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) {
    return std::nullopt;
  }
  if (util.IsPossibleNumberWithReason(number) != PhoneNumberUtil::IS_POSSIBLE) {
    return std::nullopt;
  }
  if (validation == PhoneValidation::kValid && !util.IsValidNumber(number)) return std::nullopt;
  std::string e164;
  util.Format(number, PhoneNumberUtil::E164, &e164);
  return e164;
}

std::string Nine(uint64_t national) {
  std::string s = std::to_string(national);
  return std::string(9 - s.size(), '0') + s;
}

struct Tally {
  int fast = 0;  // answered by the fast path
  int slow = 0;  // left to libphonenumber
};

// The fast path agrees with the reference; a plain form it leaves to libphonenumber
// must be one libphonenumber refuses (or a "mixed" prefix, which the reference decides).
void ExpectSame(const std::string& cleaned, bool region_pl, PhoneValidation validation,
                Tally& tally) {
  auto fast = internal::FastPolishNumber(cleaned, region_pl, validation);
  auto ref = Reference(cleaned, region_pl ? "PL" : "DE", validation);
  if (fast) {
    ++tally.fast;
    ASSERT_TRUE(ref.has_value()) << cleaned << ": fast path accepts " << *fast
                                 << ", libphonenumber refuses";
    ASSERT_EQ(*fast, *ref) << cleaned;
  } else {
    ++tally.slow;
  }
}

TEST(PhoneFastPathTest, EveryPrefixInternationalForm) {
  std::mt19937_64 rng(11);
  Tally tally;
  for (uint64_t prefix = 0; prefix < 100'000; ++prefix) {
    const uint64_t national = prefix * 10'000 + rng() % 10'000;
    ExpectSame("+48" + Nine(national), /*region_pl=*/true, PhoneValidation::kValid, tally);
    if (HasFatalFailure()) return;
  }
  // ~2/3 of 5-digit prefixes are allocated ranges; the leading-zero ones are not fast.
  EXPECT_GT(tally.fast, 50'000);
}

TEST(PhoneFastPathTest, NationalAndCountryCodeForms) {
  std::mt19937_64 rng(12);
  Tally tally;
  for (int i = 0; i < 10'000; ++i) {
    const std::string nine = Nine(rng() % 1'000'000'000);
    ExpectSame(nine, /*region_pl=*/true, PhoneValidation::kValid, tally);
    ExpectSame("48" + nine, /*region_pl=*/true, PhoneValidation::kValid, tally);
    // Another default region: only the '+' form may be fast.
    ExpectSame("+48" + nine, /*region_pl=*/false, PhoneValidation::kValid, tally);
    ExpectSame(nine, /*region_pl=*/false, PhoneValidation::kValid, tally);
    ExpectSame("48" + nine, /*region_pl=*/false, PhoneValidation::kValid, tally);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(tally.fast, 10'000);
}

TEST(PhoneFastPathTest, PossibleValidation) {
  std::mt19937_64 rng(13);
  Tally tally;
  for (int i = 0; i < 20'000; ++i) {
    const std::string nine = Nine(rng() % 1'000'000'000);
    ExpectSame("+48" + nine, true, PhoneValidation::kPossible, tally);
    ExpectSame(nine, true, PhoneValidation::kPossible, tally);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(tally.fast, 30'000);
}

TEST(PhoneFastPathTest, EdgesAreLeftToLibphonenumber) {
  for (const char* cleaned :
       {"+480500600700", "0500600700", "485006007", "+4850060070", "+485006007000", "50060070",
        "5006007000", "+49500600700", "+4850060070a", "", "+", "48", "+48"}) {
    EXPECT_FALSE(internal::FastPolishNumber(cleaned, true, PhoneValidation::kValid)) << cleaned;
  }
  EXPECT_EQ(internal::FastPolishNumber("+48500600700", true, PhoneValidation::kValid),
            "+48500600700");
  EXPECT_EQ(internal::FastPolishNumber("48500600700", true, PhoneValidation::kValid),
            "+48500600700");
  EXPECT_EQ(internal::FastPolishNumber("600700800", true, PhoneValidation::kValid), "+48600700800");
  EXPECT_FALSE(internal::FastPolishNumber("+48111111111", true, PhoneValidation::kValid));
}

// The public entry point gives the same answers and the same errors as before, in every
// form the spec allows (spec §3), whether or not the fast path answered.
TEST(PhoneFastPathTest, NormalizerAgreesWithReferenceOnRawForms) {
  const PhoneNormalizer normalizer;
  std::mt19937_64 rng(14);
  for (int i = 0; i < 5'000; ++i) {
    const std::string nine = Nine(100'000'000 + rng() % 900'000'000);
    const auto ref = Reference("+48" + nine, "PL", PhoneValidation::kValid);
    for (const std::string& raw :
         {"+48" + nine, "48" + nine, "0048" + nine, " 48" + nine,
          "+48 " + nine.substr(0, 3) + " " + nine.substr(3, 3) + "-" + nine.substr(6)}) {
      auto got = normalizer.Normalize(raw);
      if (ref) {
        ASSERT_TRUE(got.ok()) << raw << ": " << got.error().message;
        ASSERT_EQ(*got, *ref) << raw;
      } else {
        ASSERT_FALSE(got.ok()) << raw << " accepted as " << *got;
      }
    }
  }
  auto invalid = normalizer.Normalize("+48111111111");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message,
            "phone number '+48111111111' is not a valid number for PL (+48)");
}

}  // namespace
}  // namespace bramka::sms
