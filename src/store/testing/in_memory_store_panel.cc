// InMemoryStore: web panel sessions and settings (docs/adr/0017).

#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<void> InMemoryStore::PutPanelSession(const PanelSession& session, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (session.account_id != 0 && !accounts_.count(session.account_id)) {
    return Fail(ErrorCode::kNotFound, "no such account");
  }
  for (auto it = panel_sessions_.begin(); it != panel_sessions_.end();) {
    it = it->second.expires_ms <= now_ms ? panel_sessions_.erase(it) : std::next(it);
  }
  panel_sessions_[session.id_hash] = session;
  return Ok();
}

Result<PanelSession> InMemoryStore::GetPanelSession(const std::string& id_hash, int64_t now_ms) {
  std::lock_guard lock(mu_);
  auto it = panel_sessions_.find(id_hash);
  if (it == panel_sessions_.end() || it->second.expires_ms <= now_ms) {
    return Fail(ErrorCode::kNotFound, "no such panel session");
  }
  return it->second;
}

Result<void> InMemoryStore::DeletePanelSession(const std::string& id_hash) {
  std::lock_guard lock(mu_);
  panel_sessions_.erase(id_hash);
  return Ok();
}

Result<void> InMemoryStore::SetPanelSetting(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  panel_settings_[key] = value;
  return Ok();
}

Result<std::string> InMemoryStore::GetPanelSetting(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = panel_settings_.find(key);
  if (it == panel_settings_.end())
    return Fail(ErrorCode::kNotFound, "no panel setting '" + key + "'");
  return it->second;
}

}  // namespace bramka::store
