#include "sms/utf8.h"

#include <cstdio>

namespace bramka::sms {

std::string DescribeCodePoint(char32_t cp) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(cp));
  // C0/C1 controls and DEL would garble a log line; name them by number only.
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return hex;
  }
  std::string out = "'";
  AppendUtf8(&out, cp);
  out += "' (";
  out += hex;
  out += ')';
  return out;
}

}  // namespace bramka::sms
