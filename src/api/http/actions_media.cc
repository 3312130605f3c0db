// API v2 actions: files/* (spec §4.10), the media parameters of send_mms (§4.4)
// and send_voice (§4.3), phones/check and phones/lookup (§4.16).
#include <algorithm>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::api::http {
namespace {

// `type` = mms|voice. Absent or empty -> nullopt; anything else -> 1006.
Result<std::optional<store::MessageType>> FileType(const Params& p) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> type, p.GetString("type"));
  if (!type || Trim(*type).empty()) return std::optional<store::MessageType>();
  const std::string t = AsciiLower(Trim(*type));
  if (t == "mms") return std::optional<store::MessageType>(store::MessageType::kMms);
  if (t == "voice") return std::optional<store::MessageType>(store::MessageType::kVoice);
  return InvalidData("type must be mms or voice, not '" + t + "'");
}

// The first `id` (files' ids are hex strings).
Result<std::string> RequiredFileId(const Params& p) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> ids, p.GetList("id"));
  if (ids.empty()) return Missing("id");
  return AsciiLower(ids.front());
}

// One file as files/index lists it (spec §4.10).
Document FileDocument(const store::MediaFile& f) {
  Document d = Document::object();
  d["id"] = f.id;
  d["name"] = f.name;
  d["size"] = f.size;
  d["type"] = std::string(store::MessageTypeName(f.type));
  d["date"] = FormatApiTimeMs(f.created_ms);
  return d;
}

// A file's contents as the client sent them: the bytes of a multipart file part,
// else base64 text.
Result<std::string> FileBytes(const Params& p, std::string_view key, const ParamTree& value) {
  if (!value.is_string())
    return InvalidData("parameter '" + std::string(key) + "' must be a string");
  const std::string& text = value.get_ref<const std::string&>();
  if (p.Upload(key) != nullptr) return text;
  return DecodeBase64(text);
}

Document NullIfEmpty(const std::string& s) { return s.empty() ? Document() : Document(s); }

// One number's answer (spec §4.16).
Document CheckDocument(const core::NumberCheckItem& item) {
  const delivery::HlrAnswer& a = item.answer;
  Document d = Document::object();
  d["phone"] = item.phone;
  d["status"] = a.status == delivery::HlrAnswer::Status::kOk ? "OK" : "ERR";
  d["imsi"] = a.imsi != 0 ? Document(a.imsi) : Document();
  d["network"] = NullIfEmpty(a.network);
  d["ported"] = a.ported;
  d["network_ported"] = NullIfEmpty(a.network_ported);
  d["description"] = NullIfEmpty(a.description);
  return d;
}

}  // namespace

// ---- send_mms / send_voice media parameters -------------------------------------------

Result<void> ActionHandler::ParseMms(const Params& p, core::SubmitRequest& req) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> title, p.GetString("title"));
  if (!title || Trim(*title).empty()) return Fail(Missing("title"));
  req.title = std::string(Trim(*title));
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> ids, p.GetList("file_id"));
  for (std::string& id : ids) req.file_ids.push_back(AsciiLower(id));
  // `file`: one base64 string or a list of them (or multipart file parts).
  const ParamTree& tree = p.tree();
  auto it = tree.find("file");
  if (it != tree.end() && !it->is_null()) {
    if (it->is_array() || it->is_object()) {
      for (const auto& element : *it) {
        BRAMKA_ASSIGN_OR_RETURN(std::string bytes, FileBytes(p, "file", element));
        if (!bytes.empty()) req.inline_files.push_back(std::move(bytes));
      }
    } else {
      BRAMKA_ASSIGN_OR_RETURN(std::string bytes, FileBytes(p, "file", *it));
      if (!bytes.empty()) req.inline_files.push_back(std::move(bytes));
    }
  }
  if (req.file_ids.empty() && req.inline_files.empty()) return Fail(Missing("file_id or file"));
  return Ok();
}

Result<bool> ActionHandler::ParseVoiceFile(const Params& p, core::SubmitRequest& req) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> ids, p.GetList("file_id"));
  for (std::string& id : ids) req.file_ids.push_back(AsciiLower(id));
  return !req.file_ids.empty();
}

