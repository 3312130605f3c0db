#include "connectors/smpp/receipt_status.h"

namespace bramka::smpp_client {
namespace {

struct ErrRow {
  std::string_view err;
  std::string_view reason;
};
constexpr ErrRow kErrTable[] = {
    {"001", "wrong_number"},          {"002", "unsupported_number"}, {"003", "message_expired"},
    {"004", "message_rejected"},      {"005", "operator_error"},     {"006", "wrong_sender_name"},
    {"007", "number_is_blacklisted"},
};

ReceiptStatus Undelivered(std::string_view default_reason, std::string_view err) {
  std::string_view reason = ReasonForErrCode(err);
  if (reason == "other_error" && !default_reason.empty()) reason = default_reason;
  return {store::MessageStatus::kUndelivered, std::string(reason)};
}

}  // namespace

std::string_view ErrCodeForReason(std::string_view reason) {
  for (const auto& row : kErrTable) {
    if (row.reason == reason) return row.err;
  }
  return "000";
}

std::string_view ReasonForErrCode(std::string_view err) {
  for (const auto& row : kErrTable) {
    if (row.err == err) return row.reason;
  }
  return "other_error";
}

std::optional<ReceiptStatus> StatusFromReceiptStat(std::string_view stat, std::string_view err) {
  if (stat == "DELIVRD") return ReceiptStatus{store::MessageStatus::kDelivered, ""};
  if (stat == "EXPIRED") return Undelivered("message_expired", err);
  if (stat == "REJECTD") return Undelivered("message_rejected", err);
  if (stat == "UNDELIV" || stat == "DELETED" || stat == "UNKNOWN") return Undelivered("", err);
  return std::nullopt;  // ENROUTE, ACCEPTD, vendor words
}

std::optional<ReceiptStatus> StatusFromMessageState(uint8_t state, std::string_view err) {
  switch (state) {
    case 2:
      return ReceiptStatus{store::MessageStatus::kDelivered, ""};
    case 3:
      return Undelivered("message_expired", err);
    case 8:
      return Undelivered("message_rejected", err);
    case 4:
    case 5:
    case 7:
      return Undelivered("", err);
    default:
      return std::nullopt;
  }
}

}  // namespace bramka::smpp_client
