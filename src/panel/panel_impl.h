#pragma once
// Internals of Panel shared by panel.cc, panel_customer.cc and panel_operator.cc.

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/http/actions.h"
#include "core/gateway_service.h"
#include "panel/panel.h"
#include "panel/session.h"

namespace bramka::panel {

using api::http::MountedRequest;
using api::http::MountedResponse;
using Json = nlohmann::json;
using Done = std::function<void(MountedResponse)>;

// Headers every panel answer carries: a strict CSP (no inline script or style,
// nothing from other origins), no framing, no sniffing, no referrer.
void AddSecurityHeaders(MountedResponse& res);
MountedResponse JsonAnswer(int status, const Json& body);
// {"error": {"code", "message", "field"}}.
MountedResponse ErrorAnswer(int status, std::string_view code, std::string_view message,
                            std::string_view field = "");
// A core error as a 4xx answer; `fields` maps a word of the message (lower case)
// to the input it belongs to, else `fallback_field`.
MountedResponse CoreErrorAnswer(
    const Error& error, std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
    std::string_view fallback_field);
// The body as a JSON object ({} when empty); nullopt when it is not one.
std::optional<Json> JsonBody(const MountedRequest& request);
// A string member, "" when absent or not a string (numbers as their text).
std::string Str(const Json& body, const char* key);
// An integer member (number or decimal string); `fallback` when absent or malformed.
int64_t Int(const Json& body, const char* key, int64_t fallback);
// A boolean member (true/false, 1/0, "1"/"0"/"true"/"false"); `fallback` otherwise.
bool Bool(const Json& body, const char* key, bool fallback);

// Who a request acts for, once its session is checked.
struct Who {
  store::PanelSession session;
  core::Caller caller;  // the customer account (empty for the operator)
  bool op = false;
};

class Panel::Impl {
 public:
  Impl(core::GatewayService& service, Clock& clock, PanelOptions options);

  void Handle(MountedRequest request, Done done);

 private:
  MountedResponse Static(const MountedRequest& request, std::string_view name);
  MountedResponse Login(const MountedRequest& request, bool op);
  MountedResponse Logout(const MountedRequest& request);
  MountedResponse SessionInfo(const MountedRequest& request);
  // The session of the cookie, or the 401 answer.
  Result<Who> Authenticate(const MountedRequest& request);
  void ApiV2(const Who& who, const MountedRequest& request, std::string_view action, Done done);
  MountedResponse Analyse(const MountedRequest& request);

  // panel_customer.cc: integrations of the session's account.
  MountedResponse Customer(const Who& who, const MountedRequest& request, std::string_view path);
  // panel_operator.cc: the operator's pages.
  MountedResponse Operator(const Who& who, const MountedRequest& request, std::string_view path);

  core::GatewayService& service_;
  Clock& clock_;
  PanelOptions options_;
  SessionManager sessions_;
  // API v2 errors in the panel's language (X-Panel-Lang: pl or en).
  api::http::ActionHandler actions_pl_;
  api::http::ActionHandler actions_en_;
};

}  // namespace bramka::panel
