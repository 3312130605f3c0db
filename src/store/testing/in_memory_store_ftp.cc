// InMemoryStore: FTP sources and their file progress (SMS via FTP, ADR 0012).

#include <algorithm>

#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<int64_t> InMemoryStore::AddFtpSource(const FtpSource& source) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(source.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  FtpSource s = source;
  s.id = next_ftp_source_id_++;
  s.last_poll_ms = 0;
  s.last_error.clear();
  s.files_processed = s.lines_processed = 0;
  ftp_sources_[s.id] = s;
  return s.id;
}

Result<std::vector<FtpSource>> InMemoryStore::ListFtpSources(AccountId id) {
  std::lock_guard lock(mu_);
  std::vector<FtpSource> out;
  for (const auto& [sid, s] : ftp_sources_) {
    if (id == 0 || s.account_id == id) out.push_back(s);
  }
  return out;
}

Result<void> InMemoryStore::RemoveFtpSource(AccountId id, int64_t source_id) {
  std::lock_guard lock(mu_);
  auto it = ftp_sources_.find(source_id);
  if (it == ftp_sources_.end() || it->second.account_id != id) {
    return Fail(ErrorCode::kNotFound, "no such FTP source");
  }
  ftp_sources_.erase(it);
  for (auto f = ftp_files_.begin(); f != ftp_files_.end();) {
    f = f->first.first == source_id ? ftp_files_.erase(f) : std::next(f);
  }
  return Ok();
}

Result<void> InMemoryStore::SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                               const std::string& error) {
  std::lock_guard lock(mu_);
  auto it = ftp_sources_.find(source_id);
  if (it == ftp_sources_.end()) return Fail(ErrorCode::kNotFound, "no such FTP source");
  it->second.last_poll_ms = poll_ms;
  it->second.last_error = error;
  return Ok();
}

Result<FtpFileState> InMemoryStore::GetFtpFile(int64_t source_id, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = ftp_files_.find({source_id, name});
  if (it == ftp_files_.end()) return FtpFileState{};
  return it->second;
}

Result<void> InMemoryStore::RecordFtpLines(int64_t source_id, const std::string& name,
                                           const std::vector<FtpLineResult>& lines,
                                           int64_t /*now_ms*/) {
  std::lock_guard lock(mu_);
  auto src = ftp_sources_.find(source_id);
  if (src == ftp_sources_.end()) return Fail(ErrorCode::kNotFound, "no such FTP source");
  FtpFileState& f = ftp_files_[{source_id, name}];
  auto key = [](const FtpLineResult& l) { return std::make_pair(l.line, l.column); };
  for (const auto& l : lines) {
    auto pos = std::lower_bound(
        f.lines.begin(), f.lines.end(), l,
        [&](const FtpLineResult& a, const FtpLineResult& b) { return key(a) < key(b); });
    if (pos != f.lines.end() && key(*pos) == key(l)) continue;
    f.lines.insert(pos, l);
    ++src->second.lines_processed;
  }
  return Ok();
}

Result<void> InMemoryStore::FinishFtpFile(int64_t source_id, const std::string& name,
                                          int64_t /*now_ms*/) {
  std::lock_guard lock(mu_);
  auto src = ftp_sources_.find(source_id);
  if (src == ftp_sources_.end()) return Fail(ErrorCode::kNotFound, "no such FTP source");
  FtpFileState& f = ftp_files_[{source_id, name}];
  if (!f.done) {
    f.done = true;
    ++src->second.files_processed;
  }
  return Ok();
}

}  // namespace bramka::store
