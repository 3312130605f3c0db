#include "smpp/pdu/command_status.h"

#include <cstdio>

namespace bramka::smpp {

std::string_view CommandStatusName(uint32_t status) {
  switch (status) {
#define SMPP_STATUS(Constant, SPEC_NAME, value, text) \
  case value:                                         \
    return #SPEC_NAME;
#include "smpp/pdu/command_status.def"
  }
  return {};
}

std::string_view CommandStatusText(uint32_t status) {
  switch (status) {
#define SMPP_STATUS(Constant, SPEC_NAME, value, text) \
  case value:                                         \
    return text;
#include "smpp/pdu/command_status.def"
  }
  return IsVendorSpecificStatus(status) ? "SMSC vendor-specific error" : "Reserved";
}

std::string FormatCommandStatus(uint32_t status) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", status);
  const std::string_view name = CommandStatusName(status);
  if (name.empty()) return hex;
  std::string out(name);
  out += '(';
  out += hex;
  out += ')';
  return out;
}

}  // namespace bramka::smpp