// ---- files/* (spec §4.10) ------------------------------------------------------------------

ApiAnswer ActionHandler::FilesAdd(const core::Caller& caller, const Params& p) {
  core::AddFileRequest req;
  Result<void> parsed = [&]() -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<store::MessageType> type, FileType(p));
    if (!type) return Fail(Missing("type"));
    req.type = *type;
    BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> url, p.GetString("url"));
    if (url) req.url = std::string(Trim(*url));
    BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> name, p.GetString("name"));
    if (name) req.name = std::string(Trim(*name));
    const ParamTree& tree = p.tree();
    auto it = tree.find("file");
    if (it != tree.end() && !it->is_null() &&
        !(it->is_string() && it->get_ref<const std::string&>().empty())) {
      BRAMKA_ASSIGN_OR_RETURN(std::string bytes, FileBytes(p, "file", *it));
      req.data = std::move(bytes);
      if (const UploadedFile* upload = p.Upload("file"); upload && req.name.empty()) {
        req.name = upload->filename;
      }
    }
    if (req.url.empty() && !req.data) return Fail(Missing("url or file"));
    return Ok();
  }();
  if (!parsed.ok()) return ErrorAnswer(parsed.error());
  auto added = service_.AddFile(caller, std::move(req));
  if (!added.ok()) return ErrorAnswer(added.error());
  Document doc = Document::object();
  doc["success"] = true;
  doc["id"] = added->id;
  return ApiAnswer{std::move(doc), 0};
}

ApiAnswer ActionHandler::FilesIndex(const core::Caller& caller, const Params& p) {
  auto type = FileType(p);
  if (!type.ok()) return ErrorAnswer(type.error());
  auto files = service_.ListFiles(caller, *type);
  if (!files.ok()) return ErrorAnswer(files.error());
  Document items = Document::array();
  for (const store::MediaFile& f : *files) items.push_back(FileDocument(f));
  Document doc = Document::object();
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

ApiAnswer ActionHandler::FilesView(const core::Caller& caller, const Params& p) {
  auto id = RequiredFileId(p);
  if (!id.ok()) return ErrorAnswer(id.error());
  auto type = FileType(p);
  if (!type.ok()) return ErrorAnswer(type.error());
  auto f = service_.ViewFile(caller, *id, *type);
  if (!f.ok()) return ErrorAnswer(f.error());
  return ApiAnswer{FileDocument(*f), 0};
}

ApiAnswer ActionHandler::FilesDelete(const core::Caller& caller, const Params& p) {
  auto id = RequiredFileId(p);
  if (!id.ok()) return ErrorAnswer(id.error());
  auto type = FileType(p);
  if (!type.ok()) return ErrorAnswer(type.error());
  auto r = service_.DeleteFile(caller, *id, *type);
  if (!r.ok()) return ErrorAnswer(r.error());
  Document doc = Document::object();
  doc["success"] = true;
  return ApiAnswer{std::move(doc), 0};
}

// ---- phones/check, phones/lookup (spec §4.16) -------------------------------------------------

ApiAnswer ActionHandler::PhonesCheck(const core::Caller& caller, const Params& p, bool lookup) {
  auto phones = p.GetList("phone");
  if (!phones.ok()) return ErrorAnswer(phones.error());
  if (phones->empty()) {
    // Every check is answered at once, so no request id is ever handed out to poll.
    if (p.Has("id")) {
      return ErrorAnswer(MakeError(ErrorCode::kNotFound, "no pending check with that id",
                                   static_cast<int>(core::Failure::kInvalidId)));
    }
    return ErrorAnswer(Missing("phone"));
  }
  auto checked = service_.CheckNumbers(
      caller, *phones, lookup ? core::NumberCheck::kLookup : core::NumberCheck::kHlr);
  if (!checked.ok()) return ErrorAnswer(checked.error());
  if (phones->size() == 1) return ApiAnswer{CheckDocument(checked->front()), 0};
  Document doc = Document::object();
  doc["status"] = "done";
  doc["process"] = 100;
  Document items = Document::array();
  for (const core::NumberCheckItem& item : *checked) items.push_back(CheckDocument(item));
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

}  // namespace bramka::api::http
