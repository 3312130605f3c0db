#include "loadgen/pacer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

namespace bramka::loadgen {
namespace {

TEST(PacerTest, DueTimesAreEvenlySpaced) {
  Pacer p(20'000, /*start_ns=*/1'000);
  EXPECT_EQ(p.DueNs(0), 1'000);
  EXPECT_EQ(p.DueNs(1), 1'000 + 50'000);
  EXPECT_EQ(p.DueNs(20'000), 1'000 + 1'000'000'000);
  EXPECT_DOUBLE_EQ(p.per_second(), 20'000);
}

TEST(PacerTest, FractionalIntervalsDoNotDrift) {
  Pacer p(3, 0);  // 333,333,333.3 ns apart
  EXPECT_EQ(p.DueNs(1), 333'333'333);
  EXPECT_EQ(p.DueNs(3), 1'000'000'000);
  EXPECT_EQ(p.DueNs(3'000), 1'000'000'000'000);
}

TEST(PacerTest, DueByCountsRequestsDueAtATime) {
  Pacer p(1'000, 5'000'000);  // one per ms from 5 ms
  EXPECT_EQ(p.DueBy(0), 0u);
  EXPECT_EQ(p.DueBy(4'999'999), 0u);
  EXPECT_EQ(p.DueBy(5'000'000), 1u);  // request 0 is due at the start
  EXPECT_EQ(p.DueBy(5'999'999), 1u);
  EXPECT_EQ(p.DueBy(6'000'000), 2u);
  EXPECT_EQ(p.DueBy(5'000'000 + 1'000'000'000), 1'001u);
  for (int64_t t = 5'000'000; t < 50'000'000; t += 77'777) {
    const uint64_t n = p.DueBy(t);
    EXPECT_LE(p.DueNs(n - 1), t);
    EXPECT_GT(p.DueNs(n), t);
  }
}

TEST(PacerTest, TakeHandsOutEachSlotOnceInOrder) {
  Pacer p(100, 0);
  auto a = p.Take();
  auto b = p.Take();
  EXPECT_EQ(a.index, 0u);
  EXPECT_EQ(a.due_ns, 0);
  EXPECT_EQ(b.index, 1u);
  EXPECT_EQ(b.due_ns, 10'000'000);
}

TEST(PacerTest, ConcurrentTakesAreUnique) {
  Pacer p(1e6, 0);
  constexpr int kThreads = 4, kEach = 10'000;
  std::vector<std::vector<uint64_t>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&p, &mine = got[t]] {
      for (int i = 0; i < kEach; ++i) mine.push_back(p.Take().index);
    });
  }
  for (auto& t : threads) t.join();
  std::vector<uint64_t> all;
  for (auto& g : got) all.insert(all.end(), g.begin(), g.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * kEach));
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], i);
}

}  // namespace
}  // namespace bramka::loadgen
