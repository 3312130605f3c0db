// SoapHandler over a real core::GatewayService on an InMemoryStore: the
// envelope -> action -> answer/fault path, credentials, the WSDL, without
// sockets.
#include "api/soap/soap_handler.h"

#include <gtest/gtest.h>

#include <future>
#include <pugixml.hpp>

#include "api/soap/answer.h"
#include "api/soap/operations.h"
#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::api::soap {
namespace {

using http::MountedRequest;
using http::MountedResponse;

std::string Envelope(const std::string& body) {
  return "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>" +
         body + "</soap:Body></soap:Envelope>";
}

class SoapHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", store::MessageType::kEco, 100, "").ok());
    token_ = *gw_->CreateToken("acme", "test");
    handler_ = std::make_unique<SoapHandler>(*gw_);
  }

  MountedResponse Call(std::string body, std::string authorization = "",
                       std::string method = "POST", std::string query = "") {
    MountedRequest req;
    req.method = std::move(method);
    req.path = "/soap";
    req.query = std::move(query);
    req.host = "gw.example:8443";
    req.tls = true;
    req.authorization = std::move(authorization);
    req.body = std::move(body);
    req.remote_ip = "127.0.0.1";
    req.remote_address = "127.0.0.1:5000";
    std::promise<MountedResponse> promise;
    auto future = promise.get_future();
    handler_->Handle(std::move(req), [&](MountedResponse r) { promise.set_value(std::move(r)); });
    return future.get();
  }

  // The response's wrapper element (or the Fault).
  static pugi::xml_node Answer(pugi::xml_document& doc, const MountedResponse& r) {
    EXPECT_TRUE(doc.load_string(r.body.c_str())) << r.body;
    return doc.document_element().first_child().first_child();
  }

  static int FaultCode(const MountedResponse& r) {
    pugi::xml_document doc;
    pugi::xml_node fault = Answer(doc, r);
    if (std::string(fault.name()) != "SOAP-ENV:Fault") return 0;
    return fault.child("detail").first_child().child("code").text().as_int();
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  std::unique_ptr<SoapHandler> handler_;
  std::string token_;
};

TEST_F(SoapHandlerTest, WsdlWithTheRequestsHost) {
  MountedResponse r = Call("", "", "GET", "wsdl");
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, kSoapContentType);
  EXPECT_NE(r.body.find("location=\"https://gw.example:8443/soap\""), std::string::npos);
  EXPECT_EQ(r.metric_label, "soap/wsdl");
  EXPECT_NE(Call("", "", "GET", "WSDL").body.find("wsdl:definitions"), std::string::npos);
  EXPECT_EQ(Call("", "", "GET", "").body.find("wsdl:definitions"), std::string::npos);
}

TEST_F(SoapHandlerTest, SendSmsWithATokenElement) {
  MountedResponse r =
      Call(Envelope("<b:Messages.sendSms xmlns:b=\"urn:bramka:soap\"><phone>500600700</phone>"
                    "<phone>600700800</phone><text>Hi</text><details>true</details><token>" +
                    token_ + "</token></b:Messages.sendSms>"));
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_FALSE(r.error);
  EXPECT_EQ(r.metric_label, "soap/Messages.sendSms");
  pugi::xml_document doc;
  pugi::xml_node answer = Answer(doc, r);
  EXPECT_STREQ(answer.name(), "ns1:Messages.sendSmsResponse");
  EXPECT_STREQ(answer.child_value("success"), "true");
  EXPECT_STREQ(answer.child_value("queued"), "2");
  EXPECT_STREQ(answer.child("items").first_child().child_value("phone"), "+48500600700");
}

