#pragma once
// Logging facade over spdlog. Call InitLogging once in main(); elsewhere use
// spdlog's free functions (spdlog::info(...)). Secrets are never logged.
//
// Structured formats (docs/adr/0018): "json" writes one JSON object per line,
// "logfmt" one line of key=value pairs. Both carry ts (UTC, ISO 8601 with
// milliseconds), level, thread and msg (the whole text), and lift every
// `key=value` word of the text into a field of its own, so that the lines of
// the message path (`message_id=<id>` at debug level: accepted, sent, retry,
// receipt, callback) can be filtered by message id.

#include <cstdint>
#include <string>
#include <string_view>

#include <spdlog/spdlog.h>

namespace bramka {

// format: "text", "json" or "logfmt"; level: trace|debug|info|warn|error.
void InitLogging(const std::string& format, const std::string& level);

// One line (without the newline) in "json" or "logfmt"; exposed for tests.
// `unix_ms`: the event's time.
std::string FormatStructuredLine(std::string_view format, int64_t unix_ms, std::string_view level,
                                 uint64_t thread, std::string_view text);

}  // namespace bramka
