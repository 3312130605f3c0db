#include "sms/segmentation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "sms/gsm7.h"
#include "sms/ucs2.h"

namespace bramka::sms {
namespace {

using ::testing::HasSubstr;

std::string Repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::string Bytes(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

TextInfo Analyze(std::string_view text, Encoding encoding) {
  auto r = AnalyzeText(text, encoding);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : TextInfo{encoding, 0, 0};
}

std::vector<std::string> Split(std::string_view text, Encoding encoding) {
  auto r = SplitIntoParts(text, encoding);
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? *r : std::vector<std::string>{};
}

TEST(SegmentationTest, Constants) {
  EXPECT_EQ(kMaxParts, 6);
  EXPECT_EQ(kMaxGsm7Chars, kMaxParts * 153);
  EXPECT_EQ(EncodingName(Encoding::kGsm7), "gsm7");
  EXPECT_EQ(EncodingName(Encoding::kUcs2), "ucs2");
}

TEST(SegmentationTest, DetectEncoding) {
  EXPECT_EQ(DetectEncoding(""), Encoding::kGsm7);
  EXPECT_EQ(DetectEncoding("Hello €"), Encoding::kGsm7);
  EXPECT_EQ(DetectEncoding("Zażółć"), Encoding::kUcs2);
  EXPECT_EQ(DetectEncoding("😀"), Encoding::kUcs2);
}

TEST(SegmentationTest, EmptyTextIsOnePartOfZeroUnits) {
  for (Encoding e : {Encoding::kGsm7, Encoding::kUcs2}) {
    const TextInfo info = Analyze("", e);
    EXPECT_EQ(info.units, 0u);
    EXPECT_EQ(info.parts, 1);
    EXPECT_EQ(info.encoding, e);
    EXPECT_EQ(Split("", e), std::vector<std::string>{""});
  }
}

TEST(SegmentationTest, Gsm7PartBoundaries) {
  struct Case {
    size_t chars;
    int parts;
  };
  for (const Case c :
       {Case{1, 1}, Case{159, 1}, Case{160, 1}, Case{161, 2}, Case{306, 2}, Case{307, 3},
        Case{459, 3}, Case{460, 4}, Case{765, 5}, Case{766, 6}, Case{918, 6}, Case{919, 7}}) {
    const std::string text(c.chars, 'a');
    const TextInfo info = Analyze(text, Encoding::kGsm7);
    EXPECT_EQ(info.units, c.chars);
    EXPECT_EQ(info.parts, c.parts) << c.chars << " chars";
    const auto parts = Split(text, Encoding::kGsm7);
    ASSERT_EQ(parts.size(), static_cast<size_t>(c.parts)) << c.chars << " chars";
    if (c.parts > 1) {
      EXPECT_EQ(parts[0].size(), 153u);
    }
  }
}

TEST(SegmentationTest, Gsm7ExtensionCharactersCountTwo) {
  EXPECT_EQ(Analyze("€", Encoding::kGsm7).units, 2u);
  EXPECT_EQ(Analyze("a[b]", Encoding::kGsm7).units, 6u);
  EXPECT_EQ(Analyze(Repeat("€", 80), Encoding::kGsm7).parts, 1);              // 160 septets
  EXPECT_EQ(Analyze(Repeat("€", 81), Encoding::kGsm7).parts, 2);              // 162 septets
  EXPECT_EQ(Analyze(std::string(159, 'a') + "€", Encoding::kGsm7).parts, 2);  // 161
}

TEST(SegmentationTest, Gsm7EscapePairAtBoundaryMovesToNextPart) {
  // 152 'a' then '€': the pair would occupy septets 153-154, so it moves to part 2.
  const std::string text = std::string(152, 'a') + "€" + std::string(151, 'b');
  const TextInfo info = Analyze(text, Encoding::kGsm7);
  EXPECT_EQ(info.units, 305u);
  EXPECT_EQ(info.parts, 2);
  const auto parts = Split(text, Encoding::kGsm7);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], std::string(152, 'a'));  // one septet short
  EXPECT_EQ(parts[1], Bytes({0x1B, 0x65}) + std::string(151, 'b'));
  EXPECT_EQ(parts[1].size(), 153u);
}

TEST(SegmentationTest, Gsm7EscapeShiftCanAddAPart) {
  // 306 septets would be 2 parts of 153, but the '€' shift pushes one septet into a third.
  const std::string text = std::string(152, 'a') + "€" + std::string(152, 'b');
  const TextInfo info = Analyze(text, Encoding::kGsm7);
  EXPECT_EQ(info.units, 306u);
  EXPECT_EQ(info.parts, 3);
  const auto parts = Split(text, Encoding::kGsm7);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].size(), 152u);
  EXPECT_EQ(parts[1].size(), 153u);
  EXPECT_EQ(parts[2], "b");
}

