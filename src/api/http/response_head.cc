#include "api/http/response_head.h"

#include <boost/beast/http/status.hpp>
#include <charconv>

namespace bramka::api::http {
namespace {

constexpr std::string_view kServerName = "bramka";

void AppendNumber(std::string& out, size_t n) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, n);
  out.append(digits, end);
}

bool EqualsLower(std::string_view name, std::string_view lower) {
  if (name.size() != lower.size()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

}  // namespace

bool IsHeadOwnedField(std::string_view name) {
  return EqualsLower(name, "server") || EqualsLower(name, "content-length") ||
         EqualsLower(name, "connection") || EqualsLower(name, "transfer-encoding");
}

void BeginResponseHead(std::string& out, unsigned status, unsigned version) {
  out.clear();
  out.append(version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ");
  AppendNumber(out, status);
  out.push_back(' ');
  const auto reason =
      boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status));
  out.append(reason.data(), reason.size());
  out.append("\r\nServer: ");
  out.append(kServerName);
  out.append("\r\n");
}

void AppendField(std::string& out, std::string_view name, std::string_view value) {
  if (IsHeadOwnedField(name)) return;
  out.append(name);
  out.append(": ");
  out.append(value);
  out.append("\r\n");
}

void EndResponseHead(std::string& out, unsigned version, bool close, size_t content_length) {
  out.append("Content-Length: ");
  AppendNumber(out, content_length);
  out.append("\r\n");
  if (version >= 11 && close) out.append("Connection: close\r\n");
  if (version < 11 && !close) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

}  // namespace bramka::api::http
