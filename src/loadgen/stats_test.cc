#include "loadgen/stats.h"

#include <gtest/gtest.h>

#include "loadgen/report.h"

namespace bramka::loadgen {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(NearestRankTest, EmptyIsZero) { EXPECT_EQ(NearestRank({}, 50), 0u); }

TEST(NearestRankTest, OneToHundred) {
  std::vector<uint32_t> v;
  for (uint32_t i = 1; i <= 100; ++i) v.push_back(i);
  EXPECT_EQ(NearestRank(v, 0), 1u);
  EXPECT_EQ(NearestRank(v, 1), 1u);
  EXPECT_EQ(NearestRank(v, 50), 50u);
  EXPECT_EQ(NearestRank(v, 90), 90u);
  EXPECT_EQ(NearestRank(v, 99), 99u);
  EXPECT_EQ(NearestRank(v, 99.5), 100u);
  EXPECT_EQ(NearestRank(v, 100), 100u);
  EXPECT_EQ(NearestRank(v, 150), 100u);  // clamped
}

TEST(NearestRankTest, SmallSets) {
  // Wikipedia's example: {15, 20, 35, 40, 50}: p30 = 20, p40 = 20, p50 = 35, p100 = 50.
  const std::vector<uint32_t> v{15, 20, 35, 40, 50};
  EXPECT_EQ(NearestRank(v, 5), 15u);
  EXPECT_EQ(NearestRank(v, 30), 20u);
  EXPECT_EQ(NearestRank(v, 40), 20u);
  EXPECT_EQ(NearestRank(v, 50), 35u);
  EXPECT_EQ(NearestRank(v, 100), 50u);
  EXPECT_EQ(NearestRank({7}, 99), 7u);
}

TEST(LatencySamplesTest, SummaryInMilliseconds) {
  LatencySamples s;
  // Added out of order: 1..1000 microseconds.
  for (int i = 1000; i >= 1; --i) s.Add(microseconds(i));
  auto sum = s.Summarize();
  EXPECT_EQ(sum.count, 1000u);
  EXPECT_DOUBLE_EQ(sum.p50_ms, 0.5);
  EXPECT_DOUBLE_EQ(sum.p90_ms, 0.9);
  EXPECT_DOUBLE_EQ(sum.p99_ms, 0.99);
  EXPECT_DOUBLE_EQ(sum.max_ms, 1.0);
  EXPECT_NEAR(sum.mean_ms, 0.5005, 1e-9);
}

TEST(LatencySamplesTest, EmptyAndMerge) {
  LatencySamples a, b;
  EXPECT_EQ(a.Summarize().count, 0u);
  EXPECT_EQ(a.Summarize().p99_ms, 0.0);
  a.Add(milliseconds(2));
  b.Add(milliseconds(4));
  b.Add(std::chrono::nanoseconds(-5));  // a clock oddity counts as 0, not as 4 billion
  a.Merge(b);
  auto sum = a.Summarize();
  EXPECT_EQ(sum.count, 3u);
  EXPECT_DOUBLE_EQ(sum.p50_ms, 2.0);
  EXPECT_DOUBLE_EQ(sum.max_ms, 4.0);
}

TEST(RatesTest, PerSecondAndCounts) {
  EXPECT_DOUBLE_EQ(PerSecond(500, milliseconds(250)), 2000.0);
  EXPECT_DOUBLE_EQ(PerSecond(10, std::chrono::nanoseconds(0)), 0.0);
  Counts c{{"ESME_RTHROTTLED", 2}};
  MergeCounts(c, {{"ESME_RTHROTTLED", 3}, {"timeout", 1}});
  EXPECT_EQ(c["ESME_RTHROTTLED"], 5u);
  EXPECT_EQ(Total(c), 6u);
}

TEST(ReportTest, SmppJsonAndText) {
  SmppBenchReport r;
  r.binds = r.bound = 4;
  r.window = 8;
  r.submitted = 200;
  r.accepted = 198;
  r.errors["ESME_RTHROTTLED"] = 2;
  r.submit_s = 0.5;
  r.receipts_wanted = true;
  r.receipts = 198;
  r.last_receipt_s = 2.0;
  const std::string json = ToJson(r);
  EXPECT_NE(json.find("\"accepted\":198"), std::string::npos) << json;
  EXPECT_NE(json.find("\"accepted_per_s\":396.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"ESME_RTHROTTLED\":2"), std::string::npos) << json;
  EXPECT_NE(json.find("\"receipts_per_s\":99.0"), std::string::npos) << json;
  const std::string text = ToText(r);
  EXPECT_NE(text.find("= 396 accepted/s"), std::string::npos) << text;
  EXPECT_NE(text.find("receipts: 198 of 198"), std::string::npos) << text;
  r.receipts_wanted = false;
  EXPECT_EQ(ToJson(r).find("receipts"), std::string::npos);
}

TEST(ReportTest, HttpJson) {
  HttpBenchReport r;
  r.requests = r.ok = 100;
  r.messages = 100;
  r.seconds = 0.25;
  const std::string json = ToJson(r);
  EXPECT_NE(json.find("\"requests_per_s\":400.0"), std::string::npos) << json;
  EXPECT_NE(json.find("\"errors\":{}"), std::string::npos) << json;
}

}  // namespace
}  // namespace bramka::loadgen
