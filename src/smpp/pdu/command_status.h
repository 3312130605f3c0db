#pragma once
// SMPP 3.4 command_status values (§5.1.3) with their spec names, from command_status.def.
//
// A command_status travels as a raw uint32_t: peers send vendor-specific values
// (0x0400-0x04FF) and reserved ones, which must survive a round trip. The constants are
// the spec names in kPascalCase: ESME_RINVBNDSTS is kEsmeRinvbndsts. Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>

namespace bramka::smpp {

#define SMPP_STATUS(Constant, SPEC_NAME, value, text) inline constexpr uint32_t Constant = value;
#include "smpp/pdu/command_status.def"

// "ESME_RINVBNDSTS"; "" for a value the spec does not name.
std::string_view CommandStatusName(uint32_t status);

// "Incorrect BIND Status for given command"; for unnamed values "SMSC vendor-specific
// error" (0x0400-0x04FF) or "Reserved".
std::string_view CommandStatusText(uint32_t status);

// For logs: "ESME_RINVBNDSTS(0x00000004)", or "0x00000412" for an unnamed value.
std::string FormatCommandStatus(uint32_t status);

inline constexpr bool IsVendorSpecificStatus(uint32_t status) {
  return status >= 0x400 && status <= 0x4FF;
}

}  // namespace bramka::smpp
