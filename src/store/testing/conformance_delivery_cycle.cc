// Store conformance: one write per delivery cycle (store.h WriteDeliveries,
// docs/adr/0031): MarkSentBatch then ApplyReceipts in one call, each item exactly as
// its batch method, the receipts after the acceptances.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

int64_t CountOf(Store& s, MessageStatus status) {
  auto counts = s.CountByStatus();
  EXPECT_TRUE(counts.ok()) << counts.error().ToString();
  if (!counts.ok()) return -1;
  for (const auto& [st, n] : *counts) {
    if (st == status) return n;
  }
  return 0;
}

constexpr int64_t kE2eNow = 50'000'000;  // e2e (docs/adr/0043)

// An SMPP user of account `a`, for messages that ask for an SMPP receipt.
Result<int64_t> NewSmppUser(Store& store, AccountId a, const std::string& system_id) {
  SmppUser user;
  user.account_id = a;
  user.system_id = system_id;
  user.password_hash = "$argon2id$fake";
  user.created_ms = 1000;
  return store.CreateSmppUser(user);
}

}  // namespace

TEST_P(StoreConformanceTest, WriteDeliveriesSendsThenAppliesReceipts) {
  const AccountId a = NewAccount("deliveries", 100);
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/a?id=#SMSID#", ""}).ok());
  auto user_id = NewSmppUser(store(), a, "deliveries");
  ASSERT_TRUE(user_id.ok());
  std::vector<Message> ms;
  for (int i = 0; i < 4; ++i) ms.push_back(NewMessage(a, "+4850000003" + std::to_string(i)));
  ms[0].smpp_user_id = *user_id;  // an SMPP user's message that asked for a receipt
  ms[0].smpp_registered_delivery = 1;
  ms[0].unique_id = "w0";
  ms[1].smpp_user_id = *user_id;  // an SMPP user's message that did not
  ms[1].dlr_url = "http://r/own";
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());

  auto out = store().WriteDeliveries(
      {{r.items[0].id, "c", "w0", 10},
       {r.items[1].id, "c", "w1", 10},
       {"ffffffffff", "c", "wX", 10},  // unknown
       {r.items[2].id, "c", "w2", 11}},
      {{"c", "w0", MessageStatus::kDelivered, "", 20},  // sent in this very call
       {"c", "w1", MessageStatus::kUndelivered, "expired", 21},
       {"c", "nope", MessageStatus::kDelivered, "", 22},
       {"c", "w0", MessageStatus::kUndelivered, "late", 23}});  // a repeat
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->found, (std::vector<bool>{true, true, false, true}));
  ASSERT_EQ(out->applied.size(), 4u);
  ASSERT_TRUE(out->applied[0].has_value());
  EXPECT_EQ(out->applied[0]->id, r.items[0].id);
  EXPECT_EQ(out->applied[0]->status, MessageStatus::kDelivered);
  EXPECT_EQ(out->applied[0]->done_ms, 20);
  ASSERT_TRUE(out->applied[1].has_value());
  EXPECT_EQ(out->applied[1]->status, MessageStatus::kUndelivered);
  EXPECT_EQ(out->applied[1]->reason, "expired");
  EXPECT_FALSE(out->applied[2].has_value());
  ASSERT_TRUE(out->applied[3].has_value());  // final already: unchanged
  EXPECT_EQ(out->applied[3]->status, MessageStatus::kDelivered);
  EXPECT_EQ(out->applied[3]->done_ms, 20);

  auto m2 = store().GetMessage(a, r.items[2].id);
  ASSERT_TRUE(m2.ok());
  EXPECT_EQ(m2->status, MessageStatus::kSent);
  EXPECT_EQ(m2->upstream_id, "w2");
  EXPECT_EQ(CountOf(store(), MessageStatus::kDelivered), 1);
  EXPECT_EQ(CountOf(store(), MessageStatus::kUndelivered), 1);
  EXPECT_EQ(CountOf(store(), MessageStatus::kSent), 1);
  EXPECT_EQ(CountOf(store(), MessageStatus::kQueued), 1);

  // The SMPP receipt only for the message that asked for one; a DLR callback for each
  // message made final, as ApplyReceipt queues them (the message's own URL first).
  auto outbox = store().ListSmppOutbox(*user_id, -1);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].message_id, r.items[0].id);
  auto callbacks = store().ListCallbacks(a, -1);
  ASSERT_TRUE(callbacks.ok());
  ASSERT_EQ(callbacks->size(), 2u);
  EXPECT_EQ((*callbacks)[0].message_id, r.items[0].id);
  EXPECT_EQ((*callbacks)[0].url_template, "http://r/a?id=#SMSID#");
  EXPECT_EQ((*callbacks)[0].unique_id, "w0");
  EXPECT_EQ((*callbacks)[0].phone, "+48500000030");
  EXPECT_EQ((*callbacks)[0].status, "delivered");
  EXPECT_EQ((*callbacks)[0].text, ms[0].text);
  EXPECT_EQ((*callbacks)[0].event_ms, 20);
  EXPECT_EQ((*callbacks)[1].message_id, r.items[1].id);
  EXPECT_EQ((*callbacks)[1].url_template, "http://r/own");
  EXPECT_EQ((*callbacks)[1].status, "undelivered");
  EXPECT_EQ((*callbacks)[1].reason, "expired");

  // A receipt with a status no receipt can have: kInvalidArgument, nothing written (the
  // acceptance in the same call included).
  auto bad = store().WriteDeliveries({{r.items[3].id, "c", "w3", 30}},
                                     {{"c", "w2", MessageStatus::kSent, "", 31}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().GetMessage(a, r.items[3].id)->status, MessageStatus::kQueued);
  EXPECT_EQ(store().GetMessage(a, r.items[2].id)->status, MessageStatus::kSent);

  // Either list may be empty.
  auto only_sent = store().WriteDeliveries({{r.items[3].id, "c", "w3", 30}}, {});
  ASSERT_TRUE(only_sent.ok());
  EXPECT_EQ(only_sent->found, (std::vector<bool>{true}));
  EXPECT_TRUE(only_sent->applied.empty());
  auto only_receipts =
      store().WriteDeliveries({}, {{"c", "w3", MessageStatus::kDelivered, "", 40}});
  ASSERT_TRUE(only_receipts.ok());
  EXPECT_TRUE(only_receipts->found.empty());
  ASSERT_EQ(only_receipts->applied.size(), 1u);
  EXPECT_EQ(only_receipts->applied[0]->id, r.items[3].id);
  auto empty = store().WriteDeliveries({}, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->found.empty() && empty->applied.empty());
}

