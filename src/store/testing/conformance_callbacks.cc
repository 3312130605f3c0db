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
