#pragma once
// Encoding of API v2 answers (spec §1.6, §1.7): one document, rendered as
// JSON (default) or XML (`.xml` suffix). Pure and thread-safe.
//
// JSON: `application/json; charset=UTF-8`, raw UTF-8; booleans stay real
// booleans. Text that is not valid UTF-8 (a Bash client's garbled `text`)
// is rendered with U+FFFD instead of failing.
//
// XML: `<?xml version="1.0" encoding="UTF-8"?>`, root `<response>`; each
// object key becomes an element of that name (a key that is not an XML name
// becomes `<item key="...">`), each array element an `<item>`, booleans
// `true`/`false`, null values are omitted. An error document
// {"error":{code,type,message}} becomes root `<error>` with `<code>`,
// `<type>`, `<message>` children (what the PHP and Symfony XML paths read).
// Text is escaped; characters XML 1.0 forbids (C0 controls other than tab,
// LF, CR; U+FFFE/U+FFFF; ill-formed UTF-8) become U+FFFD.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "api/http/errors.h"
#include "api/http/format.h"

namespace bramka::api::http {

// Answers keep the order in which keys were added (spec examples, and
// clients that read `items[0]` as ECO).
using Document = nlohmann::ordered_json;

struct RenderedBody {
  std::string content_type;
  std::string body;
};

inline constexpr char kJsonContentType[] = "application/json; charset=UTF-8";
inline constexpr char kXmlContentType[] = "application/xml; charset=UTF-8";

std::string RenderJson(const Document& doc);
std::string RenderXml(const Document& doc);
RenderedBody Render(const Document& doc, Format format);
// httpio (session 13): the same bytes as Render, written into `out` (cleared first, so a
// connection's buffer keeps its capacity from one answer to the next); returns the
// Content-Type (one of the two constants above).
std::string_view RenderInto(const Document& doc, Format format, std::string& out);

// {"error":{"code":…,"type":…,"message":…}}
Document ErrorDocument(const ApiError& error);

// ---- api/soap ----
// The content RenderXml writes inside `<response>` (elements per key, `<item>`
// per array element), without the declaration and root element: the body of
// a SOAP answer, so that SOAP and `.xml` answers are one format.
std::string RenderXmlContent(const Document& doc);

}  // namespace bramka::api::http
