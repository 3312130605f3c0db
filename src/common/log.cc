#include "common/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>

namespace bramka {

void InitLogging(const std::string& format, const std::string& level) {
  auto logger = spdlog::stderr_color_mt("bramka");
  if (format == "json") {
    logger->set_pattern(
        R"({"ts":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l","thread":%t,"msg":"%v"})");
  } else {
    logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
  }
  logger->set_level(spdlog::level::from_str(level));
  spdlog::set_default_logger(logger);
  spdlog::flush_on(spdlog::level::warn);
}

}  // namespace bramka
