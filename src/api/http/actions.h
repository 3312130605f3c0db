#pragma once
// API v2 actions over core::GatewayService: authentication (spec §1.4) and
// the actions implemented so far — messages/send_sms (§4.1), messages/view
// (§4.5), messages/reports (§4.6), messages/delete (§4.7), account/limits
// (§4.12) and error/{code} (§4.22); files/* (§4.10), messages/send_mms (§4.4),
// phones/check and phones/lookup (§4.16) in actions_media.cc. Every other action answers 1000
// InvalidAction. No sockets: the server feeds decoded requests in and writes
// the documents out, so the actions are testable without a network.
//
// Thread-safety: Handle may be called from any thread concurrently; the
// handler keeps no mutable state.
// Ownership: the GatewayService must outlive the handler and every pending
// completion.

#include <functional>
#include <string>
#include <string_view>

#include "api/http/errors.h"
#include "api/http/request.h"
#include "api/http/response.h"
#include "common/result.h"

namespace bramka::core {
class GatewayService;
struct SubmitRequest;
struct Caller;
}  // namespace bramka::core

namespace bramka::api::http {

struct ApiRequest {
  Route route;
  Params params;
  std::string bearer_token;    // from `Authorization: Bearer …`; empty when absent
  std::string remote_address;  // for logs (and, later, IP allowlists: 1003)
};

struct ApiAnswer {
  Document body;       // the whole response document
  int error_code = 0;  // 0 for success, else the API error code in `body`
};

class ActionHandler {
 public:
  explicit ActionHandler(core::GatewayService& service, Language language = Language::kPolish);

  // Runs the request's action and calls `done` exactly once with the answer:
  // on the calling thread for every action except sends, whose answer comes
  // after the store commit on a core thread (GatewayService::SubmitAsync) —
  // the caller must hop back to its own executor.
  //
  // Order of checks: unknown action -> 1000 (before authentication, so a
  // wrong path never costs a password check); error/{code} needs no
  // credentials; then authentication (Bearer token preferred over the
  // username/password fields; failure -> 1001, inactive account -> 1007);
  // then the action's parameters (1006 malformed, 2000 missing).
  void Handle(ApiRequest request, std::function<void(ApiAnswer)> done);

  // The action's name if it is one of the spec's actions (implemented or
  // not), else "unknown": a bounded label set for metrics.
  static std::string_view MetricLabel(std::string_view action);

  // Builds the error answer for an Error (used by the server for bodies it
  // could not decode). Missing-parameter and invalid-data answers carry the
  // detail in parentheses after the table's message.
  ApiAnswer ErrorAnswer(const Error& error) const;
  ApiAnswer ErrorAnswer(int api_code) const;

 private:
  using Done = std::function<void(ApiAnswer)>;
  struct Context;

  void SendSms(const Context& ctx, Done done);
  void SendPersonalized(const Context& ctx, Done done);
  void SendVoice(const Context& ctx, Done done);
  void Submit(const Context& ctx, core::SubmitRequest req, bool details, Done done);
  static Result<void> ParseSendOptions(const Params& p, core::SubmitRequest& req, bool& details);
  static Result<void> ParseRecipients(const Params& p, core::SubmitRequest& req);
  ApiAnswer View(const Context& ctx);
  ApiAnswer Reports(const Context& ctx);
  ApiAnswer Delete(const Context& ctx);
  ApiAnswer Limits(const Context& ctx);
  ApiAnswer PhonesTest(const Context& ctx);

  // ---- media and number checks (actions_media.cc) ----
  void SendMms(const Context& ctx, Done done);
  // send_mms parameters (spec §4.4) beyond recipients and send options.
  static Result<void> ParseMms(const Params& p, core::SubmitRequest& req);
  // send_voice's `file_id` (spec §4.3), when given instead of `text`.
  static Result<bool> ParseVoiceFile(const Params& p, core::SubmitRequest& req);
  ApiAnswer FilesAdd(const core::Caller& caller, const Params& p);
  ApiAnswer FilesIndex(const core::Caller& caller, const Params& p);
  ApiAnswer FilesView(const core::Caller& caller, const Params& p);
  ApiAnswer FilesDelete(const core::Caller& caller, const Params& p);
  ApiAnswer PhonesCheck(const core::Caller& caller, const Params& p, bool lookup);

  core::GatewayService& service_;
  Language language_;
};

}  // namespace bramka::api::http