TEST(SegmentationTest, Gsm7EscapePairEndingExactlyAtBoundaryStays) {
  const std::string text = std::string(151, 'a') + "€" + std::string(10, 'b');  // 163
  const auto parts = Split(text, Encoding::kGsm7);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 153u);
  EXPECT_EQ(parts[0].substr(151), Bytes({0x1B, 0x65}));
  EXPECT_EQ(parts[1], std::string(10, 'b'));
}

TEST(SegmentationTest, Gsm7RejectsUnencodableAndInvalidText) {
  auto r = AnalyzeText("Cześć", Encoding::kGsm7);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("U+015B"));
  EXPECT_FALSE(SplitIntoParts("Cześć", Encoding::kGsm7).ok());

  auto bad = AnalyzeText("ab\xFF", Encoding::kGsm7);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.error().message, HasSubstr("invalid UTF-8 at byte 2"));
  EXPECT_FALSE(AnalyzeText("ab\xFF", Encoding::kUcs2).ok());
  EXPECT_FALSE(SplitIntoParts("ab\xFF", Encoding::kUcs2).ok());
}

TEST(SegmentationTest, Ucs2PartBoundaries) {
  struct Case {
    size_t chars;
    int parts;
  };
  for (const Case c : {Case{1, 1}, Case{70, 1}, Case{71, 2}, Case{134, 2}, Case{135, 3},
                       Case{402, 6}, Case{403, 7}}) {
    const std::string text = Repeat("ż", c.chars);
    const TextInfo info = Analyze(text, Encoding::kUcs2);
    EXPECT_EQ(info.units, c.chars);
    EXPECT_EQ(info.parts, c.parts) << c.chars << " chars";
    const auto parts = Split(text, Encoding::kUcs2);
    ASSERT_EQ(parts.size(), static_cast<size_t>(c.parts));
    if (c.parts > 1) {
      EXPECT_EQ(parts[0].size(), 134u);  // 67 code units
    }
  }
}

TEST(SegmentationTest, Ucs2GsmTextCanBeSentAsUcs2) {
  const TextInfo info = Analyze("Hello", Encoding::kUcs2);
  EXPECT_EQ(info.units, 5u);
  EXPECT_EQ(info.encoding, Encoding::kUcs2);
  EXPECT_EQ(Split("Hi", Encoding::kUcs2), std::vector<std::string>{Bytes({0, 'H', 0, 'i'})});
}

TEST(SegmentationTest, EmojiCountTwoUnits) {
  EXPECT_EQ(Analyze("😀", Encoding::kUcs2).units, 2u);
  EXPECT_EQ(Analyze(Repeat("😀", 35), Encoding::kUcs2).parts, 1);  // 70 units
  const std::string text = Repeat("😀", 36);                       // 72 units
  EXPECT_EQ(Analyze(text, Encoding::kUcs2).parts, 2);
  const auto parts = Split(text, Encoding::kUcs2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 132u);  // 33 emoji = 66 units: the 34th would be split
  EXPECT_EQ(parts[1].size(), 12u);
}

