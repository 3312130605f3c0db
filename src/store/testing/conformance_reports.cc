// The conformance suite: the paging total of reports (QueryMessages) over time ranges
// that cut hours at every kind of edge (docs/adr/0061: SQL stores sum whole hours from
// message_counts and count the partial ones from the index), checked against a count
// of the messages themselves and against the path that counts with a filter.

#include <algorithm>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "store/message_counts.h"
#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

// The paging total of a report of `a`'s messages queued in [from, to] (0: open).
int64_t TotalOf(Store& store, AccountId a, int64_t from, int64_t to) {
  MessageQuery q;
  q.account_id = a;
  q.from_ms = from;
  q.to_ms = to;
  auto page = store.QueryMessages(q);
  EXPECT_TRUE(page.ok());
  return page.ok() ? page->total : -1;
}

constexpr int64_t kHour = kCountHourMs;
// An hour's start in 2023, so that whole hours exist on both sides of every edge.
constexpr int64_t kBase = 472'222 * kHour;

constexpr CountRanges kAll = CountRangesFor(0, INT64_MAX);
static_assert(kAll.first_hour == 1 && kAll.head.lo == 0 && kAll.head.hi == kHour - 1 &&
              kAll.head.hour == 0 && kAll.tail.hi == INT64_MAX && kAll.tail.hour == 0);
constexpr CountRanges kOneHour = CountRangesFor(kBase, kBase + kHour - 1);
static_assert(kOneHour.first_hour == 472'222 && kOneHour.last_hour == 472'222 &&
              kOneHour.head.lo > kOneHour.head.hi && kOneHour.tail.lo > kOneHour.tail.hi);
constexpr CountRanges kInside = CountRangesFor(kBase + 1, kBase + kHour - 1);
static_assert(kInside.first_hour > kInside.last_hour && kInside.head.hour == 472'222 &&
              kInside.head.lo == kBase + 1 && kInside.tail.lo > kInside.tail.hi);
constexpr CountRanges kTwo = CountRangesFor(kBase + 1, kBase + kHour);
static_assert(kTwo.first_hour > kTwo.last_hour && kTwo.head.hour == 472'222 &&
              kTwo.head.hi == kBase + kHour - 1 && kTwo.tail.hour == 472'223 &&
              kTwo.tail.lo == kBase + kHour && kTwo.tail.hi == kBase + kHour);

std::vector<std::string> Ids(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages) out.push_back(m.id);
  return out;
}

}  // namespace

