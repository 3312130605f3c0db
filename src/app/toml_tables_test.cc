#include "app/toml_tables.h"

#include <gtest/gtest.h>

namespace bramka::app {
namespace {

constexpr char kFile[] = R"(# bramka.toml
[server]
threads = 2

# the first SMSC
[[connector]]
name = "a"   # primary
port = 2775
  # tuned in May
tps = 50

# the second one
[[connector]]
name = 'b'
port = 2776

[[route]]
connectors = ["a"]
)";

TEST(TomlTables, FindsBlocksWithTheirNamesAndLeavesTheNextTablesComments) {
  auto blocks = FindTomlBlocks(kFile, "connector");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].name, "a");
  EXPECT_EQ(blocks[1].name, "b");
  EXPECT_EQ(blocks[0].begin, 5u);
  EXPECT_EQ(blocks[0].end, 10u);  // "# the second one" belongs to b
  EXPECT_EQ(FindTomlBlocks(kFile, "route").size(), 1u);
  EXPECT_TRUE(FindTomlBlocks(kFile, "nothing").empty());
}

TEST(TomlTables, RemovesABlock) {
  auto blocks = FindTomlBlocks(kFile, "connector");
  std::string out = RemoveTomlBlock(kFile, blocks[0]);
  EXPECT_EQ(out.find("name = \"a\""), std::string::npos);
  EXPECT_NE(out.find("# the first SMSC"), std::string::npos);
  EXPECT_NE(out.find("# the second one\n[[connector]]\nname = 'b'"), std::string::npos);
  ASSERT_EQ(FindTomlBlocks(out, "connector").size(), 1u);
  EXPECT_EQ(FindTomlBlocks(out, "connector")[0].name, "b");
}

TEST(TomlTables, SetsAKeyInPlaceOrAddsIt) {
  auto a = FindTomlBlocks(kFile, "connector")[0];
  std::string out = SetTomlKey(kFile, a, "tps", "10");
  EXPECT_NE(out.find("  # tuned in May\ntps = 10\n"), std::string::npos);
  out = SetTomlKey(out, FindTomlBlocks(out, "connector")[0], "window", "3");
  EXPECT_NE(out.find("tps = 10\nwindow = 3\n\n# the second one"), std::string::npos);
  auto b = FindTomlBlocks(out, "connector")[1];
  out = SetTomlKey(out, b, "bind_mode", TomlQuote("pair"));
  EXPECT_NE(out.find("port = 2776\nbind_mode = \"pair\"\n\n[[route]]"), std::string::npos);
}

TEST(TomlTables, Quotes) { EXPECT_EQ(TomlQuote(R"(a"b\c)"), R"("a\"b\\c")"); }

}  // namespace
}  // namespace bramka::app
