#include "common/result.h"

#include <gtest/gtest.h>

namespace bramka {
namespace {

Result<int> Half(int x) {
  if (x % 2) return Fail(ErrorCode::kInvalidArgument, "odd", 7);
  return x / 2;
}

Result<int> Quarter(int x) {
  BRAMKA_ASSIGN_OR_RETURN(int h, Half(x));
  return Half(h);
}

Result<void> CheckEven(int x) {
  BRAMKA_RETURN_IF_ERROR(Half(x));
  return Ok();
}

TEST(ResultTest, CarriesValueOrError) {
  EXPECT_EQ(*Half(8), 4);
  auto r = Half(3);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().detail, 7);
  EXPECT_EQ(r.error().ToString(), "InvalidArgument: odd");
  EXPECT_EQ(r.value_or(-1), -1);
}

TEST(ResultTest, MacrosPropagate) {
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_TRUE(CheckEven(2).ok());
  EXPECT_EQ(CheckEven(1).error().message, "odd");
}

}  // namespace
}  // namespace bramka
