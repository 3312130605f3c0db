#include "api/http/request.h"

#include <gtest/gtest.h>

#include "core/failure.h"

namespace bramka::api::http {
namespace {

using ::testing::Test;

ParamTree MustDecode(std::string_view content_type, std::string_view body,
                     std::string_view query = {}) {
  auto r = DecodeParameters(content_type, body, query);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? *r : ParamTree();
}

void ExpectInvalidData(const Error& e) {
  EXPECT_EQ(e.code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(e.detail, static_cast<int>(core::Failure::kInvalidParameter));
}

// ---- paths (spec §1.2) --------------------------------------------------------------

TEST(ParseRouteTest, SuffixesSelectTheFormat) {
  Route plain = ParseRoute("/messages/send_sms");
  EXPECT_EQ(plain.action, "messages/send_sms");
  EXPECT_EQ(plain.format, Format::kJson);
  Route json = ParseRoute("/messages/send_sms.json");
  EXPECT_EQ(json.action, "messages/send_sms");
  EXPECT_EQ(json.format, Format::kJson);
  Route xml = ParseRoute("/messages/view.xml");
  EXPECT_EQ(xml.action, "messages/view");
  EXPECT_EQ(xml.format, Format::kXml);
  EXPECT_EQ(ParseRoute("/messages/view.XML").format, Format::kXml);
}

TEST(ParseRouteTest, CollapsesSlashes) {
  EXPECT_EQ(ParseRoute("//messages//send_sms/").action, "messages/send_sms");
  EXPECT_EQ(ParseRoute("messages/send_sms").action, "messages/send_sms");
  EXPECT_EQ(ParseRoute("/").action, "");
  EXPECT_EQ(ParseRoute("").action, "");
}

TEST(ParseRouteTest, Aliases) {
  EXPECT_EQ(ParseRoute("/messages/received").action, "messages/recived");
  EXPECT_EQ(ParseRoute("/messages/received.json").action, "messages/recived");
  EXPECT_EQ(ParseRoute("/messages/sendNd").action, "messages/send_nd");
  EXPECT_EQ(ParseRoute("/messages/sendNdi").action, "messages/send_ndi");
  EXPECT_EQ(ParseRoute("/messages/recived").action, "messages/recived");
  // Lower-casing is not applied (spec §1.2).
  EXPECT_EQ(ParseRoute("/Messages/Send_SMS").action, "Messages/Send_SMS");
}

TEST(ParseRouteTest, ErrorCodeIsAPathParameter) {
  Route r = ParseRoute("/error/1000.json");
  EXPECT_EQ(r.action, "error");
  EXPECT_EQ(r.path_param, "1000");
  Route x = ParseRoute("/error/3102.xml");
  EXPECT_EQ(x.path_param, "3102");
  EXPECT_EQ(x.format, Format::kXml);
  Route bare = ParseRoute("/error/");  // the Bash client's action list
  EXPECT_EQ(bare.action, "error");
  EXPECT_EQ(bare.path_param, "");
}

TEST(SplitTargetTest, PathAndQuery) {
  auto [path, query] = SplitTarget("/messages/view.json?id=abc&x=1#frag");
  EXPECT_EQ(path, "/messages/view.json");
  EXPECT_EQ(query, "id=abc&x=1");
  auto [p2, q2] = SplitTarget("/healthz");
  EXPECT_EQ(p2, "/healthz");
  EXPECT_EQ(q2, "");
}

// ---- JSON bodies ------------------------------------------------------------------

TEST(DecodeJsonTest, ObjectsWithEscapesAndRawUtf8) {
  ParamTree t =
      MustDecode("application/json", R"({"text":"Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105",)"
                                     R"("raw":"zażółć","phone":["500600700","+48600700800"]})");
  EXPECT_EQ(t["text"], "Zażółć gęślą");
  EXPECT_EQ(t["raw"], "zażółć");
  EXPECT_EQ(t["phone"].size(), 2u);
}

TEST(DecodeJsonTest, CharsetParameterAndEmptyBody) {
  EXPECT_TRUE(MustDecode("application/json; charset=utf-8", R"({"a":1})").contains("a"));
  EXPECT_TRUE(MustDecode("application/json", "").is_object());
  EXPECT_TRUE(MustDecode("application/json", "  \r\n").empty());
}

TEST(DecodeJsonTest, SniffedWhateverTheContentType) {
  EXPECT_EQ(MustDecode("text/plain", R"({"a":"b"})")["a"], "b");
  EXPECT_EQ(MustDecode("", R"( {"a":"b"})")["a"], "b");
  EXPECT_EQ(MustDecode("application/x-www-form-urlencoded", R"({"a":"b"})")["a"], "b");
  // A "JSON" content type with a form body is read as a form.
  EXPECT_EQ(MustDecode("application/json", "a=b&c=d")["c"], "d");
}

TEST(DecodeJsonTest, MalformedBodiesAre1006) {
  for (std::string_view bad : {R"({"a":)", R"({"a":1}x)", "[1,2]", R"({"a":"\xff"})", "{'a':1}"}) {
    auto r = DecodeParameters("application/json", bad, {});
    ASSERT_FALSE(r.ok()) << bad;
    ExpectInvalidData(r.error());
  }
}

TEST(DecodeJsonTest, DeepNestingRefused) {
  std::string deep = "{\"a\":" + std::string(200, '[') + std::string(200, ']') + "}";
  auto r = DecodeJson(deep);
  ASSERT_FALSE(r.ok());
  ExpectInvalidData(r.error());
  // Brackets inside strings do not count.
  std::string quoted = "{\"a\":\"" + std::string(200, '[') + "\"}";
  EXPECT_TRUE(DecodeJson(quoted).ok());
}

// httpio (session 13): DecodeJson reads flat objects itself; the tree (value types too) and
// every error must be what nlohmann::json::parse gives for the same text.
std::string TypesOf(const ParamTree& t) {
  std::string out = std::to_string(static_cast<int>(t.type()));
  if (t.is_structured()) {
    for (const auto& [key, value] : t.items()) out += "," + key + ":" + TypesOf(value);
  }
  return out;
}

void ExpectAsNlohmann(std::string_view body) {
  SCOPED_TRACE(std::string(body));
  auto mine = DecodeJson(body);
  std::string_view trimmed = body;
  while (!trimmed.empty() &&
         std::string_view(" \t\r\n\v\f").find(trimmed.front()) != std::string_view::npos) {
    trimmed.remove_prefix(1);
  }
  while (!trimmed.empty() &&
         std::string_view(" \t\r\n\v\f").find(trimmed.back()) != std::string_view::npos) {
    trimmed.remove_suffix(1);
  }
  if (trimmed.empty()) {
    ASSERT_TRUE(mine.ok());
    EXPECT_TRUE(mine->is_object() && mine->empty());
    return;
  }
  ParamTree theirs;
  std::string error;
  try {
    theirs = ParamTree::parse(trimmed);
    if (!theirs.is_object()) error = "not an object";
  } catch (const ParamTree::exception& e) {
    error = e.what();
  }
  if (!error.empty()) {
    ASSERT_FALSE(mine.ok());
    if (error != "not an object" && mine.error().message.find("nested") == std::string::npos) {
      EXPECT_EQ(mine.error().message, "malformed JSON body: " + error);
    }
    return;
  }
  ASSERT_TRUE(mine.ok()) << mine.error().ToString();
  EXPECT_EQ(mine->dump(), theirs.dump());
  EXPECT_EQ(TypesOf(*mine), TypesOf(theirs));
}

TEST(DecodeJsonTest, FlatObjectsReadAsNlohmannReadsThem) {
  for (std::string_view body :
       {R"({"phone":"48500100200","text":"Hello world, a test message"})",
        R"({"phone":"48500100200","text":"x","sender":"Info"})",
        R"({})",
        R"( { } )",
        "{\n\t\"a\" : \"b\" ,\r\n \"c\":1 }",
        R"({"a":1,"b":-1,"c":0,"d":-0,"e":123456789012345678,"f":-123456789012345678})",
        R"({"a":1234567890123456789,"b":12345678901234567890,"c":-9223372036854775808})",
        R"({"a":123456789012345678901234567890})",
        R"({"a":1.5,"b":1e3,"c":2E-2})",
        R"({"a":true,"b":false,"c":null})",
        R"({"a":"1","a":"2"})",
        R"({"a":"x","a":7})",
        R"({"a":"\"","b":"\\","c":"\u0041\u017c"})",
        R"({"a":"zażółć"})",
        R"({"a":"")"
        "\x7f"
        R"("})",
        R"({"a":"\x01"})",
        R"({"a":01})",
        R"({"a":-})",
        R"({"a":+1})",
        R"({"a":1x})",
        R"({"a":tru})",
        R"({"a":trueX})",
        R"({"a":nul})",
        R"({"a":1,})",
        R"({,"a":1})",
        R"({"a" 1})",
        R"({"a":1}})",
        R"({"a":1} {"b":2})",
        R"({"a":"b)",
        R"({"a)",
        R"({)",
        R"(})",
        R"({"a":[1,2],"b":{"c":"d"}})",
        R"({"phone":["500600700","600700800"]})",
        R"([1,2])",
        R"("a")",
        R"({"a":1}x)",
        R"({'a':1})",
        "{\"a\":\"\xff\"}",
        "{\"a\":1}\v",
        "\f{\"a\":1}",
        R"({"a":1.})",
        R"({"a":-01})",
        R"({"a":0.0})",
        R"({"":""})",
        R"({"a":"b","c":"d","e":"f","a":"g"})"}) {
    ExpectAsNlohmann(body);
  }
}

