#pragma once
// The API v2 error table (spec §2): the ONE place where bramka's internal
// errors — (ErrorCode, core::Failure in Error::detail) — become the wire's
// {"error":{"code","type","message"}}, and the catalogue `error/{code}`
// answers from. Codes 1000-1008, 2000-2002 and 3000-3102 are the provider's;
// bramka allocates the rest in the spec's ranges (1xxx general, 2xxx
// validation, 3xxx sending, 4xxx modules), listed in errors.cc and README.md.
//
// Pure and thread-safe (static tables).

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"
#include "core/failure.h"

namespace bramka::api::http {

// Language of `message` (spec §2.1: Polish on the provider's PL site, which
// is the default; one language per deployment).
enum class Language { kPolish, kEnglish };

struct ApiError {
  int code = 0;
  std::string type;     // CamelCase, e.g. "InvalidUser"
  std::string message;  // human text in the deployment's language
};

// Codes adapters refer to by name.
namespace api_code {
inline constexpr int kInvalidAction = 1000;
inline constexpr int kInvalidUser = 1001;
inline constexpr int kInvalidId = 1004;
inline constexpr int kNoPermission = 1005;
inline constexpr int kInvalidData = 1006;
inline constexpr int kAccountNotActive = 1007;
inline constexpr int kServiceUnavailable = 1009;  // bramka
inline constexpr int kInternalError = 1010;       // bramka
inline constexpr int kRequestTooLarge = 1011;     // bramka
inline constexpr int kTooManyRequests = 1012;     // bramka
inline constexpr int kRequiredMissing = 2000;
inline constexpr int kInvalidPhone = 2001;
inline constexpr int kInvalidErrorCode = 2002;
inline constexpr int kInvalidUniqueId = 2003;  // bramka
inline constexpr int kSendingBlocked = 3100;
inline constexpr int kTextEmpty = 3101;
inline constexpr int kTextTooLong = 3102;
}  // namespace api_code

// The catalogue entry for `code`, or nullopt when the code is not defined.
std::optional<ApiError> FindApiError(int code, Language lang = Language::kPolish);

// The entry for a code bramka itself uses; the code must be in the catalogue.
ApiError ApiErrorByCode(int code, Language lang = Language::kPolish);

// Maps an Error from core or the decoder: the Failure in `detail` decides
// when it has an entry, otherwise the ErrorCode does. Never fails.
ApiError ApiErrorFor(const Error& error, Language lang = Language::kPolish);

// The same for a failed authentication: an inactive account (kSendingBlocked)
// is 1007 "account not fully active" (spec §1.4) rather than 3100; every
// other failure to authenticate is 1001 InvalidUser.
ApiError AuthErrorFor(const Error& error, Language lang = Language::kPolish);

// The code for a per-recipient failure in send results (unsent items).
ApiError ApiErrorForFailure(core::Failure failure, Language lang = Language::kPolish);

// `error/{code}` (spec §4.22): the entry for the decimal code in `text`, or
// 2002 ValidationCodeError when it is not a number or not in the catalogue.
ApiError ErrorPreview(std::string_view text, Language lang = Language::kPolish);

}  // namespace bramka::api::http
