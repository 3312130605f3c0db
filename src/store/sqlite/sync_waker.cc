#include "store/sqlite/sync_waker.h"

#include <pthread.h>
#include <sys/prctl.h>
#include <time.h>

#include <algorithm>

namespace bramka::store::sqlite {
namespace {

constexpr std::chrono::microseconds kShortSync{1000};
constexpr std::chrono::microseconds kLongestNap{1000};

}  // namespace

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
  // Named, so that its CPU time can be read per thread (/proc/<pid>/task/*/comm).
  (void)::pthread_setname_np(::pthread_self(), "bramka-syncwake");
  // Linux adds a "timer slack" of 50 µs to a normal thread's sleeps; the nap is meant to
  // be `interval_`, so take a slack of a tenth of it.
  (void)::prctl(PR_SET_TIMERSLACK, static_cast<unsigned long>(interval_.count()) * 100UL, 0, 0, 0);
  using std::chrono::nanoseconds;
  const nanoseconds first = interval_;
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || active_.load(std::memory_order_acquire); });
      if (stopping_) return;
    }
    // A device answers an fdatasync in ~0.1-0.3 ms here; a sync still running after
    // kShortSync is slow for another reason (a journal commit, a busy disk, a starved
    // syncer), and napping at full rate through it would cost a wake-up every `first`
    // for nothing: from then on each nap is twice as long, up to kLongestNap.
    const auto started = std::chrono::steady_clock::now();
    nanoseconds nap = first;
    while (active_.load(std::memory_order_acquire)) {
      const timespec ts{static_cast<time_t>(nap.count() / 1'000'000'000),
                        static_cast<long>(nap.count() % 1'000'000'000)};
      ::nanosleep(&ts, nullptr);
      naps_.fetch_add(1, std::memory_order_relaxed);
      if (std::chrono::steady_clock::now() - started > kShortSync) {
        nap = std::min<nanoseconds>(nap * 2, kLongestNap);
      }
    }
  }
}

}  // namespace bramka::store::sqlite
