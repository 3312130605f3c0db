#pragma once
// Decoding of SOAP 1.1 request envelopes (docs/adr/0016), both styles real
// clients send, read by LOCAL names so that any namespace prefix works:
//  * document/literal wrapped (zeep, npm `soap`, .NET): the Body's first
//    element is the operation, its children the parameters; a repeated
//    element is a list;
//  * rpc/encoded (PHP SoapClient, nusoap): the same shape plus xsi:type
//    attributes, SOAP-ENC arrays (`arrayType` or xsi:type Array; children of
//    any name), PHP associative arrays as apache `Map`
//    (`<item><key/><value/></item>`), structs, xsi:nil = absent.
// A leaf element is its text; an element whose children are all `<item>` is
// a list; other elements are records (objects) keyed by local name.
//
// Safe by construction, before and while parsing:
//  * any `<!DOCTYPE`/`<!ENTITY`/other `<!` declaration is refused (outside
//    comments and CDATA), so no entity can be declared, let alone expanded or
//    fetched; a reference to an undeclared entity (anything but the five
//    predefined ones and character references) is refused too;
//  * element depth and element count are capped (limits below); the body
//    size is capped by the HTTP server (`[http] max_body_bytes`);
//  * multi-reference values (`href="#id"`) are refused rather than resolved.
// pugixml never expands entities nor fetches anything, and parses without
// recursion; the conversion below recurses only after the depth check.
//
// Pure: no I/O. Thread-safe (no shared state).
// Errors: kInvalidArgument with core::Failure::kInvalidParameter (API 1006,
// a SOAP Client fault) naming what was wrong.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/soap/operations.h"
#include "common/result.h"

namespace bramka::api::soap {

struct EnvelopeLimits {
  size_t max_depth = 32;          // Envelope = 1
  size_t max_elements = 300'000;  // send_sms takes up to 100,000 numbers (spec §5)
};

struct SoapCall {
  std::string operation;            // local name of the Body's first element
  std::string operation_ns;         // its namespace URI (echoed in the answer); may be empty
  std::vector<Argument> arguments;  // its children, in document order
  // Credentials found in the SOAP Header (any element named username,
  // password or token, any case: also WS-Security UsernameToken); empty
  // when absent.
  std::string header_username;
  std::string header_password;
  std::string header_token;
};

Result<SoapCall> ParseEnvelope(std::string_view body, const EnvelopeLimits& limits = {});

// The scan ParseEnvelope runs first (exposed for tests): refuses markup
// declarations and undeclared entity references.
Result<void> CheckXmlSafety(std::string_view body);

}  // namespace bramka::api::soap
