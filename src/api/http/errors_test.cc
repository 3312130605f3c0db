#include "api/http/errors.h"

#include <gtest/gtest.h>

#include <set>

#include "api/http/request.h"

namespace bramka::api::http {
namespace {

using core::Failure;

Error CoreError(ErrorCode code, Failure f) { return MakeError(code, "x", static_cast<int>(f)); }

TEST(ErrorTableTest, ProviderCodes) {
  struct Want {
    int code;
    const char* type;
  };
  for (Want w : {Want{1000, "InvalidAction"},
                 {1001, "InvalidUser"},
                 {1002, "InvalidRole"},
                 {1003, "InvalidIP"},
                 {1004, "InvalidID"},
                 {1005, "InvalidRole"},
                 {1006, "InvalidData"},
                 {1007, "InvalidRole"},
                 {1008, "InvalidRole"},
                 {2000, "ValidationRequiredError"},
                 {2001, "ValidationPhoneError"},
                 {2002, "ValidationCodeError"},
                 {3000, "SendError"},
                 {3009, "SendError"},
                 {3100, "SendError"},
                 {3101, "SendError"},
                 {3102, "SendError"}}) {
    auto e = FindApiError(w.code);
    ASSERT_TRUE(e.has_value()) << w.code;
    EXPECT_EQ(e->type, w.type) << w.code;
    EXPECT_FALSE(e->message.empty());
  }
  EXPECT_EQ(FindApiError(1001)->message, "Nieprawidłowy login lub hasło");
  EXPECT_EQ(FindApiError(1001, Language::kEnglish)->message, "Invalid login or password");
  EXPECT_FALSE(FindApiError(999).has_value());
  EXPECT_FALSE(FindApiError(3010).has_value());
}

TEST(ErrorTableTest, EveryFailureHasAnEntry) {
  std::set<int> codes;
  for (int f = 1; f <= static_cast<int>(Failure::kUnavailable); ++f) {
    ApiError e = ApiErrorFor(MakeError(ErrorCode::kInvalidArgument, "", f));
    EXPECT_NE(e.code, 0);
    codes.insert(e.code);
  }
  EXPECT_GE(codes.size(), 20u);  // distinct failures stay distinct on the wire
}

TEST(ErrorTableTest, FailureDecidesThenErrorCode) {
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kUnauthenticated, Failure::kInvalidUser)).code, 1001);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kRejected, Failure::kFullLimitExhausted)).code, 3002);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kRejected, Failure::kEcoLimitExhausted)).code, 3000);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kRejected, Failure::kNoPermissionFlash)).code, 3008);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kInvalidArgument, Failure::kTextEmpty)).code, 3101);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kInvalidArgument, Failure::kTextTooLong)).code, 3102);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kInvalidArgument, Failure::kMissingParameter)).code,
            2000);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kNotFound, Failure::kInvalidId)).code, 1004);
  EXPECT_EQ(ApiErrorFor(CoreError(ErrorCode::kUnavailable, Failure::kUnavailable)).code, 1009);
  EXPECT_EQ(ApiErrorFor(MakeError(ErrorCode::kNotFound, "")).code, 1004);
  EXPECT_EQ(ApiErrorFor(MakeError(ErrorCode::kInternal, "")).code, 1010);
  EXPECT_EQ(ApiErrorFor(MakeError(ErrorCode::kThrottled, "")).code, 1012);
  EXPECT_EQ(ApiErrorFor(MakeError(ErrorCode::kUnavailable, "", 9999)).code, 1009);
  EXPECT_EQ(ApiErrorFor(InvalidData("bad")).code, 1006);
}

TEST(ErrorTableTest, AuthenticationFailures) {
  EXPECT_EQ(AuthErrorFor(CoreError(ErrorCode::kUnauthenticated, Failure::kInvalidUser)).code, 1001);
  EXPECT_EQ(AuthErrorFor(CoreError(ErrorCode::kPermissionDenied, Failure::kSendingBlocked)).code,
            1007);
  EXPECT_EQ(AuthErrorFor(MakeError(ErrorCode::kNotFound, "")).code, 1001);
  EXPECT_EQ(AuthErrorFor(MakeError(ErrorCode::kUnavailable, "")).code, 1009);
}

TEST(ErrorTableTest, ErrorPreview) {
  EXPECT_EQ(ErrorPreview("1000").code, 1000);
  EXPECT_EQ(ErrorPreview("1000").type, "InvalidAction");
  EXPECT_EQ(ErrorPreview("3102").code, 3102);
  for (const char* bad : {"", "abc", "99999", "1000x", "-1", "12345678901234567890"}) {
    EXPECT_EQ(ErrorPreview(bad).code, 2002) << bad;
    EXPECT_EQ(ErrorPreview(bad).type, "ValidationCodeError");
  }
}

}  // namespace
}  // namespace bramka::api::http
