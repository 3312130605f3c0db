#include "api/http/openapi.h"

#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/http/actions.h"

namespace bramka::api::http {
namespace {

std::set<std::string> DocumentedActions() {
  const auto doc = nlohmann::json::parse(OpenApiJson());
  std::set<std::string> out;
  for (const auto& [path, item] : doc.at("paths").items()) {
    EXPECT_TRUE(item.contains("post")) << path;
    std::string action = path.substr(1);
    if (action == "error/{code}") action = "error";
    out.insert(action);
  }
  return out;
}

TEST(OpenApiTest, IsAnOpenApi3DocumentWithOneOperationIdPerPath) {
  const auto doc = nlohmann::json::parse(OpenApiJson());
  EXPECT_EQ(doc.at("openapi").get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(doc.at("info").contains("title"));
  std::set<std::string> ids;
  for (const auto& [path, item] : doc.at("paths").items()) {
    EXPECT_TRUE(ids.insert(item.at("post").at("operationId").get<std::string>()).second) << path;
  }
}

TEST(OpenApiTest, EveryImplementedActionIsDocumented) {
  const std::set<std::string> documented = DocumentedActions();
  int implemented = 0;
  for (std::string_view action : ActionHandler::SpecActions()) {
    if (!ActionHandler::IsImplemented(action)) continue;
    ++implemented;
    EXPECT_TRUE(documented.count(std::string(action))) << action << " is missing from the document";
  }
  EXPECT_GT(implemented, 50);
}

TEST(OpenApiTest, EveryDocumentedPathIsImplemented) {
  for (const std::string& action : DocumentedActions()) {
    EXPECT_TRUE(ActionHandler::IsImplemented(action)) << action << " is documented, not routed";
  }
  EXPECT_EQ(DocumentedActions().size(), OpenApiActions().size());
}

TEST(OpenApiTest, RequiredParametersAreDeclared) {
  const auto doc = nlohmann::json::parse(OpenApiJson());
  const auto& body = doc.at("paths")
                         .at("/messages/send_sms")
                         .at("post")
                         .at("requestBody")
                         .at("content")
                         .at("application/json")
                         .at("schema")
                         .at("allOf")
                         .at(1);
  EXPECT_EQ(body.at("required"), nlohmann::json::array({"text"}));
  EXPECT_TRUE(body.at("properties").contains("phone"));
}

}  // namespace
}  // namespace bramka::api::http