TEST(DecodeJsonTest, MutatedFlatObjectsReadAsNlohmannReadsThem) {
  // Deterministic: every byte of a few bodies replaced, dropped or doubled in turn.
  const std::string seeds[] = {R"({"phone":"48500100200","text":"Hi 1","n":-12,"t":true})",
                               R"({"a":null,"b":[1],"c":{"d":0}})"};
  const std::string_view alphabet = "{}[]:,\"\\-+0123456789.eEtrufalsn \t\n\x7f\x80";
  for (const std::string& seed : seeds) {
    for (size_t i = 0; i < seed.size(); ++i) {
      for (char c : alphabet) {
        std::string m = seed;
        m[i] = c;
        ExpectAsNlohmann(m);
      }
      ExpectAsNlohmann(seed.substr(0, i) + seed.substr(i + 1));
      ExpectAsNlohmann(seed.substr(0, i) + seed[i] + seed.substr(i));
    }
  }
}

// ---- forms ---------------------------------------------------------------------------

TEST(DecodeFormTest, PlainFields) {
  ParamTree t = MustDecode("application/x-www-form-urlencoded",
                           "username=webapi_demo&password=p%40ss&text=Hello+world%21&flag");
  EXPECT_EQ(t["username"], "webapi_demo");
  EXPECT_EQ(t["password"], "p@ss");
  EXPECT_EQ(t["text"], "Hello world!");
  EXPECT_EQ(t["flag"], "");
  // A trailing line break some clients append stays out of the last value.
  EXPECT_EQ(MustDecode("application/x-www-form-urlencoded", "a=1&b=2\r\n")["b"], "2");
}

