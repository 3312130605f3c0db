#pragma once
// The WSDL 1.1 document served at `/soap?wsdl` (docs/adr/0016), generated
// from the operation table (operations.h) so that it can never disagree with
// what the endpoint accepts: document/literal wrapped, SOAP 1.1 over HTTP,
// one port. Input parameters are optional and loosely typed (xsd:string,
// xsd:long, xsd:boolean, repeated elements for lists, records for
// personalized messages and imported contacts, a key/value Map for the PHP
// client's `$params`); answers are open (`xsd:any`): their elements are the
// API's `.xml` answer; errors are the `ApiFault` fault with an `error` detail.
//
// Pure and thread-safe.

#include <string>
#include <string_view>

namespace bramka::api::soap {

// `location`: the endpoint's absolute URL for soap:address, e.g.
// "https://sms.example.com:8443/soap" (escaped here).
std::string RenderWsdl(std::string_view location);

}  // namespace bramka::api::soap
