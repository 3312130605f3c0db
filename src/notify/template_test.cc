#include "notify/template.h"

#include <gtest/gtest.h>

namespace bramka::notify {
namespace {

store::CallbackEntry Dlr(std::string url_template) {
  store::CallbackEntry e;
  e.kind = store::CallbackKind::kDlr;
  e.url_template = std::move(url_template);
  e.message_id = "aca3944055";
  e.unique_id = "order17";
  e.phone = "+48600000100";
  e.sender = "SKLEP";
  e.status = "undelivered";
  e.reason = "unsupported_number";
  e.text = "Zażółć gęślą & co?";
  return e;
}

TEST(UrlEncodeTest, KeepsUnreservedEncodesTheRest) {
  EXPECT_EQ(UrlEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UrlEncode("+48 600/a&b=c?#%"), "%2B48%20600%2Fa%26b%3Dc%3F%23%25");
  EXPECT_EQ(UrlEncode("ż"), "%C5%BC");  // UTF-8 bytes
  EXPECT_EQ(UrlEncode(""), "");
}

TEST(ExpandCallbackUrlTest, EveryPlaceholderIsSubstitutedAndEncoded) {
  auto e = Dlr(
      "https://shop.example/dlr?id=#SMSID#&id2=#ID#&id3=#IDSMS#&u=#UNIQUEID#&n=#NUMER#&f=#NADAWCA#"
      "&s=#STAN#&s2=#STATUS#&r=#POWOD#&r2=#REASON#&d=#DATA#&t=#WIADOMOSC#&k=#TYP#");
  EXPECT_EQ(ExpandCallbackUrl(e, "2024-05-20 12:00:01"),
            "https://shop.example/dlr?id=aca3944055&id2=aca3944055&id3=aca3944055&u=order17"
            "&n=%2B48600000100&f=SKLEP&s=undelivered&s2=undelivered&r=unsupported_number"
            "&r2=unsupported_number&d=2024-05-20%2012%3A00%3A01"
            "&t=Za%C5%BC%C3%B3%C5%82%C4%87%20g%C4%99%C5%9Bl%C4%85%20%26%20co%3F&k=dlr");
}

TEST(ExpandCallbackUrlTest, UnknownAndUnclosedHashesStayAsWritten) {
  auto e = Dlr("http://h/p?x=#FOO#&id=#SMSID#&y=#smsid#&z=#");
  EXPECT_EQ(ExpandCallbackUrl(e, "d"), "http://h/p?x=#FOO#&id=aca3944055&y=#smsid#&z=#");
  auto adjacent = Dlr("http://h/#SMSID##STAN#");
  EXPECT_EQ(ExpandCallbackUrl(adjacent, "d"), "http://h/aca3944055undelivered");
}

TEST(ExpandCallbackUrlTest, EmptyValuesBecomeEmpty) {
  auto e = Dlr("http://h/?u=#UNIQUEID#&r=#POWOD#");
  e.unique_id.clear();
  e.reason.clear();
  EXPECT_EQ(ExpandCallbackUrl(e, "d"), "http://h/?u=&r=");
}

TEST(ExpandCallbackUrlTest, WithoutPlaceholdersTheFactsAreAppended) {
  auto e = Dlr("http://h/dlr");
  EXPECT_EQ(ExpandCallbackUrl(e, "2024-05-20 12:00:01"),
            "http://h/dlr?smsid=aca3944055&stan=undelivered&data=2024-05-20%2012%3A00%3A01"
            "&numer=%2B48600000100&unique_id=order17&powod=unsupported_number");
  auto with_query = Dlr("http://h/dlr?key=abc#frag");
  EXPECT_EQ(ExpandCallbackUrl(with_query, "d"),
            "http://h/dlr?key=abc&smsid=aca3944055&stan=undelivered&data=d"
            "&numer=%2B48600000100&unique_id=order17&powod=unsupported_number#frag");
  auto trailing = Dlr("http://h/dlr?");
  EXPECT_EQ(ExpandCallbackUrl(trailing, "d").rfind("http://h/dlr?smsid=", 0), 0u);

  store::CallbackEntry mo;
  mo.kind = store::CallbackKind::kMo;
  mo.url_template = "http://h/mo";
  mo.message_id = "in1";
  mo.phone = "+48500600700";
  mo.sender = "+48799000111";
  mo.text = "TAK";
  EXPECT_EQ(ExpandCallbackUrl(mo, "d"),
            "http://h/mo?smsid=in1&numer=%2B48500600700&nadawca=%2B48799000111&wiadomosc=TAK"
            "&data=d");
}

}  // namespace
}  // namespace bramka::notify
