#include "loadgen/http_response.h"

#include <charconv>
#include <cstdint>
#include <optional>

namespace bramka::loadgen {
namespace {

constexpr std::string_view kCrlf = "\r\n";

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// The head of one answer (status line and fields, without the blank line).
struct Head {
  unsigned status = 0;
  unsigned minor = 1;
  std::optional<uint64_t> length;
  bool chunked_or_coded = false;
  bool close = false;
  bool keep_alive = false;
};

bool ParseHead(std::string_view head, Head& h) {
  size_t eol = head.find(kCrlf);
  std::string_view line = head.substr(0, eol);
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (line.size() < 12 || !line.starts_with("HTTP/1.") || line[7] < '0' || line[7] > '9' ||
      line[8] != ' ') {
    return false;
  }
  h.minor = static_cast<unsigned>(line[7] - '0');
  for (size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return false;
    h.status = h.status * 10 + static_cast<unsigned>(line[i] - '0');
  }
  if (line.size() > 12 && line[12] != ' ') return false;
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + kCrlf.size());
    eol = head.find(kCrlf);
    line = head.substr(0, eol);
    if (line.empty()) continue;
    if (line.front() == ' ' || line.front() == '\t') return false;  // obsolete line folding
    const size_t colon = line.find(':');
    if (colon == 0 || colon == std::string_view::npos) return false;
    const std::string_view name = line.substr(0, colon);
    if (name.find_first_of(" \t") != std::string_view::npos) return false;
    const std::string_view value = TrimOws(line.substr(colon + 1));
    if (EqualsNoCase(name, "content-length")) {
      uint64_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty()) return false;
      if (h.length && *h.length != n) return false;
      h.length = n;
    } else if (EqualsNoCase(name, "transfer-encoding")) {
      h.chunked_or_coded = true;
    } else if (EqualsNoCase(name, "connection")) {
      std::string_view list = value;
      while (!list.empty()) {
        const size_t comma = list.find(',');
        const std::string_view token = TrimOws(list.substr(0, comma));
        if (EqualsNoCase(token, "close")) h.close = true;
        if (EqualsNoCase(token, "keep-alive")) h.keep_alive = true;
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
      }
    }
  }
  return true;
}

}  // namespace

HttpAnswer ReadHttpAnswer(std::string_view bytes, size_t max_head) {
  HttpAnswer a;
  size_t at = 0;
  for (;;) {
    const std::string_view rest = bytes.substr(at);
    const size_t end = rest.find("\r\n\r\n");
    if (end == std::string_view::npos) {
      if (rest.size() > max_head) a.state = HttpAnswer::State::kMalformed;
      return a;
    }
    if (end > max_head) {
      a.state = HttpAnswer::State::kMalformed;
      return a;
    }
    Head h;
    if (!ParseHead(rest.substr(0, end), h)) {
      a.state = HttpAnswer::State::kMalformed;
      return a;
    }
    const size_t head_size = end + 4;
    if (h.status >= 100 && h.status < 200) {
      if (h.status == 101) {  // a protocol switch: not HTTP any more
        a.state = HttpAnswer::State::kUnsupported;
        return a;
      }
      at += head_size;  // interim (100 Continue, 103 Early Hints): the answer follows
      continue;
    }
    uint64_t length = 0;
    if (h.status != 204 && h.status != 304) {
      if (h.chunked_or_coded || !h.length) {
        a.state = HttpAnswer::State::kUnsupported;
        return a;
      }
      length = *h.length;
    }
    if (rest.size() - head_size < length) return a;  // the body is still coming
    a.state = HttpAnswer::State::kDone;
    a.status = h.status;
    a.keep_alive = !h.close && (h.minor >= 1 || h.keep_alive);
    a.body = rest.substr(head_size, length);
    a.consumed = at + head_size + length;
    return a;
  }
}

}  // namespace bramka::loadgen