TEST(DecodeFormTest, IndexedBrackets) {
  ParamTree t = MustDecode("application/x-www-form-urlencoded",
                           "phone[0]=500600700&phone[1]=600700800&text=x");
  ASSERT_TRUE(t["phone"].is_array());
  EXPECT_EQ(t["phone"], ParamTree({"500600700", "600700800"}));
}

TEST(DecodeFormTest, EmptyBracketsAppend) {
  ParamTree t = MustDecode("", "phone[]=1&phone[]=2&phone[]=3");
  EXPECT_EQ(t["phone"], ParamTree({"1", "2", "3"}));
}

TEST(DecodeFormTest, EncodedBracketsFromNodeQs) {
  ParamTree t = MustDecode("application/x-www-form-urlencoded",
                           "phone%5B0%5D=500600700&phone%5B1%5D=600700800");
  EXPECT_EQ(t["phone"], ParamTree({"500600700", "600700800"}));
}

TEST(DecodeFormTest, NestedBracketsToAnyDepth) {
  ParamTree t = MustDecode("application/x-www-form-urlencoded",
                           "messages[0][phone]=500600700&messages[0][text]=A&"
                           "messages[1][phone]=600700800&messages[1][text]=B&"
                           "a[b][c][d][e]=deep");
  ASSERT_TRUE(t["messages"].is_array());
  ASSERT_EQ(t["messages"].size(), 2u);
  EXPECT_EQ(t["messages"][0]["phone"], "500600700");
  EXPECT_EQ(t["messages"][1]["text"], "B");
  EXPECT_EQ(t["a"]["b"]["c"]["d"]["e"], "deep");
}

TEST(DecodeFormTest, NumericOrderNotLexicographic) {
  std::string body;
  for (int i = 11; i >= 0; --i) body += "p[" + std::to_string(i) + "]=" + std::to_string(i) + "&";
  ParamTree t = MustDecode("", body);
  ASSERT_TRUE(t["p"].is_array());
  for (int i = 0; i < 12; ++i) EXPECT_EQ(t["p"][i], std::to_string(i));
}

