#include "common/time_format.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>

namespace bramka {

void SetProcessTimeZone(const std::string& tz) {
  ::setenv("TZ", tz.c_str(), 1);
  ::tzset();
}

std::string FormatApiTime(SystemTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  ::localtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

Result<SystemTime> ParseApiTime(std::string_view text) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  std::string copy(text);
  char sep = ' ';
  int n = std::sscanf(copy.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &s);
  bool ok = (n == 3 && copy.size() == 10) || ((n == 6 || n == 7) && (sep == ' ' || sep == 'T'));
  if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970) {
    return Fail(ErrorCode::kInvalidArgument,
                "invalid date '" + copy + "', expected YYYY-MM-DD HH:MM:SS");
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  std::time_t secs = ::mktime(&tm);
  if (secs == static_cast<std::time_t>(-1)) {
    return Fail(ErrorCode::kInvalidArgument, "date out of range: " + copy);
  }
  return std::chrono::system_clock::from_time_t(secs);
}

}  // namespace bramka
