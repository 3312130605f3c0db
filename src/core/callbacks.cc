// GatewayService: callback URL templates and the callback outbox (ADR 0007).

#include "core/callback_url.h"
#include "core/gateway_service.h"

namespace bramka::core {

Result<void> ValidateCallbackUrl(std::string_view url) {
  if (url.size() > 2048) {
    return Fail(ErrorCode::kInvalidArgument, "callback URL longer than 2048 characters");
  }
  size_t host_at = 0;
  if (url.substr(0, 7) == "http://") {
    host_at = 7;
  } else if (url.substr(0, 8) == "https://") {
    host_at = 8;
  } else {
    return Fail(ErrorCode::kInvalidArgument, "callback URL must start with http:// or https://");
  }
  if (host_at >= url.size() || url[host_at] == '/' || url[host_at] == ':' || url[host_at] == '?' ||
      url[host_at] == '#') {
    return Fail(ErrorCode::kInvalidArgument, "callback URL has no host");
  }
  for (unsigned char c : url) {
    if (c <= 0x20 || c == 0x7f) {
      return Fail(ErrorCode::kInvalidArgument,
                  "callback URL contains a space or control character (percent-encode it)");
    }
  }
  return Ok();
}

Result<store::AccountCallbacks> GatewayService::SetCallbackUrls(const std::string& account_name,
                                                                std::optional<std::string> dlr_url,
                                                                std::optional<std::string> mo_url) {
  for (const auto* url : {&dlr_url, &mo_url}) {
    if (*url && !(*url)->empty()) {
      auto valid = ValidateCallbackUrl(**url);
      if (valid.ok() && !options_.allow_private_callback_urls) valid = CheckCallbackHost(**url);
      if (!valid.ok()) {
        return Fail(ErrorCode::kInvalidArgument,
                    std::string(url == &dlr_url ? "DLR" : "MO") + " " + valid.error().message,
                    static_cast<int>(Failure::kInvalidParameter));
      }
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  BRAMKA_ASSIGN_OR_RETURN(store::AccountCallbacks current, store_.GetAccountCallbacks(account.id));
  if (dlr_url) current.dlr_url = std::move(*dlr_url);
  if (mo_url) current.mo_url = std::move(*mo_url);
  BRAMKA_RETURN_IF_ERROR(store_.SetAccountCallbacks(account.id, current));
  return current;
}

Result<store::AccountCallbacks> GatewayService::GetCallbackUrls(const std::string& account_name) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  return store_.GetAccountCallbacks(account.id);
}

Result<std::vector<store::CallbackEntry>> GatewayService::ListCallbacks(
    const std::string& account_name, int limit) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  return store_.ListCallbacks(account.id, limit);
}

Result<int64_t> GatewayService::RetryFailedCallbacks(const std::string& account_name) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  BRAMKA_ASSIGN_OR_RETURN(int64_t n,
                          store_.RetryFailedCallbacks(account.id, ToUnixMillis(clock_.Now())));
  if (n > 0 && callback_queued_hook_) callback_queued_hook_();
  return n;
}

Result<bool> GatewayService::QueueIncomingCallback(const IncomingCallback& incoming) {
  store::CallbackEntry e;
  e.account_id = incoming.account_id;
  e.kind = store::CallbackKind::kMo;
  e.message_id = incoming.message_id;
  e.phone = incoming.from;
  e.sender = incoming.to;
  e.status = "received";
  e.text = incoming.text;
  e.event_ms = incoming.received_ms;
  e.created_ms = ToUnixMillis(clock_.Now());
  BRAMKA_ASSIGN_OR_RETURN(bool queued, store_.QueueMoCallback(e));
  if (queued && callback_queued_hook_) callback_queued_hook_();
  return queued;
}

}  // namespace bramka::core
