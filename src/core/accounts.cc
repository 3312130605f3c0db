// GatewayService: the accounts area (docs/adr/0008) — API login with the
// per-account IP allowlist and failed-login throttling, subaccounts
// (spec §4.17), account/add signups, account/messages, and the operator's
// side of them (bramka admin).

#include <algorithm>
#include <cctype>

#include "core/credentials.h"
#include "core/gateway_service.h"
#include "core/ip_allowlist.h"

namespace bramka::core {
namespace {

Unexpected Missing(const std::string& name) {
  return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, name);
}

Unexpected Invalid(std::string message) {
  return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter, std::move(message));
}

Unexpected NoSubaccount(store::AccountId id) {
  return Refuse(ErrorCode::kNotFound, Failure::kInvalidId,
                "no subaccount with id " + std::to_string(id));
}

constexpr size_t kMaxLogin = 64;
constexpr size_t kMaxPassword = 128;
constexpr size_t kMaxText = 255;

bool IsValidLogin(const std::string& s) {
  if (s.empty() || s.size() > kMaxLogin) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' ||
           c == '@';
  });
}

bool IsPlausibleEmail(const std::string& s) {
  if (s.size() > 254) return false;
  const size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  const size_t dot = s.find('.', at + 2);
  if (dot == std::string::npos || dot + 1 >= s.size()) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || static_cast<unsigned char>(c) < 0x20;
  });
}

// Translates the store's kRejected (detail = type + 1) for a transfer.
Error ParentTooLow(const Error& e) {
  std::string type = "a";
  if (e.detail > 0) {
    type = std::string(store::MessageTypeName(static_cast<store::MessageType>(e.detail - 1)));
  }
  return MakeError(ErrorCode::kRejected,
                   "the main account's " + type + " balance cannot cover this limit",
                   static_cast<int>(Failure::kParentBalanceTooLow));
}

}  // namespace

// ---- login -------------------------------------------------------------------------

Result<void> GatewayService::LoginNotThrottled(const std::string& peer_ip,
                                               const std::string& username, SystemTime now) {
  if (auto left = login_throttle_->Blocked(peer_ip, username, now); left.count() > 0) {
    return Refuse(ErrorCode::kThrottled, Failure::kLoginThrottled,
                  "too many failed logins; try again in " + std::to_string(left.count()) + " s");
  }
  return Ok();
}

// What a login decides once the account is read: `found` is FindAccountByToken's or
// FindAccountByName's answer (`username` empty for a token); `password` (only for a name)
// is checked after the allowlist, so that an address outside it gets no answer about it.
Result<Caller> GatewayService::LoginWith(Result<store::Account> found, const std::string& peer_ip,
                                         const std::string& username, const std::string* password,
                                         SystemTime now) {
  auto failed = [&]() {
    login_throttle_->RecordFailure(peer_ip, username, now);
    return InvalidUser();
  };
  if (!found.ok()) {
    if (found.error().code == ErrorCode::kNotFound) return failed();
    return Fail(found.take_error());
  }
  const store::Account& account = *found;
  if (account.deleted_ms != 0) return failed();
  if (!IpAllowed(account.allowed_cidrs, peer_ip)) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kIpNotAllowed,
                  "address " + peer_ip + " is not allowed for account " + account.name);
  }
  if (password != nullptr) {
    auto cached = credentials_->Lookup(username, *password, now);
    if (!cached || *cached != account.id) {
      if (!VerifyPassword(account.password_hash, *password)) return failed();
      credentials_->Remember(username, *password, account.id, now);
    }
    login_throttle_->RecordSuccess(username);
  }
  if (!account.active) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kSendingBlocked, "account is not active");
  }
  return Caller{account.id, account.name};
}

Result<Caller> GatewayService::AuthenticateApi(const ApiCredentials& c,
                                               const std::string& peer_ip) {
  const SystemTime now = clock_.Now();
  const bool by_token = !c.token.empty();
  const std::string username = by_token ? std::string() : c.username;
  BRAMKA_RETURN_IF_ERROR(LoginNotThrottled(peer_ip, username, now));
  if (by_token) {  // one read (ADR 0030)
    return LoginWith(store_.FindAccountByToken(HashApiToken(c.token)), peer_ip, username, nullptr,
                     now);
  }
  if (c.username.empty() || c.password.empty()) {
    login_throttle_->RecordFailure(peer_ip, username, now);
    return InvalidUser();
  }
  return LoginWith(store_.FindAccountByName(c.username), peer_ip, username, &c.password, now);
}

