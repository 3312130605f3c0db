#include "sms/ucs2.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sms/utf8.h"

namespace bramka::sms {
namespace {

using ::testing::HasSubstr;

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(Utf8Test, IsValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Zażółć gęślą jaźń €😀"));
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // overlong 3-byte
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong 4-byte
  EXPECT_FALSE(IsValidUtf8("\xED\xB0\x80"));      // low surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xC5"));              // truncated
  EXPECT_FALSE(IsValidUtf8("\xC5x"));             // bad continuation
  EXPECT_FALSE(IsValidUtf8("\xBF"));              // stray continuation
}

TEST(Utf8Test, NextCodePointAdvancesOneByteOnError) {
  const std::string s = "\xE2\x82x";
  size_t pos = 0;
  EXPECT_EQ(NextCodePoint(s, &pos), kInvalidCodePoint);
  EXPECT_EQ(pos, 1u);
  EXPECT_EQ(NextCodePoint(s, &pos), kInvalidCodePoint);
  EXPECT_EQ(pos, 2u);
  EXPECT_EQ(NextCodePoint(s, &pos), U'x');
  EXPECT_EQ(pos, 3u);
}

TEST(Utf8Test, AppendUtf8RoundTripsAllScalarValues) {
  std::string all;
  for (char32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x800 ? 1 : 7)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    all.clear();
    AppendUtf8(&all, cp);
    size_t pos = 0;
    ASSERT_EQ(NextCodePoint(all, &pos), cp);
    ASSERT_EQ(pos, all.size());
  }
}

TEST(Utf8Test, DescribeCodePoint) {
  EXPECT_EQ(DescribeCodePoint(U'ł'), "'ł' (U+0142)");
  EXPECT_EQ(DescribeCodePoint(0x1F600), "'😀' (U+1F600)");
  EXPECT_EQ(DescribeCodePoint(0x09), "U+0009");
  EXPECT_EQ(DescribeCodePoint(0x85), "U+0085");
}

TEST(Ucs2Test, EncodeKnownValues) {
  EXPECT_EQ(*EncodeUcs2(""), "");
  EXPECT_EQ(*EncodeUcs2("A"), Bytes({0x00, 0x41}));
  EXPECT_EQ(*EncodeUcs2("ż"), Bytes({0x01, 0x7C}));
  EXPECT_EQ(*EncodeUcs2("€"), Bytes({0x20, 0xAC}));
  EXPECT_EQ(*EncodeUcs2("😀"), Bytes({0xD8, 0x3D, 0xDE, 0x00}));                 // U+1F600
  EXPECT_EQ(*EncodeUcs2("\xF4\x8F\xBF\xBF"), Bytes({0xDB, 0xFF, 0xDF, 0xFF}));  // U+10FFFF
  EXPECT_EQ(*EncodeUcs2("Zażółć"),
            Bytes({0x00, 0x5A, 0x00, 0x61, 0x01, 0x7C, 0x00, 0xF3, 0x01, 0x42, 0x01, 0x07}));
}

TEST(Ucs2Test, EncodeRejectsInvalidUtf8) {
  auto r = EncodeUcs2("ok\xC3(");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("invalid UTF-8 at byte 2"));
  EXPECT_FALSE(EncodeUcs2("\xED\xA0\x80").ok());  // CESU-style surrogate
}

TEST(Ucs2Test, RoundTrips) {
  for (const std::string s : {"", "Hello", "Zażółć gęślą jaźń", "Привет", "日本語",
                              "😀👍🏻❤️", "mixed € ż 😀 a"}) {
    auto encoded = EncodeUcs2(s);
    ASSERT_TRUE(encoded.ok()) << s;
    auto decoded = DecodeUcs2(*encoded);
    ASSERT_TRUE(decoded.ok()) << s;
    EXPECT_EQ(*decoded, s);
  }
}

TEST(Ucs2Test, DecodeAllBmpCharacters) {
  std::string bytes;
  for (uint32_t unit = 0; unit < 0x10000; ++unit) {
    if (unit >= 0xD800 && unit <= 0xDFFF) continue;
    bytes.push_back(static_cast<char>(unit >> 8));
    bytes.push_back(static_cast<char>(unit & 0xFF));
  }
  auto decoded = DecodeUcs2(bytes);
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(IsValidUtf8(*decoded));
  EXPECT_EQ(*EncodeUcs2(*decoded), bytes);
}

