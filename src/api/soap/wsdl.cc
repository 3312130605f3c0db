#include "api/soap/wsdl.h"

#include "api/http/response.h"
#include "api/soap/operations.h"

namespace bramka::api::soap {
namespace {

std::string Escaped(std::string_view text) { return http::RenderXmlContent(http::Document(text)); }

struct XsdType {
  std::string_view type;
  bool many;
};

XsdType XsdFor(ParamType t) {
  switch (t) {
    case ParamType::kString:
      return {"xsd:string", false};
    case ParamType::kInt:
      return {"xsd:long", false};
    case ParamType::kBool:
      return {"xsd:boolean", false};
    case ParamType::kStringList:
      return {"xsd:string", true};
    case ParamType::kBase64:
      return {"xsd:base64Binary", false};
    case ParamType::kBase64List:
      return {"xsd:base64Binary", true};
    case ParamType::kMessages:
      return {"tns:PersonalizedMessage", true};
    case ParamType::kContacts:
      return {"tns:ImportContact", true};
    case ParamType::kMap:
      return {"tns:Map", false};
  }
  return {"xsd:string", false};
}

// Shared complex types. Local elements are unqualified (the XSD default),
// as rpc-style clients and the API's own XML answers write them.
constexpr char kSharedTypes[] = R"(
<xsd:complexType name="PersonalizedMessage"><xsd:sequence>
<xsd:element name="phone" type="xsd:string"/>
<xsd:element name="text" type="xsd:string"/>
</xsd:sequence></xsd:complexType>
<xsd:complexType name="ImportContact"><xsd:sequence>
<xsd:element name="phone" type="xsd:string"/>
<xsd:element name="email" type="xsd:string" minOccurs="0"/>
<xsd:element name="first_name" type="xsd:string" minOccurs="0"/>
<xsd:element name="last_name" type="xsd:string" minOccurs="0"/>
<xsd:element name="company" type="xsd:string" minOccurs="0"/>
</xsd:sequence></xsd:complexType>
<xsd:complexType name="MapItem"><xsd:sequence>
<xsd:element name="key" type="xsd:string"/>
<xsd:element name="value" type="xsd:string" minOccurs="0" nillable="true"/>
</xsd:sequence></xsd:complexType>
<xsd:complexType name="Map"><xsd:sequence>
<xsd:element name="item" type="tns:MapItem" minOccurs="0" maxOccurs="unbounded"/>
</xsd:sequence></xsd:complexType>
<xsd:complexType name="ApiError"><xsd:sequence>
<xsd:element name="code" type="xsd:int"/>
<xsd:element name="type" type="xsd:string"/>
<xsd:element name="message" type="xsd:string"/>
</xsd:sequence></xsd:complexType>
<xsd:complexType name="Answer"><xsd:sequence>
<xsd:any namespace="##any" processContents="lax" minOccurs="0" maxOccurs="unbounded"/>
</xsd:sequence></xsd:complexType>
<xsd:element name="error" type="tns:ApiError"/>
)";

}  // namespace

std::string RenderWsdl(std::string_view location) {
  const std::string tns = kTargetNamespace;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<wsdl:definitions name=\"Bramka\" targetNamespace=\"" + tns +
         "\" xmlns:wsdl=\"http://schemas.xmlsoap.org/wsdl/\""
         " xmlns:soap=\"http://schemas.xmlsoap.org/wsdl/soap/\""
         " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:tns=\"" +
         tns + "\">\n";
  out +=
      "<wsdl:documentation>bramka: the SerwerSMS.pl API v2 actions as SOAP 1.1 operations "
      "(document/literal). Credentials: HTTP Basic, Bearer, or the username/password/token "
      "elements. Errors: SOAP faults with the API's code, type and message in "
      "detail/error.</wsdl:documentation>\n";

  // ---- types
  out += "<wsdl:types>\n<xsd:schema targetNamespace=\"" + tns + "\">";
  out += kSharedTypes;
  for (const Operation& op : Operations()) {
    out += "<xsd:element name=\"" + std::string(op.name) + "\"><xsd:complexType><xsd:sequence>\n";
    for (const Param& p : op.params) {
      const XsdType t = XsdFor(p.type);
      out += "<xsd:element name=\"" + p.name + "\" type=\"" + std::string(t.type) +
             "\" minOccurs=\"0\"";
      if (t.many) out += " maxOccurs=\"unbounded\"";
      out += " nillable=\"true\"/>\n";
    }
    out += "</xsd:sequence></xsd:complexType></xsd:element>\n";
    out += "<xsd:element name=\"" + std::string(op.name) + "Response\" type=\"tns:Answer\"/>\n";
  }
  out += "</xsd:schema>\n</wsdl:types>\n";

  // ---- messages
  out +=
      "<wsdl:message name=\"ApiFault\"><wsdl:part name=\"error\" "
      "element=\"tns:error\"/></wsdl:message>\n";
  for (const Operation& op : Operations()) {
    const std::string name(op.name);
    out += "<wsdl:message name=\"" + name +
           "Request\"><wsdl:part name=\"parameters\" element=\"tns:" + name +
           "\"/></wsdl:message>\n";
    out += "<wsdl:message name=\"" + name +
           "Response\"><wsdl:part name=\"parameters\" element=\"tns:" + name +
           "Response\"/></wsdl:message>\n";
  }

  // ---- port type
  out += "<wsdl:portType name=\"BramkaPortType\">\n";
  for (const Operation& op : Operations()) {
    const std::string name(op.name);
    out +=
        "<wsdl:operation name=\"" + name + "\"><wsdl:input message=\"tns:" + name +
        "Request\"/><wsdl:output message=\"tns:" + name +
        "Response\"/><wsdl:fault name=\"ApiFault\" message=\"tns:ApiFault\"/></wsdl:operation>\n";
  }
  out += "</wsdl:portType>\n";

  // ---- binding
  out +=
      "<wsdl:binding name=\"BramkaBinding\" type=\"tns:BramkaPortType\">\n<soap:binding "
      "style=\"document\" transport=\"http://schemas.xmlsoap.org/soap/http\"/>\n";
  for (const Operation& op : Operations()) {
    const std::string name(op.name);
    out += "<wsdl:operation name=\"" + name + "\"><soap:operation soapAction=\"" + tns + "#" +
           name +
           "\" style=\"document\"/><wsdl:input><soap:body use=\"literal\"/></wsdl:input>"
           "<wsdl:output><soap:body use=\"literal\"/></wsdl:output><wsdl:fault "
           "name=\"ApiFault\"><soap:fault name=\"ApiFault\" use=\"literal\"/></wsdl:fault>"
           "</wsdl:operation>\n";
  }
  out += "</wsdl:binding>\n";

  // ---- service
  out +=
      "<wsdl:service name=\"BramkaService\"><wsdl:port name=\"BramkaPort\" "
      "binding=\"tns:BramkaBinding\"><soap:address location=\"";
  out += Escaped(location);
  out += "\"/></wsdl:port></wsdl:service>\n</wsdl:definitions>\n";
  return out;
}

}  // namespace bramka::api::soap