TEST(DecodeFormTest, NonIndexKeysMakeAnObject) {
  ParamTree t = MustDecode("", "contact[phone]=1&contact[first_name]=Jan");
  ASSERT_TRUE(t["contact"].is_object());
  EXPECT_EQ(t["contact"]["first_name"], "Jan");
}

TEST(DecodeFormTest, PhpQuirks) {
  // Text after the last ']' is ignored; a '[' without ']' keeps the key literal.
  ParamTree t = MustDecode("", "a[x]junk=1&b[=2&=nameless&[0]=x");
  EXPECT_EQ(t["a"]["x"], "1");
  EXPECT_EQ(t["b["], "2");
  EXPECT_EQ(t.size(), 2u);
  // A later scalar replaces an earlier list and vice versa.
  ParamTree u = MustDecode("", "p[]=1&p=2&q=1&q[]=3");
  EXPECT_EQ(u["p"], "2");
  EXPECT_EQ(u["q"], ParamTree({"3"}));
}

TEST(DecodeFormTest, TooDeepBracketsAre1006) {
  std::string key = "a";
  for (int i = 0; i < kMaxParamDepth + 1; ++i) key += "[x]";
  auto r = DecodeParameters("", key + "=1", {});
  ASSERT_FALSE(r.ok());
  ExpectInvalidData(r.error());
}

TEST(DecodeFormTest, LargeAppendListIsLinear) {
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "phone[]=500600700&";
  ParamTree t = MustDecode("", body);
  EXPECT_EQ(t["phone"].size(), 100000u);
}

// Spec §12.8: the Bash client percent-encodes only `text`, with a broken
// encoder (code points, not UTF-8 bytes), sends '+' raw, ends with '&'.
TEST(DecodeFormTest, BashClientBody) {
  ParamTree t = MustDecode("application/x-www-form-urlencoded",
                           "phone=+48500600700&text=Za%17C%F3%142%107%20g%119%15Bl%105&"
                           "test=true&username=demo&password=demo&system=client_bash&");
  EXPECT_EQ(t["phone"], " 48500600700");
  EXPECT_EQ(t["text"], "Zażółć gęślą");
  EXPECT_EQ(t["system"], "client_bash");
  Params p(t);
  EXPECT_EQ(*p.GetList("phone"), std::vector<std::string>{"48500600700"});
}

TEST(PercentDecodeTest, StandardAndBroken) {
  EXPECT_EQ(PercentDecode("%C5%BC%C3%B3", false), "żó");  // real UTF-8
  EXPECT_EQ(PercentDecode("%17C", false), "ż");           // U+017C
  EXPECT_EQ(PercentDecode("%F3a", false), "óa");          // U+00F3 then 'a'
  EXPECT_EQ(PercentDecode("%17B%F3%142w", false), "Żółw");
  EXPECT_EQ(PercentDecode("100%", false), "100%");  // stray '%'
  EXPECT_EQ(PercentDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("%2B48", true), "+48");
}

// ---- multipart ---------------------------------------------------------------------------

TEST(DecodeMultipartTest, FieldsFilesAndBrackets) {
  const std::string body =
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"username\"\r\n\r\n"
      "demo\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"phone[]\"\r\n\r\n"
      "500600700\r\n"
      "--XyZ\r\n"
      "content-disposition: form-data; name=\"phone[]\"\r\n\r\n"
      "600700800\r\n"
      "--XyZ\r\n"
      "Content-Disposition: form-data; name=\"file\"; filename=\"a;b.txt\"\r\n"
      "Content-Type: text/plain\r\n\r\n"
      "line1\r\nline2\r\n"
      "--XyZ--\r\n";
  ParamTree t = MustDecode("multipart/form-data; boundary=XyZ", body);
  EXPECT_EQ(t["username"], "demo");
  EXPECT_EQ(t["phone"], ParamTree({"500600700", "600700800"}));
  EXPECT_EQ(t["file"], "line1\r\nline2");
}

