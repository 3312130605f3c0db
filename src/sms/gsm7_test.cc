#include "sms/gsm7.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "sms/ucs2.h"

namespace bramka::sms {
namespace {

using ::testing::HasSubstr;

// TS 23.038 §6.2.1.1 extension table: code -> UTF-8.
const std::vector<std::pair<uint8_t, std::string>>& ExtensionChars() {
  static const auto* table = new std::vector<std::pair<uint8_t, std::string>>{
      {0x0A, "\f"}, {0x14, "^"}, {0x28, "{"}, {0x29, "}"}, {0x2F, "\\"},
      {0x3C, "["},  {0x3D, "~"}, {0x3E, "]"}, {0x40, "|"}, {0x65, "€"},
  };
  return *table;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TEST(Gsm7Test, BasicTableSpotChecks) {
  EXPECT_EQ(DecodeGsm7(Bytes({0x00})), "@");
  EXPECT_EQ(DecodeGsm7(Bytes({0x01})), "£");
  EXPECT_EQ(DecodeGsm7(Bytes({0x02})), "$");
  EXPECT_EQ(DecodeGsm7(Bytes({0x09})), "Ç");
  EXPECT_EQ(DecodeGsm7(Bytes({0x0A})), "\n");
  EXPECT_EQ(DecodeGsm7(Bytes({0x0D})), "\r");
  EXPECT_EQ(DecodeGsm7(Bytes({0x10})), "Δ");
  EXPECT_EQ(DecodeGsm7(Bytes({0x11})), "_");
  EXPECT_EQ(DecodeGsm7(Bytes({0x1A})), "Ξ");
  EXPECT_EQ(DecodeGsm7(Bytes({0x1E})), "ß");
  EXPECT_EQ(DecodeGsm7(Bytes({0x24})), "¤");
  EXPECT_EQ(DecodeGsm7(Bytes({0x40})), "¡");
  EXPECT_EQ(DecodeGsm7(Bytes({0x5F})), "§");
  EXPECT_EQ(DecodeGsm7(Bytes({0x60})), "¿");
  EXPECT_EQ(DecodeGsm7(Bytes({0x7F})), "à");
  EXPECT_EQ(DecodeGsm7("Hello"), "Hello");
}

TEST(Gsm7Test, EveryBasicCharacterRoundTrips) {
  std::set<std::string> seen;
  for (int code = 0; code < 128; ++code) {
    if (code == kGsm7Escape) continue;
    const std::string septet(1, static_cast<char>(code));
    const std::string utf8 = DecodeGsm7(septet);
    ASSERT_TRUE(IsValidUtf8(utf8)) << code;
    EXPECT_TRUE(seen.insert(utf8).second) << "duplicate character for code " << code;
    EXPECT_TRUE(IsGsm7Encodable(utf8)) << code;
    auto encoded = EncodeGsm7(utf8);
    ASSERT_TRUE(encoded.ok()) << code << ": " << encoded.error().message;
    EXPECT_EQ(*encoded, septet) << code;
  }
  EXPECT_EQ(seen.size(), 127u);
}

TEST(Gsm7Test, EveryExtensionCharacterRoundTrips) {
  for (const auto& [code, utf8] : ExtensionChars()) {
    const std::string pair = Bytes({kGsm7Escape, code});
    EXPECT_EQ(DecodeGsm7(pair), utf8) << int{code};
    auto encoded = EncodeGsm7(utf8);
    ASSERT_TRUE(encoded.ok()) << utf8;
    EXPECT_EQ(*encoded, pair) << utf8;
    EXPECT_TRUE(IsGsm7Encodable(utf8));
  }
}

TEST(Gsm7Test, WholeAlphabetRoundTripsAsOneString) {
  std::string septets;
  for (int code = 0; code < 128; ++code) {
    if (code != kGsm7Escape) septets.push_back(static_cast<char>(code));
  }
  for (const auto& [code, utf8] : ExtensionChars()) {
    septets.push_back(static_cast<char>(kGsm7Escape));
    septets.push_back(static_cast<char>(code));
  }
  const std::string utf8 = DecodeGsm7(septets);
  auto encoded = EncodeGsm7(utf8);
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, septets);
}

TEST(Gsm7Test, Gsm7CodeAndSeptetCount) {
  EXPECT_EQ(Gsm7Code(U'@'), 0x00);
  EXPECT_EQ(Gsm7Code(U'A'), 0x41);
  EXPECT_EQ(Gsm7Code(U'Ω'), 0x15);
  EXPECT_EQ(Gsm7Code(U'€'), 0x165);
  EXPECT_EQ(Gsm7Code(U'['), 0x13C);
  EXPECT_EQ(Gsm7Code(U'`'), -1);
  EXPECT_EQ(Gsm7Code(U'ł'), -1);
  EXPECT_EQ(Gsm7Code(0x1B), -1);  // the escape is not a character
  EXPECT_EQ(Gsm7Code(0x1F600), -1);
  EXPECT_EQ(Gsm7SeptetCount(U'a'), 1);
  EXPECT_EQ(Gsm7SeptetCount(U'€'), 2);
  EXPECT_EQ(Gsm7SeptetCount(U'ż'), 0);
}

TEST(Gsm7Test, IsGsm7Encodable) {
  EXPECT_TRUE(IsGsm7Encodable(""));
  EXPECT_TRUE(IsGsm7Encodable("Hello, World! 123 @£$¥ èéùìò ÄÖÑÜ§¿äöñüà"));
  EXPECT_TRUE(IsGsm7Encodable("Cena: 10€ [promo] {x} ~^|\\"));
  EXPECT_TRUE(IsGsm7Encodable("line1\nline2\r\n"));
  EXPECT_FALSE(IsGsm7Encodable("Zażółć"));
  EXPECT_FALSE(IsGsm7Encodable("tab\there"));
  EXPECT_FALSE(IsGsm7Encodable("`"));
  EXPECT_FALSE(IsGsm7Encodable("emoji 😀"));
  EXPECT_FALSE(IsGsm7Encodable("ç"));  // only capital Ç is in the table
  EXPECT_FALSE(IsGsm7Encodable("abc\xFF"));
  EXPECT_FALSE(IsGsm7Encodable("\xC3"));  // truncated é
}

TEST(Gsm7Test, EncodeNamesFirstUnencodableCharacter) {
  auto r = EncodeGsm7("Zażółć");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("'ż' (U+017C)"));
  EXPECT_THAT(r.error().message, HasSubstr("byte 2"));
  EXPECT_THAT(r.error().message, HasSubstr("GSM"));

