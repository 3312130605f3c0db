#pragma once
// Logging facade over spdlog. Call InitLogging once in main(); elsewhere use
// spdlog's free functions (spdlog::info(...)). Secrets are never logged.

#include <string>

#include <spdlog/spdlog.h>

namespace bramka {

// format: "text" or "json"; level: trace|debug|info|warn|error.
void InitLogging(const std::string& format, const std::string& level);

}  // namespace bramka
