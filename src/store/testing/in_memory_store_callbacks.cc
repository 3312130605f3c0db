// InMemoryStore: callback URL templates and the callback outbox (ADR 0007).

#include <algorithm>

#include "store/dlr_entry.h"
#include "store/testing/in_memory_store.h"

namespace bramka::store {

bool InMemoryStore::QueueDlrCallbackLocked(const Message& m, int64_t now_ms) {
  CallbackEntry e = DlrCallbackEntryOf(m, now_ms);  // docs/adr/0031
  if (e.url_template.empty()) {
    auto it = account_callbacks_.find(m.account_id);
    if (it == account_callbacks_.end() || it->second.dlr_url.empty()) return false;
    e.url_template = it->second.dlr_url;
  }
  e.id = next_callback_id_++;
  callbacks_[e.id] = LeasedCallback{std::move(e), ""};
  return true;
}

bool InMemoryStore::QueueMoCallbackLocked(const CallbackEntry& entry) {
  auto it = account_callbacks_.find(entry.account_id);
  if (it == account_callbacks_.end() || it->second.mo_url.empty()) return false;
  CallbackEntry e = entry;
  e.id = next_callback_id_++;
  e.kind = CallbackKind::kMo;
  e.url_template = it->second.mo_url;
  e.state = CallbackState::kPending;
  e.attempts = 0;
  e.next_attempt_ms = e.created_ms;
  e.last_error.clear();
  callbacks_[e.id] = LeasedCallback{std::move(e), ""};
  return true;
}

Result<void> InMemoryStore::SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  account_callbacks_[id] = callbacks;
  return Ok();
}

Result<AccountCallbacks> InMemoryStore::GetAccountCallbacks(AccountId id) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  auto it = account_callbacks_.find(id);
  return it == account_callbacks_.end() ? AccountCallbacks{} : it->second;
}

Result<bool> InMemoryStore::QueueMoCallback(const CallbackEntry& entry) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(entry.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  return QueueMoCallbackLocked(entry);
}

Result<std::vector<CallbackEntry>> InMemoryStore::ClaimCallbacks(int64_t now_ms, int limit,
                                                                 const std::string& owner,
                                                                 int64_t lease_until_ms) {
  std::lock_guard lock(mu_);
  std::vector<LeasedCallback*> due;
  for (auto& [id, c] : callbacks_) {
    if (c.entry.state == CallbackState::kPending && c.entry.next_attempt_ms <= now_ms) {
      due.push_back(&c);
    }
  }
  std::sort(due.begin(), due.end(), [](const LeasedCallback* a, const LeasedCallback* b) {
    if (a->entry.next_attempt_ms != b->entry.next_attempt_ms) {
      return a->entry.next_attempt_ms < b->entry.next_attempt_ms;
    }
    return a->entry.id < b->entry.id;
  });
  std::vector<CallbackEntry> out;
  for (LeasedCallback* c : due) {
    if (static_cast<int>(out.size()) >= limit) break;
    c->entry.attempts += 1;
    c->entry.next_attempt_ms = lease_until_ms;
    c->lease_owner = owner;
    out.push_back(c->entry);
  }
  return out;
}

Result<void> InMemoryStore::AckCallback(int64_t entry_id) {
  std::lock_guard lock(mu_);
  callbacks_.erase(entry_id);
  return Ok();
}

Result<void> InMemoryStore::RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                                          const std::string& error) {
  std::lock_guard lock(mu_);
  auto it = callbacks_.find(entry_id);
  if (it == callbacks_.end() || it->second.entry.state != CallbackState::kPending) return Ok();
  it->second.entry.next_attempt_ms = next_attempt_ms;
  it->second.entry.last_error = error;
  it->second.lease_owner.clear();
  return Ok();
}

Result<void> InMemoryStore::FailCallback(int64_t entry_id, const std::string& error) {
  std::lock_guard lock(mu_);
  auto it = callbacks_.find(entry_id);
  if (it == callbacks_.end()) return Ok();
  it->second.entry.state = CallbackState::kFailed;
  it->second.entry.last_error = error;
  it->second.lease_owner.clear();
  return Ok();
}

Result<int64_t> InMemoryStore::ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) {
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (auto& [id, c] : callbacks_) {
    if (c.entry.state == CallbackState::kPending && c.lease_owner == owner) {
      c.lease_owner.clear();
      c.entry.next_attempt_ms = std::min(c.entry.next_attempt_ms, now_ms);
      ++n;
    }
  }
  return n;
}

Result<std::vector<CallbackEntry>> InMemoryStore::ListCallbacks(AccountId id, int limit) {
  std::lock_guard lock(mu_);
  std::vector<CallbackEntry> out;
  for (const auto& [entry_id, c] : callbacks_) {
    if (limit >= 0 && static_cast<int>(out.size()) >= limit) break;
    if (c.entry.account_id == id) out.push_back(c.entry);
  }
  return out;
}

Result<int64_t> InMemoryStore::RetryFailedCallbacks(AccountId id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  int64_t n = 0;
  for (auto& [entry_id, c] : callbacks_) {
    if (c.entry.account_id == id && c.entry.state == CallbackState::kFailed) {
      c.entry.state = CallbackState::kPending;
      c.entry.next_attempt_ms = now_ms;
      c.entry.created_ms = now_ms;
      ++n;
    }
  }
  return n;
}

Result<CallbackCounts> InMemoryStore::CountCallbacks() {
  std::lock_guard lock(mu_);
  CallbackCounts out;
  for (const auto& [id, c] : callbacks_) {
    (c.entry.state == CallbackState::kPending ? out.pending : out.failed) += 1;
  }
  return out;
}

}  // namespace bramka::store
