#include "api/http/response.h"

#include "api/http/text_util.h"
#include "sms/utf8.h"

namespace bramka::api::http {
namespace {

bool IsXmlName(const std::string& s) {
  if (s.empty()) return false;
  const auto alpha = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  if (!alpha(s[0]) && s[0] != '_') return false;
  for (char c : s) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

// Escapes character data and attribute values alike.
void AppendEscaped(std::string& out, std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    char32_t cp = sms::NextCodePoint(text, &pos);
    if (cp == sms::kInvalidCodePoint) cp = 0xFFFD;
    switch (cp) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&apos;";
        continue;
      default:
        break;
    }
    // XML 1.0 §2.2 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
    if ((cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD) || cp == 0xFFFE || cp == 0xFFFF) {
      cp = 0xFFFD;
    }
    sms::AppendUtf8(&out, cp);
  }
}

void AppendValue(std::string& out, const Document& v);

void AppendElement(std::string& out, const std::string& name, const Document& v) {
  if (v.is_null()) return;  // absent, as clients test with isset()
  std::string close;
  if (IsXmlName(name)) {
    out += '<';
    out += name;
    close = "</" + name + ">";
  } else {
    out += "<item key=\"";
    AppendEscaped(out, name);
    out += '"';
    close = "</item>";
  }
  if ((v.is_object() || v.is_array()) && v.empty()) {
    out += "/>";
    return;
  }
  out += '>';
  AppendValue(out, v);
  out += close;
}

void AppendValue(std::string& out, const Document& v) {
  if (v.is_object()) {
    for (const auto& [key, child] : v.items()) AppendElement(out, key, child);
  } else if (v.is_array()) {
    for (const auto& child : v) AppendElement(out, "item", child);
  } else if (v.is_string()) {
    AppendEscaped(out, v.get_ref<const std::string&>());
  } else if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (!v.is_null()) {
    out += v.dump();  // numbers
  }
}

bool IsErrorDocument(const Document& doc) {
  return doc.is_object() && doc.size() == 1 && doc.contains("error") && doc["error"].is_object();
}

}  // namespace

std::string RenderJson(const Document& doc) {
  return doc.dump(-1, ' ', /*ensure_ascii=*/false, Document::error_handler_t::replace);
}

std::string RenderXml(const Document& doc) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (IsErrorDocument(doc)) {
    out += "<error>";
    AppendValue(out, doc["error"]);
    out += "</error>\n";
    return out;
  }
  out += "<response>";
  AppendValue(out, doc);
  out += "</response>\n";
  return out;
}

RenderedBody Render(const Document& doc, Format format) {
  if (format == Format::kXml) return {kXmlContentType, RenderXml(doc)};
  return {kJsonContentType, RenderJson(doc)};
}

std::string_view RenderInto(const Document& doc, Format format, std::string& out) {
  out.clear();
  if (format == Format::kXml) {
    out = RenderXml(doc);
    return kXmlContentType;
  }
  // What RenderJson's doc.dump(-1, ' ', false, replace) does, appending to `out` instead of
  // a fresh string.
  nlohmann::detail::serializer<Document> serializer(
      nlohmann::detail::output_adapter<char, std::string>(out), ' ',
      Document::error_handler_t::replace);
  serializer.dump(doc, /*pretty_print=*/false, /*ensure_ascii=*/false, /*indent_step=*/0);
  return kJsonContentType;
}

std::string RenderXmlContent(const Document& doc) {
  std::string out;
  AppendValue(out, doc);
  return out;
}

Document ErrorDocument(const ApiError& error) {
  Document inner = Document::object();
  inner["code"] = error.code;
  inner["type"] = error.type;
  inner["message"] = error.message;
  Document doc = Document::object();
  doc["error"] = std::move(inner);
  return doc;
}

}  // namespace bramka::api::http
