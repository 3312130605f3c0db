#pragma once
// Turns a stored message into the submit_sm PDUs one SMSC connector sends: addresses
// with their TON/NPI, data_coding, registered_delivery, and long messages as UDH parts,
// SAR parts or one message_payload (per SmppConnectorOptions). Pure and thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "connectors/smpp/options.h"
#include "smpp/pdu/pdu.h"
#include "store/model.h"

namespace bramka::smpp_client {

struct Address {
  uint8_t ton = 0;
  uint8_t npi = 0;
  std::string addr;
  bool operator==(const Address&) const = default;
};

// TON/NPI rules (SMPP 3.4 §5.2.5-6):
//   "+48500600700" or more than 8 digits -> 1/1 (international, ISDN), without '+';
//   up to 8 digits (a short code)         -> 3/0 (network specific, unknown);
//   anything else (a sender name)         -> 5/0 (alphanumeric), cut to 11 characters;
//   empty                                 -> 0/0 "" (the SMSC's default).
Address MakeAddress(std::string_view address);

// The submit_sm PDUs for `message`, in order (one per part, or one with message_payload).
// `reference` is the concatenation reference (8-bit UDH uses its low byte). Every PDU
// asks for a delivery receipt (registered_delivery 1). Errors: kInvalidArgument if the
// text cannot be encoded.
Result<std::vector<smpp::Pdu>> BuildSubmits(const store::Message& message,
                                            const SmppConnectorOptions& options,
                                            uint16_t reference);

}  // namespace bramka::smpp_client
