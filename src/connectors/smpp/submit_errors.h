#pragma once
// How a submit_sm outcome becomes a delivery::SendOutcome: the ONE table of SMPP
// command_status values that bramka's SMSC connectors treat as temporary (try again,
// maybe through another route) or permanent (unsent with a spec §5 reason, the charge
// refunded). Pure and thread-safe.

#include <cstdint>
#include <string_view>

namespace bramka::smpp_client {

struct SubmitErrorClass {
  bool temporary = true;
  std::string_view reason;  // spec §5 reason for permanent errors
};

// Classifies a non-zero submit_sm_resp / generic_nack command_status. Statuses not in
// the table: vendor-specific (0x400-0x4FF) and unknown ones are temporary (an SMSC's
// private code is more often "busy" than "never"); every other listed one is permanent
// with "message_rejected" unless the table names a better reason.
SubmitErrorClass ClassifySubmitStatus(uint32_t command_status);

}  // namespace bramka::smpp_client
