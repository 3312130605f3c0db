#include "sms/receipt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace bramka::sms {
namespace {

using ::testing::HasSubstr;

DeliveryReceipt Parse(std::string_view text) {
  auto r = ParseReceipt(text);
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : DeliveryReceipt{};
}

DeliveryReceipt Example() {
  DeliveryReceipt r;
  r.id = "aca3944055";
  r.submitted = 1;
  r.delivered = 1;
  r.submit_date = "2405201200";
  r.done_date = "2405201201";
  r.stat = "DELIVRD";
  r.err = "000";
  r.text = "Test FULL message";
  return r;
}

TEST(FormatReceiptTest, AppendixBLayout) {
  EXPECT_EQ(FormatReceipt(Example()),
            "id:aca3944055 sub:001 dlvrd:001 submit date:2405201200 done date:2405201201 "
            "stat:DELIVRD err:000 Text:Test FULL message");
}

TEST(FormatReceiptTest, DefaultsAndPadding) {
  DeliveryReceipt r;
  r.id = "7";
  r.stat = "UNDELIV";
  EXPECT_EQ(FormatReceipt(r),
            "id:7 sub:001 dlvrd:000 submit date: done date: stat:UNDELIV err:000 Text:");
  r.submitted = 1000;
  r.delivered = -3;
  EXPECT_THAT(FormatReceipt(r), HasSubstr("sub:999 dlvrd:000 "));
  r.submitted = 12;
  EXPECT_THAT(FormatReceipt(r), HasSubstr("sub:012 "));
}

TEST(FormatReceiptTest, TextIsCutToTwentyCharacters) {
  DeliveryReceipt r = Example();
  r.text = "0123456789abcdefghijKLMNOP";
  EXPECT_THAT(FormatReceipt(r), ::testing::EndsWith(" Text:0123456789abcdefghij"));
  // Characters, not bytes: a multi-byte letter is never cut in half.
  r.text = "Zażółć gęślą jaźń, długi tekst";
  EXPECT_THAT(FormatReceipt(r), ::testing::EndsWith(" Text:Zażółć gęślą jaźń, d"));
  r.text = "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀";
  EXPECT_THAT(FormatReceipt(r), ::testing::EndsWith(" Text:😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀"));
}

TEST(ParseReceiptTest, RoundTripsFormatted) {
  EXPECT_EQ(Parse(FormatReceipt(Example())), Example());
  DeliveryReceipt r = Example();
  r.text = "";
  r.stat = "EXPIRED";
  r.err = "012";
  r.delivered = 0;
  EXPECT_EQ(Parse(FormatReceipt(r)), r);
}

TEST(ParseReceiptTest, KannelStyleLowercaseText) {
  const DeliveryReceipt r = Parse(
      "id:0123456789 sub:001 dlvrd:001 submit date:1405201200 done date:1405201201 "
      "stat:DELIVRD err:000 text:Hello world");
  EXPECT_EQ(r.id, "0123456789");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(r.submit_date, "1405201200");
  EXPECT_EQ(r.done_date, "1405201201");
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.err, "000");
  EXPECT_EQ(r.text, "Hello world");
}

TEST(ParseReceiptTest, UppercaseKeysAndLowercaseStat) {
  const DeliveryReceipt r = Parse(
      "ID:4D4A7B55 SUB:001 DLVRD:000 SUBMIT DATE:1212121212 DONE DATE:1212121213 "
      "STAT:undeliv ERR:001 TEXT:x");
  EXPECT_EQ(r.id, "4D4A7B55");
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(r.submit_date, "1212121212");
  EXPECT_EQ(r.done_date, "1212121213");
  EXPECT_EQ(r.stat, "UNDELIV");
  EXPECT_EQ(r.err, "001");
  EXPECT_EQ(r.text, "x");
}

TEST(ParseReceiptTest, WithoutTextAndShortCounts) {
  const DeliveryReceipt r = Parse(
      "id:c449ab9744f47b6af1879e49e75e4f40 sub:001 dlvrd:0 submit date:0610191018 "
      "done date:0610191018 stat:ACCEPTD err:0");
  EXPECT_EQ(r.id, "c449ab9744f47b6af1879e49e75e4f40");
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(r.stat, "ACCEPTD");
  EXPECT_EQ(r.err, "0");
  EXPECT_EQ(r.text, "");
}

TEST(ParseReceiptTest, EmptyTextField) {
  const DeliveryReceipt r = Parse(
      "id:1234567890 sub:001 dlvrd:001 submit date:0610191018 done date:0610191018 "
      "stat:DELIVRD err:000 text:");
  EXPECT_EQ(r.id, "1234567890");
  EXPECT_EQ(r.text, "");
}

