// Store conformance: ClaimDue's leases as the delivery path relies on them, whatever keeps
// them (rows, or SqliteStore's memory: docs/adr/0047).

#include <set>
#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

std::vector<std::string> IdsOf(const std::vector<Message>& ms) {
  std::vector<std::string> out;
  for (const Message& m : ms) out.push_back(m.id);
  return out;
}

}  // namespace

TEST_P(StoreConformanceTest, ClaimedMessagesAreNotClaimedAgainWhileLeased) {
  AccountId a = NewAccount("alice", 1'000);
  std::vector<Message> ms;
  for (int i = 0; i < 20; ++i) ms.push_back(NewMessage(a));
  AcceptOk(a, ms);
  std::set<std::string> seen;
  for (int round = 0; round < 4; ++round) {
    auto batch = store().ClaimDue(100'000, 5, "w", 200'000);
    ASSERT_TRUE(batch.ok()) << batch.error().ToString();
    ASSERT_EQ(batch->size(), 5u);
    for (const Message& m : *batch) {
      EXPECT_TRUE(seen.insert(m.id).second) << m.id << " claimed twice";
      EXPECT_EQ(m.attempts, 1);
      EXPECT_EQ(m.status, MessageStatus::kQueued);
    }
  }
  EXPECT_TRUE(store().ClaimDue(100'000, 5, "w", 200'000)->empty());
  EXPECT_TRUE(store().ClaimDue(199'999, 50, "other", 300'000)->empty());
  // Sent ones stay out; the lease of the rest runs out and they come back, oldest due first.
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(store().MarkSent(ms[i].id, "c", "u" + std::to_string(i), 150'000).ok());
  }
  auto back = store().ClaimDue(200'000, 50, "w", 300'000);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(IdsOf(*back), IdsOf(std::vector<Message>(ms.begin() + 10, ms.end())));
  for (const Message& m : *back) EXPECT_EQ(m.attempts, 2);
}

TEST_P(StoreConformanceTest, AMessageDueBeforeTheClaimedOnesIsClaimedNext) {
  AccountId a = NewAccount("alice");
  std::vector<Message> ms;
  for (int i = 0; i < 4; ++i) ms.push_back(NewMessage(a));
  AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "w", 200'000)->size(), 4u);
  // Accepted later, due earlier than everything claimed (its clock was read before the claim).
  Message early = NewMessage(a);
  early.due_ms = 5'000;
  AcceptOk(a, {early});
  auto got = store().ClaimDue(100'000, 10, "w", 200'000);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(IdsOf(*got), std::vector<std::string>{early.id});
  // A retry due earlier than the claimed ones is claimed when due.
  ASSERT_TRUE(store().MarkRetry(ms[2].id, 6'000, "throttled").ok());
  auto retried = store().ClaimDue(100'000, 10, "w", 200'000);
  ASSERT_TRUE(retried.ok());
  ASSERT_EQ(IdsOf(*retried), std::vector<std::string>{ms[2].id});
  EXPECT_EQ((*retried)[0].attempts, 2);
  EXPECT_TRUE(store().ClaimDue(100'000, 10, "w", 200'000)->empty());
  // A scheduled message moved to an earlier time too.
  Message later = NewMessage(a);
  later.status = MessageStatus::kSaved;
  later.due_ms = 500'000;
  AcceptOk(a, {later});
  MessageReplacement r;
  r.text = "sooner";
  r.parts = 1;
  r.cost_units = 1;
  r.due_ms = 7'000;
  ASSERT_TRUE(*store().ReplaceScheduled(a, later.id, r, 8'000));
  auto replaced = store().ClaimDue(100'000, 10, "w", 200'000);
  ASSERT_TRUE(replaced.ok());
  EXPECT_EQ(IdsOf(*replaced), std::vector<std::string>{later.id});
}

TEST_P(StoreConformanceTest, TheClaimsAttemptsAreStoredWithTheirOutcome) {
  AccountId a = NewAccount("alice");
  Message sent = NewMessage(a);
  Message retried = NewMessage(a);
  Message unsent = NewMessage(a);
  Message released = NewMessage(a);
  AcceptOk(a, {sent, retried, unsent, released});
  ASSERT_EQ(store().ClaimDue(100'000, 10, "w", 200'000)->size(), 4u);
  // The lease of all four runs out: claimed again, the second attempt.
  auto again = store().ClaimDue(200'000, 10, "w", 300'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 4u);
  for (const Message& m : *again) EXPECT_EQ(m.attempts, 2);
  ASSERT_TRUE(store().MarkSent(sent.id, "c", "u1", 250'000).ok());
  ASSERT_TRUE(store().MarkRetry(retried.id, 260'000, "busy").ok());
  ASSERT_TRUE(store().MarkUnsent(unsent.id, "rejected", 250'000).ok());
  EXPECT_EQ(*store().ReleaseLeases("w"), 1);
  for (const Message& m : {sent, retried, unsent, released}) {
    EXPECT_EQ(store().GetMessage(a, m.id)->attempts, 2) << m.id;
  }
  auto third = store().ClaimDue(260'000, 10, "w", 400'000);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(IdsOf(*third), (std::vector<std::string>{released.id, retried.id}));
  for (const Message& m : *third) EXPECT_EQ(m.attempts, 3);
  ASSERT_TRUE(store().MarkSent(retried.id, "c", "u2", 270'000).ok());
  EXPECT_EQ(store().GetMessage(a, retried.id)->attempts, 3);
}

TEST_P(StoreConformanceTest, AClaimedScheduledMessageIsNoLongerCancelled) {
  AccountId a = NewAccount("alice");
  Message saved = NewMessage(a);
  saved.status = MessageStatus::kSaved;
  saved.due_ms = 50'000;
  AcceptOk(a, {saved});
  ASSERT_EQ(store().ClaimDue(60'000, 10, "w", 70'000)->size(), 1u);
  EXPECT_FALSE(*store().CancelScheduled(a, saved.id, 61'000));
  MessageReplacement r;
  r.text = "too late";
  r.parts = 1;
  r.cost_units = 1;
  EXPECT_FALSE(*store().ReplaceScheduled(a, saved.id, r, 61'000));
  EXPECT_EQ(store().GetMessage(a, saved.id)->status, MessageStatus::kQueued);
  EXPECT_TRUE(store().ClaimDue(60'000, 10, "w", 70'000)->empty());
  ASSERT_TRUE(store().MarkSent(saved.id, "c", "u", 62'000).ok());
  EXPECT_EQ(store().GetMessage(a, saved.id)->status, MessageStatus::kSent);
  EXPECT_TRUE(store().ClaimDue(80'000, 10, "w", 90'000)->empty());
}

// rowwrite (docs/adr/0066): claims that found no lease in any row still see the next one: a
// scheduled message's claim (leased in its row) that runs out is claimed again.
TEST_P(StoreConformanceTest, ARowLeaseAfterClaimsWithoutOneStillRunsOut) {
  AccountId a = NewAccount("alice");
  Message queued = NewMessage(a);
  Message saved = NewMessage(a);
  saved.status = MessageStatus::kSaved;
  saved.due_ms = 50'000;
  AcceptOk(a, {queued, saved});
  auto first = store().ClaimDue(20'000, 10, "w", 1'000'000);  // the queued one only
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE(store().ClaimDue(30'000, 10, "w", 1'000'000)->empty());
  auto second = store().ClaimDue(60'000, 10, "w", 70'000);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].id, saved.id);
  EXPECT_TRUE(store().ClaimDue(69'999, 10, "w", 80'000)->empty());
  auto third = store().ClaimDue(70'000, 10, "w", 90'000);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(third->size(), 1u);
  EXPECT_EQ((*third)[0].id, saved.id);
  EXPECT_EQ((*third)[0].attempts, 2);
  ASSERT_TRUE(store().MarkSent(saved.id, "c", "u", 71'000).ok());
  EXPECT_TRUE(store().ClaimDue(200'000, 10, "w", 300'000)->empty());
}

}  // namespace bramka::store
