#include "store/sqlite/sync_waker.h"

#include <sys/prctl.h>
#include <time.h>

namespace bramka::store::sqlite {

SyncWaker::SyncWaker(std::chrono::microseconds interval)
    : interval_(interval.count() > 0 ? interval : std::chrono::microseconds(1)) {
  thread_ = std::thread([this] { Loop(); });
}

SyncWaker::~SyncWaker() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  active_.store(false);
  wake_.notify_one();
  thread_.join();
}

void SyncWaker::Begin() {
  {
    // Under the lock, so that the thread cannot miss it between its check and its wait.
    std::lock_guard lock(mu_);
    active_.store(true, std::memory_order_release);
  }
  wake_.notify_one();  // no system call when the thread is napping, not waiting
}

void SyncWaker::Loop() {
  // Linux adds a "timer slack" of 50 µs to a normal thread's sleeps; the nap is meant to
  // be `interval_`, so take a slack of a tenth of it.
  (void)::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(interval_.count()) * 100UL, 0, 0, 0);
  const timespec nap{static_cast<time_t>(interval_.count() / 1'000'000),
                     static_cast<long>(interval_.count() % 1'000'000) * 1000L};
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || active_.load(std::memory_order_acquire); });
      if (stopping_) return;
    }
    while (active_.load(std::memory_order_acquire)) {
      ::nanosleep(&nap, nullptr);
      naps_.fetch_add(1, std::memory_order_relaxed);
    }
  }
}

}  // namespace bramka::store::sqlite
