#include "loadgen/pacer.h"

#include <cmath>

#include "common/check.h"

namespace bramka::loadgen {

Pacer::Pacer(double per_second, int64_t start_ns)
    : per_second_(per_second), ns_per_request_(1e9 / per_second), start_ns_(start_ns) {
  BRAMKA_CHECK(per_second > 0);
}

Pacer::Slot Pacer::Take() {
  const uint64_t n = next_.fetch_add(1, std::memory_order_relaxed);
  return Slot{n, DueNs(n)};
}

int64_t Pacer::DueNs(uint64_t n) const {
  return start_ns_ + static_cast<int64_t>(std::floor(static_cast<double>(n) * ns_per_request_));
}

uint64_t Pacer::DueBy(int64_t now_ns) const {
  if (now_ns < start_ns_) return 0;
  // n is due iff floor(n * step) <= elapsed iff n <= elapsed / step (elapsed is whole).
  const double elapsed = static_cast<double>(now_ns - start_ns_);
  uint64_t n = static_cast<uint64_t>(std::floor(elapsed / ns_per_request_)) + 1;
  // Guard the floating-point edge both ways.
  while (n > 0 && DueNs(n - 1) > now_ns) --n;
  while (DueNs(n) <= now_ns) ++n;
  return n;
}

}  // namespace bramka::loadgen
