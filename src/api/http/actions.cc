#include "api/http/actions.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <memory>

#include "api/http/action_params.h"
#include "api/http/personalized.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/unavailable.h"

namespace bramka::api::http {

namespace {

// Every action the spec names (§4 table, plus the two documented-only
// ones); a bounded set of metric labels. The aliases are resolved earlier.
constexpr std::string_view kSpecActions[] = {
    "messages/send_sms",
    "messages/send_personalized",
    "messages/send_voice",
    "messages/send_mms",
    "messages/view",
    "messages/reports",
    "messages/delete",
    "messages/recived",
    "messages/send_nd",
    "messages/send_ndi",
    "files/add",
    "files/index",
    "files/view",
    "files/delete",
    "premium/index",
    "premium/send",
    "quiz/view",
    "account/add",
    "account/limits",
    "account/help",
    "account/messages",
    "senders/add",
    "senders/index",
    "groups/add",
    "groups/index",
    "groups/view",
    "groups/edit",
    "groups/delete",
    "groups/check",
    "contacts/add",
    "contacts/index",
    "contacts/view",
    "contacts/edit",
    "contacts/delete",
    "contacts/import",
    "phones/check",
    "phones/lookup",
    "phones/test",
    "subaccounts/add",
    "subaccounts/index",
    "subaccounts/view",
    "subaccounts/limit",
    "subaccounts/delete",
    "blacklist/add",
    "blacklist/index",
    "blacklist/check",
    "blacklist/delete",
    "payments/index",
    "payments/view",
    "payments/invoice",
    "stats/index",
    "templates/index",
    "templates/view",
    "templates/add",
    "templates/edit",
    "templates/delete",
    "error",
};

enum class Action {
  kUnknown,
  kError,
  kSendSms,
  kSendPersonalized,
  kSendVoice,
  kView,
  kReports,
  kDelete,
  kLimits,
  kPhonesTest,
  kPaymentsIndex,
  kPaymentsView,
  kPaymentsInvoice,
  kStatsIndex,
  kAddressBook,  // groups/*, contacts/*, blacklist/*, templates/* (actions_addressbook.cc)
  kAccounts,     // subaccounts/*, senders/*, account/add|help|messages (actions_accounts.cc)
  // media and number checks (actions_media.cc)
  kSendMms,
  kFilesAdd,
  kFilesIndex,
  kFilesView,
  kFilesDelete,
  kPhonesCheck,
  kPhonesLookup,
  kInbound,  // messages/recived, send_nd(i), premium/*, quiz/view (actions_inbound.cc)
};

Action ActionFor(std::string_view name) {
  if (name == "error") return Action::kError;
  if (name == "messages/send_sms") return Action::kSendSms;
  if (name == "messages/send_personalized") return Action::kSendPersonalized;
  if (name == "messages/send_voice") return Action::kSendVoice;
  if (name == "messages/view") return Action::kView;
  if (name == "messages/reports") return Action::kReports;
  if (name == "messages/delete") return Action::kDelete;
  if (name == "account/limits") return Action::kLimits;
  if (name == "phones/test") return Action::kPhonesTest;
  if (name == "payments/index") return Action::kPaymentsIndex;
  if (name == "payments/view") return Action::kPaymentsView;
  if (name == "payments/invoice") return Action::kPaymentsInvoice;
  if (name == "stats/index") return Action::kStatsIndex;
  if (ActionHandler::IsAddressBookAction(name)) return Action::kAddressBook;
  if (ActionHandler::IsAccountsAction(name)) return Action::kAccounts;
  // media and number checks (actions_media.cc)
  if (name == "messages/send_mms") return Action::kSendMms;
  if (name == "files/add") return Action::kFilesAdd;
  if (name == "files/index") return Action::kFilesIndex;
  if (name == "files/view") return Action::kFilesView;
  if (name == "files/delete") return Action::kFilesDelete;
  if (name == "phones/check") return Action::kPhonesCheck;
  if (name == "phones/lookup") return Action::kPhonesLookup;
  if (ActionHandler::IsInboundAction(name)) return Action::kInbound;
  return Action::kUnknown;
}

// Null where the value does not exist yet (clients test with isset()).
Document TimeOrNull(int64_t ms) { return ms > 0 ? Document(FormatApiTimeMs(ms)) : Document(); }
Document TextOrNull(const std::string& s) { return s.empty() ? Document() : Document(s); }

// Fields messages/view and messages/reports share (spec §4.5).
void AddMessageFields(const store::Message& m, Document& out) {
  out["id"] = m.id;
  out["phone"] = m.phone;
  out["status"] = std::string(store::MessageStatusName(m.status));
  out["queued"] = TimeOrNull(m.queued_ms);
  out["sent"] = TimeOrNull(m.sent_ms);
  out["delivered"] =
      m.status == store::MessageStatus::kDelivered ? TimeOrNull(m.done_ms) : Document();
  out["sender"] = TextOrNull(m.sender);
  out["type"] = std::string(store::MessageTypeName(m.type));
  out["text"] = m.text;
  out["reason"] = TextOrNull(m.reason);
}

// "chars_limit" per balance type (spec §4.12).
std::string_view CharsLimit(store::MessageType t) {
  switch (t) {
    case store::MessageType::kEco:
    case store::MessageType::kFull:
      return "918/6";
    case store::MessageType::kVoice:
      return "160/1";
    case store::MessageType::kMms:
      return "40/1";
    case store::MessageType::kLookup:
    case store::MessageType::kHlr:
      return "nd";
  }
  return "nd";
}

// The order clients rely on: items[0] is ECO, items[1] FULL (spec §4.12).
constexpr std::array<store::MessageType, 6> kLimitsOrder = {
    store::MessageType::kEco, store::MessageType::kFull,   store::MessageType::kVoice,
    store::MessageType::kMms, store::MessageType::kLookup, store::MessageType::kHlr};

// First entry of a String|Array parameter, or nullopt.
Result<std::optional<std::string>> FirstOf(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> list, p.GetList(key));
  if (list.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(list.front()));
}

// reliability (issue 12): 1009 says what is wrong — storage full, database busy.
void NameStorageTrouble(ApiError& e, const Error& error) {
  if (e.code != api_code::kServiceUnavailable) return;
  if (auto trouble = store::StorageTroubleText(error); !trouble.empty()) {
    e.message += " (" + std::string(trouble) + ")";
  }
}

ApiAnswer ErrorAnswerIn(const Error& error, Language lang) {
  ApiError e = ApiErrorFor(error, lang);
  // Say which parameter; the table's text alone leaves the client guessing.
  // (Also for the files/* errors: which limit, which format.)
  if ((e.code == api_code::kRequiredMissing || e.code == api_code::kInvalidData ||
       e.code == api_code::kInvalidId || e.code == api_code::kInvalidPhone ||
       (e.code >= 4601 && e.code <= 4603)) &&
      !error.message.empty()) {
    e.message += " (" + error.message + ")";
  }
  NameStorageTrouble(e, error);
  return ApiAnswer{ErrorDocument(e), e.code};
}

}  // namespace

