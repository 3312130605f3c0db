#include "api/soap/answer.h"

#include "api/soap/operations.h"

namespace bramka::api::soap {
namespace {

// Escaped text through the one XML writer (api/http/response.h).
std::string Escaped(std::string_view text) { return http::RenderXmlContent(http::Document(text)); }

std::string EnvelopeOpen() {
  return std::string(
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope "
             "xmlns:SOAP-ENV=\"") +
         kSoapEnvelopeNamespace + "\"><SOAP-ENV:Body>";
}

constexpr char kEnvelopeClose[] = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n";

}  // namespace

bool IsServerFault(int api_code) {
  return api_code == http::api_code::kServiceUnavailable ||
         api_code == http::api_code::kInternalError;
}

std::string RenderResponse(std::string_view operation, std::string_view ns,
                           const http::Document& doc) {
  std::string out = EnvelopeOpen();
  const std::string element = "ns1:" + std::string(operation) + "Response";
  out += "<" + element + " xmlns:ns1=\"";
  out += Escaped(ns.empty() ? std::string_view(kTargetNamespace) : ns);
  out += "\">";
  out += http::RenderXmlContent(doc);
  out += "</" + element + ">";
  out += kEnvelopeClose;
  return out;
}

std::string RenderFault(const http::ApiError& error) {
  std::string out = EnvelopeOpen();
  out += "<SOAP-ENV:Fault><faultcode>SOAP-ENV:";
  out += IsServerFault(error.code) ? "Server" : "Client";
  out += "</faultcode><faultstring>";
  out += Escaped(error.message);
  out += "</faultstring><detail><tns:error xmlns:tns=\"";
  out += kTargetNamespace;
  out += "\">";
  http::Document detail = http::Document::object();
  detail["code"] = error.code;
  detail["type"] = error.type;
  detail["message"] = error.message;
  out += http::RenderXmlContent(detail);
  out += "</tns:error></detail></SOAP-ENV:Fault>";
  out += kEnvelopeClose;
  return out;
}

}  // namespace bramka::api::soap