TEST(DecodeMultipartTest, FilePartsAreListedWithNameAndType) {
  const std::string body = std::string("--B\r\n") +
                           "Content-Disposition: form-data; name=\"type\"\r\n\r\n"
                           "mms\r\n"
                           "--B\r\n"
                           "Content-Disposition: form-data; name=\"file\"; filename=\"kot.gif\"\r\n"
                           "Content-Type: image/gif\r\n\r\n" +
                           std::string("GIF89a\0\x01", 8) + "\r\n--B--\r\n";
  std::vector<UploadedFile> files;
  auto t = DecodeParameters("multipart/form-data; boundary=B", body, "", &files);
  ASSERT_TRUE(t.ok()) << t.error().ToString();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].field, "file");
  EXPECT_EQ(files[0].filename, "kot.gif");
  EXPECT_EQ(files[0].content_type, "image/gif");
  Params p(std::move(*t), std::move(files));
  ASSERT_NE(p.Upload("file"), nullptr);
  EXPECT_EQ(p.Upload("type"), nullptr);                              // a plain field
  EXPECT_EQ(**p.GetString("file"), std::string("GIF89a\0\x01", 8));  // bytes kept, NUL too
}

TEST(DecodeBase64Test, AlphabetsPaddingAndDataUrls) {
  EXPECT_EQ(*DecodeBase64("aGVsbG8="), "hello");
  EXPECT_EQ(*DecodeBase64("aGVsbG8"), "hello");  // padding optional
  EXPECT_EQ(*DecodeBase64(" aGVs\r\nbG8= "), "hello");
  EXPECT_EQ(*DecodeBase64("_-8="), std::string("\xff\xef", 2));  // URL-safe
  EXPECT_EQ(*DecodeBase64("/+8="), std::string("\xff\xef", 2));
  EXPECT_EQ(*DecodeBase64("data:image/png;base64,aGk="), "hi");
  EXPECT_EQ(*DecodeBase64(""), "");
  for (const char* bad : {"a", "aGk=x", "a*b=", "data:text/plain,hi", "aGk==="}) {
    auto r = DecodeBase64(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().detail, static_cast<int>(core::Failure::kInvalidParameter));
    }
  }
}

TEST(DecodeMultipartTest, QuotedBoundaryAndBareLineFeeds) {
  const std::string body = "preamble\n--a b\nContent-Disposition: form-data; name=x\n\n1\n--a b--";
  ParamTree t = MustDecode("multipart/form-data; boundary=\"a b\"", body);
  EXPECT_EQ(t["x"], "1");
}

TEST(DecodeMultipartTest, MalformedIs1006) {
  for (auto [ct, body] : std::vector<std::pair<std::string, std::string>>{
           {"multipart/form-data", "--x\r\n\r\n"},
           {"multipart/form-data; boundary=x", "no parts"},
           {"multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=a"},
           {"multipart/form-data; boundary=x",
            "--x\r\nContent-Disposition: form-data; name=a\r\n\r\nv"}}) {
    auto r = DecodeParameters(ct, body, {});
    ASSERT_FALSE(r.ok()) << body;
    ExpectInvalidData(r.error());
  }
}

// ---- query strings ------------------------------------------------------------------------

TEST(DecodeParametersTest, QueryMergedUnderTheBody) {
  ParamTree t = MustDecode("application/json", R"({"id":"body"})", "id=query&page=2");
  EXPECT_EQ(t["id"], "body");
  EXPECT_EQ(t["page"], "2");
  ParamTree g = MustDecode("", "", "id=aca3944055&show_contact=1");
  EXPECT_EQ(g["id"], "aca3944055");
}

// ---- typed accessors (spec §1.3) --------------------------------------------------------------

TEST(ParamsTest, NullIsAbsent) {
  Params p(ParamTree::parse(R"({"sender":null,"unique_id":null,"phone":null,"x":""})"));
  EXPECT_FALSE(p.Has("sender"));
  EXPECT_FALSE(p.Has("missing"));
  EXPECT_TRUE(p.Has("x"));
  EXPECT_FALSE(p.GetString("sender")->has_value());
  EXPECT_TRUE(p.GetList("phone")->empty());
  EXPECT_FALSE(p.GetBool("unique_id")->has_value());
  EXPECT_FALSE(p.GetInt("sender")->has_value());
}

