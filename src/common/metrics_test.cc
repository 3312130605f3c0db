#include "common/metrics.h"

#include <gtest/gtest.h>

namespace bramka {
namespace {

TEST(MetricsTest, RendersPrometheusText) {
  MetricsRegistry r;
  r.GetCounter("bramka_messages_in_total", "Messages accepted.", "interface=\"http\"").Inc(3);
  r.GetCounter("bramka_messages_in_total", "Messages accepted.", "interface=\"http\"").Inc();
  r.GetGauge("bramka_up", "Up.").Set(1);
  r.GetHistogram("bramka_latency_seconds", "Latency.").Observe(0.003);
  r.AddCallbackGauge("bramka_queue_depth", "Queued.", [] {
    return std::vector<std::pair<std::string, double>>{{"status=\"queued\"", 7}};
  });
  std::string text = r.RenderPrometheus();
  EXPECT_NE(text.find("# TYPE bramka_messages_in_total counter"), std::string::npos);
  EXPECT_NE(text.find("bramka_messages_in_total{interface=\"http\"} 4"), std::string::npos);
  EXPECT_NE(text.find("bramka_up 1"), std::string::npos);
  EXPECT_NE(text.find("bramka_latency_seconds_bucket{le=\"0.0025\"} 0"), std::string::npos);
  EXPECT_NE(text.find("bramka_latency_seconds_bucket{le=\"0.005\"} 1"), std::string::npos);
  EXPECT_NE(text.find("bramka_latency_seconds_count 1"), std::string::npos);
  EXPECT_NE(text.find("bramka_queue_depth{status=\"queued\"} 7"), std::string::npos);
}

// s6-latency (docs/adr/0035): n observations of one value at once.
TEST(MetricsTest, HistogramObservesManyOfOneValueAtOnce) {
  Histogram h({0.001, 0.01});
  h.Observe(0.005, 40);
  h.Observe(0.0005);
  EXPECT_EQ(h.count(), 41);
  EXPECT_EQ(h.cumulative_counts(), (std::vector<int64_t>{1, 41, 41}));
  EXPECT_NEAR(h.sum(), 40 * 0.005 + 0.0005, 1e-6);
}

}  // namespace
}  // namespace bramka
