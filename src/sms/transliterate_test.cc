#include "sms/transliterate.h"

#include <gtest/gtest.h>

#include <string>

#include "sms/gsm7.h"
#include "sms/utf8.h"

namespace bramka::sms {
namespace {

TEST(TransliterateTest, PolishLetters) {
  EXPECT_EQ(TransliterateForGsm7("ąćęłńóśźż"), "acelnoszz");
  EXPECT_EQ(TransliterateForGsm7("ĄĆĘŁŃÓŚŹŻ"), "ACELNOSZZ");
  EXPECT_EQ(TransliterateForGsm7("Zażółć gęślą jaźń"), "Zazolc gesla jazn");
  EXPECT_EQ(TransliterateForGsm7("Trzecia wiadomość z polskimi znakami"),
            "Trzecia wiadomosc z polskimi znakami");
  EXPECT_EQ(TransliterateForGsm7("Przyjadę o 16:00, będę czekał przy wejściu."),
            "Przyjade o 16:00, bede czekal przy wejsciu.");
}

TEST(TransliterateTest, GsmTextIsUnchanged) {
  const std::string gsm =
      "Hello @£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
      "¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà\r\f^{}\\[~]|€";
  ASSERT_TRUE(IsGsm7Encodable(gsm));
  EXPECT_EQ(TransliterateForGsm7(gsm), gsm);
  EXPECT_EQ(TransliterateForGsm7(""), "");
}

TEST(TransliterateTest, Typography) {
  EXPECT_EQ(TransliterateForGsm7("„Cytat” i “quote”"), "\"Cytat\" i \"quote\"");
  EXPECT_EQ(TransliterateForGsm7("‘single’ ‚low‛"), "'single' 'low'");
  EXPECT_EQ(TransliterateForGsm7("«guillemets»"), "\"guillemets\"");
  EXPECT_EQ(TransliterateForGsm7("a – b — c ‐ d − e"), "a - b - c - d - e");
  EXPECT_EQ(TransliterateForGsm7("Czekaj…"), "Czekaj...");
  EXPECT_EQ(TransliterateForGsm7("10\u00A0zł"), "10 zl");                // no-break space
  EXPECT_EQ(TransliterateForGsm7("a\u2009b\u202Fc\u3000d"), "a b c d");  // other spaces
  EXPECT_EQ(TransliterateForGsm7("a\tb"), "a b");
  EXPECT_EQ(TransliterateForGsm7("soft\u00ADhyphen"), "softhyphen");
  EXPECT_EQ(TransliterateForGsm7("zero\u200Bwidth\uFEFF"), "zerowidth");
  EXPECT_EQ(TransliterateForGsm7("Cena 10€"), "Cena 10€");  // already GSM (extension)
  EXPECT_EQ(TransliterateForGsm7("Brand™ ©2024 ½"), "BrandTM (c)2024 1/2");
  EXPECT_EQ(TransliterateForGsm7("it`s"), "it's");
  EXPECT_EQ(TransliterateForGsm7("• item"), "* item");
}

TEST(TransliterateTest, OtherLatinDiacriticsBecomeBaseLetters) {
  EXPECT_EQ(TransliterateForGsm7("Façade"), "Facade");
  EXPECT_EQ(TransliterateForGsm7("Ångström café"), "Ångström café");  // all GSM already
  EXPECT_EQ(TransliterateForGsm7("naïve résumé"), "naive résumé");
  EXPECT_EQ(TransliterateForGsm7("Příliš žluťoučký kůň"), "Prilis zlutoucky kun");  // Czech
  EXPECT_EQ(TransliterateForGsm7("Árvíztűrő tükörfúrógép"), "Arvizturo tükörfurogép");
  EXPECT_EQ(TransliterateForGsm7("București, Țară, Șir"), "Bucuresti, Tara, Sir");
  EXPECT_EQ(TransliterateForGsm7("Đorđe Ħaġar ıi"), "Dorde Hagar ii");
  EXPECT_EQ(TransliterateForGsm7("Œuvre œ Ĳ ẞ"), "OEuvre oe IJ SS");
  EXPECT_EQ(TransliterateForGsm7("Tiếng Việt"), "Tieng Viet");
  EXPECT_EQ(TransliterateForGsm7("ÀÁÂÃ ÈÊË ÌÍÎÏ ÒÓÔÕ ÙÚÛ Ý ÿ"), "AAAA EEE IIII OOOO UUU Y y");
  EXPECT_EQ(TransliterateForGsm7("çÇ"), "cÇ");  // only capital Ç is in the GSM table
}

TEST(TransliterateTest, CombiningMarksAreDropped) {
  EXPECT_EQ(TransliterateForGsm7("e\u0301z\u0307"), "ez");  // NFD é, ż
}

TEST(TransliterateTest, GreekLookalikes) {
  EXPECT_EQ(TransliterateForGsm7("ΑΒΓΔΕ"), "ABΓΔE");
  EXPECT_EQ(TransliterateForGsm7("αβ"), "??");  // lower case Greek is not in the table
}

TEST(TransliterateTest, EverythingElseBecomesQuestionMark) {
  EXPECT_EQ(TransliterateForGsm7("Привет"), "??????");
  EXPECT_EQ(TransliterateForGsm7("日本"), "??");
  EXPECT_EQ(TransliterateForGsm7("OK 😀"), "OK ?");
  EXPECT_EQ(TransliterateForGsm7("👍🏻"), "?");  // skin tone modifier dropped
  EXPECT_EQ(TransliterateForGsm7("❤️"), "?");    // variation selector dropped
  EXPECT_EQ(TransliterateForGsm7("a\x01"
                                 "b"),
            "a?b");
}

TEST(TransliterateTest, InvalidUtf8BytesBecomeQuestionMarks) {
  EXPECT_EQ(TransliterateForGsm7("a\xFF"
                                 "b"),
            "a?b");
  EXPECT_EQ(TransliterateForGsm7("\xC0\xAF"), "??");    // overlong: two bad bytes
  EXPECT_EQ(TransliterateForGsm7("x\xE2\x82"), "x??");  // truncated €
  // The Bash client's broken percent-encoding of ż ("%17C") decodes to "\x17" "C".
  EXPECT_EQ(TransliterateForGsm7("\x17"
                                 "C"),
            "?C");
}

// Property: every code point (a stride through the higher planes to stay fast)
// transliterates to encodable text.
TEST(TransliterateTest, OutputIsAlwaysGsm7Encodable) {
  std::string input;
  for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x3000 ? 1 : 61)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    AppendUtf8(&input, cp);
  }
  const std::string out = TransliterateForGsm7(input);
  EXPECT_TRUE(IsGsm7Encodable(out));
  for (char32_t cp = 0; cp < 0x3000; ++cp) {
    std::string one;
    AppendUtf8(&one, cp);
    ASSERT_TRUE(IsGsm7Encodable(TransliterateForGsm7(one))) << DescribeCodePoint(cp);
  }
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  EXPECT_TRUE(IsGsm7Encodable(TransliterateForGsm7(bytes)));
}

}  // namespace
}  // namespace bramka::sms
