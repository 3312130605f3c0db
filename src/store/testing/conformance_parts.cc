// Store conformance: the part ids of long messages (store.h MarkSentBatch / ApplyReceipt,
// "parts"; docs/adr/0028). A long message is decided by its parts' receipts, recorded in
// the store: delivered when every part is, undelivered as soon as one part is not.

#include <optional>
#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

SentUpdate SentInParts(const std::string& id, const std::string& connector,
                       std::vector<std::string> part_ids, int64_t at_ms) {
  SentUpdate s{id, connector, part_ids.empty() ? "" : part_ids.front(), at_ms};
  s.part_ids = std::move(part_ids);
  return s;
}

ReceiptUpdate Receipt(const std::string& upstream_id, MessageStatus status, int64_t at_ms,
                      const std::string& reason = "", const std::string& connector = "c") {
  return ReceiptUpdate{connector, upstream_id, status, reason, at_ms};
}

constexpr MessageStatus kDelivered = MessageStatus::kDelivered;
constexpr MessageStatus kUndelivered = MessageStatus::kUndelivered;

}  // namespace

TEST_P(StoreConformanceTest, PartsDeliveredWhenEveryPartIsAndRepeatsChangeNothing) {
  const AccountId a = NewAccount("parts-delivered", 100);
  SmppUser smpp_user;
  smpp_user.account_id = a;
  smpp_user.system_id = "parts";
  auto user = store().CreateSmppUser(smpp_user);
  ASSERT_TRUE(user.ok());
  Message m = NewMessage(a, "+48500000101");
  m.parts = 3;
  m.smpp_user_id = *user;
  m.smpp_registered_delivery = 1;
  AcceptResult r = AcceptOk(a, {m});
  const std::string id = r.items[0].id;
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  auto found = store().MarkSentBatch({SentInParts(id, "c", {"p1", "p2", "p3"}, 10)});
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  EXPECT_EQ(*found, std::vector<bool>{true});
  EXPECT_EQ(store().GetMessage(a, id)->upstream_id, "p1");

  // The middle part, the first, a repeat of each: matched, the message still kSent.
  for (const char* part : {"p2", "p1", "p2", "p1"}) {
    auto applied = store().ApplyReceipt(Receipt(part, kDelivered, 20));
    ASSERT_TRUE(applied.ok()) << applied.error().ToString();
    ASSERT_TRUE(applied->has_value()) << part;
    EXPECT_EQ((*applied)->id, id);
    EXPECT_EQ((*applied)->status, MessageStatus::kSent) << part;
  }
  EXPECT_EQ(store().GetMessage(a, id)->status, MessageStatus::kSent);
  EXPECT_TRUE(store().ListSmppOutbox(*user, -1)->empty());

  // The last part decides, at its time.
  auto last = store().ApplyReceipt(Receipt("p3", kDelivered, 30));
  ASSERT_TRUE(last.ok());
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ((*last)->status, kDelivered);
  EXPECT_EQ((*last)->done_ms, 30);
  auto stored = store().GetMessage(a, id);
  EXPECT_EQ(stored->status, kDelivered);
  EXPECT_EQ(stored->done_ms, 30);

  // Repeats of a final message: returned unchanged, nothing queued twice.
  auto again = store().ApplyReceipts(
      {Receipt("p3", kUndelivered, 40, "late"), Receipt("p2", kDelivered, 41)});
  ASSERT_TRUE(again.ok());
  for (const auto& one : *again) {
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->status, kDelivered);
    EXPECT_EQ(one->done_ms, 30);
  }
  EXPECT_EQ(store().ListSmppOutbox(*user, -1)->size(), 1u);
}

