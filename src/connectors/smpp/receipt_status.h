#pragma once
// Delivery receipts of SMSC connectors: the final status and spec §5 reason a receipt
// carries (text stat / message_state TLV / err code), and the err codes bramka's own
// SMSC simulator (`bramka smsc`) writes for each reason. Defined once here. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "store/model.h"

namespace bramka::smpp_client {

struct ReceiptStatus {
  store::MessageStatus status = store::MessageStatus::kDelivered;  // or kUndelivered
  std::string reason;                                              // for kUndelivered
};

// nullopt for non-final states (ENROUTE, ACCEPTD, unknown words). `err` is the receipt's
// err: field (bramka's codes below give the reason; other codes give "other_error").
std::optional<ReceiptStatus> StatusFromReceiptStat(std::string_view stat, std::string_view err);
// message_state TLV (SMPP 3.4 §5.2.28): 2 delivered; 3, 4, 5, 7, 8 undelivered.
std::optional<ReceiptStatus> StatusFromMessageState(uint8_t state, std::string_view err);

// bramka's err codes: "001" wrong_number, "002" unsupported_number, "003" message_expired,
// "004" message_rejected, "005" operator_error, "006" wrong_sender_name,
// "007" number_is_blacklisted, "000" otherwise (other_error).
std::string_view ErrCodeForReason(std::string_view reason);
std::string_view ReasonForErrCode(std::string_view err);

}  // namespace bramka::smpp_client
