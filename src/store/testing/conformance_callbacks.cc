// Store conformance: callback URL templates and the durable callback outbox
// (store.h "callbacks", ADR 0007).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

std::vector<CallbackEntry> Entries(Store& s, AccountId account) {
  auto list = s.ListCallbacks(account, -1);
  EXPECT_TRUE(list.ok()) << list.error().ToString();
  return list.ok() ? *list : std::vector<CallbackEntry>{};
}

}  // namespace

TEST_P(StoreConformanceTest, AccountCallbacksRoundTripPerAccount) {
  const AccountId a = NewAccount("cb-a");
  const AccountId b = NewAccount("cb-b");
  auto empty = store().GetAccountCallbacks(a);
  ASSERT_TRUE(empty.ok()) << empty.error().ToString();
  EXPECT_EQ(empty->dlr_url, "");
  EXPECT_EQ(empty->mo_url, "");
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://a/dlr?id=#SMSID#", "http://a/mo"}).ok());
  auto got = store().GetAccountCallbacks(a);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->dlr_url, "http://a/dlr?id=#SMSID#");
  EXPECT_EQ(got->mo_url, "http://a/mo");
  EXPECT_EQ(store().GetAccountCallbacks(b)->dlr_url, "");  // another account's are not shared
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"", "http://a/mo2"}).ok());
  EXPECT_EQ(store().GetAccountCallbacks(a)->dlr_url, "");
  EXPECT_EQ(store().GetAccountCallbacks(a)->mo_url, "http://a/mo2");
  EXPECT_EQ(store().SetAccountCallbacks(9999, {"x", "y"}).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetAccountCallbacks(9999).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, FinalStatusQueuesDlrCallbackInTheSameWrite) {
  const AccountId a = NewAccount("dlr-a");
  const AccountId b = NewAccount("dlr-b");  // no template
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/a?id=#SMSID#", "http://r/mo"}).ok());
  std::vector<Message> ms;
  for (int i = 0; i < 4; ++i) ms.push_back(NewMessage(a, "+4860000000" + std::to_string(i)));
  ms[0].unique_id = "u0";
  ms[0].sender = "SHOP";
  ms[1].dlr_url = "http://r/own?s=#STAN#";  // per-message URL wins over the account's
  AcceptOk(a, ms);
  Message mb = NewMessage(b);
  Message mb_own = NewMessage(b);
  mb_own.dlr_url = "http://r/b-own";
  AcceptOk(b, {mb, mb_own});

  ASSERT_TRUE(store().MarkSent(ms[0].id, "c", "up0", 20'000).ok());
  ASSERT_TRUE(store().MarkSent(ms[1].id, "c", "up1", 20'000).ok());
  ASSERT_TRUE(store().MarkSent(ms[3].id, "c", "up3", 20'000).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "up0", MessageStatus::kDelivered, "", 21'000}).ok());
  ASSERT_TRUE(
      store()
          .ApplyReceipt({"c", "up1", MessageStatus::kUndelivered, "unsupported_number", 22'000})
          .ok());
  ASSERT_TRUE(store().MarkUnsent(ms[2].id, "message_rejected", 23'000).ok());
  // Repeated receipts and a second MarkUnsent of a final message queue nothing more.
  ASSERT_TRUE(store().ApplyReceipt({"c", "up0", MessageStatus::kDelivered, "", 24'000}).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "up1", MessageStatus::kDelivered, "", 24'000}).ok());
  ASSERT_TRUE(store().MarkUnsent(ms[2].id, "other_error", 24'000).ok());
  ASSERT_TRUE(store().MarkUnsent(mb.id, "message_rejected", 25'000).ok());
  ASSERT_TRUE(store().MarkUnsent(mb_own.id, "message_rejected", 25'000).ok());

  auto got = Entries(store(), a);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].kind, CallbackKind::kDlr);
  EXPECT_EQ(got[0].account_id, a);
  EXPECT_EQ(got[0].url_template, "http://r/a?id=#SMSID#");
  EXPECT_EQ(got[0].message_id, ms[0].id);
  EXPECT_EQ(got[0].unique_id, "u0");
  EXPECT_EQ(got[0].phone, "+48600000000");
  EXPECT_EQ(got[0].sender, "SHOP");
  EXPECT_EQ(got[0].status, "delivered");
  EXPECT_EQ(got[0].reason, "");
  EXPECT_EQ(got[0].text, ms[0].text);
  EXPECT_EQ(got[0].event_ms, 21'000);
  EXPECT_EQ(got[0].created_ms, 21'000);
  EXPECT_EQ(got[0].next_attempt_ms, 21'000);
  EXPECT_EQ(got[0].state, CallbackState::kPending);
  EXPECT_EQ(got[0].attempts, 0);
  EXPECT_EQ(got[1].url_template, "http://r/own?s=#STAN#");
  EXPECT_EQ(got[1].message_id, ms[1].id);
  EXPECT_EQ(got[1].status, "undelivered");
  EXPECT_EQ(got[1].reason, "unsupported_number");
  EXPECT_EQ(got[2].message_id, ms[2].id);
  EXPECT_EQ(got[2].status, "unsent");
  EXPECT_EQ(got[2].reason, "message_rejected");
  EXPECT_EQ(got[2].event_ms, 23'000);
  EXPECT_LT(got[0].id, got[1].id);
  EXPECT_LT(got[1].id, got[2].id);
  // ms[3] is still sent: nothing. Account b: only the message with its own URL.
  auto gb = Entries(store(), b);
  ASSERT_EQ(gb.size(), 1u);
  EXPECT_EQ(gb[0].message_id, mb_own.id);
  EXPECT_EQ(gb[0].url_template, "http://r/b-own");
  auto counts = store().CountCallbacks();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 4);
  EXPECT_EQ(counts->failed, 0);
}

// notifywake (docs/adr/0058): the message a receipt returns says whether that receipt
// queued a DLR callback; the dispatcher wakes the callback sender only then.
TEST_P(StoreConformanceTest, ReceiptSaysWhetherItQueuedACallback) {
  const AccountId with = NewAccount("wake-with");
  const AccountId without = NewAccount("wake-without");  // no template
  ASSERT_TRUE(store().SetAccountCallbacks(with, {"http://r/w?id=#SMSID#", ""}).ok());
  std::vector<Message> w;
  for (int i = 0; i < 3; ++i) w.push_back(NewMessage(with, "+4860000010" + std::to_string(i)));
  AcceptOk(with, w);
  std::vector<Message> wo;
  for (int i = 0; i < 4; ++i) wo.push_back(NewMessage(without, "+4860000020" + std::to_string(i)));
  wo[1].dlr_url = "http://r/own";  // its own URL: queued although the account has none
  AcceptOk(without, wo);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store().MarkSent(w[i].id, "c", "wk-w" + std::to_string(i), 20'000).ok());
  }
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store().MarkSent(wo[i].id, "c", "wk-o" + std::to_string(i), 20'000).ok());
  }

  // One at a time.
  auto r = store().ApplyReceipt({"c", "wk-w0", MessageStatus::kDelivered, "", 21'000});
  ASSERT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "nullopt" : r.error().ToString());
  EXPECT_TRUE((*r)->callback_queued);
  r = store().ApplyReceipt({"c", "wk-o0", MessageStatus::kDelivered, "", 21'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->status, MessageStatus::kDelivered);
  EXPECT_FALSE((*r)->callback_queued) << "no URL: nothing queued";
  r = store().ApplyReceipt({"c", "wk-o1", MessageStatus::kUndelivered, "wrong_number", 21'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_TRUE((*r)->callback_queued) << "the message's own dlr_url";
  // A repeated receipt of a final message queues nothing, so it says not.
  r = store().ApplyReceipt({"c", "wk-w0", MessageStatus::kDelivered, "", 22'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_FALSE((*r)->callback_queued);

  // In a batch, each item its own answer.
  auto batch = store().ApplyReceipts({{"c", "wk-w1", MessageStatus::kDelivered, "", 23'000},
                                      {"c", "wk-o2", MessageStatus::kDelivered, "", 23'000},
                                      {"c", "nope", MessageStatus::kDelivered, "", 23'000}});
  ASSERT_TRUE(batch.ok()) << batch.error().ToString();
  ASSERT_EQ(batch->size(), 3u);
  ASSERT_TRUE((*batch)[0].has_value() && (*batch)[1].has_value());
  EXPECT_TRUE((*batch)[0]->callback_queued);
  EXPECT_FALSE((*batch)[1]->callback_queued);
  EXPECT_FALSE((*batch)[2].has_value());

  // The dispatcher's one call (sent and receipts together).
  auto writes =
      store().WriteDeliveries({{w[2].id, "c", "wk-w2b", 24'000}, {wo[3].id, "c", "wk-o3", 24'000}},
                              {{"c", "wk-w2b", MessageStatus::kDelivered, "", 24'500},
                               {"c", "wk-o3", MessageStatus::kDelivered, "", 24'500}});
  ASSERT_TRUE(writes.ok()) << writes.error().ToString();
  ASSERT_EQ(writes->applied.size(), 2u);
  ASSERT_TRUE(writes->applied[0].has_value() && writes->applied[1].has_value());
  EXPECT_TRUE(writes->applied[0]->callback_queued);
  EXPECT_FALSE(writes->applied[1]->callback_queued);

  // Reads never say so; what the flag said is what the outbox holds.
  auto read = store().GetMessage(with, w[0].id);
  ASSERT_TRUE(read.ok());
  EXPECT_FALSE(read->callback_queued);
  EXPECT_EQ(Entries(store(), with).size(), 3u);
  EXPECT_EQ(Entries(store(), without).size(), 1u);
}

// parts (docs/adr/0028): a part's receipt that leaves the message sent queues nothing;
// the one that decides it does (with a URL).
TEST_P(StoreConformanceTest, PartReceiptSaysWhetherItQueuedACallback) {
  const AccountId a = NewAccount("wake-parts");
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/p?id=#SMSID#", ""}).ok());
  Message m = NewMessage(a);
  m.parts = 2;
  AcceptOk(a, {m});
  SentUpdate sent{m.id, "c", "wp-1", 20'000};
  sent.part_ids = {"wp-1", "wp-2"};
  auto found = store().MarkSentBatch({sent});
  ASSERT_TRUE(found.ok() && (*found)[0]);
  auto r = store().ApplyReceipt({"c", "wp-1", MessageStatus::kDelivered, "", 21'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->status, MessageStatus::kSent);
  EXPECT_FALSE((*r)->callback_queued);
  r = store().ApplyReceipt({"c", "wp-2", MessageStatus::kDelivered, "", 22'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_EQ((*r)->status, MessageStatus::kDelivered);
  EXPECT_TRUE((*r)->callback_queued);
  r = store().ApplyReceipt({"c", "wp-2", MessageStatus::kDelivered, "", 23'000});
  ASSERT_TRUE(r.ok() && r->has_value());
  EXPECT_FALSE((*r)->callback_queued);
  EXPECT_EQ(Entries(store(), a).size(), 1u);
}

TEST_P(StoreConformanceTest, CallbackClaimRetryFailAck) {
  const AccountId a = NewAccount("claim-a");
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/#SMSID#", ""}).ok());
  std::vector<Message> ms;
  for (int i = 0; i < 3; ++i) ms.push_back(NewMessage(a));
  AcceptOk(a, ms);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store().MarkUnsent(ms[i].id, "message_rejected", 1'000 + i).ok());
  }
  EXPECT_TRUE(store().ClaimCallbacks(999, 10, "n1", 5'000)->empty());  // not due yet
  auto first = store().ClaimCallbacks(1'001, 10, "n1", 5'000);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  ASSERT_EQ(first->size(), 2u);  // due: the first two
  EXPECT_EQ((*first)[0].message_id, ms[0].id);
  EXPECT_EQ((*first)[1].message_id, ms[1].id);
  EXPECT_EQ((*first)[0].attempts, 1);
  EXPECT_EQ((*first)[0].next_attempt_ms, 5'000);
  // Leased: another claim before the lease ends gets only the third.
  auto second = store().ClaimCallbacks(2'000, 10, "n2", 6'000);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->size(), 1u);
  EXPECT_EQ((*second)[0].message_id, ms[2].id);
  EXPECT_TRUE(store().ClaimCallbacks(2'000, 10, "n2", 6'000)->empty());

  ASSERT_TRUE(store().AckCallback((*first)[0].id).ok());
  ASSERT_TRUE(store().AckCallback((*first)[0].id).ok());  // acks may repeat
  ASSERT_TRUE(store().RetryCallback((*first)[1].id, 3'000, "HTTP 500").ok());
  ASSERT_TRUE(store().FailCallback((*second)[0].id, "too old").ok());
  EXPECT_TRUE(store().ClaimCallbacks(2'999, 10, "n1", 9'000)->empty());
  auto again = store().ClaimCallbacks(3'000, 10, "n1", 9'000);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].id, (*first)[1].id);
  EXPECT_EQ((*again)[0].attempts, 2);
  EXPECT_EQ((*again)[0].last_error, "HTTP 500");
  // A failed entry is never claimed, is kept, and may be retried by the operator.
  auto expired = store().ClaimCallbacks(100'000, 10, "n1", 200'000);  // its lease ended
  ASSERT_EQ(expired->size(), 1u);
  EXPECT_EQ((*expired)[0].attempts, 3);
  auto list = Entries(store(), a);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[1].state, CallbackState::kFailed);
  EXPECT_EQ(list[1].last_error, "too old");
  ASSERT_TRUE(store().RetryCallback(list[1].id, 1, "ignored").ok());  // failed: untouched
  EXPECT_EQ(Entries(store(), a)[1].state, CallbackState::kFailed);
  auto counts = store().CountCallbacks();
  EXPECT_EQ(counts->pending, 1);
  EXPECT_EQ(counts->failed, 1);
  ASSERT_TRUE(store().AckCallback(list[0].id).ok());
  auto requeued = store().RetryFailedCallbacks(a, 300'000);
  ASSERT_TRUE(requeued.ok());
  EXPECT_EQ(*requeued, 1);
  auto revived = store().ClaimCallbacks(300'000, 10, "n1", 400'000);
  ASSERT_TRUE(revived.ok());
  ASSERT_EQ(revived->size(), 1u);
  EXPECT_EQ((*revived)[0].id, list[1].id);
  EXPECT_EQ((*revived)[0].created_ms, 300'000);
  EXPECT_EQ(store().CountCallbacks()->failed, 0);
}

TEST_P(StoreConformanceTest, ReleaseCallbackLeasesOfOneOwner) {
  const AccountId a = NewAccount("release-a");
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/", ""}).ok());
  std::vector<Message> ms = {NewMessage(a), NewMessage(a)};
  AcceptOk(a, ms);
  ASSERT_TRUE(store().MarkUnsent(ms[0].id, "x", 1'000).ok());
  ASSERT_TRUE(store().MarkUnsent(ms[1].id, "x", 1'000).ok());
  ASSERT_EQ(store().ClaimCallbacks(1'000, 1, "dead", 60'000)->size(), 1u);
  ASSERT_EQ(store().ClaimCallbacks(1'000, 1, "other", 60'000)->size(), 1u);
  auto released = store().ReleaseCallbackLeases("dead", 2'000);
  ASSERT_TRUE(released.ok());
  EXPECT_EQ(*released, 1);
  auto claimed = store().ClaimCallbacks(2'000, 10, "dead", 70'000);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 1u);
  EXPECT_EQ((*claimed)[0].message_id, ms[0].id);
  EXPECT_EQ((*claimed)[0].attempts, 2);
}

TEST_P(StoreConformanceTest, MoCallbackUsesTheAccountsMoTemplate) {
  const AccountId a = NewAccount("mo-a");
  const AccountId b = NewAccount("mo-b");
  CallbackEntry mo;
  mo.account_id = a;
  mo.message_id = "in1";
  mo.phone = "+48500600700";
  mo.sender = "+48799000111";
  mo.status = "received";
  mo.text = "TAK";
  mo.event_ms = 5'000;
  mo.created_ms = 5'001;
  mo.url_template = "ignored";
  auto none = store().QueueMoCallback(mo);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(*none);  // no MO template yet
  ASSERT_TRUE(store().SetAccountCallbacks(a, {"http://r/dlr", "http://r/mo?t=#WIADOMOSC#"}).ok());
  auto queued = store().QueueMoCallback(mo);
  ASSERT_TRUE(queued.ok());
  EXPECT_TRUE(*queued);
  auto list = Entries(store(), a);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].kind, CallbackKind::kMo);
  EXPECT_EQ(list[0].url_template, "http://r/mo?t=#WIADOMOSC#");
  EXPECT_EQ(list[0].message_id, "in1");
  EXPECT_EQ(list[0].phone, "+48500600700");
  EXPECT_EQ(list[0].sender, "+48799000111");
  EXPECT_EQ(list[0].text, "TAK");
  EXPECT_EQ(list[0].event_ms, 5'000);
  EXPECT_EQ(list[0].next_attempt_ms, 5'001);
  EXPECT_TRUE(Entries(store(), b).empty());  // tenant isolation
  mo.account_id = 9999;
  EXPECT_EQ(store().QueueMoCallback(mo).error().code, ErrorCode::kNotFound);
}

}  // namespace bramka::store
