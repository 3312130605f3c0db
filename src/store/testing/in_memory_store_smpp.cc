// InMemoryStore: SMPP users and the deliver_sm outbox.

#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<bool> InMemoryStore::ReplaceScheduled(AccountId id, const std::string& message_id,
                                             const MessageReplacement& r, int64_t now_ms) {
  std::lock_guard lock(mu_);
  Record* rec = FindLocked(message_id);
  if (rec == nullptr || rec->message.account_id != id) {
    return Fail(ErrorCode::kNotFound, "no such message");
  }
  if (rec->message.status != MessageStatus::kSaved) return false;
  const auto type = rec->message.type;
  Balance& balance = balances_[id][static_cast<size_t>(type)];
  const int64_t charge = balance.unlimited ? 0 : r.cost_units;
  if (charge > balance.units + rec->charged) {
    return Fail(ErrorCode::kRejected, "balance too low for the replacement",
                static_cast<int>(type) + 1);
  }
  RefundLocked(*rec, "replace", now_ms);
  if (charge > 0) {
    balance.units -= charge;
    ledger_.push_back({id, type, -charge, message_id, "replace", now_ms});
    ledger_by_message_[message_id] -= charge;
    rec->charged = charge;
  }
  rec->message.text = r.text;
  rec->message.unicode = r.unicode;
  rec->message.parts = r.parts;
  rec->message.cost_units = r.cost_units;
  if (r.due_ms > 0) rec->message.due_ms = r.due_ms;
  return true;
}

Result<int64_t> InMemoryStore::CreateSmppUser(const SmppUser& user) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(user.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  for (const auto& [id, u] : smpp_users_) {
    if (u.system_id == user.system_id) {
      return Fail(ErrorCode::kAlreadyExists, "system_id already exists");
    }
  }
  const int64_t id = smpp_users_.empty() ? 1 : smpp_users_.rbegin()->first + 1;
  SmppUser stored = user;
  stored.id = id;
  smpp_users_[id] = std::move(stored);
  return id;
}

Result<SmppUser> InMemoryStore::FindSmppUser(const std::string& system_id) {
  std::lock_guard lock(mu_);
  for (const auto& [id, u] : smpp_users_) {
    if (u.system_id == system_id) return u;
  }
  return Fail(ErrorCode::kNotFound, "unknown system_id");
}

Result<std::vector<SmppUser>> InMemoryStore::ListSmppUsers() {
  std::lock_guard lock(mu_);
  std::vector<SmppUser> out;
  for (const auto& [id, u] : smpp_users_) out.push_back(u);
  return out;
}

Result<int64_t> InMemoryStore::AddSmppOutbox(const SmppOutboxEntry& entry) {
  std::lock_guard lock(mu_);
  SmppOutboxEntry stored = entry;
  stored.id = next_smpp_outbox_id_++;
  smpp_outbox_[stored.id] = stored;
  return stored.id;
}

void InMemoryStore::QueueSmppReceiptLocked(const Message& m, int64_t now_ms) {
  if (m.smpp_user_id == 0 || m.smpp_registered_delivery == 0) return;
  SmppOutboxEntry e;
  e.id = next_smpp_outbox_id_++;
  e.smpp_user_id = m.smpp_user_id;
  e.message_id = m.id;
  e.created_ms = now_ms;
  smpp_outbox_[e.id] = e;
}

void InMemoryStore::QueueSmppMoLocked(const InboxMessage& m) {
  for (const auto& [id, u] : smpp_users_) {
    if (u.account_id != m.account_id) continue;
    SmppOutboxEntry e;
    e.id = next_smpp_outbox_id_++;
    e.smpp_user_id = id;
    e.inbox_id = m.id;
    e.created_ms = m.received_ms;
    smpp_outbox_[e.id] = e;
  }
}

Result<std::vector<SmppOutboxEntry>> InMemoryStore::ListSmppOutbox(int64_t smpp_user_id,
                                                                   int limit) {
  std::lock_guard lock(mu_);
  std::vector<SmppOutboxEntry> out;
  for (const auto& [id, e] : smpp_outbox_) {
    if (limit >= 0 && out.size() >= static_cast<size_t>(limit)) break;
    if (e.smpp_user_id == smpp_user_id) out.push_back(e);
  }
  return out;
}

Result<void> InMemoryStore::DeleteSmppOutbox(int64_t entry_id) {
  std::lock_guard lock(mu_);
  smpp_outbox_.erase(entry_id);
  return Ok();
}

}  // namespace bramka::store
