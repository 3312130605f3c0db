#include "core/failure.h"

namespace bramka::core {

std::string_view FailureName(Failure f) {
  switch (f) {
    case Failure::kNone:
      return "none";
    case Failure::kInvalidUser:
      return "invalid_user";
    case Failure::kMissingParameter:
      return "missing_parameter";
    case Failure::kInvalidParameter:
      return "invalid_parameter";
    case Failure::kInvalidPhone:
      return "invalid_phone";
    case Failure::kInvalidId:
      return "invalid_id";
    case Failure::kTextEmpty:
      return "text_empty";
    case Failure::kTextTooLong:
      return "text_too_long";
    case Failure::kSenderNotApproved:
      return "sender_not_approved";
    case Failure::kEcoLimitExhausted:
      return "eco_limit_exhausted";
    case Failure::kFullLimitExhausted:
      return "full_limit_exhausted";
    case Failure::kVoiceLimitExhausted:
      return "voice_limit_exhausted";
    case Failure::kMmsLimitExhausted:
      return "mms_limit_exhausted";
    case Failure::kNoPermissionEco:
      return "no_permission_eco";
    case Failure::kNoPermissionFull:
      return "no_permission_full";
    case Failure::kNoPermissionVoice:
      return "no_permission_voice";
    case Failure::kNoPermissionMms:
      return "no_permission_mms";
    case Failure::kNoPermissionFlash:
      return "no_permission_flash";
    case Failure::kSendingBlocked:
      return "sending_blocked";
    case Failure::kTooManyRecipients:
      return "too_many_recipients";
    case Failure::kUniqueIdMismatch:
      return "unique_id_mismatch";
    case Failure::kBlacklisted:
      return "blacklisted";
    case Failure::kUnavailable:
      return "unavailable";
    case Failure::kIpNotAllowed:
      return "ip_not_allowed";
    case Failure::kBindLimit:
      return "bind_limit";
    // accounts area
    case Failure::kLoginThrottled:
      return "login_throttled";
    case Failure::kSubaccountRefused:
      return "subaccount_refused";
    case Failure::kLoginTaken:
      return "login_taken";
    case Failure::kParentBalanceTooLow:
      return "parent_balance_too_low";
    case Failure::kSenderExists:
      return "sender_exists";
    case Failure::kRegistrationRefused:
      return "registration_refused";
    case Failure::kFileTypeNotAllowed:
      return "file_type_not_allowed";
    case Failure::kFileTooLarge:
      return "file_too_large";
    case Failure::kFileFetchFailed:
      return "file_fetch_failed";
    case Failure::kHlrLimitExhausted:
      return "hlr_limit_exhausted";
    case Failure::kLookupLimitExhausted:
      return "lookup_limit_exhausted";
    case Failure::kNoPermissionHlr:
      return "no_permission_hlr";
    case Failure::kNoPermissionLookup:
      return "no_permission_lookup";
    case Failure::kPremiumRefused:
      return "premium_refused";
  }
  return "unknown";
}

}  // namespace bramka::core
