// send_sms with a Bearer token (issue 11, docs/adr/0038): the login and the submit's store
// reads as one (GatewayService::SubmitWithTokenAsync) instead of AuthenticateApi, then
// SubmitAsync. Answers, their order (a refused login first) and logs are Handle's.

#include <memory>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "core/gateway_service.h"

namespace bramka::api::http {

bool ActionHandler::SendSmsWithToken(const ApiRequest& request, Done& done) {
  core::SubmitRequest req;
  bool details = false;
  // A request that does not parse takes Handle's way: the login's answer comes first.
  if (!ParseSendSms(request.params, req, details).ok()) return false;
  req.source = "http";
  // Exactly one of the two runs; both answer through `done`.
  auto shared = std::make_shared<Done>(std::move(done));
  service_.SubmitWithTokenAsync(
      request.bearer_token, request.remote_ip, std::move(req),
      // (The action is send_sms: its name as a constant, not a copy of the route's string.)
      [shared, lang = language_, from = request.remote_address](Error error) {
        (*shared)(RefusedLogin("messages/send_sms", from, error, lang));
      },
      SubmitAnswer(details, language_,
                   [shared](ApiAnswer answer) { (*shared)(std::move(answer)); }));
  return true;
}

}  // namespace bramka::api::http
