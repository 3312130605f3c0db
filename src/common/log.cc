#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <utility>
#include <vector>

namespace bramka {
namespace {

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[u >> 4]);
          out.push_back(kHex[u & 15]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

// logfmt: bare when the value has no space, quote, '=' or control character.
void AppendLogfmtValue(std::string& out, std::string_view s) {
  bool bare = !s.empty();
  for (char c : s) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == '=' || c == '\\') bare = false;
  }
  if (bare) {
    out.append(s);
  } else {
    AppendJsonString(out, s);  // logfmt readers take Go-style quoted strings
  }
}

bool IsKeyChar(char c) { return (c >= 'a' && c <= 'z') || c == '_' || (c >= '0' && c <= '9'); }

// The `key=value` words of a log text (key: [a-z_][a-z0-9_]*, value: up to the
// next space, without a trailing ',' ';' or ')').
std::vector<std::pair<std::string_view, std::string_view>> Fields(std::string_view text) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t end = text.find(' ', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view word = text.substr(i, end - i);
    i = end;
    const size_t eq = word.find('=');
    if (eq == 0 || eq == std::string_view::npos || eq + 1 >= word.size()) continue;
    std::string_view key = word.substr(0, eq);
    if (key[0] >= '0' && key[0] <= '9') continue;
    bool ok = true;
    for (char c : key) ok = ok && IsKeyChar(c);
    if (!ok || key == "ts" || key == "level" || key == "thread" || key == "msg") continue;
    std::string_view value = word.substr(eq + 1);
    while (!value.empty() && (value.back() == ',' || value.back() == ';' || value.back() == ')')) {
      value.remove_suffix(1);
    }
    if (!value.empty()) out.emplace_back(key, value);
  }
  return out;
}

std::string IsoTime(int64_t unix_ms) {
  const std::time_t secs = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

class StructuredFormatter final : public spdlog::formatter {
 public:
  explicit StructuredFormatter(std::string format) : format_(std::move(format)) {}

  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    const int64_t ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    const auto level = spdlog::level::to_string_view(msg.level);
    std::string line =
        FormatStructuredLine(format_, ms, std::string_view(level.data(), level.size()),
                             static_cast<uint64_t>(msg.thread_id),
                             std::string_view(msg.payload.data(), msg.payload.size()));
    line.push_back('\n');
    dest.append(line.data(), line.data() + line.size());
  }

  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<StructuredFormatter>(format_);
  }

 private:
  std::string format_;
};

}  // namespace

std::string FormatStructuredLine(std::string_view format, int64_t unix_ms, std::string_view level,
                                 uint64_t thread, std::string_view text) {
  std::string out;
  const auto fields = Fields(text);
  if (format == "json") {
    out += "{\"ts\":\"" + IsoTime(unix_ms) + "\",\"level\":";
    AppendJsonString(out, level);
    out += ",\"thread\":" + std::to_string(thread) + ",\"msg\":";
    AppendJsonString(out, text);
    for (const auto& [key, value] : fields) {
      out += ",\"";
      out.append(key);
      out += "\":";
      AppendJsonString(out, value);
    }
    out.push_back('}');
  } else {
    out += "ts=" + IsoTime(unix_ms) + " level=";
    AppendLogfmtValue(out, level);
    out += " thread=" + std::to_string(thread) + " msg=";
    AppendJsonString(out, text);
    for (const auto& [key, value] : fields) {
      out.push_back(' ');
      out.append(key);
      out.push_back('=');
      AppendLogfmtValue(out, value);
    }
  }
  return out;
}

void InitLogging(const std::string& format, const std::string& level) {
  auto logger = spdlog::stderr_color_mt("bramka");
  if (format == "json" || format == "logfmt") {
    logger->set_formatter(std::make_unique<StructuredFormatter>(format));
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::warn);
}

}  // namespace bramka
