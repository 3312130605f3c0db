// The panel's front door: assets, login/logout, sessions, CSRF, the API v2 pass-through
// and the text analyser (docs/adr/0017).
#include "panel/panel.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <string>

#include "api/http/request.h"
#include "api/http/response.h"
#include "core/ip_allowlist.h"
#include "panel/assets.h"
#include "panel/panel_impl.h"
#include "sms/segmentation.h"
#include "sms/transliterate.h"

namespace bramka::panel {

namespace {
constexpr std::string_view kCsp =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A cross-site POST carries the other site's Origin; same-origin requests carry
// ours (or none, from old browsers). SameSite=Strict already keeps the cookie off
// cross-site requests; this is the second lock.
bool SameOrigin(const MountedRequest& r) {
  std::string_view origin = r.Header("origin");
  if (origin.empty()) return true;
  const size_t scheme = origin.find("://");
  if (scheme == std::string_view::npos) return false;
  return origin.substr(scheme + 3) == r.Header("host");
}
}  // namespace

void AddSecurityHeaders(MountedResponse& res) {
  res.headers.emplace_back("Content-Security-Policy", std::string(kCsp));
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
}

MountedResponse JsonAnswer(int status, const Json& body) {
  MountedResponse res;
  res.status = status;
  res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
  res.headers.emplace_back("Cache-Control", "no-store");
  AddSecurityHeaders(res);
  res.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return res;
}

MountedResponse ErrorAnswer(int status, std::string_view code, std::string_view message,
                            std::string_view field) {
  return JsonAnswer(status,
                    Json{{"error", {{"code", code}, {"message", message}, {"field", field}}}});
}

MountedResponse CoreErrorAnswer(
    const Error& error, std::initializer_list<std::pair<std::string_view, std::string_view>> fields,
    std::string_view fallback_field) {
  const std::string message = Lower(error.message);
  std::string_view field = fallback_field;
  for (const auto& [word, f] : fields) {
    if (message.find(word) != std::string::npos) {
      field = f;
      break;
    }
  }
  int status = 400;
  if (error.code == ErrorCode::kNotFound) status = 404;
  if (error.code == ErrorCode::kAlreadyExists) status = 409;
  if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kUnavailable) status = 500;
  return ErrorAnswer(status, ErrorCodeName(error.code), error.message, field);
}

std::optional<Json> JsonBody(const MountedRequest& request) {
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return std::nullopt;
  return body;
}

std::string Str(const Json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return {};
}

int64_t Int(const Json& body, const char* key, int64_t fallback) {
  auto it = body.find(key);
  if (it == body.end()) return fallback;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    try {
      size_t used = 0;
      const std::string s = it->get<std::string>();
      const int64_t v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (...) {
    }
  }
  return fallback;
}

bool Bool(const Json& body, const char* key, bool fallback) {
  auto it = body.find(key);
  if (it == body.end()) return fallback;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<int64_t>() != 0;
  if (it->is_string()) {
    const std::string v = it->get<std::string>();
    if (v == "1" || v == "true" || v == "on") return true;
    if (v == "0" || v == "false" || v == "off" || v.empty()) return false;
  }
  return fallback;
}

Panel::Impl::Impl(core::GatewayService& service, Clock& clock, PanelOptions options)
    : service_(service),
      clock_(clock),
      options_(std::move(options)),
      sessions_(service.store(), clock, options_.session_lifetime),
      actions_pl_(service, api::http::Language::kPolish, options_.billing),
      actions_en_(service, api::http::Language::kEnglish, options_.billing) {}

void Panel::Impl::Handle(MountedRequest request, Done done) {
  const std::string path = request.path;
  const bool post = request.method == "POST";
  if (request.method != "GET" && request.method != "HEAD" && !post) {
    return done(ErrorAnswer(405, "method", "method not allowed"));
  }
  if (path == "/panel") {
    MountedResponse res;
    res.status = 301;
    res.headers.emplace_back("Location", "/panel/");
    AddSecurityHeaders(res);
    return done(std::move(res));
  }
  if (!path.starts_with("/panel/api/")) {
    if (post) return done(ErrorAnswer(405, "method", "method not allowed"));
    std::string_view name = std::string_view(path).substr(7);  // after "/panel/"
    return done(Static(request, name.empty() ? "index.html" : name));
  }
  const std::string_view api = std::string_view(path).substr(11);  // after "/panel/api/"
  if (post && !SameOrigin(request)) {
    return done(ErrorAnswer(403, "origin", "cross-site request refused"));
  }
  if (api == "session" && !post) return done(SessionInfo(request));
  if (api == "login" && post) return done(Login(request, /*op=*/false));
  if (api == "operator/login" && post) return done(Login(request, /*op=*/true));

  auto who = Authenticate(request);
  if (!who.ok()) return done(ErrorAnswer(401, "session", who.error().message));
  if (post && !CsrfMatches(who->session, request.Header(kCsrfHeader))) {
    return done(ErrorAnswer(403, "csrf", "missing or wrong CSRF token"));
  }
  if (api == "logout" && post) return done(Logout(request));
  if (api.starts_with("op/")) {
    if (!who->op) return done(ErrorAnswer(403, "operator", "operator only"));
    return done(Operator(*who, request, api.substr(3)));
  }
  if (who->op) return done(ErrorAnswer(403, "customer", "customer pages need a customer login"));
  if (api.starts_with("v2/") && post) return ApiV2(*who, request, api.substr(3), std::move(done));
  if (api == "analyse" && post) return done(Analyse(request));
  return done(Customer(*who, request, api));
}

