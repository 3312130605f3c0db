// Store conformance: batched delivery writes (store.h, "perf-delivery"; docs/adr/0019).
// Each batch item behaves exactly as its single-item method, in the order given.

#include <optional>
#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
SmppUser BatchUser(AccountId account) {
  SmppUser u;
  u.account_id = account;
  u.system_id = "batch";
  u.password_hash = "$argon2id$fake";
  u.created_ms = 1000;
  return u;
}
}  // namespace

TEST_P(StoreConformanceTest, MarkSentBatchAppliesEachInOrder) {
  const AccountId a = NewAccount("batch-sent", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000001"), NewMessage(a, "+48500000002"),
                                NewMessage(a, "+48500000003")});
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store().MarkUnsent(r.items[2].id, "no_route", 2).ok());  // final already

  auto found = store().MarkSentBatch({{r.items[0].id, "c", "up0", 10},
                                      {"ffffffffff", "c", "upX", 10},  // unknown
                                      {r.items[1].id, "c", "up1", 11},
                                      {r.items[2].id, "c", "up2", 12}});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(*found, (std::vector<bool>{true, false, true, true}));

  auto m0 = store().GetMessage(a, r.items[0].id);
  ASSERT_TRUE(m0.ok());
  EXPECT_EQ(m0->status, MessageStatus::kSent);
  EXPECT_EQ(m0->sent_ms, 10);
  EXPECT_EQ(m0->connector, "c");
  EXPECT_EQ(m0->upstream_id, "up0");
  EXPECT_EQ(store().GetMessage(a, r.items[1].id)->status, MessageStatus::kSent);
  auto m2 = store().GetMessage(a, r.items[2].id);
  EXPECT_EQ(m2->status, MessageStatus::kUnsent);  // left unchanged
  EXPECT_EQ(m2->upstream_id, "");
  // The lease is released: nothing is claimable, and a receipt now matches.
  EXPECT_TRUE(store().ClaimDue(200000, 10, "other", 300000)->empty());
  auto applied = store().ApplyReceipt({"c", "up1", MessageStatus::kDelivered, "", 20});
  ASSERT_TRUE(applied.ok());
  ASSERT_TRUE(applied->has_value());
  EXPECT_EQ((*applied)->id, r.items[1].id);

  auto empty = store().MarkSentBatch({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

// A receipt after the MarkSent of its own message in one batch sequence, repeats, and
// unknown receipts; outbox and callback entries are queued exactly as ApplyReceipt does.
TEST_P(StoreConformanceTest, ApplyReceiptsAppliesEachInOrderAndQueuesOnce) {
  const AccountId a = NewAccount("batch-receipts", 100);
  auto user = store().CreateSmppUser(BatchUser(a));
  ASSERT_TRUE(user.ok());
  std::vector<Message> ms;
  for (int i = 0; i < 3; ++i) {
    Message m = NewMessage(a, "+4850000002" + std::to_string(i));
    m.smpp_user_id = *user;
    m.smpp_registered_delivery = 1;
    ms.push_back(m);
  }
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store()
                  .MarkSentBatch({{r.items[0].id, "c", "u0", 2},
                                  {r.items[1].id, "c", "u1", 2},
                                  {r.items[2].id, "d", "u2", 2}})
                  .ok());

  auto out = store().ApplyReceipts({{"c", "u0", MessageStatus::kDelivered, "", 5},
                                    {"c", "nope", MessageStatus::kDelivered, "", 5},
                                    {"c", "u1", MessageStatus::kUndelivered, "expired", 6},
                                    {"c", "u0", MessageStatus::kUndelivered, "late", 7},  // repeat
                                    {"c", "u2", MessageStatus::kDelivered, "", 8}});  // wrong conn
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(out->size(), 5u);
  ASSERT_TRUE((*out)[0].has_value());
  EXPECT_EQ((*out)[0]->id, r.items[0].id);
  EXPECT_EQ((*out)[0]->status, MessageStatus::kDelivered);
  EXPECT_EQ((*out)[0]->done_ms, 5);
  EXPECT_FALSE((*out)[1].has_value());
  ASSERT_TRUE((*out)[2].has_value());
  EXPECT_EQ((*out)[2]->status, MessageStatus::kUndelivered);
  EXPECT_EQ((*out)[2]->reason, "expired");
  ASSERT_TRUE((*out)[3].has_value());  // final already: returned unchanged
  EXPECT_EQ((*out)[3]->status, MessageStatus::kDelivered);
  EXPECT_EQ((*out)[3]->done_ms, 5);
  EXPECT_FALSE((*out)[4].has_value());
  EXPECT_EQ(store().GetMessage(a, r.items[2].id)->status, MessageStatus::kSent);

  // One SMPP outbox entry per message made final, none for the repeat.
  auto queued = store().ListSmppOutbox(*user, -1);
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].message_id, r.items[0].id);
  EXPECT_EQ((*queued)[1].message_id, r.items[1].id);

  // A bad status anywhere: kInvalidArgument, and nothing applied.
  auto bad = store().ApplyReceipts(
      {{"d", "u2", MessageStatus::kDelivered, "", 9}, {"d", "u2", MessageStatus::kSent, "", 9}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().GetMessage(a, r.items[2].id)->status, MessageStatus::kSent);
  EXPECT_EQ(store().ListSmppOutbox(*user, -1)->size(), 2u);

  auto empty = store().ApplyReceipts({});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
}

TEST_P(StoreConformanceTest, DeleteSmppOutboxBatchRemovesThoseIds) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 4; ++i) {
    auto id = store().AddSmppOutbox(SmppOutboxEntry{0, 5, "m" + std::to_string(i), "pdu", 1});
    ASSERT_TRUE(id.ok());
    ids.push_back(*id);
  }
  ASSERT_TRUE(store().AddSmppOutbox(SmppOutboxEntry{0, 6, "other", "pdu", 1}).ok());
  ASSERT_TRUE(store().DeleteSmppOutboxBatch({ids[0], ids[2], 999'999}).ok());
  ASSERT_TRUE(store().DeleteSmppOutboxBatch({ids[0]}).ok());  // acks may repeat
  ASSERT_TRUE(store().DeleteSmppOutboxBatch({}).ok());
  auto rest = store().ListSmppOutbox(5, -1);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].id, ids[1]);
  EXPECT_EQ((*rest)[1].id, ids[3]);
  EXPECT_EQ(store().ListSmppOutbox(6, -1)->size(), 1u);
}

}  // namespace bramka::store
