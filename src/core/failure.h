#pragma once
// core::Failure: the domain reasons core refuses something, carried in
// Error::detail. Adapters map (ErrorCode, Failure) to their wire once, in one
// table each (API v2 codes in api/http/errors.cc, SMPP command_status in
// api/smpp, ...). Values are stable: they travel between layers only, never on
// a wire or to disk.

#include <string>
#include <string_view>
#include <utility>

#include "common/result.h"

namespace bramka::core {

enum class Failure : int {
  kNone = 0,
  kInvalidUser,       // wrong login, password or token
  kMissingParameter,  // a required parameter is absent
  kInvalidParameter,  // a parameter has the wrong form (dates, ids, flags)
  kInvalidPhone,      // a recipient number is not valid
  kInvalidId,         // no such message (or other record) for this account
  kTextEmpty,
  kTextTooLong,        // more than 918 GSM-7 characters / 6 parts
  kSenderNotApproved,  // FULL sender unknown, pending or rejected
  kEcoLimitExhausted,
  kFullLimitExhausted,
  kVoiceLimitExhausted,
  kMmsLimitExhausted,
  kNoPermissionEco,
  kNoPermissionFull,
  kNoPermissionVoice,
  kNoPermissionMms,
  kNoPermissionFlash,
  kSendingBlocked,     // the account is not active
  kTooManyRecipients,  // more than 100,000 numbers in one request
  kUniqueIdMismatch,   // unique_id count differs from recipient count, or bad form
  kBlacklisted,        // the number is on the account's blacklist (per item)
  kUnavailable,        // storage cannot accept now (disk full, locked)
  kIpNotAllowed,       // the client's address is outside the login's allowlist
  kBindLimit,          // the SMPP login has as many binds open as it may
  // ---- accounts area (docs/adr/0008) ----
  kLoginThrottled,       // too many failed logins from the address or for the name
  kSubaccountRefused,    // subaccounts/add: unknown template, or the caller is a subaccount
  kLoginTaken,           // subaccounts/add: the username exists
  kParentBalanceTooLow,  // the main account cannot cover a subaccount's limit
  kSenderExists,         // senders/add: the account has the name already
  kRegistrationRefused,  // account/add from a demo account or a subaccount
  // ---- media and number checks (files/*, send_mms, send_voice, phones/check) ----
  kFileTypeNotAllowed,  // not an allowed MMS type, or not a voice WAV as spec §4.3 wants
  kFileTooLarge,        // over the size limit of its type
  kFileFetchFailed,     // the file's URL could not be fetched (scheme, network, status)
  kHlrLimitExhausted,
  kLookupLimitExhausted,
  kNoPermissionHlr,
  kNoPermissionLookup,
  // ---- inbound (docs/adr/0011) ----
  kPremiumRefused,  // premium/send: unknown premium message, or no answer left
};
inline constexpr Failure kLastFailure = Failure::kPremiumRefused;

std::string_view FailureName(Failure f);

// How core refuses something: an Error with `code` carrying `failure` in its detail.
inline Unexpected Refuse(ErrorCode code, Failure failure, std::string message) {
  return Fail(code, std::move(message), static_cast<int>(failure));
}

// A wrong login, password or token (one message for all, so it tells nothing).
inline Unexpected InvalidUser() {
  return Refuse(ErrorCode::kUnauthenticated, Failure::kInvalidUser, "invalid login or password");
}

}  // namespace bramka::core