TEST(ParamsTest, Booleans) {
  Params p(ParamTree::parse(R"({"a":true,"b":false,"c":1,"d":0,"e":"true","f":"false",
      "g":"1","h":"0","i":"","j":" TRUE ","k":"on","l":"maybe","m":[true],"n":2})"));
  EXPECT_EQ(**p.GetBool("a"), true);
  EXPECT_EQ(**p.GetBool("b"), false);
  EXPECT_EQ(**p.GetBool("c"), true);
  EXPECT_EQ(**p.GetBool("d"), false);
  EXPECT_EQ(**p.GetBool("e"), true);
  EXPECT_EQ(**p.GetBool("f"), false);
  EXPECT_EQ(**p.GetBool("g"), true);
  EXPECT_EQ(**p.GetBool("h"), false);
  EXPECT_EQ(**p.GetBool("i"), false);
  EXPECT_EQ(**p.GetBool("j"), true);
  EXPECT_EQ(**p.GetBool("k"), true);
  EXPECT_EQ(**p.GetBool("n"), true);
  ASSERT_FALSE(p.GetBool("l").ok());
  ExpectInvalidData(p.GetBool("l").error());
  EXPECT_NE(p.GetBool("l").error().message.find("'l'"), std::string::npos);
  EXPECT_FALSE(p.GetBool("m").ok());
}

TEST(ParamsTest, FormBooleans) {
  Params p(*DecodeForm("details=true&test=1&utf=0&flash=&speed=false"));
  EXPECT_TRUE(**p.GetBool("details"));
  EXPECT_TRUE(**p.GetBool("test"));
  EXPECT_FALSE(**p.GetBool("utf"));
  EXPECT_FALSE(**p.GetBool("flash"));
  EXPECT_FALSE(**p.GetBool("speed"));
}

TEST(ParamsTest, Integers) {
  Params p(ParamTree::parse(R"({"a":123,"b":"123","c":" -5 ","d":7.0,"e":7.5,"f":"12x",
      "g":"","h":18446744073709551615,"i":true,"j":"+4"})"));
  EXPECT_EQ(**p.GetInt("a"), 123);
  EXPECT_EQ(**p.GetInt("b"), 123);
  EXPECT_EQ(**p.GetInt("c"), -5);
  EXPECT_EQ(**p.GetInt("d"), 7);
  EXPECT_EQ(**p.GetInt("j"), 4);
  EXPECT_FALSE(p.GetInt("g")->has_value());
  for (const char* bad : {"e", "f", "h", "i"}) {
    ASSERT_FALSE(p.GetInt(bad).ok()) << bad;
    ExpectInvalidData(p.GetInt(bad).error());
  }
}

TEST(ParamsTest, Strings) {
  Params p(ParamTree::parse(R"({"a":"x","b":12,"c":true,"d":[1],"e":{"k":1}})"));
  EXPECT_EQ(**p.GetString("a"), "x");
  EXPECT_EQ(**p.GetString("b"), "12");
  EXPECT_EQ(**p.GetString("c"), "1");
  EXPECT_FALSE(p.GetString("d").ok());
  EXPECT_FALSE(p.GetString("e").ok());
}

TEST(ParamsTest, StringOrArrayParameters) {
  using V = std::vector<std::string>;
  Params p(ParamTree::parse(R"({
      "array":["500600700","+48600700800"],
      "single":"500600700",
      "comma":"500600700, 600700800,,",
      "number":500600700,
      "mixed":["1,2",3,null," 4 "],
      "empty":"",
      "nested":[["1"]],
      "flag":true})"));
  EXPECT_EQ(*p.GetList("array"), (V{"500600700", "+48600700800"}));
  EXPECT_EQ(*p.GetList("single"), (V{"500600700"}));
  EXPECT_EQ(*p.GetList("comma"), (V{"500600700", "600700800"}));
  EXPECT_EQ(*p.GetList("number"), (V{"500600700"}));
  EXPECT_EQ(*p.GetList("mixed"), (V{"1", "2", "3", "4"}));
  EXPECT_TRUE(p.GetList("empty")->empty());
  EXPECT_FALSE(p.GetList("nested").ok());
  EXPECT_FALSE(p.GetList("flag").ok());

  Params form(*DecodeForm("id[]=aca3944055&id[]=c7d505d346&phone[0]=1&phone[1]=2"));
  EXPECT_EQ(*form.GetList("id"), (V{"aca3944055", "c7d505d346"}));
  EXPECT_EQ(*form.GetList("phone"), (V{"1", "2"}));
}

TEST(ParamsTest, UnknownKeysAreIgnoredAndNonObjectsBecomeEmpty) {
  Params p(ParamTree::parse(R"({"system":"client_php","ic":12,"personalized":true})"));
  EXPECT_FALSE(p.Has("phone"));
  Params q(ParamTree::parse("[1,2]"));
  EXPECT_TRUE(q.tree().is_object());
}

}  // namespace
}  // namespace bramka::api::http
