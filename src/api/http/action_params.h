#pragma once
// What every API v2 action file (actions*.cc) shares: the action context, dates,
// paging, ids, trimmed text, {"success"} and the "missing parameter" error, defined once.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/actions.h"
#include "api/http/request.h"
#include "api/http/response.h"
#include "common/result.h"
#include "store/model.h"

namespace bramka::core {
struct Caller;
}  // namespace bramka::core

namespace bramka::api::http {

// What an action sees once the caller is authenticated.
struct ActionHandler::Context {
  const core::Caller& caller;
  const Params& params;
};

// Error 2000-style "required parameter missing" naming the parameter(s).
Error Missing(std::string_view names);

// A trimmed string parameter; "" when absent.
Result<std::string> TrimmedText(const Params& p, std::string_view key);

// A required integer id (spec §3: ids arrive as numbers or strings); missing -> Missing(key).
Result<int64_t> RequiredId(const Params& p, std::string_view key = "id");

// {"success": ok}.
Document Success(bool ok);

// A date parameter (`date`, `date_from`, `begin`, ...) in any form ParseApiTime takes, as
// Unix ms; 0 when absent or empty. `end_of_day` makes a bare "YYYY-MM-DD" mean the end
// of that day (for upper bounds). Malformed -> 1006 naming the parameter.
Result<int64_t> TimeParam(const Params& p, std::string_view key, bool end_of_day);

// A message type parameter (`eco`, `full`, ...; any case); nullopt when absent or empty.
// Unknown -> 1006 naming the value.
Result<std::optional<store::MessageType>> MessageTypeParam(const Params& p, std::string_view key);

// `page` (1-based) and `limit` of list actions (spec §3), clamped to [1, max_limit].
struct Paging {
  int page = 1;
  int limit = 50;
};
Result<Paging> PagingParams(const Params& p, int default_limit = 50, int max_limit = 500);

// {"page": page, "count": pages}: `count` is the number of pages, at least 1, so that
// clients asking for page=count get a valid (possibly empty) page.
Document PagingDocument(const Paging& paging, int64_t total);

}  // namespace bramka::api::http
