#include "common/metrics.h"

#include <fmt/format.h>

namespace bramka {
namespace {

std::string Braced(const std::string& labels, const std::string& extra = "") {
  std::string all = labels;
  if (!extra.empty()) all = all.empty() ? extra : all + "," + extra;
  return all.empty() ? "" : "{" + all + "}";
}

}  // namespace

std::vector<double> FineLatencyBuckets() {
  return {0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015,
          0.002,   0.003,  0.004,  0.005,  0.006,  0.008,   0.01,  0.015,
          0.02,    0.03,   0.05,   0.1,    0.25,   0.5,     1,     2.5};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<int64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i] = 0;
}

void Histogram::Observe(double seconds, int64_t n) {
  size_t i = 0;
  while (i < bounds_.size() && seconds > bounds_[i]) ++i;
  counts_[i].fetch_add(n, std::memory_order_relaxed);
  sum_micros_.fetch_add(static_cast<int64_t>(seconds * 1e6) * n, std::memory_order_relaxed);
  count_.fetch_add(n, std::memory_order_relaxed);
}

std::vector<int64_t> Histogram::cumulative_counts() const {
  std::vector<int64_t> out(bounds_.size() + 1);
  int64_t running = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

double Histogram::sum() const { return static_cast<double>(sum_micros_.load()) / 1e6; }
int64_t Histogram::count() const { return count_.load(); }

MetricsRegistry::Family& MetricsRegistry::FamilyFor(const std::string& name,
                                                    const std::string& help, const char* type) {
  Family& f = families_[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

Counter& MetricsRegistry::GetCounter(const std::string& name, const std::string& help,
                                     const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, "counter").counters[labels];
  if (!slot) slot = std::make_unique<Counter>();
  return *slot;
}

Gauge& MetricsRegistry::GetGauge(const std::string& name, const std::string& help,
                                 const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, "gauge").gauges[labels];
  if (!slot) slot = std::make_unique<Gauge>();
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::string& labels) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, "histogram").histograms[labels];
  if (!slot) {
    slot = std::make_unique<Histogram>(std::vector<double>{
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10});
  }
  return *slot;
}

Histogram& MetricsRegistry::GetHistogram(const std::string& name, const std::string& help,
                                         const std::string& labels, std::vector<double> bounds) {
  std::lock_guard lock(mu_);
  auto& slot = FamilyFor(name, help, "histogram").histograms[labels];
  if (!slot) slot = std::make_unique<Histogram>(std::move(bounds));
  return *slot;
}

void MetricsRegistry::AddCallbackGauge(
    const std::string& name, const std::string& help,
    std::function<std::vector<std::pair<std::string, double>>()> read) {
  std::lock_guard lock(mu_);
  FamilyFor(name, help, "gauge").callbacks.push_back(std::move(read));
}

std::string MetricsRegistry::RenderPrometheus() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const auto& [name, f] : families_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, f.help, name, f.type);
    for (const auto& [labels, c] : f.counters) {
      out += fmt::format("{}{} {}\n", name, Braced(labels), c->value());
    }
    for (const auto& [labels, g] : f.gauges) {
      out += fmt::format("{}{} {}\n", name, Braced(labels), g->value());
    }
    for (const auto& read : f.callbacks) {
      for (const auto& [labels, v] : read()) {
        out += fmt::format("{}{} {}\n", name, Braced(labels), v);
      }
    }
    for (const auto& [labels, h] : f.histograms) {
      auto counts = h->cumulative_counts();
      for (size_t i = 0; i < h->bounds().size(); ++i) {
        out += fmt::format("{}_bucket{} {}\n", name,
                           Braced(labels, fmt::format("le=\"{}\"", h->bounds()[i])), counts[i]);
      }
      out += fmt::format("{}_bucket{} {}\n", name, Braced(labels, "le=\"+Inf\""), counts.back());
      out += fmt::format("{}_sum{} {}\n{}_count{} {}\n", name, Braced(labels), h->sum(), name,
                         Braced(labels), h->count());
    }
  }
  return out;
}

}  // namespace bramka
