#pragma once
// The web panel (issue 10, docs/adr/0017): static UI assets embedded into the binary,
// session login for customers (their API username/password, core's throttle and
// allowlist) and the operator (a password set by `bramka admin panel password`),
// CSRF protection, and a few panel-only JSON endpoints. Everything a customer does
// runs through the API v2 actions (ActionHandler) with the session as the
// credential, so no business rule lives here twice.
//
// Mounted on the HTTP server at /panel and below (HttpServer::Mount, api/http/mount.h):
//   GET  /panel/                       index.html; /panel/<file> the other assets
//   GET  /panel/api/session            who is logged in, and the CSRF token
//   POST /panel/api/login              {username, password}  (customer)
//   POST /panel/api/operator/login     {password}
//   POST /panel/api/logout
//   POST /panel/api/v2/<group>/<action>  an API v2 action as the session's account
//   POST /panel/api/analyse            {text, type, utf}: characters, parts, encoding
//   GET  /panel/api/{integrations,traffic}, POST /panel/api/{tokens,smpp_users,ftp_sources,
//        ftp_sources/test,ftp_sources/remove,sql_sources,sql_sources/test,
//        sql_sources/remove,callbacks}
//                                                           (panel_customer.cc)
//   GET  /panel/api/op/{accounts,signups,senders,numbers,inbox,health}, POST
//        /panel/api/op/{accounts,topup,messages,signups/approve,signups/reject,senders,numbers,
//        numbers/remove}                                     (panel_operator.cc)
// Every POST but the two logins needs the X-CSRF-Token header of the session; a
// POST whose Origin is not this host is refused (403); API bodies are JSON.
// Panel-only endpoints answer errors as HTTP 4xx with
// {"error": {"code", "message", "field"}} (field: the input to show it next to).
//
// Thread-safety: Handle may be called from any thread concurrently.
// Ownership: the service and clock must outlive the panel.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "api/http/actions.h"
#include "api/http/server.h"
#include "common/clock.h"
#include "panel/session.h"

namespace bramka::core {
class GatewayService;
}  // namespace bramka::core

namespace bramka::panel {

struct PanelOptions {
  std::chrono::seconds session_lifetime{std::chrono::hours(12)};
  api::http::BillingInfo billing;
  std::string secret_key_file;  // seals FTP/SQL passwords (common/secret_box.h)
  // The operator's health page: a JSON object (routes, connectors, ...) from the app.
  std::function<std::string()> health_json;
};

class Panel final : public api::http::MountedHandler {
 public:
  Panel(core::GatewayService& service, Clock& clock, PanelOptions options);
  ~Panel() override;
  Panel(const Panel&) = delete;
  Panel& operator=(const Panel&) = delete;

  void Handle(api::http::MountedRequest request,
              std::function<void(api::http::MountedResponse)> done) override;
  // 413 with the panel's error shape.
  api::http::MountedResponse TooLarge() const override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bramka::panel
