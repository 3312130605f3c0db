#pragma once
// The API's date format "YYYY-MM-DD HH:MM:SS" (spec §3), in the deployment's
// local time zone (Europe/Warsaw by default: SetProcessTimeZone at start-up).

#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"

namespace bramka {

// Sets TZ for the process (call once at start-up, before threads start).
void SetProcessTimeZone(const std::string& tz);

std::string FormatApiTime(SystemTime t);
inline std::string FormatApiTimeMs(int64_t unix_ms) {
  return FormatApiTime(FromUnixMillis(unix_ms));
}

// Accepts "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM:SS" and
// "YYYY-MM-DD" (midnight). kInvalidArgument otherwise.
Result<SystemTime> ParseApiTime(std::string_view text);

}  // namespace bramka