TEST_F(SoapHandlerTest, CredentialsByBasicAuthAndElements) {
  const std::string limits = Envelope("<Account.limits/>");
  EXPECT_EQ(FaultCode(Call(limits)), 1001);
  EXPECT_EQ(FaultCode(Call(limits, "Basic YWNtZTpzZWNyZXQ=")), 0);  // acme:secret
  MountedResponse bad = Call(limits, "Basic YWNtZTpiYWQ=");         // acme:bad
  EXPECT_EQ(bad.status, 500u);
  EXPECT_TRUE(bad.error);
  EXPECT_NE(bad.body.find("<faultcode>SOAP-ENV:Client</faultcode>"), std::string::npos);
  EXPECT_EQ(FaultCode(bad), 1001);
  EXPECT_EQ(FaultCode(Call(limits, "Bearer " + token_)), 0);
  EXPECT_EQ(FaultCode(Call(Envelope("<Account.limits><username>acme</username>"
                                    "<password>secret</password></Account.limits>"))),
            0);
}

TEST_F(SoapHandlerTest, RpcEncodedPositionalCall) {
  // PHP SoapClient without WSDL: $c->__soapCall('Groups.add', ['Klienci']).
  MountedResponse r = Call(
      "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:ns1=\"urn:php\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
      "xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\"><SOAP-ENV:Body><ns1:Groups.add>"
      "<param0 xsi:type=\"xsd:string\">Klienci</param0></ns1:Groups.add></SOAP-ENV:Body>"
      "</SOAP-ENV:Envelope>",
      "Basic YWNtZTpzZWNyZXQ=");
  ASSERT_EQ(r.status, 200u) << r.body;
  pugi::xml_document doc;
  pugi::xml_node answer = Answer(doc, r);
  // The answer echoes the caller's namespace (rpc clients match on it).
  EXPECT_STREQ(answer.attribute("xmlns:ns1").value(), "urn:php");
  const int id = answer.child("id").text().as_int();
  EXPECT_GT(id, 0);
  MountedResponse view =
      Call(Envelope("<Groups_view><id>" + std::to_string(id) + "</id></Groups_view>"),
           "Bearer " + token_);
  pugi::xml_document doc2;
  EXPECT_STREQ(Answer(doc2, view).child_value("name"), "Klienci");
  EXPECT_STREQ(Answer(doc2, view).name(), "ns1:Groups_viewResponse");
}

TEST_F(SoapHandlerTest, FaultsCarryTheApisCodes) {
  const std::string bearer = "Bearer " + token_;
  EXPECT_EQ(FaultCode(Call(Envelope("<Messages.fly/>"), bearer)), 1000);
  EXPECT_EQ(FaultCode(Call("<oops", bearer)), 1006);
  EXPECT_EQ(FaultCode(Call("", bearer)), 1006);
  EXPECT_EQ(
      FaultCode(Call(Envelope("<Messages.sendSms><text>x</text></Messages.sendSms>"), bearer)),
      2000);
  EXPECT_EQ(FaultCode(Call(Envelope("<Groups.view><id>abc</id></Groups.view>"), bearer)), 1006);
  EXPECT_EQ(FaultCode(Call(Envelope("<Groups.view><id>999</id></Groups.view>"), bearer)), 1004);
  // Error.view answers the catalogue entry as its fault, without credentials.
  MountedResponse e = Call(Envelope("<Error.view><code>3102</code></Error.view>"));
  EXPECT_EQ(FaultCode(e), 3102);
  EXPECT_EQ(FaultCode(Call(Envelope("<Error.view><code>77</code></Error.view>"))), 2002);
  // The message names what was wrong, as the JSON API's does.
  MountedResponse missing =
      Call(Envelope("<Messages.sendSms><text>x</text></Messages.sendSms>"), bearer);
  EXPECT_NE(missing.body.find("phone, group_id or contact_id"), std::string::npos) << missing.body;
}

TEST_F(SoapHandlerTest, TooLargeIsA413Fault) {
  MountedResponse r = handler_->TooLarge();
  EXPECT_EQ(r.status, 413u);
  EXPECT_EQ(FaultCode(r), 1011);
}

TEST_F(SoapHandlerTest, EveryOperationIsAnApiAction) {
  for (const Operation& op : Operations()) {
    EXPECT_NE(http::ActionHandler::MetricLabel(op.action), "unknown") << op.name;
  }
}

}  // namespace
}  // namespace bramka::api::soap
