#include "panel/assets.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace bramka::panel {
namespace {

TEST(AssetsTest, TheUiIsEmbeddedWithContentTypes) {
  const Asset* index = FindAsset("index.html");
  ASSERT_NE(index, nullptr);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<!DOCTYPE html>"), std::string_view::npos);
  // No inline script or style: the CSP forbids them.
  EXPECT_EQ(index->body.find("<script>"), std::string_view::npos);
  EXPECT_EQ(index->body.find("style="), std::string_view::npos);
  ASSERT_NE(FindAsset("app.js"), nullptr);
  EXPECT_EQ(FindAsset("app.js")->content_type, "text/javascript; charset=utf-8");
  ASSERT_NE(FindAsset("style.css"), nullptr);
  EXPECT_EQ(FindAsset("style.css")->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(FindAsset("nope.js"), nullptr);
  EXPECT_EQ(FindAsset("../CMakeLists.txt"), nullptr);
}

TEST(AssetsTest, BytesAreExactAndEtagsDiffer) {
  std::set<std::string_view> etags;
  for (const Asset& a : AllAssets()) {
    EXPECT_FALSE(a.body.empty()) << a.name;
    EXPECT_EQ(a.etag.size(), 18u) << a.name;  // 16 hex digits in quotes
    EXPECT_EQ(a.etag.front(), '"');
    etags.insert(a.etag);
    // The generator appends a 0 after the bytes; the size excludes it.
    EXPECT_NE(a.body.back(), '\0') << a.name;
  }
  EXPECT_EQ(etags.size(), AllAssets().size());
}

TEST(AssetsTest, EveryFileOfTheFolderIsEmbeddedByteForByte) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(BRAMKA_PANEL_ASSET_DIR)) {
    if (!entry.is_regular_file()) continue;
    ++files;
    const std::string name = entry.path().filename().string();
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const Asset* a = FindAsset(name);
    ASSERT_NE(a, nullptr) << name;
    EXPECT_EQ(a->body, bytes.str()) << name;
  }
  EXPECT_EQ(files, AllAssets().size());
}

}  // namespace
}  // namespace bramka::panel