MountedResponse Panel::Impl::Static(const MountedRequest& request, std::string_view name) {
  const Asset* asset = FindAsset(name);
  if (asset == nullptr) {
    MountedResponse res;
    res.status = 404;
    res.headers.emplace_back("Content-Type", "text/plain; charset=utf-8");
    AddSecurityHeaders(res);
    res.body = "not found\n";
    return res;
  }
  MountedResponse res;
  AddSecurityHeaders(res);
  // Names are not fingerprinted: the browser keeps a copy but asks every time,
  // and a matching ETag costs a 304 without a body.
  res.headers.emplace_back("Cache-Control", "no-cache");
  res.headers.emplace_back("ETag", std::string(asset->etag));
  if (request.Header("if-none-match") == asset->etag) {
    res.status = 304;
    return res;
  }
  res.headers.emplace_back("Content-Type", std::string(asset->content_type));
  if (request.method != "HEAD") res.body = std::string(asset->body);
  return res;
}

Result<Who> Panel::Impl::Authenticate(const MountedRequest& request) {
  const std::string id = CookieValue(request.Header("cookie"), kSessionCookie);
  BRAMKA_ASSIGN_OR_RETURN(store::PanelSession session, sessions_.Resolve(id));
  Who who;
  who.session = session;
  who.op = session.account_id == 0;
  if (!who.op) {
    auto account = service_.store().GetAccount(session.account_id);
    if (!account.ok() || !account->active || account->deleted_ms != 0) {
      return Fail(ErrorCode::kUnauthenticated, "account inactive");
    }
    // The API allowlist holds for the whole session, not only its login.
    if (!account->allowed_cidrs.empty() &&
        !core::IpAllowed(account->allowed_cidrs, request.remote_ip)) {
      return Fail(ErrorCode::kUnauthenticated, "this address is not on the account's allowlist");
    }
    who.caller.account_id = account->id;
    who.caller.account_name = account->name;
  }
  return who;
}

MountedResponse Panel::Impl::SessionInfo(const MountedRequest& request) {
  auto who = Authenticate(request);
  if (!who.ok()) return ErrorAnswer(401, "session", who.error().message);
  return JsonAnswer(200, Json{{"kind", who->op ? "operator" : "customer"},
                              {"account", who->caller.account_name},
                              {"csrf", who->session.csrf_token}});
}

MountedResponse Panel::Impl::Login(const MountedRequest& request, bool op) {
  auto body = JsonBody(request);
  if (!body) return ErrorAnswer(400, "body", "the body must be a JSON object");
  const std::string username = Str(*body, "username");
  const std::string password = Str(*body, "password");
  store::AccountId account_id = 0;
  std::string account_name;
  if (op) {
    // The operator shares core's throttle under a name no account can have.
    auto& throttle = service_.login_throttle();
    const auto now = clock_.Now();
    if (throttle.Blocked(request.remote_ip, "#operator", now).count() > 0) {
      return ErrorAnswer(429, "throttled", "too many failed logins; try again later", "password");
    }
    if (!VerifyOperatorPassword(service_.store(), password)) {
      throttle.RecordFailure(request.remote_ip, "#operator", now);
      return ErrorAnswer(401, "login", "wrong operator password", "password");
    }
    throttle.RecordSuccess("#operator");
  } else {
    if (username.empty()) return ErrorAnswer(400, "missing", "enter the username", "username");
    if (password.empty()) return ErrorAnswer(400, "missing", "enter the password", "password");
    core::ApiCredentials credentials;
    credentials.username = username;
    credentials.password = password;
    auto caller = service_.AuthenticateApi(credentials, request.remote_ip);
    if (!caller.ok()) {
      const auto f = static_cast<core::Failure>(caller.error().detail);
      if (f == core::Failure::kLoginThrottled) {
        return ErrorAnswer(429, "throttled", "too many failed logins; try again later", "password");
      }
      if (f == core::Failure::kIpNotAllowed) {
        return ErrorAnswer(403, "ip", "this address is not on the account's allowlist", "username");
      }
      if (f == core::Failure::kSendingBlocked) {
        return ErrorAnswer(403, "inactive", "the account is inactive", "username");
      }
      return ErrorAnswer(401, "login", "wrong username or password", "password");
    }
    account_id = caller->account_id;
    account_name = caller->account_name;
  }
  auto created = sessions_.Create(account_id);
  if (!created.ok()) return CoreErrorAnswer(created.error(), {}, "");
  MountedResponse res = JsonAnswer(200, Json{{"kind", op ? "operator" : "customer"},
                                             {"account", account_name},
                                             {"csrf", created->session.csrf_token}});
  res.headers.emplace_back("Set-Cookie",
                           SessionCookie(created->cookie_id, request.tls, sessions_.lifetime()));
  spdlog::info("panel: {} logged in from {}", op ? "operator" : account_name, request.remote_ip);
  return res;
}