TEST(Ucs2Test, DecodeErrors) {
  auto odd = DecodeUcs2(Bytes({0x00, 0x41, 0x00}));
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(odd.error().message, HasSubstr("odd"));

  auto high_at_end = DecodeUcs2(Bytes({0x00, 0x41, 0xD8, 0x3D}));
  ASSERT_FALSE(high_at_end.ok());
  EXPECT_THAT(high_at_end.error().message, HasSubstr("lone high surrogate at byte 2"));

  auto high_then_bmp = DecodeUcs2(Bytes({0xD8, 0x3D, 0x00, 0x41}));
  ASSERT_FALSE(high_then_bmp.ok());
  EXPECT_THAT(high_then_bmp.error().message, HasSubstr("high surrogate"));

  auto two_highs = DecodeUcs2(Bytes({0xD8, 0x3D, 0xD8, 0x3D, 0xDE, 0x00}));
  EXPECT_FALSE(two_highs.ok());

  auto low_first = DecodeUcs2(Bytes({0xDE, 0x00, 0xD8, 0x3D}));
  ASSERT_FALSE(low_first.ok());
  EXPECT_THAT(low_first.error().message, HasSubstr("lone low surrogate at byte 0"));
}

TEST(Ucs2Test, Utf16Length) {
  EXPECT_EQ(Utf16Length(""), 0u);
  EXPECT_EQ(Utf16Length("abc"), 3u);
  EXPECT_EQ(Utf16Length("żółć"), 4u);
  EXPECT_EQ(Utf16Length("😀"), 2u);
  EXPECT_EQ(Utf16Length("a😀b"), 4u);
  EXPECT_EQ(Utf16Length("\xFF"), std::nullopt);
}

TEST(Latin1Test, DecodeAndEncode) {
  EXPECT_EQ(*DecodeLatin1("Caf\xE9"), "Café");
  EXPECT_EQ(*DecodeLatin1("\xA3\xFF"), "£ÿ");
  EXPECT_EQ(EncodeLatin1("Café"), "Caf\xE9");
  EXPECT_EQ(EncodeLatin1("ł"), std::nullopt);
  EXPECT_EQ(EncodeLatin1("€"), std::nullopt);     // not in ISO-8859-1
  EXPECT_EQ(EncodeLatin1("\xE9"), std::nullopt);  // raw Latin-1 is not UTF-8
  EXPECT_EQ(EncodeLatin1(""), "");
}

TEST(Latin1Test, AllBytesRoundTrip) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  auto utf8 = DecodeLatin1(all);
  ASSERT_TRUE(utf8.ok());
  EXPECT_TRUE(IsValidUtf8(*utf8));
  EXPECT_EQ(EncodeLatin1(*utf8), all);
}

TEST(Latin2Test, PolishLetters) {
  EXPECT_EQ(*DecodeLatin2("\xB1\xE6\xEA\xB3\xF1\xF3\xB6\xBC\xBF"), "ąćęłńóśźż");
  EXPECT_EQ(*DecodeLatin2("\xA1\xC6\xCA\xA3\xD1\xD3\xA6\xAC\xAF"), "ĄĆĘŁŃÓŚŹŻ");
  // The spec's FTP example row, as an ISO-8859-2 file would carry it.
  EXPECT_EQ(*DecodeLatin2("500400300;Trzecia wiadomo\xB6\xE6 z polskimi znakami;INFORMACJA;1"),
            "500400300;Trzecia wiadomość z polskimi znakami;INFORMACJA;1");
}

TEST(Latin2Test, AsciiPassesAndEveryByteDecodes) {
  EXPECT_EQ(*DecodeLatin2("plain;text\r\n"), "plain;text\r\n");
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  auto utf8 = DecodeLatin2(all);
  ASSERT_TRUE(utf8.ok());
  EXPECT_TRUE(IsValidUtf8(*utf8));
  EXPECT_EQ(*Utf16Length(*utf8), 256u);
  EXPECT_EQ(*DecodeLatin2("\xA0\xFF"), "\u00A0˙");
}

}  // namespace
}  // namespace bramka::sms
