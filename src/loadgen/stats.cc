#include "loadgen/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace bramka::loadgen {

void LatencySamples::Add(std::chrono::nanoseconds latency) {
  const int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(latency).count();
  constexpr int64_t kMax = std::numeric_limits<uint32_t>::max();
  samples_us_.push_back(static_cast<uint32_t>(std::clamp<int64_t>(us, 0, kMax)));
}

void LatencySamples::Merge(const LatencySamples& other) {
  samples_us_.insert(samples_us_.end(), other.samples_us_.begin(), other.samples_us_.end());
}

LatencySummary LatencySamples::Summarize() const {
  LatencySummary s;
  s.count = samples_us_.size();
  if (samples_us_.empty()) return s;
  std::vector<uint32_t> sorted = samples_us_;
  std::sort(sorted.begin(), sorted.end());
  auto ms = [](uint32_t us) { return static_cast<double>(us) / 1000.0; };
  s.p50_ms = ms(NearestRank(sorted, 50));
  s.p90_ms = ms(NearestRank(sorted, 90));
  s.p99_ms = ms(NearestRank(sorted, 99));
  s.max_ms = ms(sorted.back());
  double sum = 0;
  for (uint32_t v : sorted) sum += v;
  s.mean_ms = sum / static_cast<double>(sorted.size()) / 1000.0;
  return s;
}

uint32_t NearestRank(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  p = std::clamp(p, 0.0, 100.0);
  // rank = ceil(p/100 * n), 1-based; p 0 -> rank 1 (the minimum).
  const double n = static_cast<double>(sorted.size());
  auto rank = static_cast<size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

double Seconds(std::chrono::nanoseconds elapsed) {
  return std::chrono::duration<double>(elapsed).count();
}

double PerSecond(uint64_t count, std::chrono::nanoseconds elapsed) {
  const double s = Seconds(elapsed);
  return s > 0 ? static_cast<double>(count) / s : 0.0;
}

void MergeCounts(Counts& into, const Counts& from) {
  for (const auto& [name, n] : from) into[name] += n;
}

uint64_t Total(const Counts& counts) {
  uint64_t total = 0;
  for (const auto& [name, n] : counts) total += n;
  return total;
}

}  // namespace bramka::loadgen
