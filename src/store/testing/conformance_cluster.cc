// Store conformance: what several nodes on one store need (issue 13, docs/adr/0023),
// as every store must answer it (a single-node store with the defaults of store.cc).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

TEST_P(StoreConformanceTest, HandOverMessagesMakesThemClaimableAgain) {
  const AccountId a = NewAccount("handover");
  std::vector<Message> ms = {NewMessage(a), NewMessage(a), NewMessage(a)};
  AcceptOk(a, ms);
  const int64_t due = ms[2].due_ms + 1;
  auto claimed = store().ClaimDue(due, 10, "n1", due + 60'000);
  ASSERT_TRUE(claimed.ok()) << claimed.error().ToString();
  ASSERT_EQ(claimed->size(), 3u);
  // ms[2] is final before the hand-over: it stays as it is.
  ASSERT_TRUE(store().MarkUnsent(ms[2].id, "message_rejected", due).ok());

  ASSERT_TRUE(
      store()
          .HandOverMessages({ms[0].id, ms[1].id, ms[2].id, "ffffffffff", "bad"}, "smsc-a", due)
          .ok());
  EXPECT_TRUE(store().HandOverMessages({}, "smsc-a", due).ok());
  for (int i = 0; i < 2; ++i) {
    auto m = store().GetMessage(a, ms[i].id);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->status, MessageStatus::kQueued);
    EXPECT_LE(m->due_ms, due);
  }
  EXPECT_EQ(store().GetMessage(a, ms[2].id)->status, MessageStatus::kUnsent);
  // No lease left: any node (here with no connector leases at all) claims them again.
  auto again = store().ClaimDue(due, 10, "n2", due + 60'000);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->size(), 2u);
}

TEST_P(StoreConformanceTest, ClaimSmppOutboxReturnsTheUsersEntriesOldestFirst) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    auto id = store().AddSmppOutbox(SmppOutboxEntry{0, 41, "m" + std::to_string(i), "", 100});
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    ids.push_back(*id);
  }
  ASSERT_TRUE(store().AddSmppOutbox(SmppOutboxEntry{0, 42, "other", "", 100}).ok());
  auto two = store().ClaimSmppOutbox(41, 2, 1'000);
  ASSERT_TRUE(two.ok()) << two.error().ToString();
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].id, ids[0]);
  EXPECT_EQ((*two)[1].id, ids[1]);
  EXPECT_EQ((*two)[0].message_id, "m0");
  EXPECT_EQ((*two)[0].smpp_user_id, 41);
  // The same node claims them again (its own lease), with the rest.
  auto all = store().ClaimSmppOutbox(41, -1, 2'000);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[2].id, ids[2]);
  ASSERT_TRUE(store().DeleteSmppOutbox(ids[0]).ok());
  auto rest = store().ClaimSmppOutbox(41, 10, 3'000);
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ(rest->size(), 2u);
  EXPECT_TRUE(store().ClaimSmppOutbox(99, 10, 3'000)->empty());
}

}  // namespace bramka::store
