#include "api/soap/envelope.h"

#include <gtest/gtest.h>

#include <string>

#include "api/http/request.h"
#include "api/soap/answer.h"
#include "api/soap/operations.h"

namespace bramka::api::soap {
namespace {

using http::ParamTree;

std::string Envelope(const std::string& body, const std::string& header = "") {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<soap-env:Envelope xmlns:soap-env=\"http://schemas.xmlsoap.org/soap/envelope/\">" +
         (header.empty() ? "" : "<soap-env:Header>" + header + "</soap-env:Header>") +
         "<soap-env:Body>" + body + "</soap-env:Body></soap-env:Envelope>";
}

ParamTree Params(const SoapCall& call) {
  const Operation* op = FindOperation(call.operation);
  EXPECT_NE(op, nullptr) << call.operation;
  return op ? ToApiParams(*op, call.arguments) : ParamTree();
}

// ---- document/literal (what zeep and npm soap send) ---------------------------------

TEST(Envelope, DocumentLiteralAsZeepSendsIt) {
  // As zeep 4.2.1 writes it from bramka's WSDL (plus a character reference).
  auto call = ParseEnvelope(
      Envelope("<ns0:Messages.sendSms xmlns:ns0=\"urn:bramka:soap\"><phone>500600700</phone>"
               "<phone>+48600700800</phone><text>Zażółć &amp; &lt;b&gt; &#x263A;</text>"
               "<details>true</details></ns0:Messages.sendSms>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->operation, "Messages.sendSms");
  EXPECT_EQ(call->operation_ns, "urn:bramka:soap");
  const ParamTree p = Params(*call);
  EXPECT_EQ(p["phone"], ParamTree::array({"500600700", "+48600700800"}));
  EXPECT_EQ(p["text"], "Zażółć & <b> \u263A");
  EXPECT_EQ(p["details"], "true");
  http::Params params(p);
  EXPECT_EQ(*params.GetBool("details"), true);
}

TEST(Envelope, DefaultNamespaceAsNodeSoapSendsIt) {
  auto call = ParseEnvelope(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope "
      "xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soap:Body>"
      "<Groups.add xmlns=\"urn:bramka:soap\"><name>Klienci</name></Groups.add>"
      "</soap:Body></soap:Envelope>");
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->operation, "Groups.add");
  EXPECT_EQ(call->operation_ns, "urn:bramka:soap");
  EXPECT_EQ(Params(*call)["name"], "Klienci");
}

TEST(Envelope, RecordListsAndTheParamsMap) {
  auto call =
      ParseEnvelope(Envelope("<b:Messages.sendPersonalized xmlns:b=\"urn:bramka:soap\">"
                             "<messages><phone>500600700</phone><text>A</text></messages>"
                             "<messages><phone>600700800</phone><text>B</text></messages>"
                             "<params><item><key>details</key><value>1</value></item>"
                             "<item><key>sender</key><value>INFO</value></item></params>"
                             "<sender>IGNORED</sender></b:Messages.sendPersonalized>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  const ParamTree p = Params(*call);
  ASSERT_TRUE(p["messages"].is_array());
  ASSERT_EQ(p["messages"].size(), 2u);
  EXPECT_EQ(p["messages"][1]["text"], "B");
  EXPECT_EQ(p["details"], "1");
  EXPECT_EQ(p["sender"], "INFO");  // $params wins, as PHP's array_merge
  EXPECT_FALSE(p.contains("params"));
}

TEST(Envelope, RepeatedListsInARecordStayApart) {
  // Two SOAP-ENC arrays under one name inside a struct: a list of two lists.
  auto call = ParseEnvelope(
      Envelope("<Templates.add><x><a><item>1</item><item>2</item></a><a><item>3</item></a></x>"
               "</Templates.add>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->arguments[0].value["a"],
            ParamTree::array({ParamTree::array({"1", "2"}), ParamTree::array({"3"})}));
}

TEST(Envelope, OneRecordIsStillAList) {
  auto call = ParseEnvelope(
      Envelope("<Contacts.import><group_name>G</group_name>"
               "<contact><phone>500600700</phone><first_name>Jan</first_name></contact>"
               "</Contacts.import>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  const ParamTree p = Params(*call);
  ASSERT_TRUE(p["contact"].is_array());
  EXPECT_EQ(p["contact"][0]["first_name"], "Jan");
}

TEST(Envelope, UnderscoreAndCaseInOperationNames) {
  for (const char* name : {"Messages_sendSms", "messages.sendsms", "MESSAGES_SENDSMS"}) {
    const Operation* op = FindOperation(name);
    ASSERT_NE(op, nullptr) << name;
    EXPECT_EQ(op->action, "messages/send_sms");
  }
  EXPECT_EQ(FindOperation("Messages.nothing"), nullptr);
  EXPECT_EQ(FindOperation(""), nullptr);
}

TEST(Envelope, WhitespaceOnlyTextIsKept) {
  auto call =
      ParseEnvelope(Envelope("<Templates.add><name>n</name><text> </text></Templates.add>"));
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(Params(*call)["text"], " ");
}

TEST(Envelope, CdataIsText) {
  auto call = ParseEnvelope(
      Envelope("<Templates.add><text><![CDATA[<b>&amp; <!DOCTYPE x>]]></text></Templates.add>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(Params(*call)["text"], "<b>&amp; <!DOCTYPE x>");
}

// ---- rpc/encoded (what PHP's SoapClient sends) -------------------------------------

// PHP 8 SoapClient in non-WSDL mode:
//   $c->__soapCall('Messages.sendSms', ['500600700', 'Hi', null,
//                                       ['details' => true, 'unique_id' => ['a1']]])
constexpr char kPhpRpc[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="urn:bramka:soap" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns2="http://xml.apache.org/xml-soap" xmlns:SOAP-ENC="http://schemas.xmlsoap.org/soap/encoding/" SOAP-ENV:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><SOAP-ENV:Body><ns1:Messages.sendSms><param0 xsi:type="SOAP-ENC:Array" SOAP-ENC:arrayType="xsd:string[2]"><item xsi:type="xsd:string">500600700</item><item xsi:type="xsd:string">600700800</item></param0><param1 xsi:type="xsd:string">Hi</param1><param2 xsi:nil="true"/><param3 xsi:type="ns2:Map"><item><key xsi:type="xsd:string">details</key><value xsi:type="xsd:boolean">true</value></item><item><key xsi:type="xsd:string">unique_id</key><value SOAP-ENC:arrayType="xsd:string[1]" xsi:type="SOAP-ENC:Array"><item xsi:type="xsd:string">a1</item></value></item></param3></ns1:Messages.sendSms></SOAP-ENV:Body></SOAP-ENV:Envelope>)";

TEST(Envelope, RpcEncodedAsPhpSoapClientSendsIt) {
  auto call = ParseEnvelope(kPhpRpc);
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->operation, "Messages.sendSms");
  const ParamTree p = Params(*call);
  EXPECT_EQ(p["phone"], ParamTree::array({"500600700", "600700800"}));
  EXPECT_EQ(p["text"], "Hi");
  EXPECT_TRUE(p["sender"].is_null());  // xsi:nil: absent, as the API reads null
  EXPECT_EQ(p["details"], "true");
  EXPECT_EQ(p["unique_id"], ParamTree::array({"a1"}));
  http::Params params(p);
  EXPECT_FALSE(params.Has("sender"));
}

TEST(Envelope, RpcStructsAndOddPrefixes) {
  // nusoap-style: other prefixes, a SOAP-ENC:Struct, an array of structs.
  auto call = ParseEnvelope(
      "<E:Envelope xmlns:E=\"http://schemas.xmlsoap.org/soap/envelope/\" "
      "xmlns:enc=\"http://schemas.xmlsoap.org/soap/encoding/\" "
      "xmlns:t=\"http://www.w3.org/2001/XMLSchema-instance\"><E:Body>"
      "<m:Messages.sendPersonalized xmlns:m=\"urn:x\">"
      "<messages t:type=\"enc:Array\" enc:arrayType=\"m:Msg[1]\">"
      "<msg t:type=\"enc:Struct\"><phone>500600700</phone><text>X</text></msg></messages>"
      "<sender t:type=\"xsd:string\">FIRMA</sender>"
      "</m:Messages.sendPersonalized></E:Body></E:Envelope>");
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->operation_ns, "urn:x");
  const ParamTree p = Params(*call);
  ASSERT_TRUE(p["messages"].is_array());
  EXPECT_EQ(p["messages"][0]["phone"], "500600700");
  EXPECT_EQ(p["sender"], "FIRMA");
}

TEST(Envelope, PositionalArgumentsBeyondTheSignatureAreIgnored) {
  auto call =
      ParseEnvelope(Envelope("<Groups.edit><param0>5</param0><param1>N</param1><param2>x</param2>"
                             "</Groups.edit>"));
  ASSERT_TRUE(call.ok());
  const ParamTree p = Params(*call);
  EXPECT_EQ(p["id"], "5");
  EXPECT_EQ(p["name"], "N");
  EXPECT_EQ(p.size(), 2u);
}

TEST(Envelope, HeaderCredentials) {
  // WS-Security UsernameToken as zeep's wsse plugin writes it.
  auto call = ParseEnvelope(
      Envelope("<Account.help/>",
               "<wsse:Security xmlns:wsse=\"http://docs.oasis-open.org/wss/2004/01/"
               "oasis-200401-wss-wssecurity-secext-1.0.xsd\"><wsse:UsernameToken>"
               "<wsse:Username>demo</wsse:Username><wsse:Password Type=\"...#PasswordText\">"
               "sekret</wsse:Password></wsse:UsernameToken></wsse:Security>"));
  ASSERT_TRUE(call.ok()) << call.error().message;
  EXPECT_EQ(call->header_username, "demo");
  EXPECT_EQ(call->header_password, "sekret");
  EXPECT_TRUE(call->arguments.empty());
}

// ---- refusals ---------------------------------------------------------------------

void ExpectRefused(const std::string& body, const std::string& words) {
  auto call = ParseEnvelope(body);
  ASSERT_FALSE(call.ok()) << body;
  EXPECT_EQ(call.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(call.error().message.find(words), std::string::npos) << call.error().message;
}

TEST(Envelope, BillionLaughsIsRefused) {
  std::string bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">";
  std::string prev = "lol";
  for (int i = 1; i <= 9; ++i) {
    const std::string name = "lol" + std::to_string(i);
    bomb += "<!ENTITY " + name + " \"";
    for (int j = 0; j < 10; ++j) bomb += "&" + prev + ";";
    bomb += "\">";
    prev = name;
  }
  bomb += "]>" + Envelope("<Groups.add><name>&lol9;</name></Groups.add>").substr(38);
  ExpectRefused(bomb, "DOCTYPE");
}

TEST(Envelope, ExternalEntityIsRefused) {
  ExpectRefused(
      "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>" +
          Envelope("<Groups.add><name>&xxe;</name></Groups.add>"),
      "DOCTYPE");
  // Lower case, after a comment, with a public id: still a declaration.
  ExpectRefused("<!-- hi --><!doctype foo PUBLIC \"x\" \"http://evil/x.dtd\"><foo/>", "DOCTYPE");
}

TEST(Envelope, UndeclaredEntityReferenceIsRefused) {
  ExpectRefused(Envelope("<Groups.add><name>&xxe;</name></Groups.add>"), "'&xxe'");
  ExpectRefused(Envelope("<Groups.add><name>a & b</name></Groups.add>"), "undeclared entity");
  ExpectRefused(Envelope("<Groups.add name=\"&x;\"/>"), "'&x'");
}

TEST(Envelope, DepthAndCountLimits) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "<a>";
  for (int i = 0; i < 40; ++i) deep += "</a>";
  ExpectRefused(Envelope("<Groups.add><name>" + deep + "</name></Groups.add>"),
                "nested too deeply");

  std::string many;
  for (int i = 0; i < 200; ++i) many += "<phone>1</phone>";
  EnvelopeLimits small;
  small.max_elements = 100;
  auto call = ParseEnvelope(Envelope("<Messages.sendSms>" + many + "</Messages.sendSms>"), small);
  ASSERT_FALSE(call.ok());
  EXPECT_NE(call.error().message.find("too many elements"), std::string::npos);
  // A bound far below the default is still fine for an ordinary request.
  EXPECT_TRUE(ParseEnvelope(Envelope("<Messages.sendSms>" + many + "</Messages.sendSms>")).ok());
}

TEST(Envelope, MalformedEnvelopes) {
  ExpectRefused("", "empty");
  ExpectRefused("not xml at all", "malformed XML");
  ExpectRefused("<soap:Envelope xmlns:soap=\"x\"><soap:Body><a></b></soap:Body>", "malformed XML");
  ExpectRefused("<Body><Groups.add/></Body>", "SOAP Envelope");
  ExpectRefused("<Envelope><Header/></Envelope>", "no Body");
  ExpectRefused("<Envelope><Body>  </Body></Envelope>", "no operation");
  ExpectRefused("<Envelope><Body><!-- unterminated", "unterminated comment");
  ExpectRefused(Envelope("<Groups.add><name href=\"#id1\"/></Groups.add>"), "href");
  ExpectRefused("{\"phone\":\"500600700\"}", "malformed XML");
  ExpectRefused("<html><body>x</body></html>", "must be a SOAP Envelope");
}

// ---- answers ------------------------------------------------------------------------

TEST(Answer, ResponseAndFault) {
  http::Document doc = http::Document::object();
  doc["success"] = true;
  doc["items"] = http::Document::array({{{"id", 1}, {"name", "a<b"}}});
  const std::string r = RenderResponse("Groups.index", "", doc);
  EXPECT_NE(r.find("<ns1:Groups.indexResponse xmlns:ns1=\"urn:bramka:soap\"><success>true"
                   "</success><items><item><id>1</id><name>a&lt;b</name></item></items>"
                   "</ns1:Groups.indexResponse>"),
            std::string::npos)
      << r;
  // The answer is an envelope the parser itself reads back.
  EXPECT_EQ(ParseEnvelope(r)->operation, "Groups.indexResponse");

  const std::string f = RenderFault({1001, "InvalidUser", "Zły login & hasło"});
  EXPECT_NE(f.find("<faultcode>SOAP-ENV:Client</faultcode>"), std::string::npos) << f;
  EXPECT_NE(f.find("<faultstring>Zły login &amp; hasło</faultstring>"), std::string::npos) << f;
  EXPECT_NE(f.find("<code>1001</code><type>InvalidUser</type>"), std::string::npos) << f;
  EXPECT_NE(RenderFault({1010, "InternalError", "x"}).find("SOAP-ENV:Server"), std::string::npos);
}

}  // namespace
}  // namespace bramka::api::soap