TEST_P(StoreConformanceTest, PartsUndeliveredAsSoonAsOnePartIsNot) {
  const AccountId a = NewAccount("parts-undelivered", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000102"), NewMessage(a, "+48500000103")});
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store()
                  .MarkSentBatch({SentInParts(r.items[0].id, "c", {"a1", "a2", "a3"}, 10),
                                  SentInParts(r.items[1].id, "c", {"b1", "b2"}, 10)})
                  .ok());

  // One batch: a1 delivered, a2 undelivered (decides), a3 delivered (too late);
  // b2 undelivered decides b although b1 never reported.
  auto out = store().ApplyReceipts(
      {Receipt("a1", kDelivered, 20), Receipt("a2", kUndelivered, 21, "wrong_number"),
       Receipt("a3", kDelivered, 22), Receipt("b2", kUndelivered, 23, "message_expired")});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  ASSERT_EQ(out->size(), 4u);
  EXPECT_EQ((*out)[0]->status, MessageStatus::kSent);
  EXPECT_EQ((*out)[1]->status, kUndelivered);
  EXPECT_EQ((*out)[1]->reason, "wrong_number");
  EXPECT_EQ((*out)[2]->status, kUndelivered);  // final: unchanged
  EXPECT_EQ((*out)[2]->done_ms, 21);
  auto a_msg = store().GetMessage(a, r.items[0].id);
  EXPECT_EQ(a_msg->status, kUndelivered);
  EXPECT_EQ(a_msg->reason, "wrong_number");
  EXPECT_EQ(a_msg->done_ms, 21);
  auto b_msg = store().GetMessage(a, r.items[1].id);
  EXPECT_EQ(b_msg->status, kUndelivered);
  EXPECT_EQ(b_msg->reason, "message_expired");
  auto b1 = store().ApplyReceipt(Receipt("b1", kDelivered, 30));
  ASSERT_TRUE(b1.ok() && b1->has_value());
  EXPECT_EQ((*b1)->status, kUndelivered);
}

// A part's receipt is matched by (connector, part id) only; a receipt through another
// connector, or for a part of a message sent again, matches nothing.
TEST_P(StoreConformanceTest, PartsMatchByConnectorAndTheNewestSend) {
  const AccountId a = NewAccount("parts-match", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000104")});
  const std::string id = r.items[0].id;
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store().MarkSentBatch({SentInParts(id, "c", {"x1", "x2"}, 10)}).ok());
  auto other = store().ApplyReceipt(Receipt("x2", kDelivered, 20, "", "d"));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());

  // Sent again (a lease that expired): the new parts replace the old ones.
  ASSERT_TRUE(store().MarkSentBatch({SentInParts(id, "c", {"y1", "y2"}, 50)}).ok());
  EXPECT_EQ(store().GetMessage(a, id)->upstream_id, "y1");
  auto old = store().ApplyReceipt(Receipt("x2", kDelivered, 60));
  ASSERT_TRUE(old.ok());
  EXPECT_FALSE(old->has_value());
  ASSERT_TRUE(store().ApplyReceipt(Receipt("y2", kDelivered, 61)).ok());
  EXPECT_EQ(store().GetMessage(a, id)->status, MessageStatus::kSent);
  auto y1 = store().ApplyReceipt(Receipt("y1", kDelivered, 62));
  ASSERT_TRUE(y1.ok() && y1->has_value());
  EXPECT_EQ((*y1)->status, kDelivered);
}

// One part id (or none) records no parts: the upstream id's receipt decides, as before;
// MarkSent records none either.
TEST_P(StoreConformanceTest, PartsNeedTwoOrMore) {
  const AccountId a = NewAccount("parts-single", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000105"), NewMessage(a, "+48500000106")});
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store().MarkSentBatch({SentInParts(r.items[0].id, "c", {"s1"}, 10)}).ok());
  ASSERT_TRUE(store().MarkSent(r.items[1].id, "c", "s2", 10).ok());
  auto s1 = store().ApplyReceipt(Receipt("s1", kUndelivered, 20, "wrong_number"));
  ASSERT_TRUE(s1.ok() && s1->has_value());
  EXPECT_EQ((*s1)->status, kUndelivered);
  auto s2 = store().ApplyReceipt(Receipt("s2", kDelivered, 20));
  ASSERT_TRUE(s2.ok() && s2->has_value());
  EXPECT_EQ((*s2)->status, kDelivered);
}

