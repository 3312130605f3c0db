#pragma once
// SyncWaker: keeps a CPU from sleeping through the completion of the pipelined commit's
// fdatasync (writer.h, docs/adr/0035).
//
// On the project's VMs (and on other guests whose idle vCPUs halt) a block device's
// completion interrupt reaches a halted vCPU late: an fdatasync that the device finishes
// in ~0.1 ms returns after ~3.7 ms (one 250 Hz tick) when the CPUs are idle, and at once
// when they are busy. A timer the guest programmed itself does wake it on time. So while
// a sync is in flight this thread sleeps in short naps (nanosleep of `interval`): each
// expiry wakes a vCPU, which then takes the pending completion. Between syncs it waits on
// a condition variable and costs nothing; during one it costs a wake-up per nap (~2 µs
// of CPU each), not a spinning core. A sync still running after 1 ms is slow for another
// reason; from then on the naps double, up to 1 ms, so that a long one costs ~50 naps,
// not one every `interval`.
//
// Thread-safety: Begin and End are called by one thread (the syncer), in pairs.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

namespace bramka::store::sqlite {

class SyncWaker {
 public:
  // `interval` > 0: the nap length while a sync is in flight.
  explicit SyncWaker(std::chrono::microseconds interval);
  // Stops the thread (waits for its current nap).
  ~SyncWaker();
  SyncWaker(const SyncWaker&) = delete;
  SyncWaker& operator=(const SyncWaker&) = delete;

  // A sync starts: nap until End().
  void Begin();
  // The sync returned.
  void End() { active_.store(false, std::memory_order_release); }

  // Naps taken so far (tests, and the CPU it costs: one wake-up each).
  uint64_t naps() const { return naps_.load(std::memory_order_relaxed); }

 private:
  void Loop();

  const std::chrono::microseconds interval_;
  std::atomic<bool> active_{false};
  std::atomic<uint64_t> naps_{0};
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::thread thread_;
};

}  // namespace bramka::store::sqlite
