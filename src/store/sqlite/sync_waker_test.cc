// SyncWaker (docs/adr/0035): naps while a sync is in flight, stops cleanly. The Writer
// with it (order, a failed fdatasync, stage metrics) is tested in writer_test.cc.

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "store/sqlite/sync_waker.h"

namespace bramka::store::sqlite {
namespace {

using std::chrono::microseconds;

// Polls `done` for up to 30 s (a loaded CI machine may be slow; no timing assertions).
template <typename Fn>
bool WaitFor(Fn done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(SyncWakerTest, NapsWhileASyncIsInFlightAndStopsCleanly) {
  SyncWaker waker(microseconds(20));
  EXPECT_EQ(waker.naps(), 0u);
  waker.Begin();
  EXPECT_TRUE(WaitFor([&] { return waker.naps() >= 3; })) << "naps: " << waker.naps();
  waker.End();
  waker.Begin();  // a second sync right after the first
  const uint64_t before = waker.naps();
  EXPECT_TRUE(WaitFor([&] { return waker.naps() > before; }));
  waker.End();
}

TEST(SyncWakerTest, StopsWhileNapping) {
  auto waker = std::make_unique<SyncWaker>(microseconds(50));
  waker->Begin();
  EXPECT_TRUE(WaitFor([&] { return waker->naps() >= 1; }));
  waker.reset();  // joins without End()
}

}  // namespace
}  // namespace bramka::store::sqlite
