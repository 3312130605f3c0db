#include "common/time_format.h"

#include <gtest/gtest.h>

namespace bramka {
namespace {

TEST(TimeFormatTest, RoundTripsInWarsawTime) {
  SetProcessTimeZone("Europe/Warsaw");
  auto t = ParseApiTime("2024-05-20 12:00:09");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatApiTime(*t), "2024-05-20 12:00:09");
  // 12:00:09 CEST is 10:00:09 UTC.
  EXPECT_EQ(ToUnixMillis(*t), 1716199209000);
}

TEST(TimeFormatTest, AcceptsShortForms) {
  SetProcessTimeZone("Europe/Warsaw");
  EXPECT_EQ(FormatApiTime(*ParseApiTime("2024-01-02")), "2024-01-02 00:00:00");
  EXPECT_EQ(FormatApiTime(*ParseApiTime("2024-01-02 10:11")), "2024-01-02 10:11:00");
  EXPECT_EQ(FormatApiTime(*ParseApiTime("2024-01-02T10:11:12")), "2024-01-02 10:11:12");
}

TEST(TimeFormatTest, RejectsGarbage) {
  for (const char* bad :
       {"", "yesterday", "2024-13-01 00:00:00", "2024-01-01 25:00:00", "2024-01-0"}) {
    auto r = ParseApiTime(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
}

}  // namespace
}  // namespace bramka
