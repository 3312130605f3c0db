// Store conformance (e2e, docs/adr/0043): a delivery cycle with many acceptances (more
// than one multi-row statement would take, ADR 0043 "Tried and not kept") gives what one
// MarkSent per message gives: every claimed message kSent with its own connector, upstream id and
// time, an unknown id not found, a repeat within the cycle found twice (the last one stays), a
// final message left alone, a long message's part ids recorded, the status counts moved once per
// message; and ClaimDue leases exactly the rows it returns.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

constexpr int64_t kNow = 50'000'000;

int64_t Count(Store& s, MessageStatus status) {
  auto counts = s.CountByStatus();
  EXPECT_TRUE(counts.ok()) << counts.error().ToString();
  if (!counts.ok()) return -1;
  for (const auto& [st, n] : *counts) {
    if (st == status) return n;
  }
  return 0;
}

}  // namespace

TEST_P(StoreConformanceTest, WriteDeliveriesManyAcceptancesAsOneByOne) {
  const AccountId a = NewAccount("e2e-cycle", 1000);
  std::vector<Message> ms;
  for (int i = 0; i < 75; ++i) {
    ms.push_back(NewMessage(a, "+485001" + std::to_string(10000 + i)));
  }
  ms[70].parts = 2;  // sent in two parts
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_EQ(r.items.size(), 75u);
  // Claimed in two calls: the first 30, then the rest.
  auto first = store().ClaimDue(kNow, 30, "node", kNow + 100000);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 30u);
  for (const Message& m : *first) EXPECT_EQ(m.attempts, 1);
  auto rest = store().ClaimDue(kNow, 100, "node", kNow + 100000);
  ASSERT_TRUE(rest.ok()) << rest.error().ToString();
  ASSERT_EQ(rest->size(), 45u);  // none of the first 30 again: they are leased
  for (const Message& m : *first) {
    for (const Message& n : *rest) ASSERT_NE(m.id, n.id);
  }
  EXPECT_TRUE(store().ClaimDue(kNow, 100, "node", kNow + 100000)->empty());
  // One of them ends before its acceptance is recorded (a receipt that overtook it).
  ASSERT_TRUE(store().MarkSent(r.items[74].id, "c", "early", 5).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "early", MessageStatus::kDelivered, "", 6}).ok());
  const int64_t sent_before = Count(store(), MessageStatus::kSent);

  std::vector<SentUpdate> sent;
  for (int i = 0; i < 70; ++i) {
    sent.push_back({r.items[i].id, "c" + std::to_string(i % 3), "u" + std::to_string(i), 100 + i});
  }
  SentUpdate parts{r.items[70].id, "c0", "p1", 200};
  parts.part_ids = {"p1", "p2"};
  sent.push_back(parts);
  sent.push_back({"ffffffffff", "c", "unknown", 300});  // no such message
  sent.push_back({r.items[5].id, "c9", "again", 301});  // a repeat in the cycle
  sent.push_back({r.items[74].id, "c", "late", 302});   // already final
  const std::vector<ReceiptUpdate> receipts = {
      {"c1", "u1", MessageStatus::kDelivered, "", 400},  // sent in this cycle
      {"c0", "p2", MessageStatus::kDelivered, "", 401},  // a part of it
      {"c9", "again", MessageStatus::kUndelivered, "expired", 402}};
  auto out = store().WriteDeliveries(sent, receipts);
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  std::vector<bool> want(sent.size(), true);
  want[71] = false;
  EXPECT_EQ(out->found, want);

  for (int i = 0; i < 70; ++i) {
    if (i == 1 || i == 5) continue;
    auto m = store().GetMessage(a, r.items[i].id);
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m->status, MessageStatus::kSent) << i;
    EXPECT_EQ(m->connector, "c" + std::to_string(i % 3)) << i;
    EXPECT_EQ(m->upstream_id, "u" + std::to_string(i)) << i;
    EXPECT_EQ(m->sent_ms, 100 + i) << i;
  }
  EXPECT_EQ(store().GetMessage(a, r.items[1].id)->status, MessageStatus::kDelivered);
  auto repeat = store().GetMessage(a, r.items[5].id);
  EXPECT_EQ(repeat->connector, "c9");
  EXPECT_EQ(repeat->upstream_id, "again");
  EXPECT_EQ(repeat->status, MessageStatus::kUndelivered);
  EXPECT_EQ(store().GetMessage(a, r.items[74].id)->status, MessageStatus::kDelivered);
  EXPECT_EQ(store().GetMessage(a, r.items[74].id)->upstream_id, "early");
  ASSERT_EQ(out->applied.size(), 3u);
  ASSERT_TRUE(out->applied[0].has_value());
  EXPECT_EQ(out->applied[0]->id, r.items[1].id);
  ASSERT_TRUE(out->applied[1].has_value());
  EXPECT_EQ(out->applied[1]->id, r.items[70].id);
  EXPECT_EQ(out->applied[1]->status, MessageStatus::kSent);  // one part of two
  ASSERT_TRUE(out->applied[2].has_value());
  EXPECT_EQ(out->applied[2]->id, r.items[5].id);
  // 71 messages entered kSent (70 + the long one), two of them left it again.
  EXPECT_EQ(Count(store(), MessageStatus::kSent), sent_before + 71 - 2);
  EXPECT_EQ(Count(store(), MessageStatus::kQueued), 3);  // 71..73: claimed, not sent
}

}  // namespace bramka::store
