#pragma once
// The catalogue of API v2 actions and their parameters (spec §4), defined
// once (docs/adr/0026). Everything that describes the actions to a client is
// built from it: the OpenAPI document (openapi.cc, /openapi.json) and the SOAP
// interface's operations and WSDL (api/soap/operations.cc, wsdl.cc). The
// actions themselves read their parameters with http::Params (actions*.cc);
// openapi_test.cc checks the catalogue against the router both ways.
//
// Pure and thread-safe (static tables).

#include <span>
#include <string_view>
#include <vector>

namespace bramka::api::http {

// How a parameter is declared (the API itself stays lenient: http::Params
// reads every value as JSON, form field or string, spec §1.3).
enum class ParamKind {
  kString,
  kBool,      // true/false, 1/0, "true"/"false"
  kInt,       // a number or a string of digits
  kList,      // String|Array: a value, an array, or a comma-separated string
  kDateTime,  // "YYYY-MM-DD HH:MM:SS"
  kMessages,  // send_personalized's list of {phone, text} (four wire shapes, §4.2)
  kContacts,  // contacts/import's list of contacts (or that list JSON-encoded)
  kFile,      // file contents (an upload, or base64 where text is needed)
  kFileList,  // one or more files' contents
};

struct ParamSpec {
  std::string_view name;
  ParamKind kind = ParamKind::kString;
  bool required = false;
};

struct ApiAction {
  std::string_view name;     // "messages/send_sms"; "error" for error/{code} (§4.22)
  std::string_view soap;     // the SOAP operation: "Messages.sendSms" (spec §10)
  std::string_view section;  // spec section
  std::string_view summary;
  // "name[*][:kind]" separated by commas; '*' = required; kinds: s string
  // (default), b bool, i int, l list, d datetime, m messages, c contacts, f
  // file, fl files; "@send" = the options every send action reads (§4.1).
  std::string_view params;
  // The PHP client's positional arguments, in order, separated by spaces
  // (SerwerSMSpl/serwersms-php-api-v2, the SOAP operations' signatures):
  // parameter names of `params`, or "params" for its options array.
  std::string_view php_args;
};

// Every action, in spec order; the last one is "error".
std::span<const ApiAction> ApiActions();

// The action named `name` ("messages/send_sms"), or nullptr.
const ApiAction* FindApiAction(std::string_view name);

// An action's parameters in declaration order, "@send" expanded, each name
// once (the first declaration wins).
std::vector<ParamSpec> ParamsOf(const ApiAction& action);

}  // namespace bramka::api::http