namespace {

// Every stored field of a message (not callback_queued: what a call did, not the row).
std::string Fields(const Message& m) {
  std::string out =
      m.id + "|" + std::to_string(m.account_id) + "|" + m.phone + "|" + m.sender + "|" +
      std::to_string(static_cast<int>(m.type)) + "|" + m.text + "|" + std::to_string(m.unicode) +
      std::to_string(m.flash) + std::to_string(m.speed) + "|" + std::to_string(m.parts) + "|" +
      std::to_string(m.cost_units) + "|" + std::to_string(static_cast<int>(m.status)) + "|" +
      m.reason + "|" + m.unique_id + "|" + std::to_string(m.stat_id) + "|" + m.source + "|" +
      m.dlr_url + "|" + std::to_string(m.queued_ms) + "|" + std::to_string(m.due_ms) + "|" +
      std::to_string(m.sent_ms) + "|" + std::to_string(m.done_ms) + "|" +
      std::to_string(m.attempts) + "|" + m.connector + "|" + m.upstream_id + "|" +
      std::to_string(m.smpp_user_id) + "|" + std::to_string(m.smpp_registered_delivery);
  for (const std::string& file : m.attachments) out += "|" + file;
  return out;
}

// `applied` holds the messages `ids`, in that order, each equal to its stored row field by
// field and having queued its DLR callback.
void ExpectAppliedAsStored(Store& store, AccountId a,
                           const std::vector<std::optional<Message>>& applied,
                           const std::vector<std::string>& ids) {
  ASSERT_EQ(applied.size(), ids.size());
  for (size_t j = 0; j < ids.size(); ++j) {
    ASSERT_TRUE(applied[j].has_value()) << j;
    EXPECT_EQ(applied[j]->id, ids[j]) << j;
    auto stored = store.GetMessage(a, ids[j]);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(Fields(*applied[j]), Fields(*stored)) << j;
    EXPECT_TRUE(applied[j]->callback_queued) << j;
  }
}

}  // namespace