ApiAnswer ActionHandler::RefusedLogin(std::string_view action, const std::string& from,
                                      const Error& error, Language lang) {
  ApiError e = AuthErrorFor(error, lang);
  NameStorageTrouble(e, error);
  spdlog::debug("http: {} from {}: authentication failed: {}", action, from, error.ToString());
  return ApiAnswer{ErrorDocument(e), e.code};
}

ActionHandler::ActionHandler(core::GatewayService& service, Language language, BillingInfo billing)
    : service_(service), language_(language), billing_(std::move(billing)) {}

std::string_view ActionHandler::MetricLabel(std::string_view action) {
  for (std::string_view a : kSpecActions) {
    if (a == action) return a;
  }
  return "unknown";
}

// ---- OpenAPI (docs/adr/0018) ----
std::span<const std::string_view> ActionHandler::SpecActions() { return kSpecActions; }
bool ActionHandler::IsImplemented(std::string_view action) {
  return ActionFor(action) != Action::kUnknown;
}

ApiAnswer ActionHandler::ErrorAnswer(int api_code) const {
  const ApiError e = ApiErrorByCode(api_code, language_);
  return ApiAnswer{ErrorDocument(e), e.code};
}

ApiAnswer ActionHandler::ErrorAnswer(const Error& error) const {
  return ErrorAnswerIn(error, language_);
}

