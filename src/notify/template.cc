#include "notify/template.h"

#include <array>
#include <utility>

namespace bramka::notify {
namespace {

bool Unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string_view KindName(store::CallbackKind k) {
  return k == store::CallbackKind::kMo ? "mo" : "dlr";
}

// The value of placeholder `name` (without the '#'s); false if unknown.
bool Lookup(std::string_view name, const store::CallbackEntry& e, std::string_view date,
            std::string_view& out) {
  if (name == "SMSID" || name == "ID" || name == "IDSMS") {
    out = e.message_id;
  } else if (name == "UNIQUEID") {
    out = e.unique_id;
  } else if (name == "NUMER") {
    out = e.phone;
  } else if (name == "NADAWCA") {
    out = e.sender;
  } else if (name == "STAN" || name == "STATUS") {
    out = e.status;
  } else if (name == "POWOD" || name == "REASON") {
    out = e.reason;
  } else if (name == "DATA") {
    out = date;
  } else if (name == "WIADOMOSC") {
    out = e.text;
  } else if (name == "TYP") {
    out = KindName(e.kind);
  } else {
    return false;
  }
  return true;
}

}  // namespace

std::string UrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (Unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string ExpandCallbackUrl(const store::CallbackEntry& e, std::string_view date) {
  const std::string& t = e.url_template;
  std::string out;
  out.reserve(t.size() + 64);
  bool substituted = false;
  size_t i = 0;
  while (i < t.size()) {
    if (t[i] == '#') {
      const size_t end = t.find('#', i + 1);
      std::string_view value;
      if (end != std::string::npos &&
          Lookup(std::string_view(t).substr(i + 1, end - i - 1), e, date, value)) {
        out += UrlEncode(value);
        substituted = true;
        i = end + 1;
        continue;
      }
    }
    out += t[i++];
  }
  if (substituted) return out;
  // No placeholder: the facts as query parameters (before a #fragment, if any).
  std::string fragment;
  if (size_t hash = out.find('#'); hash != std::string::npos) {
    fragment = out.substr(hash);
    out.resize(hash);
  }
  std::array<std::pair<std::string_view, std::string_view>, 6> params;
  size_t n = 0;
  if (e.kind == store::CallbackKind::kMo) {
    params = {{{"smsid", e.message_id},
               {"numer", e.phone},
               {"nadawca", e.sender},
               {"wiadomosc", e.text},
               {"data", date},
               {"", ""}}};
    n = 5;
  } else {
    params = {{{"smsid", e.message_id},
               {"stan", e.status},
               {"data", date},
               {"numer", e.phone},
               {"unique_id", e.unique_id},
               {"powod", e.reason}}};
    n = 6;
  }
  char sep = out.find('?') == std::string::npos ? '?' : '&';
  if (!out.empty() && (out.back() == '?' || out.back() == '&')) sep = '\0';
  for (size_t k = 0; k < n; ++k) {
    if (sep != '\0') out += sep;
    sep = '&';
    out += params[k].first;
    out += '=';
    out += UrlEncode(params[k].second);
  }
  return out + fragment;
}

}  // namespace bramka::notify
