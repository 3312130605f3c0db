#pragma once
// Panel login sessions (docs/adr/0017): a random id in an HttpOnly,
// SameSite=Strict cookie (Secure over TLS), only its SHA-256 stored through the
// Store (so a restart keeps sessions and a copy of the database lets nobody
// in), a fixed lifetime, and a CSRF token per session that every
// state-changing request must echo in the X-CSRF-Token header.
//
// Thread-safety: every method may be called concurrently (the Store is).
// Ownership: the Store and Clock must outlive the manager.

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "store/model.h"
#include "store/store.h"

namespace bramka::panel {

inline constexpr std::string_view kSessionCookie = "bramka_panel";
inline constexpr std::string_view kCsrfHeader = "x-csrf-token";

struct NewSession {
  std::string cookie_id;  // goes into the cookie; never stored
  store::PanelSession session;
};

class SessionManager {
 public:
  SessionManager(store::Store& store, Clock& clock, std::chrono::seconds lifetime);

  // A new session of the account (0 = the operator). kNotFound for an unknown account.
  Result<NewSession> Create(store::AccountId account_id);
  // kUnauthenticated for an empty, malformed, unknown or expired id.
  Result<store::PanelSession> Resolve(std::string_view cookie_id);
  // Logout; an unknown id succeeds.
  Result<void> Destroy(std::string_view cookie_id);

  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  store::Store& store_;
  Clock& clock_;
  std::chrono::seconds lifetime_;
};

// Whether `header` is the session's CSRF token (constant-time compare; an
// empty header never matches).
bool CsrfMatches(const store::PanelSession& session, std::string_view header);

// The value of cookie `name` in a Cookie header ("a=1; b=2"); empty when absent.
std::string CookieValue(std::string_view cookie_header, std::string_view name);

// The Set-Cookie value of the session cookie; an empty id clears it (Max-Age=0).
std::string SessionCookie(std::string_view cookie_id, bool secure, std::chrono::seconds max_age);

// Operator password (`bramka admin panel operator-password`): stored as an
// argon2id hash among the panel settings.
inline constexpr std::string_view kOperatorPasswordSetting = "operator_password_hash";
// kInvalidArgument for a password shorter than 8 characters.
Result<void> SetOperatorPassword(store::Store& store, const std::string& password);
// False when no operator password is set or it does not match.
bool VerifyOperatorPassword(store::Store& store, const std::string& password);

}  // namespace bramka::panel
