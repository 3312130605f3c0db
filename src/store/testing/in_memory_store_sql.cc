// InMemoryStore: SQL API sources, their row claims and MO queue (docs/adr/0013).

#include <algorithm>
#include <mutex>

#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<int64_t> InMemoryStore::CreateSqlSource(const SqlSource& source) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(source.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  SqlSource s = source;
  s.id = next_sql_source_id_++;
  sql_sources_[s.id] = s;
  return s.id;
}

Result<std::vector<SqlSource>> InMemoryStore::ListSqlSources(AccountId account_id) {
  std::lock_guard lock(mu_);
  std::vector<SqlSource> out;
  for (const auto& [id, s] : sql_sources_) {
    if (account_id <= 0 || s.account_id == account_id) out.push_back(s);
  }
  return out;
}

Result<void> InMemoryStore::DeleteSqlSource(AccountId account_id, int64_t source_id) {
  std::lock_guard lock(mu_);
  auto it = sql_sources_.find(source_id);
  if (it == sql_sources_.end() || it->second.account_id != account_id) {
    return Fail(ErrorCode::kNotFound, "sql source " + std::to_string(source_id) + " not found");
  }
  sql_sources_.erase(it);
  std::erase_if(sql_claims_, [&](const auto& kv) { return kv.first.first == source_id; });
  std::erase_if(sql_mo_, [&](const auto& kv) { return kv.second.source_id == source_id; });
  return Ok();
}

Result<void> InMemoryStore::SetSqlSourceStatus(int64_t source_id, const std::string& state,
                                               const std::string& last_error, int64_t last_ok_ms,
                                               int failures) {
  std::lock_guard lock(mu_);
  auto it = sql_sources_.find(source_id);
  if (it == sql_sources_.end()) return Ok();
  it->second.state = state;
  it->second.last_error = last_error;
  it->second.last_ok_ms = last_ok_ms;
  it->second.failures = failures;
  return Ok();
}

Result<std::vector<SqlRowClaim>> InMemoryStore::ClaimSqlRows(
    const std::vector<SqlRowClaim>& claims) {
  std::lock_guard lock(mu_);
  std::vector<SqlRowClaim> out;
  for (const SqlRowClaim& c : claims) {
    auto key = std::make_pair(c.source_id, c.row_id);
    auto it = sql_claims_.find(key);
    if (it == sql_claims_.end()) it = sql_claims_.emplace(key, SqlClaimRecord{c, false}).first;
    out.push_back(it->second.claim);
  }
  return out;
}

Result<std::vector<SqlPendingReport>> InMemoryStore::PendingSqlReports(int64_t source_id,
                                                                       int limit) {
  std::lock_guard lock(mu_);
  std::vector<SqlPendingReport> out;
  for (auto it = sql_claims_.lower_bound({source_id, INT64_MIN});
       it != sql_claims_.end() && it->first.first == source_id; ++it) {
    if (limit >= 0 && static_cast<int>(out.size()) >= limit) break;
    if (it->second.reported) continue;
    const SqlRowClaim& c = it->second.claim;
    SqlPendingReport r;
    r.row_id = c.row_id;
    r.message_id = c.message_id;
    r.invalid_code = c.invalid_code;
    r.invalid_description = c.invalid_description;
    if (c.message_id.empty()) {
      r.status = MessageStatus::kUnsent;
      r.done_ms = c.claimed_ms;
    } else {
      const Record* rec = FindLocked(c.message_id);
      if (rec == nullptr || !IsFinal(rec->message.status)) continue;
      r.status = rec->message.status;
      r.reason = rec->message.reason;
      r.done_ms = rec->message.done_ms;
    }
    out.push_back(std::move(r));
  }
  return out;
}

Result<void> InMemoryStore::MarkSqlReported(int64_t source_id,
                                            const std::vector<int64_t>& row_ids) {
  std::lock_guard lock(mu_);
  for (int64_t row : row_ids) {
    auto it = sql_claims_.find({source_id, row});
    if (it != sql_claims_.end()) it->second.reported = true;
  }
  return Ok();
}

Result<int> InMemoryStore::QueueSqlMo(const SqlMoEntry& entry) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(entry.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  return QueueSqlMoLocked(entry);
}

int InMemoryStore::QueueSqlMoLocked(const SqlMoEntry& entry) {
  int n = 0;
  for (const auto& [id, s] : sql_sources_) {
    if (s.account_id != entry.account_id) continue;
    bool queued = std::any_of(sql_mo_.begin(), sql_mo_.end(), [&](const auto& kv) {
      return kv.second.source_id == id && kv.second.message_id == entry.message_id;
    });
    if (queued) continue;
    SqlMoEntry e = entry;
    e.id = next_sql_mo_id_++;
    e.source_id = id;
    sql_mo_[e.id] = e;
    ++n;
  }
  return n;
}

Result<std::vector<SqlMoEntry>> InMemoryStore::PendingSqlMo(int64_t source_id, int limit) {
  std::lock_guard lock(mu_);
  std::vector<SqlMoEntry> out;
  for (const auto& [id, e] : sql_mo_) {
    if (limit >= 0 && static_cast<int>(out.size()) >= limit) break;
    if (e.source_id == source_id) out.push_back(e);
  }
  return out;
}

Result<void> InMemoryStore::AckSqlMo(const std::vector<int64_t>& entry_ids) {
  std::lock_guard lock(mu_);
  for (int64_t id : entry_ids) sql_mo_.erase(id);
  return Ok();
}

}  // namespace bramka::store