// rowwrite (docs/adr/0066): a receipt written with its own acceptance (docs/adr/0059) returns
// the message exactly as a read finds it afterwards: claimed once, claimed again after its
// lease ran out (two attempts; the first claim's acceptance), and with every optional field.
TEST_P(StoreConformanceTest, ReceiptWithItsAcceptanceReturnsTheMessageAsStored) {
  const AccountId a = NewAccount("paired", 100);
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/p?id=#SMSID#", ""}).ok());
  std::vector<Message> ms;
  for (int i = 0; i < 3; ++i) ms.push_back(NewMessage(a, "+4850000006" + std::to_string(i)));
  ms[0].unique_id = "p0";
  ms[0].dlr_url = "http://r/own";
  ms[0].flash = true;
  ms[2].unicode = true;
  ms[2].text = "Zażółć gęślą jaźń";
  ms[2].source = "smpp";
  AcceptResult r = AcceptOk(a, ms);
  // ms[0] leased until 200,000, the others until 10^9; ms[0]'s lease runs out and it is
  // claimed again.
  auto first = store().ClaimDue(100'000, 1, "node", 200'000);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ((*first)[0].id, r.items[0].id);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 1'000'000'000)->size(), 2u);
  auto again = store().ClaimDue(300'000, 10, "node", 400'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 2);

  auto out = store().WriteDeliveries({{r.items[0].id, "c", "q0", 310'000},
                                      {r.items[1].id, "c", "q1", 311'000},
                                      {r.items[2].id, "c", "q2", 312'000}},
                                     {{"c", "q1", MessageStatus::kUndelivered, "expired", 320'000},
                                      {"c", "q0", MessageStatus::kDelivered, "", 321'000},
                                      {"c", "q2", MessageStatus::kDelivered, "", 322'000}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->found, (std::vector<bool>{true, true, true}));
  ASSERT_NO_FATAL_FAILURE(ExpectAppliedAsStored(store(), a, out->applied,
                                                {r.items[1].id, r.items[0].id, r.items[2].id}));
  EXPECT_EQ(out->applied[1]->attempts, 2);
  EXPECT_EQ(out->applied[0]->attempts, 1);
  EXPECT_EQ(out->applied[0]->reason, "expired");
  EXPECT_EQ(out->applied[1]->upstream_id, "q0");
  EXPECT_EQ(out->applied[1]->sent_ms, 310'000);
}

}  // namespace bramka::store

// s6-delivery (docs/adr/0033): ListSentVia without its own index (it reads
// messages_upstream): only kSent messages of that connector, oldest sent first, whatever
// else carries an upstream id there (final ones, one sent again after a retry).
namespace bramka::store {

namespace {

std::vector<std::string> SentViaIds(Store& s, const std::string& connector) {
  auto via = s.ListSentVia(connector, -1);
  EXPECT_TRUE(via.ok()) << via.error().ToString();
  std::vector<std::string> ids;
  if (via.ok()) {
    for (const Message& m : *via) ids.push_back(m.id);
  }
  return ids;
}

}  // namespace

TEST_P(StoreConformanceTest, ListSentViaOnlyWaitingMessagesOfTheConnector) {
  const AccountId a = NewAccount("sentvia", 100);
  std::vector<Message> ms;
  for (int i = 0; i < 6; ++i) ms.push_back(NewMessage(a, "+4850000004" + std::to_string(i)));
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 200'000)->size(), 6u);
  auto out = store().WriteDeliveries({{r.items[0].id, "net", "900", 50},
                                      {r.items[1].id, "net", "901", 40},
                                      {r.items[2].id, "net", "902", 42},
                                      {r.items[3].id, "net", "903", 45},
                                      {r.items[4].id, "other", "904", 10}},
                                     {{"net", "903", MessageStatus::kUndelivered, "x", 60}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_TRUE(store().ApplyReceipt({"net", "900", MessageStatus::kDelivered, "", 61}).ok());

  EXPECT_EQ(SentViaIds(store(), "net"), (std::vector<std::string>{r.items[1].id, r.items[2].id}));
  auto via = store().ListSentVia("net", 1);
  ASSERT_TRUE(via.ok()) << via.error().ToString();
  ASSERT_EQ(via->size(), 1u);
  EXPECT_EQ((*via)[0].upstream_id, "901");
  EXPECT_EQ((*via)[0].status, MessageStatus::kSent);
  EXPECT_EQ(SentViaIds(store(), "other"), (std::vector<std::string>{r.items[4].id}));
  EXPECT_TRUE(SentViaIds(store(), "").empty());  // queued messages have no connector
}

// e2e (docs/adr/0043): a delivery cycle with many acceptances (more than one multi-row
// statement would take; ADR 0043 "Tried and not kept") gives what one MarkSent per message
// gives: every claimed message kSent with its own connector, upstream id and time, an
// unknown id not found, a repeat within the cycle found twice (the last one stays), a
// final message left alone, a long message's part ids recorded, the status counts moved
// once per message; and ClaimDue leases exactly the rows it returns.
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
  auto first = store().ClaimDue(kE2eNow, 30, "node", kE2eNow + 100000);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 30u);
  for (const Message& m : *first) EXPECT_EQ(m.attempts, 1);
  auto rest = store().ClaimDue(kE2eNow, 100, "node", kE2eNow + 100000);
  ASSERT_TRUE(rest.ok()) << rest.error().ToString();
  ASSERT_EQ(rest->size(), 45u);  // none of the first 30 again: they are leased
  for (const Message& m : *first) {
    for (const Message& n : *rest) ASSERT_NE(m.id, n.id);
  }
  EXPECT_TRUE(store().ClaimDue(kE2eNow, 100, "node", kE2eNow + 100000)->empty());
  // One of them ends before its acceptance is recorded (a receipt that overtook it).
  ASSERT_TRUE(store().MarkSent(r.items[74].id, "c", "early", 5).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "early", MessageStatus::kDelivered, "", 6}).ok());
  const int64_t sent_before = CountOf(store(), MessageStatus::kSent);

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
  EXPECT_EQ(CountOf(store(), MessageStatus::kSent), sent_before + 71 - 2);
  EXPECT_EQ(CountOf(store(), MessageStatus::kQueued), 3);  // 71..73: claimed, not sent
}

// trickle (docs/adr/0059): SQLite writes a receipt that comes in the same call as its own
// message's acceptance as one row update. Whatever a store does, the message and the answers
// are those of the two writes one after the other.
TEST_P(StoreConformanceTest, WriteDeliveriesReceiptWithItsAcceptanceIsTheTwoWrites) {
  const AccountId a = NewAccount("together", 100);
  std::vector<Message> ms;
  for (int i = 0; i < 4; ++i) ms.push_back(NewMessage(a, "+4850000007" + std::to_string(i)));
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());

  // items[0]: acceptance and receipt in one call; items[1]: in two calls.
  auto one = store().WriteDeliveries({{r.items[0].id, "c", "t0", 10}},
                                     {{"c", "t0", MessageStatus::kUndelivered, "expired", 20}});
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  auto two_sent = store().WriteDeliveries({{r.items[1].id, "c", "t1", 10}}, {});
  ASSERT_TRUE(two_sent.ok());
  auto two = store().WriteDeliveries({}, {{"c", "t1", MessageStatus::kUndelivered, "expired", 20}});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(one->found, (std::vector<bool>{true}));
  ASSERT_EQ(one->applied.size(), 1u);
  ASSERT_EQ(two->applied.size(), 1u);
  ASSERT_TRUE(one->applied[0].has_value());
  ASSERT_TRUE(two->applied[0].has_value());
  auto same = [](const Message& x, const Message& y, const std::string& what) {
    EXPECT_EQ(x.status, y.status) << what;
    EXPECT_EQ(x.reason, y.reason) << what;
    EXPECT_EQ(x.sent_ms, y.sent_ms) << what;
    EXPECT_EQ(x.done_ms, y.done_ms) << what;
    EXPECT_EQ(x.attempts, y.attempts) << what;
    EXPECT_EQ(x.connector, y.connector) << what;
    EXPECT_EQ(x.callback_queued, y.callback_queued) << what;
  };
  same(*one->applied[0], *two->applied[0], "answers");
  EXPECT_EQ(one->applied[0]->id, r.items[0].id);
  EXPECT_EQ(one->applied[0]->upstream_id, "t0");
  auto m0 = store().GetMessage(a, r.items[0].id);
  auto m1 = store().GetMessage(a, r.items[1].id);
  ASSERT_TRUE(m0.ok());
  ASSERT_TRUE(m1.ok());
  same(*m0, *m1, "stored");
  same(*m0, *one->applied[0], "stored and answered");
  EXPECT_EQ(m0->status, MessageStatus::kUndelivered);
  EXPECT_EQ(m0->upstream_id, "t0");
  EXPECT_EQ(CountOf(store(), MessageStatus::kUndelivered), 2);
  EXPECT_EQ(CountOf(store(), MessageStatus::kSent), 0);
  EXPECT_EQ(CountOf(store(), MessageStatus::kQueued), 2);

  // An upstream id reused (an SMSC's ids wrapped): items[3] sent first as "dup", then
  // items[2] under the same id with a receipt for "dup" in its call. The receipt goes to one
  // of the two, the one ApplyReceipt picks (SQLite: the higher sequence, which the merged
  // write leaves to the two writes); the other stays sent under "dup".
  ASSERT_TRUE(store().WriteDeliveries({{r.items[3].id, "c", "dup", 30}}, {}).ok());
  auto reused = store().WriteDeliveries({{r.items[2].id, "c", "dup", 31}},
                                        {{"c", "dup", MessageStatus::kDelivered, "", 40}});
  ASSERT_TRUE(reused.ok()) << reused.error().ToString();
  EXPECT_EQ(reused->found, (std::vector<bool>{true}));
  ASSERT_TRUE(reused->applied[0].has_value());
  const std::string got = reused->applied[0]->id;
  ASSERT_TRUE(got == r.items[2].id || got == r.items[3].id) << got;
  const std::string other = got == r.items[2].id ? r.items[3].id : r.items[2].id;
  EXPECT_EQ(store().GetMessage(a, got)->status, MessageStatus::kDelivered);
  EXPECT_EQ(store().GetMessage(a, got)->upstream_id, "dup");
  EXPECT_EQ(store().GetMessage(a, other)->status, MessageStatus::kSent);
  EXPECT_EQ(store().GetMessage(a, other)->upstream_id, "dup");
}

}  // namespace bramka::store

namespace bramka::store {

// sentmemo (docs/adr/0069, measured and not merged: a memo of sent rows for receipts that
// come in a later delivery cycle would have to pass these). Whatever a store does, a receipt a
// cycle later gives exactly the stored row's outputs: the answer, the DLR callback entry, the
// SMPP receipt; a repeat of it the final message unchanged.
TEST_P(StoreConformanceTest, ReceiptACycleLaterReturnsTheMessageAsStored) {
  const AccountId a = NewAccount("later", 100);
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/l?id=#SMSID#", ""}).ok());
  auto user_id = NewSmppUser(store(), a, "later");
  ASSERT_TRUE(user_id.ok());
  std::vector<Message> ms;
  for (int i = 0; i < 3; ++i) ms.push_back(NewMessage(a, "+4850000008" + std::to_string(i)));
  ms[0].unique_id = "l0";
  ms[0].smpp_user_id = *user_id;
  ms[0].smpp_registered_delivery = 1;
  ms[1].dlr_url = "http://r/own";
  ms[1].flash = true;
  ms[2].unicode = true;
  ms[2].text = "Zażółć gęślą jaźń";
  ms[2].source = "smpp";
  AcceptResult r = AcceptOk(a, ms);
  // ms[0] claimed twice (its first lease runs out): two attempts.
  ASSERT_EQ(store().ClaimDue(100'000, 1, "node", 200'000)->size(), 1u);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 1'000'000'000)->size(), 2u);
  ASSERT_EQ(store().ClaimDue(300'000, 10, "node", 400'000)->size(), 1u);

  auto sent = store().WriteDeliveries({{r.items[0].id, "c", "l0", 310'000},
                                       {r.items[1].id, "c", "l1", 311'000},
                                       {r.items[2].id, "c", "l2", 312'000}},
                                      {});
  ASSERT_TRUE(sent.ok()) << sent.error().ToString();
  EXPECT_EQ(sent->found, (std::vector<bool>{true, true, true}));
  auto out =
      store().WriteDeliveries({}, {{"c", "l1", MessageStatus::kUndelivered, "expired", 320'000},
                                   {"c", "l0", MessageStatus::kDelivered, "", 321'000},
                                   {"c", "l2", MessageStatus::kDelivered, "", 322'000}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_NO_FATAL_FAILURE(ExpectAppliedAsStored(store(), a, out->applied,
                                                {r.items[1].id, r.items[0].id, r.items[2].id}));
  EXPECT_EQ(out->applied[1]->attempts, 2);
  EXPECT_EQ(out->applied[1]->sent_ms, 310'000);
  EXPECT_EQ(out->applied[0]->attempts, 1);
  EXPECT_EQ(out->applied[0]->reason, "expired");
  EXPECT_EQ(out->applied[2]->text, "Zażółć gęślą jaźń");

  auto callbacks = store().ListCallbacks(a, -1);
  ASSERT_TRUE(callbacks.ok());
  ASSERT_EQ(callbacks->size(), 3u);
  for (const CallbackEntry& cb : *callbacks) {
    const int i = cb.message_id == r.items[0].id ? 0 : cb.message_id == r.items[1].id ? 1 : 2;
    ASSERT_EQ(cb.message_id, r.items[i].id);
    EXPECT_EQ(cb.url_template, i == 1 ? "http://r/own" : "http://r/l?id=#SMSID#") << i;
    EXPECT_EQ(cb.unique_id, i == 0 ? "l0" : "") << i;
    EXPECT_EQ(cb.phone, ms[i].phone) << i;
    EXPECT_EQ(cb.text, ms[i].text) << i;
    EXPECT_EQ(cb.status, i == 1 ? "undelivered" : "delivered") << i;
    EXPECT_EQ(cb.event_ms, i == 0 ? 321'000 : i == 1 ? 320'000 : 322'000) << i;
  }
  auto outbox = store().ListSmppOutbox(*user_id, -1);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].message_id, r.items[0].id);

  // A repeat, a cycle later again: the final message, unchanged, nothing queued.
  auto again =
      store().WriteDeliveries({}, {{"c", "l0", MessageStatus::kUndelivered, "x", 330'000}});
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(again->applied[0].has_value());
  EXPECT_EQ(Fields(*again->applied[0]), Fields(*store().GetMessage(a, r.items[0].id)));
  EXPECT_EQ(again->applied[0]->status, MessageStatus::kDelivered);
  EXPECT_EQ(store().ListCallbacks(a, -1)->size(), 3u);
}

// docs/adr/0069: a message changed between its acceptance and its receipt a cycle
// later (made due again; sent again under another upstream id) is answered as it is stored
// then, not as it was sent.
TEST_P(StoreConformanceTest, ReceiptACycleLaterAfterTheMessageChanged) {
  const AccountId a = NewAccount("changed", 100);
  std::vector<Message> ms;
  for (int i = 0; i < 2; ++i) ms.push_back(NewMessage(a, "+4850000009" + std::to_string(i)));
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 1'000'000'000)->size(), 2u);
  ASSERT_TRUE(
      store()
          .WriteDeliveries({{r.items[0].id, "c", "g0", 10}, {r.items[1].id, "c", "g1", 11}}, {})
          .ok());
  ASSERT_TRUE(store().MarkRetry(r.items[0].id, 500, "again").ok());
  ASSERT_TRUE(store().MarkSent(r.items[1].id, "c", "g1b", 30).ok());
  auto out = store().WriteDeliveries({}, {{"c", "g0", MessageStatus::kDelivered, "", 40},
                                          {"c", "g1b", MessageStatus::kDelivered, "", 41},
                                          {"c", "g1", MessageStatus::kDelivered, "", 42}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(out->applied.size(), 3u);
  for (int j = 0; j < 2; ++j) {
    if (!out->applied[j]) continue;  // a store may forget an upstream id on a retry
    auto stored = store().GetMessage(a, out->applied[j]->id);
    ASSERT_TRUE(stored.ok());
    EXPECT_EQ(Fields(*out->applied[j]), Fields(*stored)) << j;
  }
  ASSERT_TRUE(out->applied[1].has_value());
  EXPECT_EQ(out->applied[1]->id, r.items[1].id);
  EXPECT_EQ(out->applied[1]->sent_ms, 30);
  EXPECT_EQ(out->applied[1]->upstream_id, "g1b");
  EXPECT_FALSE(out->applied[2].has_value());  // g1 is no message's id any more
  EXPECT_EQ(store().GetMessage(a, r.items[1].id)->status, MessageStatus::kDelivered);
}

// docs/adr/0069: an upstream id reused by a later-sent message, both sent in
// earlier cycles: the receipt goes to the one ApplyReceipt picks (SQLite: the higher
// sequence, ADR 0059, whichever was sent last), answered as stored; the other stays sent.
TEST_P(StoreConformanceTest, ReceiptACycleLaterForAReusedUpstreamId) {
  const AccountId a = NewAccount("reused", 100);
  std::vector<Message> ms;
  for (int i = 0; i < 2; ++i) ms.push_back(NewMessage(a, "+4850000010" + std::to_string(i)));
  AcceptResult r = AcceptOk(a, ms);
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 1'000'000'000)->size(), 2u);
  // The later message (higher sequence) sent first, the earlier one a cycle after it.
  ASSERT_TRUE(store().WriteDeliveries({{r.items[1].id, "c", "dup", 10}}, {}).ok());
  ASSERT_TRUE(store().WriteDeliveries({{r.items[0].id, "c", "dup", 11}}, {}).ok());
  auto out = store().WriteDeliveries({}, {{"c", "dup", MessageStatus::kDelivered, "", 20}});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_TRUE(out->applied[0].has_value());
  const std::string got = out->applied[0]->id;
  ASSERT_TRUE(got == r.items[0].id || got == r.items[1].id) << got;
  if (GetParam().name == "sqlite") {
    EXPECT_EQ(got, r.items[1].id) << "the higher sequence";
  }
  const std::string other = got == r.items[0].id ? r.items[1].id : r.items[0].id;
  EXPECT_EQ(Fields(*out->applied[0]), Fields(*store().GetMessage(a, got)));
  EXPECT_EQ(out->applied[0]->status, MessageStatus::kDelivered);
  EXPECT_EQ(store().GetMessage(a, other)->status, MessageStatus::kSent);
  EXPECT_EQ(store().GetMessage(a, other)->upstream_id, "dup");
}

}  // namespace bramka::store
