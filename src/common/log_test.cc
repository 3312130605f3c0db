#include "common/log.h"

#include <gtest/gtest.h>

namespace bramka {
namespace {

// 2026-01-31 12:00:00.123 UTC
constexpr int64_t kMs = 1769860800123;

TEST(StructuredLogTest, JsonEscapesTheTextAndLiftsKeyValueWords) {
  EXPECT_EQ(FormatStructuredLine("json", kMs, "info", 7,
                                 "message sent message_id=0a1b2c3d4e connector=smsc-1, \"q\"\n"),
            R"({"ts":"2026-01-31T12:00:00.123Z","level":"info","thread":7,)"
            R"("msg":"message sent message_id=0a1b2c3d4e connector=smsc-1, \"q\"\n",)"
            R"("message_id":"0a1b2c3d4e","connector":"smsc-1"})");
}

TEST(StructuredLogTest, LogfmtQuotesWhatNeedsIt) {
  EXPECT_EQ(FormatStructuredLine("logfmt", kMs, "debug", 1, "message retry message_id=x error=a"),
            "ts=2026-01-31T12:00:00.123Z level=debug thread=1 "
            "msg=\"message retry message_id=x error=a\" message_id=x error=a");
}

TEST(StructuredLogTest, ReservedAndMalformedWordsAreNotFields) {
  const std::string line =
      FormatStructuredLine("logfmt", kMs, "info", 1, "level=x =y a= 9k=v Key=v msg=m x=1");
  EXPECT_EQ(line,
            "ts=2026-01-31T12:00:00.123Z level=info thread=1 msg=\"level=x =y a= 9k=v Key=v msg=m "
            "x=1\" x=1");
}

}  // namespace
}  // namespace bramka
