#include "api/http/openapi.h"

#include <nlohmann/json.hpp>

namespace bramka::api::http {
namespace {

using Json = nlohmann::ordered_json;

// One row per action (spec §4). `params`: comma-separated "name[*][:type]",
// '*' = required, types: s string (default), b boolean, i integer, l string or
// array or comma list, d datetime "YYYY-MM-DD HH:MM:SS", o array of objects.
// Credentials (Bearer token or username/password) are added to every row.
struct ApiAction {
  std::string_view name;
  std::string_view section;  // spec section
  std::string_view summary;
  std::string_view params;
};

constexpr ApiAction kActions[] = {
    {"messages/send_sms", "4.1", "Send one text to many recipients",
     "phone:l,text*,sender,details:b,test:b,utf:b,flash:b,speed:b,date:d,group_id:l,"
     "contact_id:l,unique_id:l,dlr_url"},
    {"messages/send_personalized", "4.2", "Send a different text to each recipient",
     "messages*:o,sender,details:b,test:b,utf:b,flash:b,speed:b,date:d,group_id:l,text"},
    {"messages/send_voice", "4.3", "Send a voice message (text-to-speech or a WAV file)",
     "phone:l,text,file_id,date:d,test:b,details:b,group_id:l,contact_id:l"},
    {"messages/send_mms", "4.4", "Send an MMS",
     "phone:l,title*,file_id,file:l,date:d,test:b,details:b,group_id:l"},
    {"messages/view", "4.5", "One message", "id,unique_id,show_contact:b"},
    {"messages/reports", "4.6", "Delivery reports (search)",
     "id:l,unique_id:l,phone:l,date_from:d,date_to:d,status,type,stat_id:i,show_contact:b,"
     "page:i,limit:i,order"},
    {"messages/delete", "4.7", "Cancel scheduled messages", "id:l,unique_id:l"},
    {"messages/recived", "4.8", "Incoming messages (alias messages/received)",
     "type,ndi,phone:l,date_from:d,date_to:d,read:b,show_contact:b,page:i,limit:i,order"},
    {"messages/send_nd", "4.9", "Inject a test message into an access number (ND)", "phone*,text*"},
    {"messages/send_ndi", "4.9", "Inject a test message into an individual access number",
     "phone*,text*,ndi_number*"},
    {"files/add", "4.10", "Add an MMS or voice file", "type*,url,file,name"},
    {"files/index", "4.10", "List files", "type"},
    {"files/view", "4.10", "One file", "id*,type"},
    {"files/delete", "4.10", "Delete a file", "id*,type"},
    {"premium/index", "4.11", "Messages to premium numbers", ""},
    {"premium/send", "4.11", "Answer a premium message", "phone*,text*,gate*,id*:i"},
    {"quiz/view", "4.11", "Quiz results", "id*:i"},
    {"account/add", "4.12", "Request a new account", "phone,email,first_name,last_name,company"},
    {"account/limits", "4.12", "Balances per message type", "show_type:b"},
    {"account/help", "4.12", "Support contacts", ""},
    {"account/messages", "4.12", "Messages from the operator", ""},
    {"senders/add", "4.13", "Request a sender name", "name*"},
    {"senders/index", "4.13", "Sender names", "predefined:b,type,sort,order"},
    {"groups/add", "4.14", "Add a contact group", "name*"},
    {"groups/index", "4.14", "Contact groups", "search,page:i,limit:i,sort,order"},
    {"groups/view", "4.14", "One group", "id*:i"},
    {"groups/edit", "4.14", "Rename a group", "id*:i,name*"},
    {"groups/delete", "4.14", "Delete a group", "id*:i,delete_contacts:b"},
    {"groups/check", "4.14", "Groups of a phone number", "phone*"},
    {"contacts/add", "4.15", "Add a contact",
     "group_id:l,phone*,email,first_name,last_name,company,tax_id,address,city,description"},
    {"contacts/index", "4.15", "Contacts", "group_id,search,page:i,limit:i,sort,order"},
    {"contacts/view", "4.15", "One contact", "id*:i"},
    {"contacts/edit", "4.15", "Edit a contact",
     "id*:i,group_id:l,phone,email,first_name,last_name,company,tax_id,address,city,description"},
    {"contacts/delete", "4.15", "Delete a contact", "id*:i"},
    {"contacts/import", "4.15", "Import contacts into a new group", "group_name*,contact*:o"},
    {"phones/check", "4.16", "HLR check", "phone:l,id,url"},
    {"phones/lookup", "4.16", "Network lookup", "phone:l,id,url"},
    {"phones/test", "4.16", "Is the number well formed", "phone*"},
    {"subaccounts/add", "4.17", "Add a subaccount",
     "subaccount_username*,subaccount_password*,subaccount_id:i,name,phone,email"},
    {"subaccounts/index", "4.17", "Subaccounts", ""},
    {"subaccounts/view", "4.17", "One subaccount", "id*:i"},
    {"subaccounts/limit", "4.17", "Set a subaccount's limit", "id*:i,type*,value*:i"},
    {"subaccounts/delete", "4.17", "Delete a subaccount", "id*:i"},
    {"blacklist/add", "4.18", "Blacklist a number", "phone*"},
    {"blacklist/index", "4.18", "Blacklisted numbers", "phone,page:i,limit:i"},
    {"blacklist/check", "4.18", "Is a number blacklisted", "phone*"},
    {"blacklist/delete", "4.18", "Remove a number from the blacklist", "phone*"},
    {"payments/index", "4.19", "Invoices", "page:i,limit:i"},
    {"payments/view", "4.19", "One invoice", "id*:i"},
    {"payments/invoice", "4.19", "An invoice as PDF (application/pdf, not JSON)", "id*:i"},
    {"stats/index", "4.20", "Sending statistics per batch", "type,begin:d,end:d"},
    {"templates/index", "4.21", "Message templates", "sort,order"},
    {"templates/view", "4.21", "One template", "id*:i"},
    {"templates/add", "4.21", "Add a template", "name*,text*"},
    {"templates/edit", "4.21", "Edit a template", "id*:i,name,text"},
    {"templates/delete", "4.21", "Delete a template", "id*:i"},
};

Json SchemaFor(std::string_view type) {
  if (type == "b") {
    return {{"oneOf", Json::array({{{"type", "boolean"}},
                                   {{"type", "integer"}, {"enum", {0, 1}}},
                                   {{"type", "string"}}})}};
  }
  if (type == "i") {
    return {{"oneOf", Json::array({{{"type", "integer"}}, {{"type", "string"}}})}};
  }
  if (type == "l") {
    return {{"description", "a value, an array, or a comma-separated string"},
            {"oneOf", Json::array({{{"type", "string"}},
                                   {{"type", "integer"}},
                                   {{"type", "array"}, {"items", {{"type", "string"}}}}})}};
  }
  if (type == "d") {
    return {{"type", "string"}, {"example", "2026-01-31 12:00:00"}};
  }
  if (type == "o") {
    return {{"description", "an array of objects, or that array JSON-encoded in a string"},
            {"oneOf", Json::array({{{"type", "array"}, {"items", {{"type", "object"}}}},
                                   {{"type", "string"}}})}};
  }
  return {{"type", "string"}};
}

Json BodySchema(std::string_view params) {
  Json properties = Json::object();
  Json required = Json::array();
  while (!params.empty()) {
    const size_t comma = params.find(',');
    std::string_view item = params.substr(0, comma);
    params = comma == std::string_view::npos ? std::string_view() : params.substr(comma + 1);
    std::string_view type = "s";
    if (const size_t colon = item.find(':'); colon != std::string_view::npos) {
      type = item.substr(colon + 1);
      item = item.substr(0, colon);
    }
    if (!item.empty() && item.back() == '*') {
      item.remove_suffix(1);
      required.push_back(std::string(item));
    }
    properties[std::string(item)] = SchemaFor(type);
  }
  Json own = {{"type", "object"}, {"properties", properties}};
  if (!required.empty()) own["required"] = required;
  own["additionalProperties"] = true;  // spec §1.3: unknown keys are ignored
  return {{"allOf", Json::array({{{"$ref", "#/components/schemas/Credentials"}}, own})}};
}

Json Operation(const ApiAction& a) {
  std::string name(a.name);
  const std::string tag = name.substr(0, name.find('/'));
  Json body = BodySchema(a.params);
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
  for (const ApiAction& a : kActions) {
    paths["/" + std::string(a.name)] = {{"post", Operation(a)}};
  }
  paths["/error/{code}"] = {
      {"post",
       {{"operationId", "error"},
        {"tags", {"error"}},
        {"summary", "Preview an error code's envelope (no credentials needed)"},
        {"description", "SerwerSMS.pl API v2, spec section 4.22."},
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
  for (const ApiAction& a : kActions) out.push_back(a.name);
  out.push_back("error");
  return out;
}

}  // namespace bramka::api::http
