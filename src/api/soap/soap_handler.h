#pragma once
// SoapHandler: the SOAP 1.1 way in (spec §10, docs/adr/0016), mounted on the
// HTTP server at /soap and /server.php (http::HttpServer::Mount). An adapter with no business
// logic: each operation (operations.h) becomes the API v2 action of the same
// meaning and runs through the very same http::ActionHandler — the same
// authentication (Bearer token, else username/password; IP allowlist 1003,
// login throttling 1012), parameter reading and core calls — and the answer
// Document becomes the SOAP response body; an API error becomes a Fault.
//
//   GET  /soap?wsdl  the WSDL (wsdl.h), soap:address built from the Host header
//   POST /soap       a SOAP 1.1 envelope (envelope.h): 200 with the answer, or
//                    500 with a Fault (SOAP 1.1 §6.2); a body over the server's
//                    limit: 413 with a Fault (1011)
//
// Credentials, first found wins: `Authorization: Bearer` or a `token`
// element (body or SOAP Header); `Authorization: Basic` (the provider's
// documented way); `username`/`password` elements in the operation or in
// the SOAP Header (WS-Security UsernameToken with a plain-text password).
//
// Thread-safety: Handle may run on many threads at once; no mutable state.
// Ownership: the GatewayService must outlive the handler and every pending
// completion (as for http::ActionHandler).

#include <functional>

#include "api/http/actions.h"
#include "api/http/errors.h"
#include "api/http/mount.h"
#include "api/soap/envelope.h"

namespace bramka::core {
class GatewayService;
}  // namespace bramka::core

namespace bramka::api::soap {

class SoapHandler final : public http::MountedHandler {
 public:
  SoapHandler(core::GatewayService& service, http::Language language = http::Language::kPolish,
              http::BillingInfo billing = {}, EnvelopeLimits limits = {});

  void Handle(http::MountedRequest request,
              std::function<void(http::MountedResponse)> done) override;
  http::MountedResponse TooLarge() const override;

 private:
  http::ActionHandler actions_;
  http::Language language_;
  EnvelopeLimits limits_;
};

}  // namespace bramka::api::soap