// ---- subaccounts (spec §4.17) ------------------------------------------------------------

Result<store::AccountId> GatewayService::CreateSubaccount(const Caller& caller,
                                                          const SubaccountRequest& r) {
  if (r.username.empty()) return Missing("subaccount_username");
  if (r.password.empty()) return Missing("subaccount_password");
  if (!IsValidLogin(r.username)) {
    return Invalid("subaccount_username must be 1 to 64 letters, digits or _ . - @");
  }
  if (r.password.size() > kMaxPassword) return Invalid("subaccount_password is too long");
  if (r.full_name.size() > kMaxText) return Invalid("name is too long");
  if (!r.email.empty() && !IsPlausibleEmail(r.email)) {
    return Invalid("email '" + r.email + "' is not an e-mail address");
  }
  std::string phone;
  if (!r.phone.empty()) {
    auto normalised = phones_.Normalize(r.phone);
    if (!normalised.ok()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone,
                    "phone: " + normalised.error().message);
    }
    phone = *normalised;
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account parent, store_.GetAccount(caller.account_id));
  if (parent.parent_id != 0) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kSubaccountRefused,
                  "a subaccount cannot have subaccounts");
  }

  store::NewSubaccount s;
  s.parent_id = parent.id;
  s.name = r.username;
  s.full_name = r.full_name;
  s.phone = phone;
  s.email = r.email;
  s.now_ms = ToUnixMillis(clock_.Now());
  if (r.template_id) {
    // The template's permissions (available types, allowlist) and limits.
    auto tmpl = store_.GetSubaccount(parent.id, *r.template_id);
    if (!tmpl.ok()) {
      if (tmpl.error().code != ErrorCode::kNotFound) return Fail(tmpl.take_error());
      return Refuse(ErrorCode::kNotFound, Failure::kSubaccountRefused,
                    "subaccount_id " + std::to_string(*r.template_id) +
                        " is not a subaccount of this account");
    }
    s.allowed_cidrs = tmpl->allowed_cidrs;
    BRAMKA_ASSIGN_OR_RETURN(auto balances, store_.GetBalances(tmpl->id));
    for (const auto& b : balances) {
      if (b.available)
        s.balances.push_back(store::Balance{b.type, true, false, std::max<int64_t>(0, b.units)});
    }
  } else {
    // The types the parent may send, with nothing to send yet: the parent
    // gives units with subaccounts/limit.
    BRAMKA_ASSIGN_OR_RETURN(auto balances, store_.GetBalances(parent.id));
    for (const auto& b : balances) {
      if (b.available) s.balances.push_back(store::Balance{b.type, true, false, 0});
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(s.password_hash, HashPassword(r.password));
  auto id = store_.CreateSubaccount(s);
  if (!id.ok()) {
    const Error& e = id.error();
    if (e.code == ErrorCode::kAlreadyExists) {
      return Refuse(ErrorCode::kAlreadyExists, Failure::kLoginTaken,
                    "the login '" + r.username + "' is taken");
    }
    if (e.code == ErrorCode::kRejected) return Fail(ParentTooLow(e));
    return Fail(id.take_error());
  }
  return id;
}

Result<std::vector<store::Account>> GatewayService::ListSubaccounts(const Caller& caller) {
  return store_.ListSubaccounts(caller.account_id);
}

Result<store::Account> GatewayService::ViewSubaccount(const Caller& caller, store::AccountId id) {
  auto a = store_.GetSubaccount(caller.account_id, id);
  if (!a.ok() && a.error().code == ErrorCode::kNotFound) return NoSubaccount(id);
  return a;
}

Result<void> GatewayService::SetSubaccountLimit(const Caller& caller, store::AccountId id,
                                                store::MessageType type, int64_t units) {
  if (units < 0) return Invalid("value must not be negative");
  // The parent can only hand out what it may send itself.
  BRAMKA_ASSIGN_OR_RETURN(auto balances, store_.GetBalances(caller.account_id));
  for (const auto& b : balances) {
    if (b.type == type && !b.available) {
      BRAMKA_RETURN_IF_ERROR(ViewSubaccount(caller, id));  // a foreign id is still 1004
      return Refuse(ErrorCode::kRejected, Failure::kParentBalanceTooLow,
                    "the main account may not send " + std::string(store::MessageTypeName(type)) +
                        " messages");
    }
  }
  auto r =
      store_.SetSubaccountLimit(caller.account_id, id, type, units, ToUnixMillis(clock_.Now()));
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kNotFound) return NoSubaccount(id);
    if (r.error().code == ErrorCode::kRejected) return Fail(ParentTooLow(r.error()));
  }
  return r;
}

