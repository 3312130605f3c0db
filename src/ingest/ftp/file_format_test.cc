#include "ingest/ftp/file_format.h"

#include <gtest/gtest.h>

namespace bramka::ingest::ftp {
namespace {

using Kind = FileLine::Kind;

ParsedFile Parse(const std::string& s, std::string text = "") {
  return ParseFile(s, FileOptions{std::move(text), ""});
}

TEST(FileFormat, SpecExamples) {
  auto f = Parse(
      "500600700;Testwa wiadomosc;INFORMACJA\n"
      "500400300;Druga wiadomosc, tym razem eco;\n"
      "500400300;Trzecia wiadomość z polskimi znakami;INFORMACJA;1\n");
  EXPECT_FALSE(f.numbers_only);
  ASSERT_EQ(f.lines.size(), 3u);
  EXPECT_EQ(f.lines[0].kind, Kind::kMessage);
  EXPECT_EQ(f.lines[0].phone, "500600700");
  EXPECT_EQ(f.lines[0].text, "Testwa wiadomosc");
  EXPECT_EQ(f.lines[0].sender, "INFORMACJA");
  EXPECT_FALSE(f.lines[0].utf);
  EXPECT_EQ(f.lines[1].text, "Druga wiadomosc, tym razem eco");
  EXPECT_EQ(f.lines[1].sender, "");
  EXPECT_EQ(f.lines[2].text, "Trzecia wiadomość z polskimi znakami");
  EXPECT_TRUE(f.lines[2].utf);
  EXPECT_EQ(f.lines[2].line, 3);
}

TEST(FileFormat, EverySeparator) {
  for (char sep : {';', ',', ':', '\t'}) {
    std::string s = std::string("500600700") + sep + "Hello there" + sep + "ACME" + sep + "0\r\n";
    auto f = Parse(s);
    ASSERT_EQ(f.lines.size(), 1u) << sep;
    EXPECT_EQ(f.lines[0].kind, Kind::kMessage) << sep;
    EXPECT_EQ(f.lines[0].text, "Hello there") << sep;
    EXPECT_EQ(f.lines[0].sender, "ACME") << sep;
  }
}

TEST(FileFormat, TextMayContainTheSeparator) {
  auto f = Parse("500600700,Hello, world\n500600701,Hi, you,ACME\n");
  ASSERT_EQ(f.lines.size(), 2u);
  EXPECT_EQ(f.lines[0].text, "Hello, world");
  EXPECT_EQ(f.lines[0].sender, "");
  EXPECT_EQ(f.lines[1].text, "Hi, you");
  EXPECT_EQ(f.lines[1].sender, "ACME");
}

TEST(FileFormat, QuotedCsvFields) {
  auto f = Parse("\"500600700\";\"Say \"\"hi\"\"; now\";\"ACME\"\n");
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_EQ(f.lines[0].text, "Say \"hi\"; now");
  EXPECT_EQ(f.lines[0].sender, "ACME");
}

TEST(FileFormat, BadLinesAreReportedNotSkipped) {
  auto f = Parse(
      "NUMER;WIADOMOSC;NAZWA_NADAWCY;POLSKIE_ZNAKI\n"
      "500600700;ok\n"
      "hello;not a number\n"
      "500600701\n"
      "500600702;;ACME\n"
      "500600703;Zażółć;;1\n"
      "\n"
      "500600704;" +
      std::string(919, 'a') +
      "\n"
      "500600705;" +
      std::string(918, 'a') + "\n");
  ASSERT_EQ(f.lines.size(), 8u);
  EXPECT_EQ(f.lines[0].kind, Kind::kHeader);
  EXPECT_EQ(f.lines[1].kind, Kind::kMessage);
  EXPECT_EQ(f.lines[2].kind, Kind::kError);
  EXPECT_EQ(f.lines[2].error, "the first column is not a phone number");
  EXPECT_EQ(f.lines[3].kind, Kind::kError);
  EXPECT_EQ(f.lines[4].kind, Kind::kError);  // empty text
  EXPECT_EQ(f.lines[5].kind, Kind::kError);  // Polish characters need a sender
  EXPECT_EQ(f.lines[6].kind, Kind::kError);  // 919 characters
  EXPECT_EQ(f.lines[6].line, 8);             // the empty line 7 is not listed
  EXPECT_EQ(f.lines[7].kind, Kind::kMessage);
}

TEST(FileFormat, TheLimitCountsCharactersNotBytes) {
  std::string text;
  for (int i = 0; i < 918; ++i) text += "ż";
  auto f = Parse("500600700;" + text + ";ACME;1\n");
  ASSERT_EQ(f.lines.size(), 1u);
  EXPECT_EQ(f.lines[0].kind, Kind::kMessage);
}

TEST(FileFormat, NumbersOnlyFiles) {
  auto f = Parse("500600700\n500600701;500600702\t+48500600703\n500 600 704:500-600-705,\n",
                 "Your text");
  EXPECT_TRUE(f.numbers_only);
  ASSERT_EQ(f.lines.size(), 6u);
  EXPECT_EQ(f.lines[1].phone, "500600701");
  EXPECT_EQ(f.lines[2].phone, "500600702");
  EXPECT_EQ(f.lines[2].column, 1);
  EXPECT_EQ(f.lines[3].phone, "+48500600703");
  EXPECT_EQ(f.lines[3].column, 2);
  EXPECT_EQ(f.lines[4].phone, "500 600 704");
  for (const auto& l : f.lines) {
    EXPECT_EQ(l.kind, Kind::kMessage);
    EXPECT_EQ(l.text, "Your text");
  }
  auto no_text = Parse("500600700\n");
  ASSERT_EQ(no_text.lines.size(), 1u);
  EXPECT_EQ(no_text.lines[0].kind, Kind::kError);
}

TEST(FileFormat, EncodingsGiveTheSameText) {
  const std::string utf8 = "500600700;Zażółć gęślą jaźń;ACME;1\n";
  const std::string iso = "500600700;Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1 ja\xbc\xf1;ACME;1\n";
  const std::string cp = "500600700;Za\xbf\xf3\xb3\xe6 g\xea\x9cl\xb9 ja\x9f\xf1;ACME;1\n";
  for (const auto& [bytes, cs] :
       {std::pair{utf8, Charset::kUtf8}, std::pair{iso, Charset::kIso8859_2},
        std::pair{cp, Charset::kWindows1250}}) {
    auto f = Parse(bytes);
    EXPECT_EQ(f.charset, cs);
    ASSERT_EQ(f.lines.size(), 1u);
    EXPECT_EQ(f.lines[0].text, "Zażółć gęślą jaźń");
  }
}

TEST(FileFormat, InputFileNames) {
  EXPECT_TRUE(IsInputFileName("a.txt"));
  EXPECT_TRUE(IsInputFileName("B.CSV"));
  EXPECT_FALSE(IsInputFileName("a.txt.result"));
  EXPECT_FALSE(IsInputFileName(".txt"));
  EXPECT_FALSE(IsInputFileName("a.xls"));
}

}  // namespace
}  // namespace bramka::ingest::ftp