MountedResponse Panel::Impl::Logout(const MountedRequest& request) {
  const std::string id = CookieValue(request.Header("cookie"), kSessionCookie);
  if (auto r = sessions_.Destroy(id); !r.ok()) return CoreErrorAnswer(r.error(), {}, "");
  MountedResponse res = JsonAnswer(200, Json{{"success", true}});
  res.headers.emplace_back("Set-Cookie", SessionCookie("", request.tls, {}));
  return res;
}

void Panel::Impl::ApiV2(const Who& who, const MountedRequest& request, std::string_view action,
                        Done done) {
  api::http::ActionHandler& actions =
      request.Header("x-panel-lang") == "en" ? actions_en_ : actions_pl_;
  api::http::ApiRequest api;
  api.route = api::http::ParseRoute(action);
  api.route.format = api::http::Format::kJson;
  api.remote_address = request.remote_ip + " (panel)";
  api.remote_ip = request.remote_ip;
  api.panel_caller = std::make_shared<const core::Caller>(who.caller);
  std::vector<api::http::UploadedFile> uploads;
  auto tree =
      api::http::DecodeParameters(request.Header("content-type"), request.body, "", &uploads);
  if (!tree.ok()) {
    return done(JsonAnswer(
        200, Json::parse(api::http::RenderJson(actions.ErrorAnswer(tree.error()).body))));
  }
  api.params = api::http::Params(std::move(*tree), std::move(uploads));
  actions.Handle(std::move(api), [done = std::move(done)](api::http::ApiAnswer answer) {
    MountedResponse res;
    AddSecurityHeaders(res);
    res.headers.emplace_back("Cache-Control", "no-store");
    if (!answer.raw_content_type.empty()) {
      res.headers.emplace_back("Content-Type", answer.raw_content_type);
      res.body = std::move(answer.raw_body);
    } else {
      res.headers.emplace_back("Content-Type", "application/json; charset=utf-8");
      res.body = api::http::RenderJson(answer.body);
    }
    done(std::move(res));
  });
}

// The live counter of the send page: the server's one definition of encoding and
// parts (core's EncodeText does the same: ECO and non-UTF texts are transliterated
// to GSM-7; FULL with utf keeps UCS-2).
MountedResponse Panel::Impl::Analyse(const MountedRequest& request) {
  auto body = JsonBody(request);
  if (!body) return ErrorAnswer(400, "body", "the body must be a JSON object");
  const std::string text = Str(*body, "text");
  const std::string type = Str(*body, "type");
  const bool utf = Bool(*body, "utf", false) && type == "full";
  const std::string sent = utf ? text : sms::TransliterateForGsm7(text);
  const sms::Encoding encoding = utf ? sms::Encoding::kUcs2 : sms::Encoding::kGsm7;
  auto info = sms::AnalyzeText(sent, encoding);
  if (!info.ok()) return ErrorAnswer(400, "text", info.error().message, "text");
  const auto limits = sms::DefaultPartLimits(encoding);
  const size_t capacity = info->parts <= 1 ? limits.single : limits.per_part * info->parts;
  return JsonAnswer(200, Json{{"encoding", sms::EncodingName(encoding)},
                              {"units", info->units},
                              {"parts", info->parts},
                              {"max_parts", sms::kMaxParts},
                              {"capacity", capacity},
                              {"too_long", info->parts > sms::kMaxParts},
                              {"transliterated", sent != text},
                              {"text", sent}});
}

Panel::Panel(core::GatewayService& service, Clock& clock, PanelOptions options)
    : impl_(std::make_unique<Impl>(service, clock, std::move(options))) {}
Panel::~Panel() = default;

api::http::MountedResponse Panel::TooLarge() const {
  return ErrorAnswer(413, "too_large", "the request body is too large", "");
}

void Panel::Handle(api::http::MountedRequest request,
                   std::function<void(api::http::MountedResponse)> done) {
  // The adapter edge (STYLE.md "Errors" 4): nothing thrown by a library (JSON) may
  // reach the server's worker pool. Every handler calls `done` last, so an exception
  // means no answer went out yet.
  try {
    impl_->Handle(std::move(request), done);
  } catch (const std::exception& e) {
    spdlog::error("panel: {}", e.what());
    done(ErrorAnswer(500, "internal", "internal error"));
  }
}

}  // namespace bramka::panel