void ActionHandler::Handle(ApiRequest request, std::function<void(ApiAnswer)> done) {
  const Action action = ActionFor(request.route.action);
  if (action == Action::kUnknown) return done(ErrorAnswer(api_code::kInvalidAction));
  if (action == Action::kError) {
    // error/{code} answers the catalogue entry as the error envelope.
    const ApiError e = ErrorPreview(request.route.path_param, language_);
    return done(ApiAnswer{ErrorDocument(e), e.code});
  }

  // http (docs/adr/0038): send_sms with a Bearer token logs in and reads for the submit in
  // one store read (actions_http.cc); the same answers in the same order.
  if (action == Action::kSendSms && !request.panel_caller && !request.bearer_token.empty() &&
      SendSmsWithToken(request, done)) {
    return;
  }
  // Spec §1.4: a Bearer token wins over username/password in the body.
  // The account's allowlist (1003) and login throttling (1012) are core's
  // (GatewayService::AuthenticateApi, docs/adr/0008).
  Result<core::Caller> caller = [&]() -> Result<core::Caller> {
    if (request.panel_caller) return *request.panel_caller;  // web panel session
    core::ApiCredentials credentials;
    credentials.token = request.bearer_token;
    if (credentials.token.empty()) {
      auto user = request.params.GetString("username");
      auto pass = request.params.GetString("password");
      if (user.ok() && user->has_value()) credentials.username = **user;
      if (pass.ok() && pass->has_value()) credentials.password = **pass;
    }
    return service_.AuthenticateApi(credentials, request.remote_ip);
  }();
  if (!caller.ok()) {
    return done(
        RefusedLogin(request.route.action, request.remote_address, caller.error(), language_));
  }

  const Context ctx{*caller, request.params};
  switch (action) {
    case Action::kSendSms:
      return SendSms(ctx, std::move(done));
    case Action::kSendPersonalized:
      return SendPersonalized(ctx, std::move(done));
    case Action::kSendVoice:
      return SendVoice(ctx, std::move(done));
    case Action::kView:
      return done(View(ctx));
    case Action::kReports:
      return done(Reports(ctx));
    case Action::kDelete:
      return done(Delete(ctx));
    case Action::kLimits:
      return done(Limits(ctx));
    case Action::kPhonesTest:
      return done(PhonesTest(ctx));
    case Action::kPaymentsIndex:
      return done(PaymentsIndex(ctx));
    case Action::kPaymentsView:
      return done(PaymentsView(ctx));
    case Action::kPaymentsInvoice:
      return done(PaymentsInvoice(ctx));
    case Action::kStatsIndex:
      return done(StatsIndex(ctx));
    case Action::kAddressBook:
      return done(AddressBook(request.route.action, ctx.caller, ctx.params));
    case Action::kAccounts:
      return done(Accounts(request.route.action, ctx.caller, ctx.params));
    // media and number checks (actions_media.cc)
    case Action::kSendMms:
      return SendMms(ctx, std::move(done));
    case Action::kFilesAdd:
      return done(FilesAdd(ctx.caller, ctx.params));
    case Action::kFilesIndex:
      return done(FilesIndex(ctx.caller, ctx.params));
    case Action::kFilesView:
      return done(FilesView(ctx.caller, ctx.params));
    case Action::kFilesDelete:
      return done(FilesDelete(ctx.caller, ctx.params));
    case Action::kPhonesCheck:
      return done(PhonesCheck(ctx.caller, ctx.params, /*lookup=*/false));
    case Action::kPhonesLookup:
      return done(PhonesCheck(ctx.caller, ctx.params, /*lookup=*/true));
    case Action::kInbound:
      return done(Inbound(request.route.action, ctx.caller, ctx.params));
    case Action::kUnknown:
    case Action::kError:
      break;
  }
  done(ErrorAnswer(api_code::kInvalidAction));
}

// ---- sending (spec §4.1–4.3) ---------------------------------------------------------

// The options every send action shares (spec §4.1): sender, details, test,
// utf, flash, speed, date, unique_id, dlr_url.
Result<void> ActionHandler::ParseSendOptions(const Params& p, core::SubmitRequest& req,
                                             bool& details) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> sender, p.GetString("sender"));
  if (sender && !Trim(*sender).empty()) req.sender = std::string(Trim(*sender));
  BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> d, p.GetBool("details"));
  details = d.value_or(false);
  BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> test, p.GetBool("test"));
  req.test = test.value_or(false);
  BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> utf, p.GetBool("utf"));
  req.utf = utf.value_or(false);
  BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> flash, p.GetBool("flash"));
  req.flash = flash.value_or(false);
  BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> speed, p.GetBool("speed"));
  req.speed = speed.value_or(false);
  BRAMKA_ASSIGN_OR_RETURN(int64_t date_ms, TimeParam(p, "date", false));
  if (date_ms > 0) req.schedule = FromUnixMillis(date_ms);
  BRAMKA_ASSIGN_OR_RETURN(req.unique_ids, p.GetList("unique_id"));
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> dlr_url, p.GetString("dlr_url"));
  if (dlr_url) req.dlr_url = std::move(*dlr_url);
  return Ok();
}

