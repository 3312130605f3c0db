#include "api/soap/soap_handler.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "api/http/request.h"
#include "api/http/response.h"
#include "api/http/text_util.h"
#include "api/soap/answer.h"
#include "api/soap/operations.h"
#include "api/soap/wsdl.h"

namespace bramka::api::soap {
namespace {

constexpr unsigned kFaultStatus = 500;  // SOAP 1.1 §6.2

std::string Base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                       static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

http::MountedResponse FaultResponse(const http::ApiError& error, std::string label,
                                    unsigned status = kFaultStatus) {
  http::MountedResponse res;
  res.status = status;
  res.content_type = kSoapContentType;
  res.body = RenderFault(error);
  res.metric_label = std::move(label);
  res.error = true;
  return res;
}

// The ApiError inside an error answer ({"error":{code,type,message}}).
http::ApiError ErrorOf(const http::ApiAnswer& answer) {
  http::ApiError e;
  e.code = answer.error_code;
  const http::Document& err = answer.body.contains("error") ? answer.body["error"] : answer.body;
  if (err.contains("type") && err["type"].is_string()) e.type = err["type"].get<std::string>();
  if (err.contains("message") && err["message"].is_string()) {
    e.message = err["message"].get<std::string>();
  }
  return e;
}

bool AsksForWsdl(std::string_view query) {
  size_t pos = 0;
  while (pos <= query.size()) {
    size_t amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view key = query.substr(pos, amp - pos);
    key = key.substr(0, key.find('='));
    if (http::AsciiLower(key) == "wsdl") return true;
    pos = amp + 1;
  }
  return false;
}

// The Host header if it is a plain host[:port] (never echo anything else).
std::string SafeHost(std::string_view host) {
  host = http::Trim(host);
  if (host.empty() || host.size() > 255) return "localhost";
  for (char c : host) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '-' || c == ':' || c == '[' || c == ']';
    if (!ok) return "localhost";
  }
  return std::string(host);
}

}  // namespace

SoapHandler::SoapHandler(core::GatewayService& service, http::Language language,
                         http::BillingInfo billing, EnvelopeLimits limits)
    : actions_(service, language, std::move(billing)), language_(language), limits_(limits) {}

http::MountedResponse SoapHandler::TooLarge() const {
  return FaultResponse(http::ApiErrorByCode(http::api_code::kRequestTooLarge, language_),
                       "soap/unknown", 413);
}

void SoapHandler::Handle(http::MountedRequest request,
                         std::function<void(http::MountedResponse)> done) {
  if (request.method != "GET" && request.method != "POST") {
    http::MountedResponse res;
    res.status = 405;
    res.content_type = "text/plain; charset=UTF-8";
    res.headers.emplace_back("Allow", "GET, POST");
    res.body = "method not allowed\n";
    res.metric_label = "soap/unknown";
    return done(std::move(res));
  }
  if (request.method == "GET") {
    http::MountedResponse res;
    if (AsksForWsdl(request.query)) {
      res.content_type = kSoapContentType;
      res.body = RenderWsdl(std::string(request.tls ? "https://" : "http://") +
                            SafeHost(request.host) + request.path);
      res.metric_label = "soap/wsdl";
    } else {
      res.content_type = "text/plain; charset=UTF-8";
      res.body = "bramka SOAP 1.1 endpoint: POST envelopes here; the WSDL is at ?wsdl\n";
      res.metric_label = "soap/unknown";
    }
    return done(std::move(res));
  }

  Result<SoapCall> call = ParseEnvelope(request.body, limits_);
  if (!call.ok()) {
    spdlog::debug("soap: refused an envelope from {}: {}", request.remote_address,
                  call.error().message);
    return done(FaultResponse(ErrorOf(actions_.ErrorAnswer(call.error())), "soap/unknown"));
  }
  const Operation* op = FindOperation(call->operation);
  if (op == nullptr) {
    http::ApiError e = http::ApiErrorByCode(http::api_code::kInvalidAction, language_);
    e.message += " (unknown operation '" + call->operation + "')";
    return done(FaultResponse(e, "soap/unknown"));
  }

  http::ParamTree params = ToApiParams(*op, call->arguments);
  http::ApiRequest api;
  api.route.action = std::string(op->action);
  api.remote_address = request.remote_address;
  api.remote_ip = request.remote_ip;

  // Credentials (see the header): a token first, as the API prefers it.
  const std::string_view auth = http::Trim(request.authorization);
  const std::string scheme = http::AsciiLower(auth.substr(0, auth.find(' ')));
  const std::string_view auth_value = auth.find(' ') == std::string_view::npos
                                          ? std::string_view()
                                          : http::Trim(auth.substr(auth.find(' ')));
  if (scheme == "bearer") api.bearer_token = std::string(auth_value);
  if (api.bearer_token.empty() && params.contains("token") && params["token"].is_string()) {
    api.bearer_token = std::string(http::Trim(params["token"].get<std::string>()));
  }
  if (api.bearer_token.empty()) api.bearer_token = call->header_token;
  if (scheme == "basic") {
    if (auto decoded = http::DecodeBase64(auth_value); decoded.ok()) {
      const size_t colon = decoded->find(':');
      params["username"] = decoded->substr(0, colon);
      params["password"] = colon == std::string::npos ? "" : decoded->substr(colon + 1);
    }
  }
  if (!params.contains("username") && !call->header_username.empty()) {
    params["username"] = call->header_username;
    params["password"] = call->header_password;
  }
  if (api.route.action == "error") {
    // Error.view(code): the catalogue entry, answered as the fault it names.
    if (auto code = http::Params(params).GetString("code"); code.ok() && code->has_value()) {
      api.route.path_param = **code;
    }
  }
  api.params = http::Params(std::move(params));

  std::string label = "soap/" + std::string(op->name);
  // The completion may run on a core thread after a send's commit: it uses
  // only what it captured, never `this`.
  actions_.Handle(std::move(api), [done = std::move(done), label, operation = call->operation,
                                   ns = call->operation_ns](http::ApiAnswer answer) {
    if (answer.error_code != 0) return done(FaultResponse(ErrorOf(answer), label));
    http::MountedResponse res;
    res.content_type = kSoapContentType;
    res.metric_label = label;
    if (!answer.raw_content_type.empty()) {
      // payments/invoice: the PDF, base64 in a document.
      http::Document doc = http::Document::object();
      doc["content_type"] = answer.raw_content_type;
      doc["file"] = Base64(answer.raw_body);
      res.body = RenderResponse(operation, ns, doc);
    } else {
      res.body = RenderResponse(operation, ns, answer.body);
    }
    done(std::move(res));
  });
}

}  // namespace bramka::api::soap
