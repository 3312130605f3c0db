// GatewayService: SMPP logins and their deliver_sm outbox (api/smpp calls these).

#include "core/credentials.h"
#include "core/gateway_service.h"
#include "core/ip_allowlist.h"

namespace bramka::core {
namespace {

// SMPP 3.4 §4.1.1: system_id is a C-Octet String of at most 16 octets, password 9.
constexpr size_t kMaxSystemId = 15;
constexpr size_t kMaxPassword = 8;

// Credential cache keys of SMPP logins live apart from account names.
std::string CacheName(const std::string& system_id) { return "smpp\n" + system_id; }

}  // namespace

Result<SmppLogin> GatewayService::AuthenticateSmpp(const std::string& system_id,
                                                   const std::string& password,
                                                   const std::string& peer_address) {
  auto invalid = [] {
    return Refuse(ErrorCode::kUnauthenticated, Failure::kInvalidUser,
                  "invalid system_id or password");
  };
  const SystemTime now = clock_.Now();
  // reliability area (issue 12): failed binds count in the same LoginThrottle as API
  // logins (per address, and per system_id under its own key space), so passwords
  // cannot be guessed over SMPP either; a blocked attempt is refused unchecked.
  const std::string throttle_name = CacheName(system_id);
  if (auto left = login_throttle_->Blocked(peer_address, throttle_name, now); left.count() > 0) {
    return Refuse(ErrorCode::kThrottled, Failure::kLoginThrottled,
                  "too many failed binds; try again in " + std::to_string(left.count()) + " s");
  }
  auto failed = [&]() {
    login_throttle_->RecordFailure(peer_address, throttle_name, now);
    return invalid();
  };
  if (system_id.empty()) return failed();
  auto user = store_.FindSmppUser(system_id);
  if (!user.ok()) {
    if (user.error().code == ErrorCode::kNotFound) return failed();
    return Fail(user.take_error());
  }
  auto cached = credentials_->Lookup(CacheName(system_id), password, now);
  if (!cached || *cached != user->id) {
    if (!VerifyPassword(user->password_hash, password)) return failed();
    credentials_->Remember(CacheName(system_id), password, user->id, now);
  }
  login_throttle_->RecordSuccess(throttle_name);
  if (!IpAllowed(user->allowed_cidrs, peer_address)) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kIpNotAllowed,
                  "address " + peer_address + " is not allowed for system_id " + system_id);
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(user->account_id));
  if (!account.active) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kSendingBlocked, "account is not active");
  }
  return SmppLogin{Caller{account.id, account.name}, std::move(*user)};
}

Result<int64_t> GatewayService::CreateSmppUser(const std::string& account_name,
                                               const std::string& system_id,
                                               const std::string& password,
                                               const std::vector<std::string>& allowed_cidrs,
                                               int max_binds, int tps) {
  if (system_id.empty() || system_id.size() > kMaxSystemId) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "system_id must be 1 to 15 characters");
  }
  if (password.empty() || password.size() > kMaxPassword) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "SMPP passwords are 1 to 8 characters (SMPP 3.4 §4.1.1)");
  }
  if (max_binds < 0 || tps < 0) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "max_binds and tps must not be negative (0 = unlimited)");
  }
  for (const auto& cidr : allowed_cidrs) BRAMKA_RETURN_IF_ERROR(ValidateCidr(cidr));
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(account_name));
  BRAMKA_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  store::SmppUser user;
  user.account_id = account.id;
  user.system_id = system_id;
  user.password_hash = std::move(hash);
  user.allowed_cidrs = allowed_cidrs;
  user.max_binds = max_binds;
  user.tps = tps;
  user.created_ms = ToUnixMillis(clock_.Now());
  return store_.CreateSmppUser(user);
}

Result<std::vector<store::SmppUser>> GatewayService::ListSmppUsers() {
  return store_.ListSmppUsers();
}

Result<int64_t> GatewayService::QueueSmppDeliver(int64_t smpp_user_id,
                                                 const std::string& message_id,
                                                 const std::string& pdu) {
  store::SmppOutboxEntry e;
  e.smpp_user_id = smpp_user_id;
  e.message_id = message_id;
  e.pdu = pdu;
  e.created_ms = ToUnixMillis(clock_.Now());
  return store_.AddSmppOutbox(e);
}

Result<GatewayService::SmppOutboxSubject> GatewayService::SmppOutboxSubjectOf(
    store::AccountId account, const store::SmppOutboxEntry& entry) {
  SmppOutboxSubject subject;
  if (entry.inbox_id != 0) {
    BRAMKA_ASSIGN_OR_RETURN(subject.incoming, store_.GetInboxMessage(account, entry.inbox_id));
  } else {
    BRAMKA_ASSIGN_OR_RETURN(subject.message, store_.GetMessage(account, entry.message_id));
  }
  return subject;
}

Result<std::vector<int64_t>> GatewayService::SmppUserIdsOf(store::AccountId account) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<store::SmppUser> all, store_.ListSmppUsers());
  std::vector<int64_t> ids;
  for (const store::SmppUser& u : all) {
    if (u.account_id == account) ids.push_back(u.id);
  }
  return ids;
}

Result<std::vector<store::SmppOutboxEntry>> GatewayService::PendingSmppDelivers(
    int64_t smpp_user_id, int limit) {
  // Claimed, not listed: with several nodes, another node holding a bind of the same
  // user must not send these too (docs/adr/0023).
  return store_.ClaimSmppOutbox(smpp_user_id, limit, ToUnixMillis(clock_.Now()));
}

Result<void> GatewayService::AckSmppDeliver(int64_t entry_id) {
  return store_.DeleteSmppOutbox(entry_id);
}

}  // namespace bramka::core