  auto control = EncodeGsm7("a\tb");
  ASSERT_FALSE(control.ok());
  EXPECT_THAT(control.error().message, HasSubstr("U+0009"));
}

TEST(Gsm7Test, EncodeRejectsInvalidUtf8) {
  const std::vector<std::string> invalid = {
      "abc\xFF",           // never valid
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xE2\x82",          // truncated €
      "\x80",              // lone continuation byte
  };
  for (const auto& s : invalid) {
    auto r = EncodeGsm7(s);
    ASSERT_FALSE(r.ok()) << s;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message, HasSubstr("invalid UTF-8"));
  }
  EXPECT_THAT(EncodeGsm7("abc\xFF").error().message, HasSubstr("byte 3"));
}

TEST(Gsm7Test, EncodeEmptyAndMixed) {
  EXPECT_EQ(*EncodeGsm7(""), "");
  EXPECT_EQ(*EncodeGsm7("a€b"), Bytes({'a', 0x1B, 0x65, 'b'}));
  EXPECT_EQ(*EncodeGsm7("@"), Bytes({0x00}));
}

TEST(Gsm7Test, DecodeUnknownEscapeFallsBackToBasicCharacter) {
  EXPECT_EQ(DecodeGsm7(Bytes({0x1B, 0x41})), "A");  // no extension char at 0x41
  EXPECT_EQ(DecodeGsm7(Bytes({0x1B, 0x00})), "@");
  EXPECT_EQ(DecodeGsm7(Bytes({0x1B, 0x0D})), "\r");       // CR2 is reserved
  EXPECT_EQ(DecodeGsm7(Bytes({0x1B, 0x1B, 'x'})), " x");  // reserved second table
  EXPECT_EQ(DecodeGsm7(Bytes({'a', 0x1B})), "a ");        // lone escape at the end
  EXPECT_EQ(DecodeGsm7(Bytes({0x1B})), " ");
  EXPECT_EQ(DecodeGsm7(""), "");
}

TEST(Gsm7Test, DecodeIgnoresBitSeven) {
  EXPECT_EQ(DecodeGsm7(Bytes({0xC1, 0x80})), "A@");
  EXPECT_EQ(DecodeGsm7(Bytes({0x9B, 0xE5})), "€");  // 0x1B|0x80, 0x65|0x80
}

TEST(Gsm7Test, DecodeAnyBytesGivesValidUtf8) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  EXPECT_TRUE(IsValidUtf8(DecodeGsm7(all)));
}

// --- packing ----------------------------------------------------------------------

