#include "api/soap/wsdl.h"

#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <set>
#include <string>

#include "api/soap/operations.h"

namespace bramka::api::soap {
namespace {

class WsdlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    text_ = RenderWsdl("https://sms.example.com:8443/soap?a=1&b=\"2\"");
    ASSERT_TRUE(doc_.load_string(text_.c_str())) << text_;
    root_ = doc_.document_element();
  }

  std::set<std::string> NamesUnder(const char* xpath) {
    std::set<std::string> out;
    for (const auto& n : root_.select_nodes(xpath)) out.insert(n.node().attribute("name").value());
    return out;
  }

  std::string text_;
  pugi::xml_document doc_;
  pugi::xml_node root_;
};

TEST_F(WsdlTest, IsWsdl11DocumentLiteral) {
  EXPECT_STREQ(root_.name(), "wsdl:definitions");
  EXPECT_STREQ(root_.attribute("targetNamespace").value(), kTargetNamespace);
  const auto binding = root_.child("wsdl:binding");
  EXPECT_STREQ(binding.child("soap:binding").attribute("style").value(), "document");
  for (const auto& body : binding.select_nodes(".//soap:body")) {
    EXPECT_STREQ(body.node().attribute("use").value(), "literal");
  }
  // The location is escaped as an attribute value.
  EXPECT_STREQ(root_.select_node("//soap:address").node().attribute("location").value(),
               "https://sms.example.com:8443/soap?a=1&b=\"2\"");
}

TEST_F(WsdlTest, EveryOperationEverywhere) {
  std::set<std::string> names;
  for (const Operation& op : Operations()) names.insert(std::string(op.name));
  EXPECT_EQ(names.size(), Operations().size()) << "duplicate operation names";
  EXPECT_EQ(NamesUnder("/wsdl:definitions/wsdl:portType/wsdl:operation"), names);
  EXPECT_EQ(NamesUnder("/wsdl:definitions/wsdl:binding/wsdl:operation"), names);
  const auto elements = NamesUnder("/wsdl:definitions/wsdl:types/xsd:schema/xsd:element");
  const auto messages = NamesUnder("/wsdl:definitions/wsdl:message");
  for (const std::string& n : names) {
    EXPECT_TRUE(elements.count(n)) << n;
    EXPECT_TRUE(elements.count(n + "Response")) << n;
    EXPECT_TRUE(messages.count(n + "Request")) << n;
    EXPECT_TRUE(messages.count(n + "Response")) << n;
  }
  EXPECT_TRUE(elements.count("error"));
  EXPECT_TRUE(messages.count("ApiFault"));
}

TEST_F(WsdlTest, EveryActionGroupOfTheApiIsCovered) {
  std::set<std::string> groups;
  for (const Operation& op : Operations()) {
    const std::string action(op.action);
    groups.insert(action.substr(0, action.find('/')));
  }
  for (const char* g :
       {"messages", "files", "premium", "quiz", "account", "senders", "groups", "contacts",
        "phones", "subaccounts", "blacklist", "payments", "stats", "templates", "error"}) {
    EXPECT_TRUE(groups.count(g)) << g;
  }
  EXPECT_EQ(Operations().size(), 57u);  // spec §4: 55 actions + 2 documented-only
}

TEST_F(WsdlTest, ParametersFollowThePhpSignatures) {
  const auto send = root_.select_node(
      "/wsdl:definitions/wsdl:types/xsd:schema/xsd:element[@name='Messages.sendSms']");
  ASSERT_TRUE(send);
  std::vector<std::string> order;
  for (const auto& e : send.node().select_nodes(".//xsd:element")) {
    order.push_back(e.node().attribute("name").value());
  }
  ASSERT_GE(order.size(), 4u);
  EXPECT_EQ(order[0], "phone");
  EXPECT_EQ(order[1], "text");
  EXPECT_EQ(order[2], "sender");
  EXPECT_EQ(order[3], "params");
  EXPECT_EQ(order.back(), "token");
  const auto phone = send.node().select_node(".//xsd:element[@name='phone']").node();
  EXPECT_STREQ(phone.attribute("maxOccurs").value(), "unbounded");
  EXPECT_STREQ(phone.attribute("minOccurs").value(), "0");
  const auto details = send.node().select_node(".//xsd:element[@name='details']").node();
  EXPECT_STREQ(details.attribute("type").value(), "xsd:boolean");
  const auto messages = root_.select_node(
      "//xsd:element[@name='Messages.sendPersonalized']//xsd:element[@name='messages']");
  EXPECT_STREQ(messages.node().attribute("type").value(), "tns:PersonalizedMessage");
}

}  // namespace
}  // namespace bramka::api::soap
