#pragma once
// Metrics: counters, gauges and histograms rendered in the Prometheus text
// format for GET /metrics. Components register what they measure once, at
// construction, and update it lock-free on hot paths.
//
// Thread-safety: registration takes a lock; Inc/Set/Observe are atomic.
// Ownership: the registry owns every metric; pointers stay valid for its life.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace bramka {

class Counter {
 public:
  void Inc(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class Gauge {
 public:
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void Add(int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

// Bucket bounds in seconds for sub-millisecond to second latencies (50 µs .. 2.5 s), the
// stage histograms of the store's writer and the SMPP server (docs/adr/0035).
std::vector<double> FineLatencyBuckets();

// Fixed buckets in seconds.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double seconds) { Observe(seconds, 1); }
  // `n` observations of the same value (one bucket search and three atomic adds).
  void Observe(double seconds, int64_t n);
  const std::vector<double>& bounds() const { return bounds_; }
  std::vector<int64_t> cumulative_counts() const;  // one per bound, then +Inf
  double sum() const;
  int64_t count() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<int64_t>[]> counts_;
  std::atomic<int64_t> sum_micros_{0};
  std::atomic<int64_t> count_{0};
};

class MetricsRegistry {
 public:
  // `labels` is a Prometheus label set without braces, e.g. `interface="http"`.
  // The same (name, labels) returns the same metric.
  Counter& GetCounter(const std::string& name, const std::string& help,
                      const std::string& labels = "");
  Gauge& GetGauge(const std::string& name, const std::string& help, const std::string& labels = "");
  Histogram& GetHistogram(const std::string& name, const std::string& help,
                          const std::string& labels = "");
  // With buckets of its own (seconds, increasing); the first call's bounds stay.
  Histogram& GetHistogram(const std::string& name, const std::string& help,
                          const std::string& labels, std::vector<double> bounds);
  // A gauge computed when /metrics is read (queue depth from the store, ...).
  void AddCallbackGauge(const std::string& name, const std::string& help,
                        std::function<std::vector<std::pair<std::string, double>>()> read);

  std::string RenderPrometheus() const;

 private:
  struct Family {
    std::string help;
    std::string type;  // counter | gauge | histogram
    std::map<std::string, std::unique_ptr<Counter>> counters;
    std::map<std::string, std::unique_ptr<Gauge>> gauges;
    std::map<std::string, std::unique_ptr<Histogram>> histograms;
    std::vector<std::function<std::vector<std::pair<std::string, double>>()>> callbacks;
  };
  Family& FamilyFor(const std::string& name, const std::string& help, const char* type);

  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

}  // namespace bramka
