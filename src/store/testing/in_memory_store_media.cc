// InMemoryStore: media files (files/*) and metered balance charges (HLR, lookup).

#include <algorithm>

#include "common/ids.h"
#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<void> InMemoryStore::AddMediaFile(const MediaFile& file) {
  if (!MessageIdCodec::IsWellFormed(file.id)) {
    return Fail(ErrorCode::kInvalidArgument, "media file id must be 10 lowercase hex characters");
  }
  if (file.type != MessageType::kMms && file.type != MessageType::kVoice) {
    return Fail(ErrorCode::kInvalidArgument, "media files are mms or voice");
  }
  if (file.size != static_cast<int64_t>(file.data.size())) {
    return Fail(ErrorCode::kInvalidArgument, "media file size differs from its data");
  }
  std::lock_guard lock(mu_);
  if (!accounts_.count(file.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  if (!media_files_.emplace(file.id, file).second) {
    return Fail(ErrorCode::kAlreadyExists, "media file id already used: " + file.id);
  }
  return Ok();
}

Result<MediaFile> InMemoryStore::GetMediaFile(AccountId id, const std::string& file_id,
                                              bool with_data) {
  std::lock_guard lock(mu_);
  auto it = media_files_.find(file_id);
  if (it == media_files_.end() || it->second.account_id != id) {
    return Fail(ErrorCode::kNotFound, "no such file");
  }
  MediaFile f = it->second;
  if (!with_data) f.data.clear();
  return f;
}

Result<std::vector<MediaFile>> InMemoryStore::ListMediaFiles(AccountId id,
                                                             std::optional<MessageType> type) {
  std::lock_guard lock(mu_);
  std::vector<MediaFile> out;
  for (const auto& [file_id, f] : media_files_) {
    if (f.account_id != id || (type && f.type != *type)) continue;
    out.push_back(f);
    out.back().data.clear();
  }
  std::sort(out.begin(), out.end(), [](const MediaFile& a, const MediaFile& b) {
    return a.created_ms != b.created_ms ? a.created_ms < b.created_ms : a.id < b.id;
  });
  return out;
}

Result<void> InMemoryStore::DeleteMediaFile(AccountId id, const std::string& file_id) {
  std::lock_guard lock(mu_);
  auto it = media_files_.find(file_id);
  if (it == media_files_.end() || it->second.account_id != id) {
    return Fail(ErrorCode::kNotFound, "no such file");
  }
  media_files_.erase(it);
  return Ok();
}

Result<void> InMemoryStore::ChargeBalance(AccountId id, MessageType type, int64_t units,
                                          const std::string& note, int64_t now_ms) {
  if (static_cast<size_t>(type) >= kTypes) {
    return Fail(ErrorCode::kInvalidArgument, "bad message type");
  }
  if (units <= 0) return Fail(ErrorCode::kInvalidArgument, "a charge must be positive");
  std::lock_guard lock(mu_);
  auto it = balances_.find(id);
  if (it == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  Balance& b = it->second[static_cast<size_t>(type)];
  if (b.unlimited) return Ok();
  if (b.units < units) {
    return Fail(ErrorCode::kRejected, "balance too low", static_cast<int>(type) + 1);
  }
  b.units -= units;
  ledger_.push_back({id, type, -units, "", note, now_ms});
  return Ok();
}

}  // namespace bramka::store
