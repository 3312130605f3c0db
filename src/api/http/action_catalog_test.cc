#include "api/http/action_catalog.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace bramka::api::http {
namespace {

TEST(ActionCatalogTest, NamesAndSoapNamesAreUniqueAndErrorIsLast) {
  std::set<std::string_view> names, soap;
  for (const ApiAction& a : ApiActions()) {
    EXPECT_TRUE(names.insert(a.name).second) << a.name;
    EXPECT_TRUE(soap.insert(a.soap).second) << a.soap;
    EXPECT_NE(a.soap.find('.'), std::string_view::npos) << a.soap;
    EXPECT_FALSE(a.summary.empty()) << a.name;
  }
  EXPECT_EQ(ApiActions().back().name, "error");
  EXPECT_EQ(ApiActions().size(), 57u);  // spec §4: 55 actions + 2 documented-only
  EXPECT_EQ(FindApiAction("messages/send_sms")->soap, "Messages.sendSms");
  EXPECT_EQ(FindApiAction("messages/nope"), nullptr);
}

TEST(ActionCatalogTest, EveryPhpArgumentIsAParameterOfItsAction) {
  for (const ApiAction& a : ApiActions()) {
    std::set<std::string_view> params;
    for (const ParamSpec& p : ParamsOf(a)) {
      EXPECT_TRUE(params.insert(p.name).second) << a.name << ": " << p.name << " twice";
      EXPECT_FALSE(p.name.empty()) << a.name;
    }
    std::string_view args = a.php_args;
    while (!args.empty()) {
      const size_t space = args.find(' ');
      const std::string_view arg = args.substr(0, space);
      args = space == std::string_view::npos ? std::string_view() : args.substr(space + 1);
      EXPECT_TRUE(arg == "params" || params.count(arg)) << a.name << ": " << arg;
    }
  }
}

TEST(ActionCatalogTest, SendOptionsAreExpandedWithKindsAndRequiredFlags) {
  const auto params = ParamsOf(*FindApiAction("messages/send_sms"));
  auto find = [&](std::string_view name) -> const ParamSpec* {
    for (const ParamSpec& p : params) {
      if (p.name == name) return &p;
    }
    return nullptr;
  };
  ASSERT_NE(find("text"), nullptr);
  EXPECT_TRUE(find("text")->required);
  EXPECT_EQ(find("phone")->kind, ParamKind::kList);
  EXPECT_FALSE(find("phone")->required);
  ASSERT_NE(find("details"), nullptr);
  EXPECT_EQ(find("details")->kind, ParamKind::kBool);
  EXPECT_EQ(find("date")->kind, ParamKind::kDateTime);
  EXPECT_NE(find("dlr_url"), nullptr);
  EXPECT_EQ(ParamsOf(*FindApiAction("messages/send_personalized"))[0].kind, ParamKind::kMessages);
  EXPECT_EQ(ParamsOf(*FindApiAction("files/add"))[2].kind, ParamKind::kFile);
}

}  // namespace
}  // namespace bramka::api::http
