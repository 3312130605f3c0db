#include "sms/phone.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "sms/ucs2.h"

namespace bramka::sms {
namespace {

using ::testing::HasSubstr;

class PhoneNormalizerTest : public ::testing::Test {
 protected:
  std::string Ok(std::string_view raw) {
    auto r = normalizer_.Normalize(raw);
    EXPECT_TRUE(r.ok()) << "'" << raw << "': " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : "";
  }
  std::string Error(std::string_view raw) {
    auto r = normalizer_.Normalize(raw);
    EXPECT_FALSE(r.ok()) << "'" << raw << "' accepted as " << (r.ok() ? *r : "");
    if (r.ok()) return "";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    return r.error().message;
  }

  PhoneNormalizer normalizer_;  // default region PL
};

TEST_F(PhoneNormalizerTest, SpecForms) {
  EXPECT_EQ(Ok("+48500600700"), "+48500600700");
  EXPECT_EQ(Ok("48500600700"), "+48500600700");
  EXPECT_EQ(Ok("500600700"), "+48500600700");
  EXPECT_EQ(Ok("0048500600700"), "+48500600700");
  EXPECT_EQ(Ok("600700800"), "+48600700800");
  EXPECT_EQ(Ok("+48600700800"), "+48600700800");
}

TEST_F(PhoneNormalizerTest, Separators) {
  EXPECT_EQ(Ok("+48 500 600 700"), "+48500600700");
  EXPECT_EQ(Ok("500-600-700"), "+48500600700");
  EXPECT_EQ(Ok("+48 (500) 600-700"), "+48500600700");
  EXPECT_EQ(Ok("(+48) 500 600 700"), "+48500600700");
  EXPECT_EQ(Ok("0048 500.600.700"), "+48500600700");
  EXPECT_EQ(Ok("500/600/700"), "+48500600700");
  EXPECT_EQ(Ok("\t500600700\r\n"), "+48500600700");
  EXPECT_EQ(Ok("500600700  "), "+48500600700");
  EXPECT_EQ(Ok("+48\u00A0500\u00A0600\u00A0700"), "+48500600700");
}

TEST_F(PhoneNormalizerTest, LeadingSpaceStandsForPlus) {
  // The Bash client sends '+' raw; form decoding turns it into a space.
  EXPECT_EQ(Ok(" 48500600700"), "+48500600700");
  EXPECT_EQ(Ok(" 4915123456789"), "+4915123456789");
  EXPECT_EQ(Ok(" 420603123456"), "+420603123456");
  // A stray space before a national number still works (the '+' reading is invalid).
  EXPECT_EQ(Ok(" 500600700"), "+48500600700");
  EXPECT_EQ(Ok(" +48500600700"), "+48500600700");
}

TEST_F(PhoneNormalizerTest, ForeignNumbersNeedPlusOrDoubleZero) {
  EXPECT_EQ(Ok("+4915123456789"), "+4915123456789");
  EXPECT_EQ(Ok("004915123456789"), "+4915123456789");
  EXPECT_EQ(Ok("+420 603 123 456"), "+420603123456");
  EXPECT_EQ(Ok("+1 201 555 0123"), "+12015550123");
  EXPECT_THAT(Error("4915123456789"), HasSubstr("foreign number needs '+' or '00'"));
  EXPECT_THAT(Error("420603123456"), HasSubstr("foreign number needs '+' or '00'"));
}

TEST_F(PhoneNormalizerTest, OtherPolishNumberTypes) {
  EXPECT_EQ(Ok("123456789"), "+48123456789");         // Kraków landline
  EXPECT_EQ(Ok("+48 22 123 45 67"), "+48221234567");  // Warsaw landline
  EXPECT_EQ(Ok("451234567"), "+48451234567");         // mobile 45x
}

TEST_F(PhoneNormalizerTest, Garbage) {
  EXPECT_THAT(Error(""), HasSubstr("is empty"));
  EXPECT_THAT(Error("   "), HasSubstr("is empty"));
  EXPECT_THAT(Error("abc"), HasSubstr("contains letters"));
  EXPECT_THAT(Error("50060070a"), HasSubstr("contains letters"));
  EXPECT_THAT(Error("tel:+48500600700"), HasSubstr("contains letters"));
  EXPECT_THAT(Error("123"), HasSubstr("too short"));
  EXPECT_THAT(Error("+481234"), HasSubstr("too short"));
  EXPECT_THAT(Error("5"), HasSubstr("too short"));
  EXPECT_THAT(Error("+48500600700123"), HasSubstr("too long"));
  EXPECT_THAT(Error("+48 500 600 700 123 456 789"), HasSubstr("too long"));
  EXPECT_THAT(Error(std::string(200, '5')), HasSubstr("too long"));
  EXPECT_THAT(Error("+"), HasSubstr("no digits"));
  EXPECT_THAT(Error("---"), HasSubstr("no digits"));
  EXPECT_THAT(Error("+48+500600700"), HasSubstr("'+'"));
  EXPECT_THAT(Error("500600700+"), HasSubstr("'+'"));
  EXPECT_THAT(Error("500600700;600700800"), HasSubstr("invalid character"));
  EXPECT_THAT(Error("500\xEF\xBC\x96"
                    "00700"),
              HasSubstr("invalid character"));  // fullwidth 6
  EXPECT_THAT(Error("+999123456789"), HasSubstr("country code"));
  EXPECT_THAT(Error("+48111111111"), HasSubstr("not a valid number for PL (+48)"));
  EXPECT_FALSE(normalizer_.Normalize("0500600700").ok());  // PL has no trunk prefix
}

TEST_F(PhoneNormalizerTest, ErrorMessagesQuoteInputSafely) {
  const std::string message = Error("50\xFF\x01x");
  EXPECT_TRUE(IsValidUtf8(message));
  EXPECT_THAT(message, HasSubstr("'50??x'"));
  EXPECT_THAT(Error(std::string(100, 'x')), HasSubstr("..."));
}

TEST(PhoneNormalizerOptionsTest, PossibleValidationAcceptsUnallocatedRanges) {
  const PhoneNormalizer lenient("PL", PhoneValidation::kPossible);
  EXPECT_EQ(*lenient.Normalize("+48111111111"), "+48111111111");
  EXPECT_EQ(*lenient.Normalize("500600700"), "+48500600700");
  EXPECT_FALSE(lenient.Normalize("123").ok());
  EXPECT_FALSE(lenient.Normalize("+48500600700123").ok());
}

TEST(PhoneNormalizerOptionsTest, OtherDefaultRegion) {
  const PhoneNormalizer de("DE");
  EXPECT_EQ(de.default_region(), "DE");
  EXPECT_EQ(*de.Normalize("030 123456"), "+4930123456");
  EXPECT_EQ(*de.Normalize("+48500600700"), "+48500600700");
  EXPECT_EQ(*de.Normalize("0048500600700"), "+48500600700");
}

TEST(PhoneNormalizerOptionsTest, UnknownRegionAcceptsOnlyInternationalForms) {
  EXPECT_TRUE(PhoneNormalizer::IsKnownRegion("PL"));
  EXPECT_TRUE(PhoneNormalizer::IsKnownRegion("DE"));
  EXPECT_FALSE(PhoneNormalizer::IsKnownRegion("XX"));
  EXPECT_FALSE(PhoneNormalizer::IsKnownRegion(""));
  const PhoneNormalizer none("XX");
  EXPECT_EQ(*none.Normalize("+48500600700"), "+48500600700");
  EXPECT_EQ(*none.Normalize("0048500600700"), "+48500600700");
  auto r = none.Normalize("500600700");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("country code"));
}

TEST(PhoneNormalizerConcurrencyTest, SharedInstanceFromSeveralThreads) {
  const PhoneNormalizer normalizer;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = normalizer.Normalize(i % 2 ? " 48500600700" : "600-700-800");
        if (!r.ok() || (*r != "+48500600700" && *r != "+48600700800")) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
}

}  // namespace
}  // namespace bramka::sms