// Recipients as `phone`, `group_id` and `contact_id` (spec §4.1).
Result<void> ActionHandler::ParseRecipients(const Params& p, core::SubmitRequest& req) {
  BRAMKA_ASSIGN_OR_RETURN(req.phones, p.GetList("phone"));
  BRAMKA_RETURN_IF_ERROR(ParseAddressBookRecipients(p, req));
  if (!req.phones.empty() || !req.group_ids.empty() || !req.contact_ids.empty()) return Ok();
  return Fail(Missing("phone, group_id or contact_id"));
}

Result<void> ActionHandler::ParseSendSms(const Params& p, core::SubmitRequest& req, bool& details) {
  BRAMKA_RETURN_IF_ERROR(ParseRecipients(p, req));
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
  if (!text) return Fail(Missing("text"));
  req.text = std::move(*text);
  return ParseSendOptions(p, req, details);
}

void ActionHandler::SendSms(const Context& ctx, Done done) {
  core::SubmitRequest req;
  bool details = false;
  Result<void> parsed = ParseSendSms(ctx.params, req, details);
  if (!parsed.ok()) return done(ErrorAnswer(parsed.error()));
  Submit(ctx, std::move(req), details, std::move(done));
}

// spec §4.2: a text per recipient; `voice` sends them as VMS.
void ActionHandler::SendPersonalized(const Context& ctx, Done done) {
  const Params& p = ctx.params;
  core::SubmitRequest req;
  bool details = false;
  Result<void> parsed = [&]() -> Result<void> {
    const ParamTree& tree = p.tree();
    auto messages = tree.find("messages");
    // group_id/contact_id: their contacts get `text` (spec §4.2).
    BRAMKA_RETURN_IF_ERROR(ParseAddressBookRecipients(p, req));
    const bool address_book = !req.group_ids.empty() || !req.contact_ids.empty();
    if (address_book) {
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
      if (!text) return Fail(Missing("text (for group_id/contact_id)"));
      req.text = std::move(*text);
    }
    std::vector<PersonalizedMessage> list;
    if (messages != tree.end() && !messages->is_null()) {
      BRAMKA_ASSIGN_OR_RETURN(list, ParsePersonalizedMessages(*messages));
    }
    if (list.empty() && !address_book) return Fail(Missing("messages"));
    for (auto& m : list) {
      req.phones.push_back(std::move(m.phone));
      req.texts.push_back(std::move(m.text));
    }
    BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> voice, p.GetBool("voice"));
    if (voice.value_or(false)) req.kind = core::SubmitKind::kVoice;
    return ParseSendOptions(p, req, details);
  }();
  if (!parsed.ok()) return done(ErrorAnswer(parsed.error()));
  Submit(ctx, std::move(req), details, std::move(done));
}

// spec §4.3: text-to-speech from `text`, or a WAV from files/* as `file_id`.
void ActionHandler::SendVoice(const Context& ctx, Done done) {
  const Params& p = ctx.params;
  core::SubmitRequest req;
  req.kind = core::SubmitKind::kVoice;
  bool details = false;
  Result<void> parsed = [&]() -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(ParseRecipients(p, req));
    BRAMKA_ASSIGN_OR_RETURN(bool has_file, ParseVoiceFile(p, req));
    BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
    if (!text && !has_file) return Fail(Missing("text or file_id"));
    if (text) req.text = std::move(*text);
    return ParseSendOptions(p, req, details);
  }();
  if (!parsed.ok()) return done(ErrorAnswer(parsed.error()));
  Submit(ctx, std::move(req), details, std::move(done));
}

// spec §4.4: title and files (ids from files/*, or base64 contents); actions_media.cc.
void ActionHandler::SendMms(const Context& ctx, Done done) {
  const Params& p = ctx.params;
  core::SubmitRequest req;
  req.kind = core::SubmitKind::kMms;
  bool details = false;
  Result<void> parsed = [&]() -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(ParseRecipients(p, req));
    BRAMKA_RETURN_IF_ERROR(ParseMms(p, req));
    return ParseSendOptions(p, req, details);
  }();
  if (!parsed.ok()) return done(ErrorAnswer(parsed.error()));
  req.sender.reset();  // an MMS has no sender name
  Submit(ctx, std::move(req), details, std::move(done));
}