TEST(ParseReceiptTest, UnderscoreDateKeysAndTwelveDigitDates) {
  const DeliveryReceipt r =
      Parse("id:77 submit_date:240520120030 done_date:240520120145 stat:DELIVRD");
  EXPECT_EQ(r.submit_date, "240520120030");
  EXPECT_EQ(r.done_date, "240520120145");
  EXPECT_EQ(Parse("id:77 submitdate:2405201200 donedate:2405201201 stat:X").done_date,
            "2405201201");
}

TEST(ParseReceiptTest, FieldsInAnyOrderAndMissingOnesDefault) {
  const DeliveryReceipt r = Parse("stat:DELIVRD id:77");
  EXPECT_EQ(r.id, "77");
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(r.err, "000");
  EXPECT_EQ(r.submit_date, "");
  // Jasmin-like order: dates first, counts after stat.
  const DeliveryReceipt j = Parse(
      "id:abc submit date:2405201200 done date:2405201201 stat:DELIVRD sub:001 dlvrd:001 "
      "err:000 text:");
  EXPECT_EQ(j.delivered, 1);
  EXPECT_EQ(j.done_date, "2405201201");
}

TEST(ParseReceiptTest, ExtraSpaces) {
  const DeliveryReceipt r = Parse("  id:  123   sub: 001  stat :  delivrd   err:   text:hi ");
  EXPECT_EQ(r.id, "123");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.err, "");  // present but empty: the next key is not its value
  EXPECT_EQ(r.text, "hi ");
  EXPECT_EQ(Parse("id:1  submit   date:2405201200 stat:X").submit_date, "2405201200");
}

TEST(ParseReceiptTest, TextMayComeFirst) {
  const DeliveryReceipt r = Parse("text:hello there id:5 stat:DELIVRD");
  EXPECT_EQ(r.text, "hello there");
  EXPECT_EQ(r.id, "5");
  EXPECT_EQ(r.stat, "DELIVRD");
}

TEST(ParseReceiptTest, KeysInsideTheTextStayText) {
  const DeliveryReceipt r = Parse("id:1 stat:DELIVRD err:000 text:stat:UNDELIV id:9 inside");
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.id, "1");
  EXPECT_EQ(r.text, "stat:UNDELIV id:9 inside");
}

TEST(ParseReceiptTest, NulPaddingAndTerminators) {
  const DeliveryReceipt r = Parse(std::string_view("id:abc\0 stat:DELIVRD text:hi\0\0", 30));
  EXPECT_EQ(r.id, "abc");
  EXPECT_EQ(r.stat, "DELIVRD");
  EXPECT_EQ(r.text, "hi");
}

TEST(ParseReceiptTest, UnknownTokensAreSkipped) {
  const DeliveryReceipt r = Parse("foo id:1 bar:2 stat:ENROUTE baz");
  EXPECT_EQ(r.id, "1");
  EXPECT_EQ(r.stat, "ENROUTE");
  EXPECT_EQ(Parse("status:X id:2 stat:DELIVRD").stat, "DELIVRD");  // "status" is not "stat"
}

TEST(ParseReceiptTest, NonNumericCountsKeepDefaults) {
  const DeliveryReceipt r = Parse("id:1 sub:abc dlvrd:-1 stat:DELIVRD");
  EXPECT_EQ(r.submitted, 1);
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(Parse("id:1 sub:003 dlvrd:002 stat:DELIVRD").delivered, 2);
}

TEST(ParseReceiptTest, FirstOccurrenceWins) { EXPECT_EQ(Parse("id:1 id:2 stat:DELIVRD").id, "1"); }

TEST(ParseReceiptTest, MissingIdOrStatIsAnError) {
  for (std::string_view text : {"", "   ", "garbage", "sub:001 stat:DELIVRD", "id: stat:DELIVRD",
                                "id:1 sub:001 dlvrd:001", "id:1 stat:", "id:1 text:stat:DELIVRD"}) {
    auto r = ParseReceipt(text);
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_THAT(ParseReceipt("stat:DELIVRD").error().message, HasSubstr("id"));
  EXPECT_THAT(ParseReceipt("id:1").error().message, HasSubstr("stat"));
}

TEST(ReceiptDateTest, Parses) {
  auto d = ParseReceiptDate("2405201230");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->year, 2024);
  EXPECT_EQ(d->month, 5);
  EXPECT_EQ(d->day, 20);
  EXPECT_EQ(d->hour, 12);
  EXPECT_EQ(d->minute, 30);
  EXPECT_EQ(d->second, 0);
  auto s = ParseReceiptDate("991231235960");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->year, 2099);
  EXPECT_EQ(s->second, 60);
  EXPECT_TRUE(ParseReceiptDate("2402291200"));  // leap year
}

TEST(ReceiptDateTest, Rejects) {
  for (std::string_view bad :
       {"", "24052012", "24052012300", "2413011200", "2400011200", "2405001200", "2402301200",
        "2302291200", "2405202400", "2405201260", "240520123061", "24O5201230", "2404311200"}) {
    EXPECT_FALSE(ParseReceiptDate(bad)) << bad;
  }
}

}  // namespace
}  // namespace bramka::sms
