#pragma once
// The response format an API v2 request asked for by its path suffix
// (spec §1.2: no suffix or `.json` -> JSON, `.xml` -> XML).

namespace bramka::api::http {

enum class Format { kJson, kXml };

}  // namespace bramka::api::http
