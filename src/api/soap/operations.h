#pragma once
// The SOAP operation table (spec §10, docs/adr/0016): every SOAP operation is
// one API v2 action. The table is built from the action catalogue
// (api/http/action_catalog.h, docs/adr/0026) that the OpenAPI document is
// built from too; the WSDL (wsdl.h), the envelope's argument mapping
// (ToApiParams) and the handler all read it, so an action added to the
// catalogue is an operation with its parameters.
//
// Names are the provider's: `<Group>.<method>` (`Messages.sendSms`), with the
// PHP client's positional arguments (`sendSms($phone, $text, $sender,
// $params)`). Dots are legal in XML names (NCName) and both zeep and npm
// `soap` call them; `Messages_sendSms` and any case are accepted as well.
//
// Pure and thread-safe (static tables).

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/request.h"
#include "common/result.h"

namespace bramka::api::soap {

// The WSDL's target namespace: operation elements, faults' detail.
inline constexpr char kTargetNamespace[] = "urn:bramka:soap";
// SOAP 1.1 envelope namespace (answers; requests are read by local names).
inline constexpr char kSoapEnvelopeNamespace[] = "http://schemas.xmlsoap.org/soap/envelope/";

// How a parameter is declared in the WSDL (the API itself stays lenient:
// every value reaches the action as text and is read by http::Params).
enum class ParamType {
  kString,      // xsd:string
  kInt,         // xsd:long
  kBool,        // xsd:boolean
  kStringList,  // xsd:string, maxOccurs="unbounded" (String|Array parameters)
  kBase64,      // xsd:base64Binary (file contents)
  kBase64List,  // xsd:base64Binary, maxOccurs="unbounded"
  kMessages,    // tns:PersonalizedMessage, unbounded (send_personalized)
  kContacts,    // tns:ImportContact, unbounded (contacts/import)
  kMap,         // tns:Map: <item><key/><value/></item>... (the PHP `$params` array)
};

struct Param {
  std::string name;
  ParamType type = ParamType::kString;
  bool positional = false;  // one of the PHP client's arguments, in order
};

struct Operation {
  std::string_view name;    // "Messages.sendSms"
  std::string_view action;  // "messages/send_sms"; "error" for Error.view
  // In WSDL order: the positional arguments, then the action's other
  // parameters, then the credentials every operation accepts (username,
  // password, token).
  std::vector<Param> params;
};

// Every operation, in WSDL order.
const std::vector<Operation>& Operations();

// The operation named `name`: exact, or with '_' for the dot, in any case.
const Operation* FindOperation(std::string_view name);

// One child of the operation element, in document order (see envelope.h).
struct Argument {
  std::string name;  // local name
  http::ParamTree value;
};

// The API v2 parameters for an operation's arguments:
//  * named arguments by name; a repeated name becomes a list;
//  * `param0`, `param1`… (PHP SoapClient without a WSDL) and `arg0`… are the
//    positional arguments in the PHP client's order;
//  * `params` (a map) is merged in, its entries winning over the positional
//    ones (PHP's array_merge($positional, $params));
//  * a list-of-records parameter sent as one record becomes a one-entry list.
// Unknown names pass through; the action ignores what it does not read.
http::ParamTree ToApiParams(const Operation& op, const std::vector<Argument>& args);

}  // namespace bramka::api::soap
