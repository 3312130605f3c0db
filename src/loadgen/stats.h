#pragma once
// Figures of a load run: latency samples and their percentiles, counts by outcome, rates.
// Pure (no clock reads, no I/O). LatencySamples is not thread-safe: keep one per
// connection (touched on its strand) and Merge() them at the end.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bramka::loadgen {

// Percentiles of a set of latencies, in milliseconds (0 when there are no samples).
struct LatencySummary {
  uint64_t count = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double mean_ms = 0;
};

// Latencies kept exactly (microseconds, 4 bytes each: a million samples take 4 MB), so
// percentiles are exact rather than bucketed.
class LatencySamples {
 public:
  void Add(std::chrono::nanoseconds latency);
  void Merge(const LatencySamples& other);
  uint64_t count() const { return samples_us_.size(); }
  // Sorts a copy; nearest-rank percentiles (NearestRank below).
  LatencySummary Summarize() const;

 private:
  std::vector<uint32_t> samples_us_;
};

// The nearest-rank percentile of ascending `sorted` (p in 0..100): the smallest value
// with at least p % of the samples at or below it. p 0 is the minimum, 100 the maximum;
// 0 for an empty vector.
uint32_t NearestRank(const std::vector<uint32_t>& sorted, double p);

// count / seconds, 0 when no time passed.
double PerSecond(uint64_t count, std::chrono::nanoseconds elapsed);
double Seconds(std::chrono::nanoseconds elapsed);

// Outcomes by name ("ESME_RTHROTTLED", "timeout", "error 2101", ...).
using Counts = std::map<std::string, uint64_t>;
void MergeCounts(Counts& into, const Counts& from);
uint64_t Total(const Counts& counts);

}  // namespace bramka::loadgen