void ActionHandler::Submit(const Context& ctx, core::SubmitRequest req, bool details, Done done) {
  req.source = "http";
  service_.SubmitAsync(ctx.caller, std::move(req),
                       SubmitAnswer(details, language_, std::move(done)));
}

// The completion runs on a core thread after the commit and must not touch `this` (the
// server may be stopping): it captures what it needs.
core::GatewayService::SubmitCallback ActionHandler::SubmitAnswer(bool details, Language lang,
                                                                 Done done) {
  return [details, lang, done = std::move(done)](Result<core::SubmitResult> r) {
    if (!r.ok()) return done(ErrorAnswerIn(r.error(), lang));
    Document doc = Document::object();
    // httpio (session 13): room for every key at once (an ordered_json object is a vector).
    doc.get_ref<Document::object_t&>().reserve(details ? 4 : 3);
    doc["success"] = true;
    doc["queued"] = r->queued;
    doc["unsent"] = r->unsent;
    if (details) {
      Document items = Document::array();
      for (const core::SubmitItem& it : r->items) {
        Document item = Document::object();
        if (it.queued) {
          if (!it.id.empty()) item["id"] = it.id;
          item["phone"] = it.phone;
          item["status"] = "queued";
          item["queued"] = TimeOrNull(it.queued_ms);
          item["parts"] = it.parts;
          item["text"] = it.text;
          if (r->stat_id != 0) item["stat_id"] = r->stat_id;
        } else {
          const ApiError e = ApiErrorForFailure(it.failure, lang);
          item["phone"] = it.phone;
          item["status"] = "unsent";
          item["error_code"] = e.code;
          item["error_message"] = e.message;
          item["text"] = it.text;
        }
        if (!it.unique_id.empty()) item["unique_id"] = it.unique_id;
        items.push_back(std::move(item));
      }
      doc["items"] = std::move(items);
    }
    done(ApiAnswer{std::move(doc), 0});
  };
}

// ---- messages/view (spec §4.5) -------------------------------------------------------

ApiAnswer ActionHandler::View(const Context& ctx) {
  auto id = FirstOf(ctx.params, "id");
  if (!id.ok()) return ErrorAnswer(id.error());
  auto unique_id = FirstOf(ctx.params, "unique_id");
  if (!unique_id.ok()) return ErrorAnswer(unique_id.error());
  auto show_contact = ctx.params.GetBool("show_contact");
  if (!show_contact.ok()) return ErrorAnswer(show_contact.error());

  Result<store::Message> m = Missing("id");
  if (id->has_value()) {
    m = service_.ViewMessage(ctx.caller, **id);
  } else if (unique_id->has_value()) {
    m = service_.ViewMessageByUniqueId(ctx.caller, **unique_id);
  }
  if (!m.ok()) return ErrorAnswer(m.error());
  Document doc = Document::object();
  AddMessageFields(*m, doc);
  // Contacts arrive with the contacts module; the key exists so that
  // clients reading it find "no contact".
  if (show_contact->value_or(false)) doc["contact"] = nullptr;
  return ApiAnswer{std::move(doc), 0};
}

// ---- messages/reports (spec §4.6) -----------------------------------------------------

