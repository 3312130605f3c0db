#include "core/gateway_service.h"

#include <spdlog/spdlog.h>

#include <future>

#include "core/credentials.h"
#include "core/id_allocator.h"
#include "store/completion_home.h"

namespace bramka::core {
GatewayService::GatewayService(store::Store& store, Clock& clock, CoreOptions options)
    : store_(store),
      clock_(clock),
      options_(std::move(options)),
      phones_(options_.default_region),
      ids_(std::make_unique<IdAllocator>(store, options_.id_key)),
      credentials_(std::make_unique<CredentialCache>(options_.credential_cache_ttl)) {}

GatewayService::~GatewayService() = default;

Result<Caller> GatewayService::AuthenticateToken(const std::string& token) {
  if (token.empty()) return InvalidUser();
  auto id = store_.FindAccountByTokenHash(HashApiToken(token));
  if (!id.ok()) {
    if (id.error().code == ErrorCode::kNotFound) return InvalidUser();
    return Fail(id.take_error());
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(*id));
  if (!account.active) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kSendingBlocked, "account is not active");
  }
  return Caller{account.id, account.name};
}

Result<Caller> GatewayService::AuthenticatePassword(const std::string& name,
                                                    const std::string& password) {
  if (name.empty() || password.empty()) return InvalidUser();
  auto account = store_.FindAccountByName(name);
  if (!account.ok()) {
    if (account.error().code == ErrorCode::kNotFound) return InvalidUser();
    return Fail(account.take_error());
  }
  SystemTime now = clock_.Now();
  auto cached = credentials_->Lookup(name, password, now);
  if (!cached || *cached != account->id) {
    if (!VerifyPassword(account->password_hash, password)) return InvalidUser();
    credentials_->Remember(name, password, account->id, now);
  }
  if (!account->active) {
    return Refuse(ErrorCode::kPermissionDenied, Failure::kSendingBlocked, "account is not active");
  }
  return Caller{account->id, account->name};
}

Result<SubmitResult> GatewayService::Submit(const Caller& caller, SubmitRequest request) {
  auto promise = std::make_shared<std::promise<Result<SubmitResult>>>();
  auto future = promise->get_future();
  // This thread waits for the completion: its home (docs/adr/0067) must not be the one to run it.
  store::CompletionHome::Scope no_home(nullptr);
  SubmitAsync(caller, std::move(request),
              [promise](Result<SubmitResult> r) { promise->set_value(std::move(r)); });
  return future.get();
}

Result<store::Message> GatewayService::ViewMessage(const Caller& caller, const std::string& id) {
  auto m = store_.GetMessage(caller.account_id, id);
  if (!m.ok() && m.error().code == ErrorCode::kNotFound) {
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId, "no message with id '" + id + "'");
  }
  return m;
}

Result<store::Message> GatewayService::ViewMessageByUniqueId(const Caller& caller,
                                                             const std::string& unique_id) {
  auto m = store_.FindMessageByUniqueId(caller.account_id, unique_id);
  if (!m.ok() && m.error().code == ErrorCode::kNotFound) {
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId,
                  "no message with unique_id '" + unique_id + "'");
  }
  return m;
}

Result<store::MessagePage> GatewayService::Reports(const Caller& caller,
                                                   store::MessageQuery query) {
  query.account_id = caller.account_id;
  // Phones are stored in E.164: a filter written as the client writes numbers
  // must match them. A filter that is not a valid number matches nothing.
  for (auto& phone : query.phones) {
    if (auto normalised = phones_.Normalize(phone); normalised.ok()) phone = *normalised;
  }
  if (query.page < 1) query.page = 1;
  if (query.limit < 1) query.limit = 50;
  if (query.limit > 500) query.limit = 500;
  if (query.ids.size() > 500) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "at most 500 message ids per request");
  }
  return store_.QueryMessages(query);
}

Result<DeleteResult> GatewayService::DeleteScheduled(const Caller& caller,
                                                     const std::vector<std::string>& ids,
                                                     const std::vector<std::string>& unique_ids) {
  if (ids.empty() && unique_ids.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter,
                  "id or unique_id is required");
  }
  DeleteResult result;
  int64_t now = ToUnixMillis(clock_.Now());
  auto cancel = [&](const std::string& id) -> Result<void> {
    auto done = store_.CancelScheduled(caller.account_id, id, now);
    if (done.ok() && *done) {
      ++result.correct;
    } else if (done.ok() || done.error().code == ErrorCode::kNotFound) {
      ++result.failed;
    } else {
      return Fail(done.take_error());
    }
    return Ok();
  };
  for (const auto& id : ids) BRAMKA_RETURN_IF_ERROR(cancel(id));
  for (const auto& uid : unique_ids) {
    auto m = store_.FindMessageByUniqueId(caller.account_id, uid);
    if (!m.ok()) {
      if (m.error().code != ErrorCode::kNotFound) return Fail(m.take_error());
      ++result.failed;
      continue;
    }
    BRAMKA_RETURN_IF_ERROR(cancel(m->id));
  }
  return result;
}

Result<std::vector<store::Balance>> GatewayService::Limits(const Caller& caller) {
  return store_.GetBalances(caller.account_id);
}

Result<store::Account> GatewayService::AccountByName(const std::string& name) {
  auto a = store_.FindAccountByName(name);
  if (!a.ok() && a.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "no account named '" + name + "'");
  }
  return a;
}

Result<store::AccountId> GatewayService::CreateAccount(const std::string& name,
                                                       const std::string& password) {
  if (name.empty() || name.size() > 64) {
    return Fail(ErrorCode::kInvalidArgument, "account name must be 1 to 64 characters");
  }
  if (password.empty()) return Fail(ErrorCode::kInvalidArgument, "password must not be empty");
  BRAMKA_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  return store_.CreateAccount(name, hash, 0, ToUnixMillis(clock_.Now()));
}

Result<void> GatewayService::SetPassword(const std::string& name, const std::string& password) {
  if (password.empty()) return Fail(ErrorCode::kInvalidArgument, "password must not be empty");
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  BRAMKA_ASSIGN_OR_RETURN(std::string hash, HashPassword(password));
  BRAMKA_RETURN_IF_ERROR(store_.SetPasswordHash(account.id, hash));
  credentials_->Forget(name);
  return Ok();
}

Result<void> GatewayService::TopUp(const std::string& name, store::MessageType type, int64_t units,
                                   const std::string& note) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  return store_.AdjustBalance(account.id, type, units, note.empty() ? "top-up" : note,
                              ToUnixMillis(clock_.Now()));
}

Result<std::string> GatewayService::CreateToken(const std::string& name, const std::string& label) {
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  std::string token = NewApiToken();
  BRAMKA_RETURN_IF_ERROR(
      store_.AddApiToken(account.id, HashApiToken(token), label, ToUnixMillis(clock_.Now())));
  return token;
}

Result<void> GatewayService::SetSenderStatus(const std::string& name, const std::string& sender,
                                             store::SenderStatus status) {
  if (!IsValidSenderName(sender)) {
    return Fail(ErrorCode::kInvalidArgument,
                "sender name must be 1 to 11 letters, digits or spaces, or a number");
  }
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(name));
  return store_.SetSender(account.id, sender, status, ToUnixMillis(clock_.Now()));
}

Result<std::vector<store::Account>> GatewayService::ListAccounts() { return store_.ListAccounts(); }

}  // namespace bramka::core