Result<void> GatewayService::DeleteSubaccount(const Caller& caller, store::AccountId id) {
  auto r = store_.DeleteSubaccount(caller.account_id, id, ToUnixMillis(clock_.Now()));
  if (!r.ok() && r.error().code == ErrorCode::kNotFound) return NoSubaccount(id);
  return r;
}

// ---- account/add, account/messages (spec §4.12) -------------------------------------------

Result<int64_t> GatewayService::RequestAccount(const Caller& caller, const SignupRequest& r) {
  const auto& demos = options_.demo_accounts;
  if (std::find(demos.begin(), demos.end(), caller.account_name) != demos.end()) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kRegistrationRefused,
                  "the demo account cannot register accounts");
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(caller.account_id));
  if (account.parent_id != 0) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kRegistrationRefused,
                  "a subaccount cannot register accounts");
  }
  if (r.email.empty()) return Missing("email");
  if (r.phone.empty()) return Missing("phone");
  if (!IsPlausibleEmail(r.email))
    return Invalid("email '" + r.email + "' is not an e-mail address");
  for (const std::string* field : {&r.first_name, &r.last_name, &r.company}) {
    if (field->size() > kMaxText)
      return Invalid("first_name, last_name and company: at most 255 bytes");
  }
  auto phone = phones_.Normalize(r.phone);
  if (!phone.ok()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone,
                  "phone: " + phone.error().message);
  }
  store::Signup g;
  g.requested_by = caller.account_id;
  g.phone = *phone;
  g.email = r.email;
  g.first_name = r.first_name;
  g.last_name = r.last_name;
  g.company = r.company;
  g.created_ms = ToUnixMillis(clock_.Now());
  return store_.AddSignup(g);
}

Result<std::vector<store::AccountMessage>> GatewayService::AccountMessages(const Caller& caller) {
  return store_.TakeAccountMessages(caller.account_id, ToUnixMillis(clock_.Now()));
}

// ---- operator ---------------------------------------------------------------------------

Result<void> GatewayService::SetAllowedIps(const std::string& name,
                                           const std::vector<std::string>& cidrs) {
  for (const auto& cidr : cidrs) BRAMKA_RETURN_IF_ERROR(ValidateCidr(cidr));
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  return store_.SetAllowedCidrs(account.id, cidrs);
}

Result<int64_t> GatewayService::PostAccountMessage(const std::string& name,
                                                   const std::string& text) {
  if (text.empty()) return Fail(ErrorCode::kInvalidArgument, "the message text is empty");
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  return store_.AddAccountMessage(account.id, text, ToUnixMillis(clock_.Now()));
}

Result<std::vector<store::Signup>> GatewayService::ListSignups() { return store_.ListSignups(); }

Result<store::AccountId> GatewayService::ApproveSignup(int64_t id, const std::string& name,
                                                       const std::string& password) {
  BRAMKA_ASSIGN_OR_RETURN(auto signups, store_.ListSignups());
  auto it = std::find_if(signups.begin(), signups.end(),
                         [id](const store::Signup& g) { return g.id == id; });
  if (it == signups.end()) return Fail(ErrorCode::kNotFound, "no signup " + std::to_string(id));
  if (it->status != store::SignupStatus::kPending) {
    return Fail(ErrorCode::kRejected, "signup " + std::to_string(id) + " is already " +
                                          std::string(store::SignupStatusName(it->status)));
  }
  BRAMKA_ASSIGN_OR_RETURN(store::AccountId account, CreateAccount(name, password));
  BRAMKA_RETURN_IF_ERROR(store_.ResolveSignup(id, store::SignupStatus::kApproved, account));
  return account;
}

Result<void> GatewayService::RejectSignup(int64_t id) {
  return store_.ResolveSignup(id, store::SignupStatus::kRejected, 0);
}

}  // namespace bramka::core