// Bit-by-bit reference: septet i occupies bits fill + 7i .. fill + 7i + 6, LSB first.
std::string ReferencePack(std::string_view septets, int fill) {
  const size_t bits = static_cast<size_t>(fill) + 7 * septets.size();
  std::string out((bits + 7) / 8, '\0');
  for (size_t i = 0; i < septets.size(); ++i) {
    for (int b = 0; b < 7; ++b) {
      if ((static_cast<uint8_t>(septets[i]) >> b) & 1) {
        const size_t bit = static_cast<size_t>(fill) + 7 * i + static_cast<size_t>(b);
        out[bit / 8] = static_cast<char>(static_cast<uint8_t>(out[bit / 8]) | (1 << (bit % 8)));
      }
    }
  }
  return out;
}

TEST(Gsm7PackTest, KnownVector) {
  // The classic "hellohello" example (TS 23.038 §6.1.2.1.1 packing).
  EXPECT_EQ(PackSeptets("hellohello"),
            Bytes({0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37}));
  EXPECT_EQ(UnpackSeptets(Bytes({0xE8, 0x32, 0x9B, 0xFD, 0x46, 0x97, 0xD9, 0xEC, 0x37}), 10),
            "hellohello");
  // 8 septets fill exactly 7 octets.
  EXPECT_EQ(PackSeptets("12345678").size(), 7u);
  EXPECT_EQ(PackSeptets("").size(), 0u);
}

TEST(Gsm7PackTest, FillBitsShiftTheText) {
  // After a 6-octet UDH one fill bit aligns the text: 'h' (0x68) shifted left by 1.
  const std::string packed = PackSeptets("h", 1);
  EXPECT_EQ(packed, Bytes({0xD0}));
  EXPECT_EQ(UnpackSeptets(packed, 1, 1), "h");
  EXPECT_EQ(PackSeptets("hellohello", 1), ReferencePack("hellohello", 1));
  EXPECT_EQ(PackSeptets("hellohello", 1).size(), 9u);  // 71 bits
}

TEST(Gsm7PackTest, MatchesReferenceAndRoundTripsForAllFillBits) {
  std::mt19937 rng(20240520);
  for (int fill = 0; fill <= 6; ++fill) {
    for (size_t n = 0; n <= 40; ++n) {
      std::string septets;
      for (size_t i = 0; i < n; ++i) septets.push_back(static_cast<char>(rng() % 128));
      const std::string packed = PackSeptets(septets, fill);
      ASSERT_EQ(packed, ReferencePack(septets, fill)) << "fill " << fill << " n " << n;
      ASSERT_EQ(packed.size(), (static_cast<size_t>(fill) + 7 * n + 7) / 8);
      ASSERT_EQ(UnpackSeptets(packed, n, fill), septets) << "fill " << fill << " n " << n;
    }
  }
}

TEST(Gsm7PackTest, PackUsesOnlyLowSevenBits) {
  EXPECT_EQ(PackSeptets(Bytes({0xC1})), PackSeptets("A"));
}

TEST(Gsm7PackTest, UnpackNeverReadsPastInput) {
  const std::string packed = PackSeptets("abcdefgh");  // 7 octets
  EXPECT_EQ(UnpackSeptets(packed, 100), "abcdefgh");
  EXPECT_EQ(UnpackSeptets(packed, 3), "abc");
  EXPECT_EQ(UnpackSeptets("", 5), "");
  EXPECT_EQ(UnpackSeptets(Bytes({0xFF}), 5, 6), "");  // 2 bits: no whole septet
  EXPECT_EQ(UnpackSeptets(Bytes({0xFF}), 5, 1).size(), 1u);
}

TEST(Gsm7PackTest, FullSingleMessageFits140Octets) {
  const std::string septets(160, 'x');
  EXPECT_EQ(PackSeptets(septets).size(), 140u);
  // A 153-septet part after a 6-octet UDH: 1 + 153*7 bits = 134 octets = 140 - 6.
  EXPECT_EQ(PackSeptets(std::string(153, 'x'), Gsm7FillBits(6)).size(), 134u);
}

TEST(Gsm7PackTest, FillBitsForUdh) {
  EXPECT_EQ(Gsm7FillBits(0), 0);
  EXPECT_EQ(Gsm7FillBits(6), 1);  // 05 00 03 ref total seq
  EXPECT_EQ(Gsm7FillBits(7), 0);  // 06 08 04 ref ref total seq
  EXPECT_EQ(Gsm7FillBits(5), 2);
  EXPECT_EQ(Gsm7FillBits(1), 6);
  for (size_t udh = 0; udh < 140; ++udh) {
    EXPECT_EQ((udh * 8 + static_cast<size_t>(Gsm7FillBits(udh))) % 7, 0u) << udh;
  }
}

}  // namespace
}  // namespace bramka::sms