TEST(SegmentationTest, SurrogatePairAtBoundaryMovesToNextPart) {
  const std::string text = Repeat("ż", 66) + "😀" + Repeat("ż", 65);  // 133 units
  EXPECT_EQ(Analyze(text, Encoding::kUcs2).parts, 2);
  const auto parts = Split(text, Encoding::kUcs2);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].size(), 132u);
  EXPECT_EQ(parts[1].substr(0, 4), Bytes({0xD8, 0x3D, 0xDE, 0x00}));
  EXPECT_EQ(parts[1].size(), 134u);
  for (const auto& p : parts) EXPECT_TRUE(DecodeUcs2(p).ok()) << "a part split a pair";

  const std::string longer = Repeat("ż", 66) + "😀" + Repeat("ż", 66);  // 134 units
  const TextInfo info = Analyze(longer, Encoding::kUcs2);
  EXPECT_EQ(info.units, 134u);
  EXPECT_EQ(info.parts, 3);
  EXPECT_EQ(Split(longer, Encoding::kUcs2).size(), 3u);
}

TEST(SegmentationTest, PartLimitsForUdh) {
  const PartLimits gsm6 = PartLimitsForUdh(Encoding::kGsm7, 6);
  EXPECT_EQ(gsm6.single, 160u);
  EXPECT_EQ(gsm6.per_part, 153u);
  const PartLimits gsm7 = PartLimitsForUdh(Encoding::kGsm7, 7);
  EXPECT_EQ(gsm7.per_part, 152u);
  EXPECT_EQ(PartLimitsForUdh(Encoding::kUcs2, 6).per_part, 67u);
  EXPECT_EQ(PartLimitsForUdh(Encoding::kUcs2, 7).per_part, 66u);
  EXPECT_EQ(PartLimitsForUdh(Encoding::kUcs2, 7).single, 70u);
  EXPECT_EQ(DefaultPartLimits(Encoding::kGsm7).per_part, 153u);
  EXPECT_EQ(DefaultPartLimits(Encoding::kUcs2).single, 70u);

  const std::string text(305, 'a');
  EXPECT_EQ(AnalyzeText(text, Encoding::kGsm7)->parts, 2);
  EXPECT_EQ(AnalyzeText(text, Encoding::kGsm7, gsm7)->parts, 3);  // 152 per part
  EXPECT_EQ(SplitIntoParts(text, Encoding::kGsm7, gsm7)->size(), 3u);
}

// Property: for random mixes of 1- and 2-unit atoms, the parts concatenate to the
// encoded text, never exceed the limit, never split an atom and their number equals
// AnalyzeText's count.
TEST(SegmentationTest, SplitAgreesWithAnalyzeOnRandomTexts) {
  std::mt19937 rng(918);
  const std::vector<std::string> gsm_atoms = {"a", "€", "[", "@", "\n"};
  const std::vector<std::string> ucs_atoms = {"a", "ż", "😀", "€", "👍"};
  for (int round = 0; round < 300; ++round) {
    const bool gsm = round % 2 == 0;
    const auto& atoms = gsm ? gsm_atoms : ucs_atoms;
    const Encoding e = gsm ? Encoding::kGsm7 : Encoding::kUcs2;
    std::string text;
    const size_t n = rng() % 700;
    for (size_t i = 0; i < n; ++i) text += atoms[rng() % atoms.size()];

    const TextInfo info = Analyze(text, e);
    const auto parts = Split(text, e);
    ASSERT_EQ(parts.size(), static_cast<size_t>(info.parts)) << "round " << round;
    std::string joined;
    for (const auto& p : parts) joined += p;
    const std::string encoded = gsm ? *EncodeGsm7(text) : *EncodeUcs2(text);
    ASSERT_EQ(joined, encoded);
    ASSERT_EQ(info.units, gsm ? encoded.size() : encoded.size() / 2);
    const PartLimits limits = DefaultPartLimits(e);
    for (const auto& p : parts) {
      const size_t units = gsm ? p.size() : p.size() / 2;
      ASSERT_LE(units, parts.size() == 1 ? limits.single : limits.per_part);
      if (gsm) {
        ASSERT_EQ(DecodeGsm7(p).find(' '), std::string::npos) << "split escape pair";
      } else {
        ASSERT_TRUE(DecodeUcs2(p).ok()) << "split surrogate pair";
      }
    }
  }
}