// Parts recorded more than kMessagePartsKeepMs before a later long message's send are
// forgotten: the first part's id still finds its message (as a single-part message).
TEST_P(StoreConformanceTest, PartsAreForgottenAfterTheKeepTime) {
  const AccountId a = NewAccount("parts-keep", 100);
  AcceptResult r = AcceptOk(a, {NewMessage(a, "+48500000107"), NewMessage(a, "+48500000108")});
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  ASSERT_TRUE(store().MarkSentBatch({SentInParts(r.items[0].id, "c", {"o1", "o2"}, 10)}).ok());
  const int64_t later = 10 + Store::kMessagePartsKeepMs + 1;
  ASSERT_TRUE(store().MarkSentBatch({SentInParts(r.items[1].id, "c", {"n1", "n2"}, later)}).ok());
  auto o2 = store().ApplyReceipt(Receipt("o2", kDelivered, later));
  ASSERT_TRUE(o2.ok());
  EXPECT_FALSE(o2->has_value());
  auto o1 = store().ApplyReceipt(Receipt("o1", kDelivered, later));
  ASSERT_TRUE(o1.ok() && o1->has_value());
  EXPECT_EQ((*o1)->status, kDelivered);
  // The newer message's parts are kept.
  ASSERT_TRUE(store().ApplyReceipt(Receipt("n1", kDelivered, later)).ok());
  EXPECT_EQ(store().GetMessage(a, r.items[1].id)->status, MessageStatus::kSent);
}

// rowwrite (docs/adr/0066): a receipt in the same call as its message's acceptance still goes
// to a recorded part with that upstream id (as ApplyReceipt resolves it), also when the
// part was recorded after calls that found no part at all.
TEST_P(StoreConformanceTest, AReceiptWithItsAcceptanceStillFindsAPartWithItsId) {
  const AccountId a = NewAccount("parts-paired", 100);
  Message single = NewMessage(a, "+48500000111");
  Message lng = NewMessage(a, "+48500000112");
  lng.parts = 2;
  Message other = NewMessage(a, "+48500000113");
  AcceptResult r = AcceptOk(a, {single, lng, other});
  ASSERT_EQ(store().ClaimDue(100'000, 10, "node", 1'000'000)->size(), 3u);
  auto first =
      store().WriteDeliveries({{r.items[0].id, "c", "s0", 10}}, {Receipt("s0", kDelivered, 11)});
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_TRUE(first->applied[0].has_value());
  EXPECT_EQ(first->applied[0]->status, kDelivered);
  ASSERT_TRUE(
      store().WriteDeliveries({SentInParts(r.items[1].id, "c", {"q1", "q2"}, 20)}, {}).ok());
  // An SMSC that reuses the second part's id "q2" for the next message, with a receipt for
  // "q2" in that call (no message row carries "q2": only the part row can match).
  auto out = store().WriteDeliveries({{r.items[2].id, "c", "q2", 30}},
                                     {Receipt("q2", kUndelivered, 31, "expired")});
  ASSERT_TRUE(out.ok()) << out.error().ToString();
  EXPECT_EQ(out->found, std::vector<bool>{true});
  ASSERT_EQ(out->applied.size(), 1u);
  ASSERT_TRUE(out->applied[0].has_value());
  EXPECT_EQ(out->applied[0]->id, r.items[1].id);
  EXPECT_EQ(out->applied[0]->status, kUndelivered);
  EXPECT_EQ(store().GetMessage(a, r.items[1].id)->status, kUndelivered);
  EXPECT_EQ(store().GetMessage(a, r.items[2].id)->status, MessageStatus::kSent);
}

}  // namespace bramka::store
