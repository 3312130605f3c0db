#include "api/http/action_params.h"

#include <algorithm>
#include <optional>
#include <string>

#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/failure.h"

namespace bramka::api::http {

Error Missing(std::string_view names) {
  return MakeError(ErrorCode::kInvalidArgument, std::string(names),
                   static_cast<int>(core::Failure::kMissingParameter));
}

Result<std::string> TrimmedText(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> v, p.GetString(key));
  return v ? std::string(Trim(*v)) : std::string();
}

Result<int64_t> RequiredId(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> id, p.GetInt(key));
  if (!id) return Fail(Missing(key));
  return *id;
}

Document Success(bool ok) {
  Document doc = Document::object();
  doc["success"] = ok;
  return doc;
}

Result<int64_t> TimeParam(const Params& p, std::string_view key, bool end_of_day) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString(key));
  if (!text || Trim(*text).empty()) return int64_t{0};
  const std::string_view t = Trim(*text);
  auto parsed = ParseApiTime(t);
  if (!parsed.ok()) {
    return InvalidData("parameter '" + std::string(key) + "': " + parsed.error().message);
  }
  int64_t ms = ToUnixMillis(*parsed);
  if (end_of_day && t.size() == 10) ms += 24 * 3600 * 1000 - 1;
  return ms;
}

Result<std::optional<store::MessageType>> MessageTypeParam(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString(key));
  if (!text || Trim(*text).empty()) return std::optional<store::MessageType>();
  const std::string t = AsciiLower(Trim(*text));
  auto type = store::ParseMessageType(t);
  if (!type) return InvalidData("unknown " + std::string(key) + " '" + t + "'");
  return std::optional<store::MessageType>(*type);
}

Result<Paging> PagingParams(const Params& p, int default_limit, int max_limit) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> page, p.GetInt("page"));
  BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> limit, p.GetInt("limit"));
  Paging out;
  out.page = static_cast<int>(std::clamp<int64_t>(page.value_or(1), 1, 1'000'000'000));
  const int64_t l = limit.value_or(default_limit);
  out.limit = static_cast<int>(l < 1 ? default_limit : std::min<int64_t>(l, max_limit));
  return out;
}

Document PagingDocument(const Paging& paging, int64_t total) {
  const int64_t pages = std::max<int64_t>(1, (total + paging.limit - 1) / paging.limit);
  return Document{{"page", paging.page}, {"count", pages}};
}

}  // namespace bramka::api::http
