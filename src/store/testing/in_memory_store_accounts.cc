// InMemoryStore: subaccounts, API allowlists, sender requests, operator
// messages and signups (the accounts area, docs/adr/0008).

#include <algorithm>
#include <utility>

#include "store/testing/in_memory_store.h"

namespace bramka::store {
namespace {

bool ValidBalanceType(MessageType t) {
  return static_cast<int>(t) <= static_cast<int>(MessageType::kLookup);
}

Unexpected NoSubaccount() { return Fail(ErrorCode::kNotFound, "no such subaccount"); }

std::string TransferNote(AccountId sub_id) { return "subaccount " + std::to_string(sub_id); }

}  // namespace

Account* InMemoryStore::LiveSubaccountLocked(AccountId parent_id, AccountId id) {
  auto it = accounts_.find(id);
  if (it == accounts_.end() || it->second.parent_id == 0 || it->second.parent_id != parent_id ||
      it->second.deleted_ms != 0) {
    return nullptr;
  }
  return &it->second;
}

Result<void> InMemoryStore::TransferLocked(AccountId parent_id, AccountId sub_id, MessageType type,
                                           int64_t units, int64_t now_ms) {
  if (units == 0) return Ok();
  const size_t t = static_cast<size_t>(type);
  Balance& parent = balances_.at(parent_id)[t];
  Balance& sub = balances_.at(sub_id)[t];
  const std::string note = TransferNote(sub_id);
  if (!parent.unlimited) {
    if (units > 0 && parent.units < units) {
      return Fail(ErrorCode::kRejected, "the parent's balance is too low",
                  static_cast<int>(type) + 1);
    }
    parent.units -= units;
    ledger_.push_back({parent_id, type, -units, "", note, now_ms});
  }
  sub.units += units;
  ledger_.push_back({sub_id, type, units, "", note, now_ms});
  return Ok();
}

Result<AccountId> InMemoryStore::CreateSubaccount(const NewSubaccount& s) {
  std::lock_guard lock(mu_);
  auto parent = accounts_.find(s.parent_id);
  if (parent == accounts_.end() || parent->second.deleted_ms != 0) {
    return Fail(ErrorCode::kNotFound, "no such parent account");
  }
  for (const Balance& b : s.balances) {
    if (!ValidBalanceType(b.type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
    if (b.units < 0) return Fail(ErrorCode::kInvalidArgument, "negative units");
  }
  for (const auto& [id, account] : accounts_) {
    if (account.name == s.name)
      return Fail(ErrorCode::kAlreadyExists, "account name taken: " + s.name);
  }
  // Check every transfer before changing anything (all or nothing).
  const auto& parent_balances = balances_.at(s.parent_id);
  std::array<int64_t, kTypes> wanted{};
  for (const Balance& b : s.balances) wanted[static_cast<size_t>(b.type)] += b.units;
  for (size_t t = 0; t < kTypes; ++t) {
    if (!parent_balances[t].unlimited && wanted[t] > 0 && parent_balances[t].units < wanted[t]) {
      return Fail(ErrorCode::kRejected, "the parent's balance is too low", static_cast<int>(t) + 1);
    }
  }
  Account account;
  account.id = next_account_id_++;
  account.name = s.name;
  account.password_hash = s.password_hash;
  account.parent_id = s.parent_id;
  account.created_ms = s.now_ms;
  account.full_name = s.full_name;
  account.phone = s.phone;
  account.email = s.email;
  account.allowed_cidrs = s.allowed_cidrs;
  accounts_[account.id] = account;
  std::array<Balance, kTypes> balances;
  for (size_t i = 0; i < kTypes; ++i) {
    balances[i].type = static_cast<MessageType>(i);
    balances[i].available = false;
  }
  balances_[account.id] = balances;
  for (const Balance& b : s.balances) {
    balances_[account.id][static_cast<size_t>(b.type)].available = true;
    BRAMKA_RETURN_IF_ERROR(TransferLocked(s.parent_id, account.id, b.type, b.units, s.now_ms));
  }
  return account.id;
}

Result<std::vector<Account>> InMemoryStore::ListSubaccounts(AccountId parent_id) {
  std::lock_guard lock(mu_);
  std::vector<Account> out;
  for (const auto& [id, account] : accounts_) {
    if (parent_id != 0 && account.parent_id == parent_id && account.deleted_ms == 0) {
      out.push_back(account);
    }
  }
  return out;
}

Result<Account> InMemoryStore::GetSubaccount(AccountId parent_id, AccountId id) {
  std::lock_guard lock(mu_);
  Account* a = LiveSubaccountLocked(parent_id, id);
  if (!a) return NoSubaccount();
  return *a;
}

Result<void> InMemoryStore::SetSubaccountLimit(AccountId parent_id, AccountId id, MessageType type,
                                               int64_t units, int64_t now_ms) {
  if (!ValidBalanceType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  if (units < 0) return Fail(ErrorCode::kInvalidArgument, "negative units");
  std::lock_guard lock(mu_);
  if (!LiveSubaccountLocked(parent_id, id)) return NoSubaccount();
  Balance& sub = balances_.at(id)[static_cast<size_t>(type)];
  BRAMKA_RETURN_IF_ERROR(TransferLocked(parent_id, id, type, units - sub.units, now_ms));
  sub.available = true;
  return Ok();
}

Result<void> InMemoryStore::DeleteSubaccount(AccountId parent_id, AccountId id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Account* a = LiveSubaccountLocked(parent_id, id);
  if (!a) return NoSubaccount();
  for (size_t t = 0; t < kTypes; ++t) {
    const int64_t left = balances_.at(id)[t].units;
    if (left > 0) {
      BRAMKA_RETURN_IF_ERROR(
          TransferLocked(parent_id, id, static_cast<MessageType>(t), -left, now_ms));
    }
  }
  a->deleted_ms = now_ms;
  a->active = false;
  return Ok();
}

Result<void> InMemoryStore::SetAllowedCidrs(AccountId id, const std::vector<std::string>& cidrs) {
  std::lock_guard lock(mu_);
  auto it = accounts_.find(id);
  if (it == accounts_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  it->second.allowed_cidrs = cidrs;
  return Ok();
}

Result<void> InMemoryStore::AddSender(AccountId id, const std::string& name, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  auto [it, inserted] = senders_.try_emplace({id, name});
  if (!inserted) return Fail(ErrorCode::kAlreadyExists, "sender name exists: " + name);
  it->second.name = name;
  it->second.status = SenderStatus::kPending;
  it->second.created_ms = now_ms;
  return Ok();
}

Result<int64_t> InMemoryStore::AddAccountMessage(AccountId id, const std::string& text,
                                                 int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  const int64_t message_id = static_cast<int64_t>(account_messages_.size()) + 1;
  account_messages_.push_back({message_id, id, text, now_ms, 0});
  return message_id;
}

Result<std::vector<AccountMessage>> InMemoryStore::TakeAccountMessages(AccountId id,
                                                                       int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  std::vector<AccountMessage> out;
  for (auto it = account_messages_.rbegin(); it != account_messages_.rend(); ++it) {
    if (it->account_id != id) continue;
    out.push_back(AccountMessage{it->id, it->text, it->created_ms, it->read_ms == 0});
    if (it->read_ms == 0) it->read_ms = now_ms;
  }
  return out;
}

Result<int64_t> InMemoryStore::AddSignup(const Signup& signup) {
  std::lock_guard lock(mu_);
  const int64_t id = signups_.empty() ? 1 : signups_.rbegin()->first + 1;
  Signup s = signup;
  s.id = id;
  s.status = SignupStatus::kPending;
  s.account_id = 0;
  signups_[id] = std::move(s);
  return id;
}

Result<std::vector<Signup>> InMemoryStore::ListSignups() {
  std::lock_guard lock(mu_);
  std::vector<Signup> out;
  for (const auto& [id, s] : signups_) out.push_back(s);
  return out;
}

Result<void> InMemoryStore::ResolveSignup(int64_t id, SignupStatus status, AccountId account_id) {
  std::lock_guard lock(mu_);
  auto it = signups_.find(id);
  if (it == signups_.end()) return Fail(ErrorCode::kNotFound, "no such signup");
  if (it->second.status != SignupStatus::kPending) {
    return Fail(ErrorCode::kRejected, "signup " + std::to_string(id) + " is already " +
                                          std::string(SignupStatusName(it->second.status)));
  }
  it->second.status = status;
  it->second.account_id = status == SignupStatus::kApproved ? account_id : 0;
  return Ok();
}

}  // namespace bramka::store
