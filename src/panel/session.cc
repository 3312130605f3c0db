#include "panel/session.h"

#include <sodium.h>

#include "core/credentials.h"

namespace bramka::panel {

namespace {
bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
constexpr size_t kIdChars = 64;  // two API tokens: 256 random bits
}  // namespace

SessionManager::SessionManager(store::Store& store, Clock& clock, std::chrono::seconds lifetime)
    : store_(store), clock_(clock), lifetime_(lifetime) {}

Result<NewSession> SessionManager::Create(store::AccountId account_id) {
  NewSession out;
  out.cookie_id = core::NewApiToken() + core::NewApiToken();
  const int64_t now = ToUnixMillis(clock_.Now());
  out.session.id_hash = core::HashApiToken(out.cookie_id);
  out.session.account_id = account_id;
  out.session.csrf_token = core::NewApiToken();
  out.session.created_ms = now;
  out.session.expires_ms =
      now + std::chrono::duration_cast<std::chrono::milliseconds>(lifetime_).count();
  BRAMKA_RETURN_IF_ERROR(store_.PutPanelSession(out.session, now));
  return out;
}

Result<store::PanelSession> SessionManager::Resolve(std::string_view cookie_id) {
  if (cookie_id.size() != kIdChars || !IsHex(cookie_id)) {
    return Fail(ErrorCode::kUnauthenticated, "not logged in");
  }
  auto s = store_.GetPanelSession(core::HashApiToken(std::string(cookie_id)),
                                  ToUnixMillis(clock_.Now()));
  if (!s.ok() && s.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kUnauthenticated, "session expired");
  }
  return s;
}

Result<void> SessionManager::Destroy(std::string_view cookie_id) {
  if (cookie_id.size() != kIdChars || !IsHex(cookie_id)) return Ok();
  return store_.DeletePanelSession(core::HashApiToken(std::string(cookie_id)));
}

bool CsrfMatches(const store::PanelSession& session, std::string_view header) {
  if (header.empty() || header.size() != session.csrf_token.size()) return false;
  return sodium_memcmp(header.data(), session.csrf_token.data(), header.size()) == 0;
}

std::string CookieValue(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    size_t end = header.find(';');
    std::string_view pair = header.substr(0, end);
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = pair.substr(0, eq);
    while (!key.empty() && key.back() == ' ') key.remove_suffix(1);
    if (key != name) continue;
    std::string_view value = pair.substr(eq + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '"')) value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '"')) value.remove_suffix(1);
    return std::string(value);
  }
  return {};
}

std::string SessionCookie(std::string_view cookie_id, bool secure, std::chrono::seconds max_age) {
  std::string c(kSessionCookie);
  c += '=';
  c += cookie_id;
  c += "; Path=/panel; HttpOnly; SameSite=Strict; Max-Age=";
  c += std::to_string(cookie_id.empty() ? 0 : max_age.count());
  if (secure) c += "; Secure";
  return c;
}

Result<void> SetOperatorPassword(store::Store& store, const std::string& password) {
  if (password.size() < 8) {
    return Fail(ErrorCode::kInvalidArgument, "the operator password needs at least 8 characters");
  }
  BRAMKA_ASSIGN_OR_RETURN(std::string hash, core::HashPassword(password));
  return store.SetPanelSetting(std::string(kOperatorPasswordSetting), hash);
}

bool VerifyOperatorPassword(store::Store& store, const std::string& password) {
  auto hash = store.GetPanelSetting(std::string(kOperatorPasswordSetting));
  if (!hash.ok() || password.empty()) return false;
  return core::VerifyPassword(*hash, password);
}

}  // namespace bramka::panel
