#pragma once
// Open-loop pacing for `bramka bench … --rate R` (ADR 0020).
//
// A closed-loop generator (N connections, one request outstanding each) sends the next
// request only when an answer came back, so a slow server slows the load and its
// latency hides ("coordinated omission"). With a rate, request n is *due* at
// start + n / R whatever the server does; the generator sends it at that time (or as
// soon as a connection / window slot is free, if all are busy) and measures its latency
// from the due time, so queueing in front of a saturated server counts.
//
// Pure: time arrives as nanoseconds on the run's clock. Thread-safe (Take is one atomic
// increment).

#include <atomic>
#include <cstdint>

namespace bramka::loadgen {

class Pacer {
 public:
  // `per_second` > 0: requests per second over the whole run (all connections);
  // `start_ns`: the due time of request 0.
  Pacer(double per_second, int64_t start_ns);

  // Claims the next request: returns its index and due time. Every call gets a new index
  // (0, 1, 2, …), in any thread.
  struct Slot {
    uint64_t index = 0;
    int64_t due_ns = 0;
  };
  Slot Take();

  // Due time of request `n`: start + n / rate, rounded down to the nanosecond.
  int64_t DueNs(uint64_t n) const;
  // How many requests are due at `now_ns` (those with DueNs(n) <= now_ns).
  uint64_t DueBy(int64_t now_ns) const;

  double per_second() const { return per_second_; }

 private:
  const double per_second_;
  const double ns_per_request_;
  const int64_t start_ns_;
  std::atomic<uint64_t> next_{0};
};

}  // namespace bramka::loadgen