ApiAnswer ActionHandler::Reports(const Context& ctx) {
  const Params& p = ctx.params;
  store::MessageQuery q;
  bool show_contact = false;
  Result<void> parsed = [&]() -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(q.ids, p.GetList("id"));
    BRAMKA_ASSIGN_OR_RETURN(q.unique_ids, p.GetList("unique_id"));
    BRAMKA_ASSIGN_OR_RETURN(q.phones, p.GetList("phone"));  // core normalises them
    BRAMKA_ASSIGN_OR_RETURN(q.from_ms, TimeParam(p, "date_from", false));
    BRAMKA_ASSIGN_OR_RETURN(q.to_ms, TimeParam(p, "date_to", true));
    BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> status, p.GetString("status"));
    if (status && !Trim(*status).empty()) {
      const std::string s = AsciiLower(Trim(*status));
      if (s == "pending") {
        q.pending_only = true;
      } else if (auto st = store::ParseMessageStatus(s)) {
        q.status = *st;
      } else {
        return Fail(InvalidData("unknown status '" + s + "'"));
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(q.type, MessageTypeParam(p, "type"));
    BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> stat_id, p.GetInt("stat_id"));
    q.stat_id = stat_id.value_or(0);
    // The same bounds core applies, so that `count` below matches its pages.
    BRAMKA_ASSIGN_OR_RETURN(Paging paging, PagingParams(p));
    q.page = paging.page;
    q.limit = paging.limit;
    BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> order, p.GetString("order"));
    q.descending = order && AsciiLower(Trim(*order)) == "desc";
    BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> contact, p.GetBool("show_contact"));
    show_contact = contact.value_or(false);
    return Ok();
  }();
  if (!parsed.ok()) return ErrorAnswer(parsed.error());

  const Paging paging{q.page, q.limit};
  Result<store::MessagePage> result = service_.Reports(ctx.caller, std::move(q));
  if (!result.ok()) return ErrorAnswer(result.error());

  Document doc = Document::object();
  doc["paging"] = PagingDocument(paging, result->total);
  Document items = Document::array();
  for (const store::Message& m : result->items) {
    Document item = Document::object();
    AddMessageFields(m, item);
    item["flash"] = m.flash;
    item["utf"] = m.unicode;
    item["parts"] = m.parts;
    // Until pricing exists, one unit costs 1.0.
    item["cost"] = static_cast<double>(m.cost_units) * 1.0;
    item["method"] = TextOrNull(m.source);
    item["mnc"] = nullptr;
    item["country"] = nullptr;
    item["network"] = nullptr;
    if (!m.unique_id.empty()) item["unique_id"] = m.unique_id;
    if (m.stat_id != 0) item["stat_id"] = m.stat_id;
    if (show_contact) item["contact"] = nullptr;
    if (!m.attachments.empty()) {  // MMS files, a voice message's WAV (spec §4.6)
      Document attachments = Document::array();
      for (const std::string& file_id : m.attachments) attachments.push_back({{"id", file_id}});
      item["attachments"] = std::move(attachments);
    }
    items.push_back(std::move(item));
  }
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

// ---- messages/delete (spec §4.7) -------------------------------------------------------

ApiAnswer ActionHandler::Delete(const Context& ctx) {
  auto ids = ctx.params.GetList("id");
  if (!ids.ok()) return ErrorAnswer(ids.error());
  auto unique_ids = ctx.params.GetList("unique_id");
  if (!unique_ids.ok()) return ErrorAnswer(unique_ids.error());
  if (ids->empty() && unique_ids->empty()) return ErrorAnswer(Missing("id or unique_id"));
  auto r = service_.DeleteScheduled(ctx.caller, *ids, *unique_ids);
  if (!r.ok()) return ErrorAnswer(r.error());
  Document doc = Document::object();
  // Spec §2.3: a message that is not scheduled (any more) is a soft failure.
  doc["success"] = r->correct > 0 && r->failed == 0;
  doc["correct"] = r->correct;
  doc["failed"] = r->failed;
  return ApiAnswer{std::move(doc), 0};
}

// ---- account/limits (spec §4.12) --------------------------------------------------------

ApiAnswer ActionHandler::Limits(const Context& ctx) {
  auto show_type = ctx.params.GetBool("show_type");
  if (!show_type.ok()) return ErrorAnswer(show_type.error());
  auto balances = service_.Limits(ctx.caller);
  if (!balances.ok()) return ErrorAnswer(balances.error());

  Document doc = Document::object();
  if (show_type->value_or(false)) doc["account"] = Document{{"type", "prepaid"}};
  Document items = Document::array();
  for (store::MessageType type : kLimitsOrder) {
    auto it = std::find_if(balances->begin(), balances->end(),
                           [type](const store::Balance& b) { return b.type == type; });
    std::string value = "not_available";
    if (it != balances->end() && it->available) {
      value = it->unlimited ? "no_limit" : std::to_string(std::max<int64_t>(0, it->units));
    }
    Document item = Document::object();
    item["type"] = std::string(store::MessageTypeName(type));
    item["chars_limit"] = std::string(CharsLimit(type));
    item["value"] = std::move(value);
    items.push_back(std::move(item));
  }
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

// ---- phones/test (spec §4.16) ---------------------------------------------------------

// Whether the number is a valid one (libphonenumber, default region PL).
ApiAnswer ActionHandler::PhonesTest(const Context& ctx) {
  auto phone = FirstOf(ctx.params, "phone");
  if (!phone.ok()) return ErrorAnswer(phone.error());
  if (!phone->has_value()) return ErrorAnswer(Missing("phone"));
  Document doc = Document::object();
  doc["correct"] = service_.phones().Normalize(**phone).ok();
  return ApiAnswer{std::move(doc), 0};
}

}  // namespace bramka::api::http
