#pragma once
// The OpenAPI 3 document of API v2, served at GET /openapi.json
// (docs/adr/0018). Generated from the action catalogue (action_catalog.h,
// docs/adr/0026), which the SOAP interface is built from too; openapi_test.cc
// checks it against ActionHandler's actions both ways (every implemented
// action is documented, every documented path is implemented), so the
// document cannot drift from the router.

#include <string>
#include <string_view>
#include <vector>

namespace bramka::api::http {

// The document as JSON text (built once, then shared; thread-safe).
const std::string& OpenApiJson();

// The action names the document describes (its paths without the leading '/'
// and with "error/{code}" as "error").
std::vector<std::string_view> OpenApiActions();

}  // namespace bramka::api::http
