#include "api/smpp/status.h"

#include "smpp/pdu/command_status.h"

namespace bramka::api::smpp {

using core::Failure;
using namespace bramka::smpp;  // kEsmeR* constants

uint32_t CommandStatusFor(Failure failure) {
  switch (failure) {
    case Failure::kNone:
      return kEsmeRok;
    case Failure::kInvalidUser:
      return kEsmeRinvpaswd;
    case Failure::kIpNotAllowed:
    case Failure::kBindLimit:
    case Failure::kSendingBlocked:
      return kEsmeRbindfail;
    case Failure::kMissingParameter:
    case Failure::kInvalidPhone:
      return kEsmeRinvdstadr;
    case Failure::kTooManyRecipients:
      return kEsmeRinvnumdests;
    case Failure::kInvalidId:
      return kEsmeRinvmsgid;
    case Failure::kTextEmpty:
    case Failure::kTextTooLong:
      return kEsmeRinvmsglen;
    case Failure::kSenderNotApproved:
      return kEsmeRinvsrcadr;
    // Balance and permission refusals are permanent for this message: submit failed.
    case Failure::kEcoLimitExhausted:
    case Failure::kFullLimitExhausted:
    case Failure::kVoiceLimitExhausted:
    case Failure::kMmsLimitExhausted:
    case Failure::kNoPermissionEco:
    case Failure::kNoPermissionFull:
    case Failure::kNoPermissionVoice:
    case Failure::kNoPermissionMms:
    case Failure::kNoPermissionFlash:
    case Failure::kUniqueIdMismatch:
    case Failure::kBlacklisted:
    case Failure::kInvalidParameter:
      return kEsmeRsubmitfail;
    // Media and number checks never come over SMPP; for completeness.
    case Failure::kFileTypeNotAllowed:
    case Failure::kFileTooLarge:
    case Failure::kFileFetchFailed:
    case Failure::kHlrLimitExhausted:
    case Failure::kLookupLimitExhausted:
    case Failure::kNoPermissionHlr:
    case Failure::kNoPermissionLookup:
    case Failure::kPremiumRefused:
      return kEsmeRsubmitfail;
    // Storage cannot take it now: a temporary status that clients (Kannel) retry.
    case Failure::kUnavailable:
      return kEsmeRmsgqful;
    // accounts area: API v2 refusals that no SMPP operation produces.
    case Failure::kLoginThrottled:
      return kEsmeRbindfail;
    case Failure::kSubaccountRefused:
    case Failure::kLoginTaken:
    case Failure::kParentBalanceTooLow:
    case Failure::kSenderExists:
    case Failure::kRegistrationRefused:
      return kEsmeRsyserr;
  }
  return kEsmeRsyserr;
}

uint32_t CommandStatusFor(const Error& error) {
  if (error.detail > 0 && error.detail <= static_cast<int>(core::kLastFailure)) {
    return CommandStatusFor(static_cast<Failure>(error.detail));
  }
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return kEsmeRsubmitfail;
    case ErrorCode::kNotFound:
      return kEsmeRinvmsgid;
    case ErrorCode::kAlreadyExists:
      return kEsmeRsubmitfail;
    case ErrorCode::kUnauthenticated:
      return kEsmeRinvpaswd;
    case ErrorCode::kPermissionDenied:
      return kEsmeRbindfail;
    case ErrorCode::kThrottled:
      return kEsmeRthrottled;
    case ErrorCode::kUnavailable:
      return kEsmeRmsgqful;
    case ErrorCode::kRejected:
      return kEsmeRsubmitfail;
    case ErrorCode::kCorrupt:
    case ErrorCode::kInternal:
      return kEsmeRsyserr;
  }
  return kEsmeRsyserr;
}

}  // namespace bramka::api::smpp