TEST_P(StoreConformanceTest, QueryTotalsAcrossHourEdges) {
  AccountId a = NewAccount("alice", 100'000);
  AccountId b = NewAccount("bob", 100'000);
  // queued_ms on and next to hour edges, a bulk millisecond, hour 0 (the older tests'
  // times), and a gap of empty hours.
  const std::vector<int64_t> times = {10'001,
                                      kBase - 1,
                                      kBase,
                                      kBase + 1,
                                      kBase + kHour - 1,
                                      kBase + kHour,
                                      kBase + 2 * kHour + 5,
                                      kBase + 2 * kHour + 5,
                                      kBase + 2 * kHour + 5,
                                      kBase + 5 * kHour - 1,
                                      kBase + 5 * kHour,
                                      kBase + 9 * kHour + 123};
  std::vector<Message> mine;
  for (size_t i = 0; i < times.size(); ++i) {
    Message m = NewMessage(a);
    m.queued_ms = times[i];
    m.due_ms = times[i];
    if (i == 3 || i == 7) {  // cancelled below: inside a whole hour and at an edge
      m.status = MessageStatus::kSaved;
      m.due_ms = times[i] + 100 * kHour;
    }
    mine.push_back(m);
    Message other = NewMessage(b);  // the same times in another account
    other.queued_ms = times[i];
    other.due_ms = times[i];
    AcceptOk(b, {other});
  }
  AcceptOk(a, {mine.begin(), mine.begin() + 6});  // several requests, one multi-row
  for (size_t i = 6; i < mine.size(); ++i) AcceptOk(a, {mine[i]});
  ASSERT_TRUE(*store().CancelScheduled(a, mine[3].id, kBase + 20 * kHour));
  ASSERT_TRUE(*store().CancelScheduled(a, mine[7].id, kBase + 20 * kHour));

  // The live messages in [lo, hi], ascending: by queued_ms, then by the message-id
  // sequence (ADR 0054).
  const MessageIdCodec codec;
  std::vector<Message> live;
  for (size_t i = 0; i < mine.size(); ++i) {
    if (i != 3 && i != 7) live.push_back(mine[i]);
  }
  std::sort(live.begin(), live.end(), [&](const Message& x, const Message& y) {
    if (x.queued_ms != y.queued_ms) return x.queued_ms < y.queued_ms;
    return codec.Decode(x.id) < codec.Decode(y.id);
  });
  auto expected = [&](int64_t lo, int64_t hi) {
    std::vector<std::string> ids;
    for (const Message& m : live) {
      if (m.queued_ms >= lo && m.queued_ms <= hi) ids.push_back(m.id);
    }
    return ids;
  };
  std::set<int64_t> edges = {0};
  for (int64_t t : times) {
    for (int64_t d : {-1, 0, 1}) edges.insert(t + d);
  }
  for (int64_t h : {kBase, kBase + kHour, kBase + 3 * kHour, kBase + 10 * kHour}) {
    edges.insert(h - 1);
    edges.insert(h);
  }
  int checked = 0;
  for (int64_t from : edges) {
    for (int64_t to : edges) {
      if (to != 0 && to < from) continue;
      const std::vector<std::string> want = expected(from, to == 0 ? INT64_MAX : to);
      MessageQuery q;
      q.account_id = a;
      q.from_ms = from;
      q.to_ms = to;
      q.limit = 100;
      auto all = store().QueryMessages(q);
      ASSERT_TRUE(all.ok()) << from << ".." << to;
      EXPECT_EQ(all->total, static_cast<int64_t>(want.size())) << from << ".." << to;
      EXPECT_EQ(Ids(all->items), want) << from << ".." << to;
      // The same range through the filtered count (stat_id matches every message).
      q.stat_id = 7;
      q.limit = 2;
      q.page = 2;
      q.descending = true;
      auto filtered = store().QueryMessages(q);
      ASSERT_TRUE(filtered.ok());
      EXPECT_EQ(filtered->total, all->total) << from << ".." << to;
      q.stat_id = 0;
      auto paged = store().QueryMessages(q);
      ASSERT_TRUE(paged.ok());
      EXPECT_EQ(paged->total, all->total) << from << ".." << to;
      EXPECT_EQ(Ids(paged->items), Ids(filtered->items)) << from << ".." << to;
      ++checked;
    }
  }
  EXPECT_GT(checked, 300);
}

TEST_P(StoreConformanceTest, QueryTotalsCountEveryAcceptPath) {
  AccountId a = NewAccount("alice", 100'000);
  // One request of 200 recipients (every multi-row statement size), two hours.
  std::vector<Message> bulk;
  for (int i = 0; i < 200; ++i) {
    Message m = NewMessage(a);
    m.queued_ms = kBase + (i < 150 ? kHour - 1 : kHour);
    m.due_ms = m.queued_ms;
    bulk.push_back(m);
  }
  AcceptOk(a, bulk);
  // Concurrent one-message accepts (a writer batches them).
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<Message>> singles(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) {
      Message m = NewMessage(a);
      m.queued_ms = kBase + 2 * kHour + t;
      m.due_ms = m.queued_ms;
      singles[t].push_back(m);
    }
  }
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (const Message& m : singles[t]) {
        auto r = store().Accept(AcceptRequest{a, {m}});
        EXPECT_TRUE(r.ok());
      }
    });
  }
  for (std::thread& th : threads) th.join();
  // One-recipient sends with a Bearer token (AcceptWithTokenAsync, docs/adr/0057: on
  // SQLite the reads, checks and accept are one writer job), one hour later.
  ASSERT_TRUE(store().AddApiToken(a, "hash-count", "", 5).ok());
  for (int i = 0; i < 10; ++i) {
    Message m = NewMessage(a);
    m.queued_ms = kBase + 3 * kHour + i;
    m.due_ms = m.queued_ms;
    std::promise<bool> accepted;
    store().AcceptWithTokenAsync(
        "hash-count", "", {m.phone},
        [&](Store::TokenSubmitReads&) {
          return std::optional(AcceptRequest{a, {m}});
        },
        [&](Result<AcceptResult> r) { accepted.set_value(r.ok()); });
    EXPECT_TRUE(accepted.get_future().get());
  }
  // A request that fails (a duplicate id) adds nothing.
  Message fresh = NewMessage(a);
  fresh.queued_ms = kBase + kHour;
  Message again = bulk[0];
  auto failed = store().Accept(AcceptRequest{a, {fresh, again}});
  EXPECT_FALSE(failed.ok());

  auto total = [&](int64_t from, int64_t to) { return TotalOf(store(), a, from, to); };
  EXPECT_EQ(total(0, 0), 310);
  EXPECT_EQ(total(kBase, kBase + kHour - 1), 150);
  EXPECT_EQ(total(kBase + kHour, 0), 160);
  EXPECT_EQ(total(kBase + 3 * kHour, kBase + 4 * kHour - 1), 10);
  EXPECT_EQ(total(kBase + 3 * kHour + 5, 0), 5);
  EXPECT_EQ(total(kBase + kHour, kBase + 2 * kHour - 1), 50);
  EXPECT_EQ(total(kBase + 2 * kHour, kBase + 3 * kHour - 1), 100);
  EXPECT_EQ(total(kBase + 2 * kHour + 1, kBase + 2 * kHour + 2), 50);
}