// --- concatenation UDH ------------------------------------------------------------

TEST(ConcatUdhTest, MakeEightBit) {
  EXPECT_EQ(MakeConcatUdh(0xAB, 3, 1, false), Bytes({0x05, 0x00, 0x03, 0xAB, 0x03, 0x01}));
  // Only the low byte of the reference fits.
  EXPECT_EQ(MakeConcatUdh(0x12AB, 2, 2, false), Bytes({0x05, 0x00, 0x03, 0xAB, 0x02, 0x02}));
}

TEST(ConcatUdhTest, MakeSixteenBit) {
  EXPECT_EQ(MakeConcatUdh(0x1234, 6, 6, true), Bytes({0x06, 0x08, 0x04, 0x12, 0x34, 0x06, 0x06}));
}

TEST(ConcatUdhTest, RoundTrip) {
  for (bool sixteen : {false, true}) {
    for (uint8_t total = 1; total <= 6; ++total) {
      for (uint8_t seq = 1; seq <= total; ++seq) {
        const uint16_t ref = sixteen ? 0xBEEF : 0x7F;
        auto info = ParseConcatUdh(MakeConcatUdh(ref, total, seq, sixteen));
        ASSERT_TRUE(info.has_value());
        EXPECT_EQ(info->reference, ref);
        EXPECT_EQ(info->total, total);
        EXPECT_EQ(info->sequence, seq);
      }
    }
  }
}

TEST(ConcatUdhTest, FindsConcatAmongOtherIes) {
  // Application port IE (05 04 0B84 23F0) before the concatenation IE.
  const std::string udh =
      Bytes({0x0B, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0, 0x00, 0x03, 0x42, 0x02, 0x01});
  auto info = ParseConcatUdh(udh);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reference, 0x42);
  EXPECT_EQ(info->total, 2);
  EXPECT_EQ(info->sequence, 1);

  // 16-bit IE after a zero-length IE, followed by the message text (ignored).
  const std::string with_text =
      Bytes({0x08, 0x70, 0x00, 0x08, 0x04, 0x01, 0x02, 0x03, 0x02}) + "Hello";
  auto info16 = ParseConcatUdh(with_text);
  ASSERT_TRUE(info16.has_value());
  EXPECT_EQ(info16->reference, 0x0102);
  EXPECT_EQ(info16->total, 3);
  EXPECT_EQ(info16->sequence, 2);
}

TEST(ConcatUdhTest, LastValidOccurrenceWins) {
  const std::string udh = Bytes({0x0A, 0x00, 0x03, 0x01, 0x02, 0x01, 0x00, 0x03, 0x09, 0x04, 0x03});
  auto info = ParseConcatUdh(udh);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reference, 0x09);
  EXPECT_EQ(info->sequence, 3);
}

TEST(ConcatUdhTest, RejectsMalformedOrMissing) {
  EXPECT_FALSE(ParseConcatUdh(""));
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x00})));                          // empty UDH
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x05, 0x00, 0x03, 0x01, 0x02})));  // truncated
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x04, 0x05, 0x04, 0x0B, 0x84})));  // IE runs past UDHL
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x03, 0x00, 0x03, 0x01})));        // IE data past UDHL
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x01, 0x00})));                    // IE header cut off
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x06, 0x05, 0x04, 0x0B, 0x84, 0x23, 0xF0})));  // no concat
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x06, 0x00, 0x04, 0x01, 0x02, 0x01, 0x00})));  // bad length
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x05, 0x00, 0x03, 0x01, 0x00, 0x00})));        // total 0
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x05, 0x00, 0x03, 0x01, 0x02, 0x00})));        // sequence 0
  EXPECT_FALSE(ParseConcatUdh(Bytes({0x05, 0x00, 0x03, 0x01, 0x02, 0x03})));        // seq > total
}

}  // namespace
}  // namespace bramka::sms
