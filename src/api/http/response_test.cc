#include "api/http/response.h"

#include <gtest/gtest.h>

#include <regex>
#include <vector>

namespace bramka::api::http {
namespace {

// A minimal well-formedness check for what RenderXml emits: one root,
// balanced tags, only the five predefined entities, no raw '<'/'&' in text,
// no characters XML 1.0 forbids, valid UTF-8.
::testing::AssertionResult WellFormedXml(const std::string& xml) {
  const std::string decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (xml.rfind(decl, 0) != 0) return ::testing::AssertionFailure() << "no declaration";
  std::vector<std::string> stack;
  size_t i = decl.size();
  bool root_closed = false;
  while (i < xml.size()) {
    const unsigned char c = static_cast<unsigned char>(xml[i]);
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
      return ::testing::AssertionFailure() << "control char at " << i;
    }
    if (c == '<') {
      const size_t end = xml.find('>', i);
      if (end == std::string::npos) return ::testing::AssertionFailure() << "open tag";
      std::string tag = xml.substr(i + 1, end - i - 1);
      if (root_closed) return ::testing::AssertionFailure() << "content after root";
      if (tag.starts_with("/")) {
        if (stack.empty() || stack.back() != tag.substr(1)) {
          return ::testing::AssertionFailure() << "mismatched </" << tag << ">";
        }
        stack.pop_back();
        if (stack.empty()) root_closed = true;
      } else {
        const bool empty = tag.ends_with("/");
        if (empty) tag.pop_back();
        const std::string name = tag.substr(0, tag.find(' '));
        if (!std::regex_match(name, std::regex("[A-Za-z_][A-Za-z0-9_.-]*"))) {
          return ::testing::AssertionFailure() << "bad name " << name;
        }
        if (!empty) stack.push_back(name);
        if (empty && stack.empty()) root_closed = true;
      }
      i = end + 1;
    } else if (c == '&') {
      const size_t end = xml.find(';', i);
      const std::string ent = xml.substr(i, end - i + 1);
      if (ent != "&amp;" && ent != "&lt;" && ent != "&gt;" && ent != "&quot;" && ent != "&apos;") {
        return ::testing::AssertionFailure() << "bad entity " << ent;
      }
      i = end + 1;
    } else if (c == '>') {
      return ::testing::AssertionFailure() << "raw '>' at " << i;
    } else {
      ++i;
    }
  }
  if (!stack.empty() || !root_closed) return ::testing::AssertionFailure() << "unclosed";
  return ::testing::AssertionSuccess();
}

TEST(RenderJsonTest, KeepsOrderAndRealBooleans) {
  Document d = Document::object();
  d["success"] = true;
  d["queued"] = 2;
  d["unsent"] = 0;
  d["items"] = Document::array();
  EXPECT_EQ(RenderJson(d), R"({"success":true,"queued":2,"unsent":0,"items":[]})");
}

TEST(RenderJsonTest, RawUtf8AndInvalidBytesReplaced) {
  Document d = {{"text", "zażółć"},
                {"bad", std::string("a\xff"
                                    "b")}};
  EXPECT_EQ(RenderJson(d),
            "{\"text\":\"zażółć\",\"bad\":\"a\xEF\xBF\xBD"
            "b\"}");
}

TEST(RenderJsonTest, FloatsAndNulls) {
  Document d = {{"cost", 0.07}, {"sent", nullptr}, {"parts", 1}};
  EXPECT_EQ(RenderJson(d), R"({"cost":0.07,"sent":null,"parts":1})");
}

TEST(RenderTest, ContentTypes) {
  Document d = {{"success", true}};
  EXPECT_EQ(Render(d, Format::kJson).content_type, "application/json; charset=UTF-8");
  EXPECT_EQ(Render(d, Format::kXml).content_type, "application/xml; charset=UTF-8");
}

TEST(RenderXmlTest, MappingOfKeysArraysAndScalars) {
  Document d = Document::object();
  d["success"] = true;
  d["queued"] = 1;
  d["items"] = Document::array({Document{
      {"id", "aca3944055"}, {"phone", "+48500600700"}, {"status", "queued"}, {"flash", false}}});
  d["paging"] = {{"page", 1}, {"count", 1}};
  d["cost"] = 0.07;
  d["sent"] = nullptr;
  d["empty"] = Document::array();
  const std::string xml = RenderXml(d);
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<response><success>true</success>"
            "<queued>1</queued><items><item><id>aca3944055</id><phone>+48500600700</phone>"
            "<status>queued</status><flash>false</flash></item></items>"
            "<paging><page>1</page><count>1</count></paging><cost>0.07</cost><empty/>"
            "</response>\n");
  EXPECT_TRUE(WellFormedXml(xml));
}

TEST(RenderXmlTest, ErrorsUseAnErrorRoot) {
  const std::string xml = RenderXml(ErrorDocument(ApiErrorByCode(1001)));
  EXPECT_EQ(xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<error><code>1001</code>"
            "<type>InvalidUser</type><message>Nieprawidłowy login lub hasło</message>"
            "</error>\n");
  EXPECT_TRUE(WellFormedXml(xml));
}

TEST(RenderXmlTest, EscapesMarkupAndForbiddenCharacters) {
  Document d = Document::object();
  d["text"] = std::string("<b>&\"'\x01\x1f\t\n") + "\xEF\xBF\xBE" + "\xff" + "ż";
  d["bad key"] = "v";
  d["0"] = "w";
  d["xml<>"] = "z";
  const std::string xml = RenderXml(d);
  EXPECT_TRUE(WellFormedXml(xml)) << xml;
  EXPECT_NE(
      xml.find("&lt;b&gt;&amp;&quot;&apos;\xEF\xBF\xBD\xEF\xBF\xBD\t\n\xEF\xBF\xBD\xEF\xBF\xBD"
               "ż"),
      std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<item key=\"bad key\">v</item>"), std::string::npos);
  EXPECT_NE(xml.find("<item key=\"0\">w</item>"), std::string::npos);
  EXPECT_NE(xml.find("<item key=\"xml&lt;&gt;\">z</item>"), std::string::npos);
}

TEST(RenderXmlTest, ArbitraryDocumentsAreWellFormed) {
  // A tiny deterministic generator of nested documents with hostile text.
  const std::vector<std::string> texts = {
      "", "a&b", "</x>", "\x00\x01", "]]>", "\xc3\x28", "\xf0\x9f\x98\x80", "&amp;"};
  uint32_t seed = 12345;
  auto next = [&] { return seed = seed * 1103515245 + 12345; };
  for (int round = 0; round < 200; ++round) {
    Document d = Document::object();
    Document* cur = &d;
    for (int k = 0; k < 6; ++k) {
      const std::string& t = texts[next() % texts.size()];
      switch (next() % 4) {
        case 0:
          (*cur)[t.empty() ? "k" : t] = t;
          break;
        case 1:
          (*cur)["n" + std::to_string(k)] = static_cast<int>(next() % 100);
          break;
        case 2:
          (*cur)["a" + std::to_string(k)] = Document::array({t, true, nullptr});
          break;
        default:
          cur = &((*cur)["o" + std::to_string(k)] = Document::object());
          break;
      }
    }
    EXPECT_TRUE(WellFormedXml(RenderXml(d))) << RenderXml(d);
  }
}

}  // namespace
}  // namespace bramka::api::http
