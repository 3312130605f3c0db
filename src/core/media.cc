// GatewayService: media files (files/*, spec §4.10) and the media part of
// send_mms (§4.4) and send_voice with a file (§4.3). ADR 0009.
#include <spdlog/spdlog.h>

#include "core/gateway_service.h"
#include "core/id_allocator.h"
#include "core/media_fetcher.h"
#include "core/media_format.h"

namespace bramka::core {
namespace {

using store::MessageType;

constexpr size_t kMaxTitleChars = 40;

size_t CountCodePoints(std::string_view utf8) {
  size_t n = 0;
  for (unsigned char c : utf8) n += (c & 0xC0) != 0x80;
  return n;
}

std::string TypeName(MessageType t) { return std::string(store::MessageTypeName(t)); }

Unexpected TooLarge(MessageType type, size_t size, size_t limit) {
  return Refuse(ErrorCode::kInvalidArgument, Failure::kFileTooLarge,
                TypeName(type) + " file of " + std::to_string(size) +
                    " bytes is larger than the limit of " + std::to_string(limit) + " bytes");
}

// The content type when the bytes may be stored as a file of `type`.
Result<std::string> CheckContent(MessageType type, const std::string& data,
                                 const MediaOptions& limits) {
  const size_t limit = type == MessageType::kVoice ? limits.max_voice_bytes : limits.max_mms_bytes;
  if (data.size() > limit) return TooLarge(type, data.size(), limit);
  if (type == MessageType::kVoice) {
    BRAMKA_RETURN_IF_ERROR(CheckVoiceWav(data));
    return std::string("audio/wav");
  }
  return SniffMmsContentType(data);
}

}  // namespace

Result<std::string> GatewayService::NewFileId() {
  // File ids come from the message-id sequence: 10 hex characters like message ids
  // (spec §3), never repeating, and never equal to a message id either.
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> ids, ids_->Allocate(1));
  return ids.front();
}

Result<store::MediaFile> GatewayService::AddFile(const Caller& caller, AddFileRequest req) {
  if (req.type != MessageType::kMms && req.type != MessageType::kVoice) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "type must be mms or voice");
  }
  const bool has_url = !req.url.empty();
  const bool has_data = req.data.has_value();
  if (!has_url && !has_data) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "url or file");
  }
  if (has_url && has_data) {
    // spec §4.10: with an uploaded file, url must be empty.
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "give either url or file, not both");
  }
  store::MediaFile f;
  f.account_id = caller.account_id;
  f.type = req.type;
  std::string fallback_name;
  if (has_url) {
    if (!IsFetchableUrl(req.url)) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "url must be an http:// or https:// address (other schemes are refused)");
    }
    if (fetcher_ == nullptr) {
      return Refuse(ErrorCode::kUnavailable, Failure::kFileFetchFailed,
                    "fetching files by URL is not configured");
    }
    const size_t limit = req.type == MessageType::kVoice ? options_.media.max_voice_bytes
                                                         : options_.media.max_mms_bytes;
    BRAMKA_ASSIGN_OR_RETURN(FetchedMedia fetched, fetcher_->Fetch(req.url, limit));
    f.data = std::move(fetched.data);
    fallback_name = fetched.file_name;
  } else {
    f.data = std::move(*req.data);
  }
  BRAMKA_ASSIGN_OR_RETURN(f.content_type, CheckContent(req.type, f.data, options_.media));
  f.size = static_cast<int64_t>(f.data.size());
  f.name = CleanFileName(req.name);
  if (f.name.empty()) f.name = CleanFileName(fallback_name);
  if (f.name.empty()) f.name = "file";
  f.created_ms = ToUnixMillis(clock_.Now());
  BRAMKA_ASSIGN_OR_RETURN(f.id, NewFileId());
  BRAMKA_RETURN_IF_ERROR(store_.AddMediaFile(f));
  spdlog::debug("files: account {} added {} file {} ({} bytes, {})", caller.account_id,
                TypeName(f.type), f.id, f.size, f.content_type);
  f.data.clear();
  return f;
}

Result<std::vector<store::MediaFile>> GatewayService::ListFiles(
    const Caller& caller, std::optional<store::MessageType> type) {
  return store_.ListMediaFiles(caller.account_id, type);
}

Result<store::MediaFile> GatewayService::ViewFile(const Caller& caller, const std::string& id,
                                                  std::optional<store::MessageType> type) {
  auto f = store_.GetMediaFile(caller.account_id, id, false);
  if ((!f.ok() && f.error().code == ErrorCode::kNotFound) || (f.ok() && type && f->type != *type)) {
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId, "no file with id '" + id + "'");
  }
  return f;
}

Result<void> GatewayService::DeleteFile(const Caller& caller, const std::string& id,
                                        std::optional<store::MessageType> type) {
  BRAMKA_RETURN_IF_ERROR(ViewFile(caller, id, type));
  auto r = store_.DeleteMediaFile(caller.account_id, id);
  if (!r.ok() && r.error().code == ErrorCode::kNotFound) {
    return Refuse(ErrorCode::kNotFound, Failure::kInvalidId, "no file with id '" + id + "'");
  }
  return r;
}

Result<std::string> GatewayService::PrepareMedia(const Caller& caller, SubmitRequest& req) {
  const MessageType want = req.kind == SubmitKind::kVoice ? MessageType::kVoice : MessageType::kMms;
  std::string text;
  if (want == MessageType::kMms) {
    if (req.title.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "title");
    }
    if (CountCodePoints(req.title) > kMaxTitleChars) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kTextTooLong,
                    "MMS title is longer than 40 characters");
    }
    if (req.file_ids.empty() && req.inline_files.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "file_id or file");
    }
    if (req.file_ids.size() + req.inline_files.size() >
        static_cast<size_t>(options_.media.max_mms_files)) {
      return Refuse(
          ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
          "an MMS carries at most " + std::to_string(options_.media.max_mms_files) + " files");
    }
    text = req.title;
  } else {
    if (!req.text.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "give either text (text-to-speech) or file_id (a WAV file), not both");
    }
    if (req.file_ids.size() != 1 || !req.inline_files.empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                    "a voice message plays exactly one file_id");
    }
  }
  for (const std::string& id : req.file_ids) {
    auto f = store_.GetMediaFile(caller.account_id, id, false);
    if (!f.ok() && f.error().code != ErrorCode::kNotFound) return f.take_error();
    if (!f.ok() || f->type != want) {
      return Refuse(ErrorCode::kNotFound, Failure::kInvalidId,
                    "no " + TypeName(want) + " file with id '" + id + "'");
    }
  }
  // MMS files sent with the request (base64, spec §4.4) become files of the account,
  // so that the message can name them like uploaded ones.
  for (size_t i = 0; i < req.inline_files.size(); ++i) {
    store::MediaFile f;
    f.account_id = caller.account_id;
    f.type = MessageType::kMms;
    BRAMKA_ASSIGN_OR_RETURN(f.content_type,
                            CheckContent(MessageType::kMms, req.inline_files[i], options_.media));
    if (req.test) continue;  // checked; a test stores nothing
    f.data = std::move(req.inline_files[i]);
    f.size = static_cast<int64_t>(f.data.size());
    f.name = "mms-file-" + std::to_string(i + 1);
    f.created_ms = ToUnixMillis(clock_.Now());
    BRAMKA_ASSIGN_OR_RETURN(f.id, NewFileId());
    BRAMKA_RETURN_IF_ERROR(store_.AddMediaFile(f));
    req.file_ids.push_back(f.id);
  }
  req.inline_files.clear();
  return text;
}

}  // namespace bramka::core
