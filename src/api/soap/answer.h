#pragma once
// SOAP 1.1 answers (docs/adr/0016): a successful action's Document as the
// body of `<OperationResponse>`, in the same XML shape as the API's `.xml`
// answers (http::RenderXmlContent: an element per key, `<item>` per list
// entry); an API error as a Fault carrying the API's code, type and message.
//
// Pure and thread-safe.

#include <string>
#include <string_view>

#include "api/http/errors.h"
#include "api/http/response.h"

namespace bramka::api::soap {

inline constexpr char kSoapContentType[] = "text/xml; charset=utf-8";

// `<ns:{operation}Response xmlns:ns="{ns}">…</…>` in a SOAP 1.1 envelope;
// `operation` as the client named it, `ns` its namespace (kTargetNamespace
// when empty).
std::string RenderResponse(std::string_view operation, std::string_view ns,
                           const http::Document& doc);

// SOAP 1.1 §4.4 Fault: faultcode `Client` (the request was at fault: every
// API error but 1009/1010) or `Server`, faultstring = the API's message,
// detail = `<tns:error><code/><type/><message/></tns:error>`.
std::string RenderFault(const http::ApiError& error);

// Whether the error is the server's fault (faultcode Server).
bool IsServerFault(int api_code);

}  // namespace bramka::api::soap