// A partial hour whose rest holds kCountRestLimit rows or more is counted directly, one
// whose rest holds fewer as its hour's count minus the rest: both give the same totals.
TEST_P(StoreConformanceTest, QueryTotalsWithBusyPartialHours) {
  AccountId a = NewAccount("alice", 100'000);
  constexpr int64_t kN = kCountRestLimit + 10;
  const int64_t x = kBase + 3 * kHour + 1000;
  std::vector<Message> ms;
  for (int64_t i = 0; i < 2 * kN + 1; ++i) {
    Message m = NewMessage(a);
    m.queued_ms = i < kN ? x : i < 2 * kN ? x + 10 : kBase + 4 * kHour + 1;
    m.due_ms = m.queued_ms;
    ms.push_back(m);
  }
  AcceptOk(a, ms);
  auto total = [&](int64_t from, int64_t to) { return TotalOf(store(), a, from, to); };
  EXPECT_EQ(total(x, x), kN);           // the rest (x + 10) is big: counted directly
  EXPECT_EQ(total(x, x + 10), 2 * kN);  // no rest: the hour's count
  EXPECT_EQ(total(x - 5, x + 9), kN);   // big rest
  EXPECT_EQ(total(x + 1, 0), kN + 1);   // head: big rest; then a whole hour; tail
  EXPECT_EQ(total(x - 1, kBase + 4 * kHour + 1), 2 * kN + 1);
  EXPECT_EQ(total(0, x + 9), kN);
  EXPECT_EQ(total(0, x + 10), 2 * kN);
  EXPECT_EQ(total(kBase + 3 * kHour, kBase + 4 * kHour), 2 * kN);
  EXPECT_EQ(total(kBase + 3 * kHour, kBase + 4 * kHour + 1), 2 * kN + 1);
}

}  // namespace bramka::store
