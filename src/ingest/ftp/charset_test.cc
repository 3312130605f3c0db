#include "ingest/ftp/charset.h"

#include <gtest/gtest.h>

namespace bramka::ingest::ftp {
namespace {

const std::string kPolishUtf8 = "Zażółć gęślą jaźń ĄŚŹ";
// The same text in the two single-byte code pages (bytes from Python's codecs).
const std::string kPolishIso = "Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1 \xa1\xa6\xac";
const std::string kPolishCp1250 = "Za\xbf\xf3\xb3\xe6 g\xea\x9cl\xb9 ja\x9f\xf1 \xa5\x8c\x8f";

TEST(Charset, DetectsUtf8) {
  EXPECT_EQ(DetectCharset(kPolishUtf8), Charset::kUtf8);
  EXPECT_EQ(DetectCharset("plain ascii"), Charset::kUtf8);
  EXPECT_EQ(DetectCharset("\xEF\xBB\xBFz BOM"), Charset::kUtf8);
}

TEST(Charset, TellsIsoFromWindows1250) {
  EXPECT_EQ(DetectCharset(kPolishIso), Charset::kIso8859_2);
  EXPECT_EQ(DetectCharset(kPolishCp1250), Charset::kWindows1250);
  // Letters both code pages share (ó ł ć ę ń ż) are a tie: ISO-8859-2, spec §8's.
  EXPECT_EQ(DetectCharset("\xf3\xb3\xe6"), Charset::kIso8859_2);
}

TEST(Charset, ConvertsToUtf8) {
  EXPECT_EQ(ToUtf8(kPolishIso, Charset::kIso8859_2), kPolishUtf8);
  EXPECT_EQ(ToUtf8(kPolishCp1250, Charset::kWindows1250), kPolishUtf8);
  EXPECT_EQ(ToUtf8("\xEF\xBB\xBF" + kPolishUtf8, Charset::kUtf8), kPolishUtf8);
  EXPECT_EQ(ToUtf8("a\xff"
                   "b",
                   Charset::kUtf8),
            "a\xEF\xBF\xBD"
            "b");                                                    // U+FFFD
  EXPECT_EQ(ToUtf8("\x80", Charset::kWindows1250), "\xE2\x82\xAC");  // euro sign
}

TEST(Charset, RejectsOverlongAndSurrogates) {
  EXPECT_NE(DetectCharset("\xC0\xAF"), Charset::kUtf8);
  EXPECT_NE(DetectCharset("\xED\xA0\x80"), Charset::kUtf8);
  EXPECT_NE(DetectCharset("\xF4\x90\x80\x80"), Charset::kUtf8);
}

}  // namespace
}  // namespace bramka::ingest::ftp
