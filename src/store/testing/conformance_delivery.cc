// The conformance suite, part 2: querying, cancelling and delivery.
// (Part 1, with the fixture, is conformance.cc.)

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/ids.h"
#include "store/testing/conformance.h"

namespace bramka::store {
namespace {

std::vector<std::string> Ids(const std::vector<Message>& messages) {
  std::vector<std::string> out;
  for (const Message& m : messages) out.push_back(m.id);
  return out;
}

}  // namespace

// ---- querying ------------------------------------------------------------------------

TEST_P(StoreConformanceTest, QueryFilters) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  std::vector<Message> ms;
  for (int i = 0; i < 6; ++i) ms.push_back(NewMessage(a, "+4850000000" + std::to_string(i % 3)));
  ms[0].unique_id = "u0";
  ms[1].unique_id = "u1";
  ms[2].type = MessageType::kFull;
  ms[3].stat_id = 99;
  ms[4].status = MessageStatus::kSaved;
  ms[4].due_ms = ms[4].queued_ms + 1'000'000;
  ms[5].status = MessageStatus::kSaved;
  ms[5].due_ms = ms[5].queued_ms + 1'000'000;
  AcceptOk(a, ms);
  AcceptOk(b, {NewMessage(b, "+48500000000")});
  // ms[0] delivered, ms[1] unsent, ms[5] cancelled.
  ASSERT_TRUE(store().MarkSent(ms[0].id, "c", "up0", 20'000).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "up0", MessageStatus::kDelivered, "", 21'000}).ok());
  ASSERT_TRUE(store().MarkUnsent(ms[1].id, "no_route", 20'000).ok());
  ASSERT_TRUE(*store().CancelScheduled(a, ms[5].id, 20'000));

  auto query = [&](auto&& edit) {
    MessageQuery q;
    q.account_id = a;
    edit(q);
    auto page = store().QueryMessages(q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? Ids(page->items) : std::vector<std::string>{};
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(query([](MessageQuery&) {}), (V{ms[0].id, ms[1].id, ms[2].id, ms[3].id, ms[4].id}));
  EXPECT_EQ(query([&](MessageQuery& q) {
              q.ids = {ms[3].id, ms[1].id, "ffffffffff"};
            }),
            (V{ms[1].id, ms[3].id}));
  EXPECT_EQ(query([&](MessageQuery& q) { q.ids = {ms[5].id}; }), V{});  // cancelled: hidden
  EXPECT_EQ(query([](MessageQuery& q) { q.unique_ids = {"u1", "zz"}; }), V{ms[1].id});
  EXPECT_EQ(query([](MessageQuery& q) { q.phones = {"+48500000001"}; }), (V{ms[1].id, ms[4].id}));
  EXPECT_EQ(query([](MessageQuery& q) { q.status = MessageStatus::kDelivered; }), V{ms[0].id});
  EXPECT_EQ(query([](MessageQuery& q) { q.status = MessageStatus::kUnsent; }), V{ms[1].id});
  EXPECT_EQ(query([](MessageQuery& q) { q.status = MessageStatus::kCancelled; }), V{});
  EXPECT_EQ(query([](MessageQuery& q) { q.pending_only = true; }),
            (V{ms[2].id, ms[3].id, ms[4].id}));
  EXPECT_EQ(query([](MessageQuery& q) { q.type = MessageType::kFull; }), V{ms[2].id});
  EXPECT_EQ(query([](MessageQuery& q) { q.stat_id = 99; }), V{ms[3].id});
  EXPECT_EQ(query([&](MessageQuery& q) {
              q.from_ms = ms[1].queued_ms;
              q.to_ms = ms[3].queued_ms;
            }),
            (V{ms[1].id, ms[2].id, ms[3].id}));
  EXPECT_EQ(query([&](MessageQuery& q) { q.from_ms = ms[4].queued_ms; }), V{ms[4].id});
  EXPECT_EQ(query([&](MessageQuery& q) { q.to_ms = ms[0].queued_ms; }), V{ms[0].id});
  EXPECT_EQ(query([&](MessageQuery& q) {
              q.phones = {"+48500000000", "+48500000002"};
              q.pending_only = true;
            }),
            (V{ms[2].id, ms[3].id}));
}

TEST_P(StoreConformanceTest, QueryTotalsLeaveCancelledMessagesOut) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  std::vector<Message> ms;
  for (int i = 0; i < 5; ++i) {
    Message m = NewMessage(a);
    m.status = MessageStatus::kSaved;
    m.due_ms = m.queued_ms + 1'000'000;
    ms.push_back(m);
  }
  AcceptOk(a, ms);
  AcceptOk(b, {NewMessage(b), NewMessage(b)});
  ASSERT_TRUE(*store().CancelScheduled(a, ms[1].id, 20'000));
  ASSERT_TRUE(*store().CancelScheduled(a, ms[4].id, 20'000));
  auto total = [&](int64_t from_ms, int64_t to_ms, int limit) {
    MessageQuery q;
    q.account_id = a;
    q.from_ms = from_ms;
    q.to_ms = to_ms;
    q.limit = limit;
    auto page = store().QueryMessages(q);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  };
  EXPECT_EQ(total(0, 0, 2), 3);
  EXPECT_EQ(total(0, 0, 0), 3);
  EXPECT_EQ(total(ms[1].queued_ms, ms[3].queued_ms, 2), 2);
  EXPECT_EQ(total(ms[4].queued_ms, 0, 2), 0);
  EXPECT_EQ(total(0, ms[0].queued_ms, 2), 1);
}

TEST_P(StoreConformanceTest, QueryPagingAndOrder) {
  AccountId a = NewAccount("alice");
  std::vector<Message> ms;
  for (int i = 0; i < 7; ++i) ms.push_back(NewMessage(a));
  // Three messages share a queued time (a bulk request's recipients do): the message-id
  // sequence breaks the tie (ADR 0054), not the id's text and not the insertion order.
  // Their ids are issued like bramka issues them (sequence 902, 900, 901: inserted out of
  // sequence order), so that only the sequence decides.
  const MessageIdCodec codec;
  const uint64_t sequences[] = {902, 900, 901};
  for (int i = 0; i < 3; ++i) {
    ms[2 + i].queued_ms = ms[4].queued_ms;
    ms[2 + i].id = codec.Encode(sequences[i]);
  }
  AcceptOk(a, ms);
  std::vector<std::string> ascending;
  for (const Message& m : ms) ascending.push_back(m.id);
  std::sort(ascending.begin() + 2, ascending.begin() + 5,
            [&](const std::string& x, const std::string& y) {
              return codec.Decode(x) < codec.Decode(y);
            });
  ASSERT_EQ(ascending[2], codec.Encode(900));
  // The ids' text order differs from their sequence order (else the test could not tell).
  ASSERT_FALSE(std::is_sorted(ascending.begin() + 2, ascending.begin() + 5));

  MessageQuery q;
  q.account_id = a;
  q.limit = 3;
  std::vector<std::string> seen;
  for (int page = 1; page <= 3; ++page) {
    q.page = page;
    auto p = store().QueryMessages(q);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->total, 7);
    EXPECT_EQ(p->items.size(), page < 3 ? 3u : 1u);
    for (const Message& m : p->items) seen.push_back(m.id);
  }
  EXPECT_EQ(seen, ascending);
  q.page = 4;
  auto beyond = store().QueryMessages(q);
  ASSERT_TRUE(beyond.ok());
  EXPECT_EQ(beyond->total, 7);
  EXPECT_TRUE(beyond->items.empty());

  q.page = 1;
  q.limit = 100;
  q.descending = true;
  auto desc = store().QueryMessages(q);
  ASSERT_TRUE(desc.ok());
  std::vector<std::string> descending(ascending.rbegin(), ascending.rend());
  EXPECT_EQ(Ids(desc->items), descending);
}

// ---- cancelling --------------------------------------------------------------------------

TEST_P(StoreConformanceTest, CancelScheduledRefundsExactly) {
  AccountId a = NewAccount("alice");
  Message saved = NewMessage(a);
  saved.status = MessageStatus::kSaved;
  saved.due_ms = saved.queued_ms + 1'000'000;
  saved.cost_units = 4;
  Message queued = NewMessage(a);
  AcceptOk(a, {saved, queued});
  EXPECT_EQ(Units(a, MessageType::kEco), 95);

  auto cancelled = store().CancelScheduled(a, saved.id, 30'000);
  ASSERT_TRUE(cancelled.ok());
  EXPECT_TRUE(*cancelled);
  auto m = store().GetMessage(a, saved.id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->status, MessageStatus::kCancelled);
  EXPECT_EQ(Units(a, MessageType::kEco), 99);
  EXPECT_EQ(*store().LedgerSumForMessage(saved.id), 0);

  EXPECT_FALSE(*store().CancelScheduled(a, saved.id, 30'001));  // not twice
  EXPECT_EQ(Units(a, MessageType::kEco), 99);
  EXPECT_FALSE(*store().CancelScheduled(a, queued.id, 30'001));  // not scheduled
  EXPECT_EQ(store().GetMessage(a, queued.id)->status, MessageStatus::kQueued);
  EXPECT_EQ(store().CancelScheduled(a, "0123456789", 1).error().code, ErrorCode::kNotFound);

  // A cancelled message is never claimed.
  EXPECT_TRUE(store().ClaimDue(saved.due_ms + 1, 100, "w", saved.due_ms + 100)->size() == 1);
}

// ---- delivery ----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ClaimDueTakesDueOnlyOldestFirst) {
  AccountId a = NewAccount("alice");
  Message late = NewMessage(a);
  late.due_ms = 50'000;
  Message early = NewMessage(a);
  early.due_ms = 40'000;
  Message saved = NewMessage(a);
  saved.status = MessageStatus::kSaved;
  saved.due_ms = 45'000;
  Message future = NewMessage(a);
  future.status = MessageStatus::kSaved;
  future.due_ms = 90'000;
  AcceptOk(a, {late, early, saved, future});

  auto none = store().ClaimDue(39'999, 10, "w1", 100'000);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto first = store().ClaimDue(60'000, 2, "w1", 70'000);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(Ids(*first), (std::vector<std::string>{early.id, saved.id}));
  for (const Message& m : *first) {
    EXPECT_EQ(m.status, MessageStatus::kQueued);
    EXPECT_EQ(m.attempts, 1);
  }
  EXPECT_EQ(store().GetMessage(a, saved.id)->status, MessageStatus::kQueued);
  EXPECT_EQ(store().GetMessage(a, saved.id)->attempts, 1);

  // Leased messages are skipped; the rest are due.
  auto second = store().ClaimDue(60'000, 10, "w2", 70'000);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(*second), std::vector<std::string>{late.id});
  EXPECT_TRUE(store().ClaimDue(69'999, 10, "w2", 80'000)->empty());

  // Leases expire: the messages come back with one more attempt.
  auto third = store().ClaimDue(70'000, 10, "w3", 80'000);
  ASSERT_TRUE(third.ok());
  ASSERT_EQ(Ids(*third), (std::vector<std::string>{early.id, saved.id, late.id}));
  for (const Message& m : *third) EXPECT_EQ(m.attempts, 2);

  auto last = store().ClaimDue(95'000, 10, "w3", 96'000);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(*last), (std::vector<std::string>{early.id, saved.id, late.id, future.id}));
  EXPECT_TRUE(store().ClaimDue(95'000, 0, "w3", 96'000)->empty());
}

TEST_P(StoreConformanceTest, ReleaseLeasesFreesOnlyTheOwnersUnsentClaims) {
  AccountId a = NewAccount("alice");
  Message m1 = NewMessage(a);
  Message m2 = NewMessage(a);
  Message m3 = NewMessage(a);
  m1.due_ms = m2.due_ms = m3.due_ms = 1'000;
  AcceptOk(a, {m1});
  ASSERT_EQ(store().ClaimDue(1'000, 10, "node-a", 900'000)->size(), 1u);
  AcceptOk(a, {m2, m3});
  ASSERT_EQ(store().ClaimDue(1'000, 1, "node-b", 900'000)->size(), 1u);
  ASSERT_EQ(store().ClaimDue(1'000, 1, "node-a", 900'000)->size(), 1u);
  // One of node-a's claims went out: it is not leased any more.
  ASSERT_TRUE(store().MarkSent(m1.id, "c", "u1", 2'000).ok());

  auto released = store().ReleaseLeases("node-a");
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 1);
  auto again = store().ClaimDue(2'000, 10, "node-a", 900'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);  // node-b's lease still holds
  EXPECT_EQ(*store().ReleaseLeases("node-c"), 0);
}

TEST_P(StoreConformanceTest, ConcurrentClaimsNeverShareAMessage) {
  AccountId a = NewAccount("alice", 1'000);
  std::vector<Message> ms;
  for (int i = 0; i < 200; ++i) ms.push_back(NewMessage(a));
  AcceptOk(a, ms);
  std::mutex mu;
  std::vector<std::string> claimed;
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int round = 0; round < 100; ++round) {  // bounded
        auto batch = store().ClaimDue(100'000, 7, "w" + std::to_string(w), 1'000'000);
        ASSERT_TRUE(batch.ok());
        if (batch->empty()) return;
        std::lock_guard lock(mu);
        for (const Message& m : *batch) claimed.push_back(m.id);
      }
    });
  }
  for (auto& t : workers) t.join();
  std::sort(claimed.begin(), claimed.end());
  std::vector<std::string> all = Ids(ms);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(claimed, all);  // each exactly once
}

TEST_P(StoreConformanceTest, MarkSentAndReceipts) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  Message n = NewMessage(a);
  AcceptOk(a, {m, n});
  ASSERT_EQ(store().ClaimDue(m.due_ms + 10, 10, "w", m.due_ms + 1'000)->size(), 2u);
  ASSERT_TRUE(store().MarkSent(m.id, "smsc-a", "0A1B", 30'000).ok());
  ASSERT_TRUE(store().MarkSent(n.id, "smsc-b", "0A1B", 30'001).ok());

  auto sent = store().GetMessage(a, m.id);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent->status, MessageStatus::kSent);
  EXPECT_EQ(sent->sent_ms, 30'000);
  EXPECT_EQ(sent->connector, "smsc-a");
  EXPECT_EQ(sent->upstream_id, "0A1B");
  // A sent message is not claimed again, even after its lease would expire.
  EXPECT_TRUE(store().ClaimDue(m.due_ms + 5'000, 10, "w", m.due_ms + 9'000)->empty());

  auto applied = store().ApplyReceipt({"smsc-a", "0A1B", MessageStatus::kDelivered, "", 31'000});
  ASSERT_TRUE(applied.ok());
  ASSERT_TRUE(applied->has_value());
  EXPECT_EQ((*applied)->id, m.id);
  EXPECT_EQ((*applied)->status, MessageStatus::kDelivered);
  EXPECT_EQ((*applied)->done_ms, 31'000);
  // The same upstream id on another connector is another message.
  EXPECT_EQ(store().GetMessage(a, n.id)->status, MessageStatus::kSent);

  // Receipts repeat: the final state does not change.
  auto again =
      store().ApplyReceipt({"smsc-a", "0A1B", MessageStatus::kUndelivered, "expired", 32'000});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->has_value());
  EXPECT_EQ((*again)->status, MessageStatus::kDelivered);
  EXPECT_EQ((*again)->done_ms, 31'000);
  EXPECT_EQ((*again)->reason, "");

  auto undelivered =
      store().ApplyReceipt({"smsc-b", "0A1B", MessageStatus::kUndelivered, "absent", 33'000});
  ASSERT_TRUE(undelivered.ok());
  ASSERT_TRUE(undelivered->has_value());
  EXPECT_EQ((*undelivered)->id, n.id);
  EXPECT_EQ((*undelivered)->status, MessageStatus::kUndelivered);
  EXPECT_EQ((*undelivered)->reason, "absent");
  // A receipt is not a refund: the message was sent.
  EXPECT_EQ(*store().LedgerSumForMessage(n.id), -1);

  auto unknown = store().ApplyReceipt({"smsc-a", "FFFF", MessageStatus::kDelivered, "", 1});
  ASSERT_TRUE(unknown.ok());
  EXPECT_FALSE(unknown->has_value());
  auto wrong_connector = store().ApplyReceipt({"smsc-c", "0A1B", MessageStatus::kDelivered, "", 1});
  ASSERT_TRUE(wrong_connector.ok());
  EXPECT_FALSE(wrong_connector->has_value());

  EXPECT_EQ(store().MarkSent("0123456789", "c", "x", 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().MarkRetry("0123456789", 1, "x").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().MarkUnsent("0123456789", "x", 1).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MarkRetryReschedules) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  AcceptOk(a, {m});
  ASSERT_EQ(store().ClaimDue(m.due_ms, 10, "w", m.due_ms + 100'000)->size(), 1u);
  ASSERT_TRUE(store().MarkRetry(m.id, 60'000, "throttled").ok());
  auto got = store().GetMessage(a, m.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, MessageStatus::kQueued);
  EXPECT_EQ(got->due_ms, 60'000);
  EXPECT_EQ(got->reason, "");
  // The lease is released, but the message waits for its new due time.
  EXPECT_TRUE(store().ClaimDue(59'999, 10, "w", 200'000)->empty());
  auto again = store().ClaimDue(60'000, 10, "w", 200'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);
}

TEST_P(StoreConformanceTest, MarkUnsentRefundsExactlyOnce) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  m.type = MessageType::kFull;
  m.cost_units = 6;
  AcceptOk(a, {m});
  EXPECT_EQ(Units(a, MessageType::kFull), 94);
  EXPECT_EQ(*store().LedgerSumForMessage(m.id), -6);
  ASSERT_EQ(store().ClaimDue(m.due_ms, 10, "w", m.due_ms + 100)->size(), 1u);
  ASSERT_TRUE(store().MarkUnsent(m.id, "invalid_number", 40'000).ok());
  auto got = store().GetMessage(a, m.id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->status, MessageStatus::kUnsent);
  EXPECT_EQ(got->reason, "invalid_number");
  EXPECT_EQ(got->done_ms, 40'000);
  EXPECT_EQ(Units(a, MessageType::kFull), 100);
  EXPECT_EQ(*store().LedgerSumForMessage(m.id), 0);

  ASSERT_TRUE(store().MarkUnsent(m.id, "again", 41'000).ok());  // already final: no-op
  EXPECT_EQ(Units(a, MessageType::kFull), 100);
  EXPECT_EQ(store().GetMessage(a, m.id)->reason, "invalid_number");
  // Final messages are never claimed and not moved by MarkSent/MarkRetry.
  ASSERT_TRUE(store().MarkRetry(m.id, 1, "x").ok());
  ASSERT_TRUE(store().MarkSent(m.id, "c", "u", 1).ok());
  EXPECT_EQ(store().GetMessage(a, m.id)->status, MessageStatus::kUnsent);
  EXPECT_TRUE(store().ClaimDue(1'000'000, 10, "w", 2'000'000)->empty());
}

TEST_P(StoreConformanceTest, ListSentVia) {
  AccountId a = NewAccount("alice");
  std::vector<Message> ms;
  for (int i = 0; i < 5; ++i) ms.push_back(NewMessage(a));
  AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "w", 200'000)->size(), 5u);
  ASSERT_TRUE(store().MarkSent(ms[0].id, "simnet", "s0", 30'000).ok());
  ASSERT_TRUE(store().MarkSent(ms[1].id, "simnet", "s1", 30'001).ok());
  ASSERT_TRUE(store().MarkSent(ms[2].id, "smpp", "s2", 30'002).ok());
  ASSERT_TRUE(store().MarkSent(ms[3].id, "simnet", "s3", 30'003).ok());
  ASSERT_TRUE(store().ApplyReceipt({"simnet", "s1", MessageStatus::kDelivered, "", 31'000}).ok());

  auto via = store().ListSentVia("simnet", 10);
  ASSERT_TRUE(via.ok());
  EXPECT_EQ(Ids(*via), (std::vector<std::string>{ms[0].id, ms[3].id}));
  auto limited = store().ListSentVia("simnet", 1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 1u);
  EXPECT_TRUE(store().ListSentVia("nobody", 10)->empty());
}

TEST_P(StoreConformanceTest, CountByStatus) {
  AccountId a = NewAccount("alice");
  std::vector<Message> ms;
  for (int i = 0; i < 6; ++i) ms.push_back(NewMessage(a));
  ms[4].status = MessageStatus::kSaved;
  ms[4].due_ms = 1'000'000;
  ms[5].status = MessageStatus::kSaved;
  ms[5].due_ms = 1'000'000;
  AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 4, "w", 200'000)->size(), 4u);
  ASSERT_TRUE(store().MarkSent(ms[0].id, "c", "u0", 1).ok());
  ASSERT_TRUE(store().MarkSent(ms[1].id, "c", "u1", 1).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "u1", MessageStatus::kDelivered, "", 2}).ok());
  ASSERT_TRUE(store().MarkUnsent(ms[2].id, "x", 2).ok());
  ASSERT_TRUE(*store().CancelScheduled(a, ms[5].id, 2));

  auto counts = store().CountByStatus();
  ASSERT_TRUE(counts.ok());
  std::vector<std::pair<MessageStatus, int64_t>> want = {
      {MessageStatus::kSaved, 1},     {MessageStatus::kQueued, 1},      {MessageStatus::kSent, 1},
      {MessageStatus::kDelivered, 1}, {MessageStatus::kUndelivered, 0}, {MessageStatus::kUnsent, 1},
      {MessageStatus::kCancelled, 1}};
  EXPECT_EQ(*counts, want);
}

TEST_P(StoreConformanceTest, LedgerBalancesOut) {
  AccountId a = NewAccount("alice", 0);
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kEco, 10, "top-up", 1).ok());
  std::vector<Message> ms;
  for (int i = 0; i < 4; ++i) ms.push_back(NewMessage(a));
  ms[3].status = MessageStatus::kSaved;
  ms[3].due_ms = 1'000'000;
  AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "w", 200'000)->size(), 3u);
  ASSERT_TRUE(store().MarkSent(ms[0].id, "c", "u0", 1).ok());
  ASSERT_TRUE(store().MarkUnsent(ms[1].id, "x", 2).ok());
  ASSERT_TRUE(*store().CancelScheduled(a, ms[3].id, 2));
  EXPECT_EQ(*store().LedgerSumForMessage(ms[0].id), -1);
  EXPECT_EQ(*store().LedgerSumForMessage(ms[1].id), 0);
  EXPECT_EQ(*store().LedgerSumForMessage(ms[2].id), -1);
  EXPECT_EQ(*store().LedgerSumForMessage(ms[3].id), 0);
  EXPECT_EQ(*store().LedgerSumForMessage("ffffffffff"), 0);
  EXPECT_EQ(Units(a, MessageType::kEco), 8);
}

}  // namespace bramka::store
