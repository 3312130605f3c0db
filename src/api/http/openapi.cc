#include "api/http/openapi.h"

#include <nlohmann/json.hpp>

#include "api/http/action_catalog.h"

namespace bramka::api::http {
namespace {

using Json = nlohmann::ordered_json;

Json SchemaFor(ParamKind kind) {
  switch (kind) {
    case ParamKind::kBool:
      return {{"oneOf", Json::array({{{"type", "boolean"}},
                                     {{"type", "integer"}, {"enum", {0, 1}}},
                                     {{"type", "string"}}})}};
    case ParamKind::kInt:
      return {{"oneOf", Json::array({{{"type", "integer"}}, {{"type", "string"}}})}};
    case ParamKind::kList:
    case ParamKind::kFileList:
      return {{"description", "a value, an array, or a comma-separated string"},
              {"oneOf", Json::array({{{"type", "string"}},
                                     {{"type", "integer"}},
                                     {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
    case ParamKind::kDateTime:
      return {{"type", "string"}, {"example", "2026-01-31 12:00:00"}};
    case ParamKind::kMessages:
    case ParamKind::kContacts:
      return {{"description", "an array of objects, or that array JSON-encoded in a string"},
              {"oneOf", Json::array({{{"type", "array"}, {"items", {{"type", "object"}}}},
                                     {{"type", "string"}}})}};
    case ParamKind::kString:
    case ParamKind::kFile:
      break;
  }
  return {{"type", "string"}};
}

Json BodySchema(const ApiAction& action) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const ParamSpec& p : ParamsOf(action)) {
    if (p.required) required.push_back(std::string(p.name));
    properties[std::string(p.name)] = SchemaFor(p.kind);
  }
  Json own = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) own["required"] = required;
  own["additionalProperties"] = true;  // spec §1.3: unknown keys are ignored
  return {{"allOf", Json::array({{{"$ref", "#/components/schemas/Credentials"}}, own})}};
}

Json Operation(const ApiAction& a) {
  std::string name(a.name);
  const std::string tag = name.substr(0, name.find('/'));
  Json body = BodySchema(a);
  Json op = {
      {"operationId",
       [&] {
         std::string id = name;
         for (char& c : id) {
           if (c == '/') c = '_';
         }
         return id;
       }()},
      {"tags", {tag}},
      {"summary", std::string(a.summary)},
      {"description", "SerwerSMS.pl API v2, spec section " + std::string(a.section) +
                          ". The path may end in .json (the default) or .xml for an XML "
                          "answer."},
      {"requestBody",
       {{"content",
         {{"application/json", {{"schema", body}}},
          {"application/x-www-form-urlencoded", {{"schema", body}}},
          {"multipart/form-data", {{"schema", body}}}}}}},
      {"responses",
       {{"200",
         {{"description",
           "The action's document, or the error envelope (HTTP 200 with \"error\", "
           "spec §1.6)"},
          {"content",
           {{"application/json",
             {{"schema",
               {{"oneOf", Json::array({{{"type", "object"}},
                                       {{"$ref", "#/components/schemas/Error"}}})}}}}}}}}}}},
  };
  if (a.name == "payments/invoice") {
    op["responses"]["200"]["content"]["application/pdf"] = {
        {"schema", {{"type", "string"}, {"format", "binary"}}}};
  }
  return op;
}

Json BuildDocument() {
  Json paths = Json::object();
  for (const ApiAction& a : ApiActions()) {
    if (a.name != "error") paths["/" + std::string(a.name)] = {{"post", Operation(a)}};
  }
  const ApiAction& error = *FindApiAction("error");  // its code is the path's
  paths["/error/{code}"] = {
      {"post",
       {{"operationId", "error"},
        {"tags", {"error"}},
        {"summary", std::string(error.summary)},
        {"description", "SerwerSMS.pl API v2, spec section " + std::string(error.section) + "."},
        {"security", Json::array()},
        {"parameters", Json::array({{{"name", "code"},
                                     {"in", "path"},
                                     {"required", true},
                                     {"schema", {{"type", "integer"}}}}})},
        {"responses",
         {{"200",
           {{"description", "The error envelope of that code"},
            {"content",
             {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}}}}}};

  Json doc = {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "bramka API v2"},
        {"version", "2"},
        {"description",
         "The SerwerSMS.pl-compatible HTTPS API v2 served by bramka. Every action is a POST "
         "(GET with a query string works too) whose parameters arrive as JSON, as a form "
         "(PHP-style brackets for arrays), or as multipart; credentials are a Bearer token "
         "or username and password fields. Errors come as HTTP 200 with an \"error\" "
         "object."}}},
      {"servers", Json::array({{{"url", "/"}}})},
      {"security", Json::array({{{"bearer", Json::array()}}, {{"password", Json::array()}}})},
      {"paths", paths},
      {"components",
       {{"securitySchemes",
         {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
          // Not an OpenAPI scheme of its own: username/password travel in the
          // body (Credentials); declared so that clients see both ways.
          {"password",
           {{"type", "apiKey"},
            {"in", "query"},
            {"name", "username"},
            {"description", "username and password as request parameters (see Credentials)"}}}}},
        {"schemas",
         {{"Credentials",
           {{"type", "object"},
            {"properties",
             {{"username", {{"type", "string"}}},
              {"password", {{"type", "string"}}},
              {"system", {{"type", "string"}, {"description", "client name, ignored"}}}}}}},
          {"Error",
           {{"type", "object"},
            {"required", {"error"}},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"properties",
                 {{"code", {{"type", "integer"}}},
                  {"type", {{"type", "string"}}},
                  {"message", {{"type", "string"}}}}}}}}}}}}}}},
  };
  return doc;
}

}  // namespace

const std::string& OpenApiJson() {
  static const std::string json = BuildDocument().dump(2);
  return json;
}

std::vector<std::string_view> OpenApiActions() {
  std::vector<std::string_view> out;
  for (const ApiAction& a : ApiActions()) out.push_back(a.name);
  return out;
}

}  // namespace bramka::api::http
