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
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "api/http/errors.h"
#include "api/http/request.h"
#include "api/http/response.h"
#include "common/result.h"
#include "invoice/invoice.h"

namespace bramka::core {
class GatewayService;
struct SubmitRequest;
struct SubmitResult;  // http (docs/adr/0038)
struct Caller;
}  // namespace bramka::core

// ---- address book ----
namespace bramka::core {
struct Caller;
}  // namespace bramka::core

namespace bramka::api::http {

struct ApiRequest {
  Route route;
  Params params;
  std::string bearer_token;    // from `Authorization: Bearer …`; empty when absent
  std::string remote_address;  // "address:port", for logs
  // accounts area: the bare client address, for the account's allowlist (1003)
  // and login throttling.
  std::string remote_ip;
  // ---- web panel (docs/adr/0017): a caller the panel authenticated by its
  // session cookie and CSRF token; when set, no credentials are checked ----
  std::shared_ptr<const core::Caller> panel_caller;
};

struct ApiAnswer {
  ApiAnswer() = default;
  ApiAnswer(Document document, int code) : body(std::move(document)), error_code(code) {}

  Document body;       // the whole response document
  int error_code = 0;  // 0 for success, else the API error code in `body`
  // A non-document answer (payments/invoice: the PDF), written as is with this
  // Content-Type whatever the request's format, when set.
  std::string raw_content_type;
  std::string raw_body;
};

// The operator as the seller on invoices (payments/invoice), from [billing].
struct BillingInfo {
  invoice::Party seller;
  std::string bank_account;
  std::string place;
};

class ActionHandler {
 public:
  explicit ActionHandler(core::GatewayService& service, Language language = Language::kPolish,
                         BillingInfo billing = {});

  // Runs the request's action and calls `done` exactly once with the answer:
  // on the calling thread for every action except sends, whose answer comes
  // after the store commit on a core thread (GatewayService::SubmitAsync) —
  // the caller must hop back to its own executor.
  //
  // Order of checks: unknown action -> 1000 (before authentication, so a
  // wrong path never costs a password check); error/{code} needs no
  // credentials; then authentication (Bearer token preferred over the
  // username/password fields; failure -> 1001, inactive account -> 1007,
  // address outside the account's allowlist -> 1003, too many failed
  // logins from the address or for the name -> 1012; docs/adr/0008);
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
  // payments/*, stats/index (actions_billing.cc).
  ApiAnswer PaymentsIndex(const Context& ctx);
  ApiAnswer PaymentsView(const Context& ctx);
  ApiAnswer PaymentsInvoice(const Context& ctx);
  ApiAnswer StatsIndex(const Context& ctx);

  // ---- address book (actions_addressbook.cc): groups/*, contacts/*,
  // blacklist/*, templates/* (spec §4.14, §4.15, §4.18, §4.21) ----
 public:
  static bool IsAddressBookAction(std::string_view action);

 private:
  ApiAnswer AddressBook(std::string_view action, const core::Caller& caller, const Params& p);
  // send_sms/send_personalized/send_voice: `group_id` and `contact_id` (int
  // or list) into the request; 1006 for an id that is not an integer.
  static Result<void> ParseAddressBookRecipients(const Params& p, core::SubmitRequest& req);

  // ---- accounts area (actions_accounts.cc): subaccounts/* (spec §4.17),
  // senders/* (§4.13), account/add, account/help, account/messages (§4.12) ----
 public:
  static bool IsAccountsAction(std::string_view action);

 private:
  ApiAnswer Accounts(std::string_view action, const core::Caller& caller, const Params& p);
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

  // ---- inbound (actions_inbound.cc): messages/recived, send_nd, send_ndi,
  // premium/index, premium/send, quiz/view (spec §4.8, §4.9, §4.11) ----
 public:
  static bool IsInboundAction(std::string_view action);

 private:
  ApiAnswer Inbound(std::string_view action, const core::Caller& caller, const Params& p);

  // ---- OpenAPI (openapi.h, docs/adr/0018) ----
 public:
  // The spec's action names, implemented or not ("error" for error/{code}).
  static std::span<const std::string_view> SpecActions();
  // true when Handle runs `action` (not 1000 InvalidAction).
  static bool IsImplemented(std::string_view action);

 private:
  // ---- http (actions_http.cc, docs/adr/0038) ----
  // send_sms's parameters (spec §4.1).
  static Result<void> ParseSendSms(const Params& p, core::SubmitRequest& req, bool& details);
  // The answer of a send (success document or error) to `done`.
  static std::function<void(Result<core::SubmitResult>)> SubmitAnswer(bool details, Language lang,
                                                                      Done done);
  // send_sms with a Bearer token through GatewayService::SubmitWithTokenAsync (one store
  // read for the login and the submit). false, with `done` untouched, when its parameters
  // do not parse: Handle then answers as always (the login's error first).
  bool SendSmsWithToken(const ApiRequest& request, Done& done);
  // The answer to a refused login (1001, 1003, 1007, 1012, 1009), logged at debug.
  static ApiAnswer RefusedLogin(std::string_view action, const std::string& from,
                                const Error& error, Language lang);

  core::GatewayService& service_;
  Language language_;
  BillingInfo billing_;
};

}  // namespace bramka::api::http
