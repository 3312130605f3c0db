#include "store/model.h"

namespace bramka::store {

std::string_view MessageTypeName(MessageType t) {
  switch (t) {
    case MessageType::kEco:
      return "eco";
    case MessageType::kFull:
      return "full";
    case MessageType::kVoice:
      return "voice";
    case MessageType::kMms:
      return "mms";
    case MessageType::kHlr:
      return "hlr";
    case MessageType::kLookup:
      return "lookup";
  }
  return "unknown";
}

std::optional<MessageType> ParseMessageType(std::string_view name) {
  for (MessageType t : kAllBalanceTypes) {
    if (MessageTypeName(t) == name) return t;
  }
  return std::nullopt;
}

std::string_view MessageStatusName(MessageStatus s) {
  switch (s) {
    case MessageStatus::kSaved:
      return "saved";
    case MessageStatus::kQueued:
      return "in_progress";
    case MessageStatus::kSent:
      return "sent";
    case MessageStatus::kDelivered:
      return "delivered";
    case MessageStatus::kUndelivered:
      return "undelivered";
    case MessageStatus::kUnsent:
      return "unsent";
    case MessageStatus::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

std::optional<MessageStatus> ParseMessageStatus(std::string_view api_name) {
  // "queued" is accepted as an alias of the API's "in_progress".
  if (api_name == "queued") return MessageStatus::kQueued;
  for (int i = 0; i <= static_cast<int>(MessageStatus::kCancelled); ++i) {
    auto s = static_cast<MessageStatus>(i);
    if (MessageStatusName(s) == api_name) return s;
  }
  return std::nullopt;
}

std::string_view SenderStatusName(SenderStatus s) {
  switch (s) {
    case SenderStatus::kPending:
      return "pending_authorization";
    case SenderStatus::kAuthorized:
      return "authorized";
    case SenderStatus::kRejected:
      return "rejected";
    case SenderStatus::kDeactivated:
      return "deactivated";
  }
  return "unknown";
}

std::optional<SenderStatus> ParseSenderStatus(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(SenderStatus::kDeactivated); ++i) {
    auto s = static_cast<SenderStatus>(i);
    if (SenderStatusName(s) == name) return s;
  }
  return std::nullopt;
}

// ---- accounts area ----

std::string_view SignupStatusName(SignupStatus s) {
  switch (s) {
    case SignupStatus::kPending:
      return "pending";
    case SignupStatus::kApproved:
      return "approved";
    case SignupStatus::kRejected:
      return "rejected";
  }
  return "unknown";
}

}  // namespace bramka::store
