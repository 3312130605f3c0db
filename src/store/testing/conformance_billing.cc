// Store conformance: payments (top-up invoices) and sending statistics (store.h).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
PaymentDraft Draft(AccountId account, const std::string& period, int64_t units, bool paid) {
  PaymentDraft d;
  d.account_id = account;
  d.period = period;
  d.type = MessageType::kFull;
  d.units = units;
  d.net_grosze = units * 10;
  d.vat_percent = 23;
  d.total_grosze = units * 10 * 123 / 100;
  d.paid = paid;
  d.due_ms = 99'000;
  d.note = "pakiet";
  return d;
}
}  // namespace

TEST_P(StoreConformanceTest, TopUpNumbersInvoicesPerPeriodAndCreditsTheBalance) {
  const AccountId a = NewAccount("billing-a", 0);
  const AccountId b = NewAccount("billing-b", 0);
  auto first = store().RecordTopUp(Draft(a, "11/2026", 1000, true), 5'000);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_EQ(first->number, "FV 1/11/2026");
  EXPECT_EQ(first->account_id, a);
  EXPECT_EQ(first->units, 1000);
  EXPECT_EQ(first->net_grosze, 10'000);
  EXPECT_EQ(first->total_grosze, 12'300);
  EXPECT_EQ(first->paid_grosze, 12'300);
  EXPECT_EQ(first->paid_ms, 5'000);
  EXPECT_EQ(first->issued_ms, 5'000);
  EXPECT_EQ(first->due_ms, 99'000);
  EXPECT_EQ(first->note, "pakiet");
  EXPECT_EQ(Units(a, MessageType::kFull), 1000);
  EXPECT_EQ(Units(a, MessageType::kEco), 0);

  // The sequence is per period and shared by every account (one invoice register).
  auto second = store().RecordTopUp(Draft(b, "11/2026", 10, false), 6'000);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->number, "FV 2/11/2026");
  EXPECT_EQ(second->paid_grosze, 0);
  EXPECT_EQ(second->paid_ms, 0);
  auto next_month = store().RecordTopUp(Draft(a, "12/2026", 5, false), 7'000);
  ASSERT_TRUE(next_month.ok());
  EXPECT_EQ(next_month->number, "FV 1/12/2026");
  EXPECT_EQ(Units(a, MessageType::kFull), 1005);
  EXPECT_NE(first->id, second->id);
  EXPECT_NE(second->id, next_month->id);
}

TEST_P(StoreConformanceTest, TopUpRejectsBadDraftsAndWritesNothing) {
  const AccountId a = NewAccount("billing-bad", 0);
  EXPECT_EQ(store().RecordTopUp(Draft(a, "11/2026", 0, true), 1).error().code,
            ErrorCode::kInvalidArgument);
  PaymentDraft negative = Draft(a, "11/2026", 5, true);
  negative.total_grosze = -1;
  EXPECT_EQ(store().RecordTopUp(negative, 1).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().RecordTopUp(Draft(a, "", 5, true), 1).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().RecordTopUp(Draft(a + 100, "11/2026", 5, true), 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(Units(a, MessageType::kFull), 0);
  EXPECT_EQ(store().ListPayments(a, 1, 10)->total, 0);
  // The failed attempts used no number.
  EXPECT_EQ(store().RecordTopUp(Draft(a, "11/2026", 5, true), 1)->number, "FV 1/11/2026");
}

TEST_P(StoreConformanceTest, PaymentsAreListedNewestFirstPagedAndScopedByAccount) {
  const AccountId a = NewAccount("billing-list-a", 0);
  const AccountId b = NewAccount("billing-list-b", 0);
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(store().RecordTopUp(Draft(a, "01/2027", 1, true), i)->id);
  const int64_t other = store().RecordTopUp(Draft(b, "01/2027", 1, true), 9)->id;

  auto page1 = store().ListPayments(a, 1, 2);
  ASSERT_TRUE(page1.ok());
  EXPECT_EQ(page1->total, 5);
  ASSERT_EQ(page1->items.size(), 2u);
  EXPECT_EQ(page1->items[0].id, ids[4]);
  EXPECT_EQ(page1->items[1].id, ids[3]);
  auto page3 = store().ListPayments(a, 3, 2);
  ASSERT_EQ(page3->items.size(), 1u);
  EXPECT_EQ(page3->items[0].id, ids[0]);
  EXPECT_EQ(store().ListPayments(a, 0, 0)->items.size(), 5u);
  EXPECT_TRUE(store().ListPayments(a, 9, 2)->items.empty());

  EXPECT_EQ(store().GetPayment(a, ids[2])->id, ids[2]);
  EXPECT_EQ(store().GetPayment(a, other).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetPayment(b, ids[0]).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetPayment(a, 987654).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MarkPaymentPaidOnce) {
  const AccountId a = NewAccount("billing-pay", 0);
  const Payment p = *store().RecordTopUp(Draft(a, "02/2027", 100, false), 10);
  auto paid = store().MarkPaymentPaid(p.id, 20);
  ASSERT_TRUE(paid.ok()) << paid.error().ToString();
  EXPECT_EQ(paid->paid_ms, 20);
  EXPECT_EQ(paid->paid_grosze, p.total_grosze);
  EXPECT_EQ(store().MarkPaymentPaid(p.id, 30)->paid_ms, 20);
  EXPECT_EQ(store().GetPayment(a, p.id)->paid_ms, 20);
  EXPECT_EQ(store().MarkPaymentPaid(p.id + 1000, 30).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Units(a, MessageType::kFull), 100);  // paying does not credit twice
}

TEST_P(StoreConformanceTest, StatsGroupMessagesByRequestAndOutcome) {
  const AccountId a = NewAccount("stats-a");
  const AccountId b = NewAccount("stats-b");
  std::vector<Message> batch;
  for (int i = 0; i < 4; ++i) {
    Message m = NewMessage(a, "+4850000000" + std::to_string(i));
    m.stat_id = 11;
    batch.push_back(m);
  }
  batch[0].text = "first of eleven";
  Message full = NewMessage(a);
  full.stat_id = 12;
  full.type = MessageType::kFull;
  full.sender = "Bramka";
  full.queued_ms = 50'000;
  full.due_ms = 50'000;
  batch.push_back(full);
  AcceptOk(a, batch);
  Message foreign = NewMessage(b);
  foreign.stat_id = 11;
  AcceptOk(b, {foreign});

  ASSERT_TRUE(store().MarkSent(batch[0].id, "c", "u0", 20'000).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "u0", MessageStatus::kDelivered, "", 21'000}).ok());
  ASSERT_TRUE(store().MarkSent(batch[1].id, "c", "u1", 20'000).ok());
  ASSERT_TRUE(store().ApplyReceipt({"c", "u1", MessageStatus::kUndelivered, "x", 21'000}).ok());
  ASSERT_TRUE(store().MarkUnsent(batch[2].id, "wrong_number", 20'000).ok());

  StatQuery q;
  q.account_id = a;
  auto rows = store().QueryStats(q);
  ASSERT_TRUE(rows.ok()) << rows.error().ToString();
  ASSERT_EQ(rows->size(), 2u);
  const StatRow& r = (*rows)[0];
  EXPECT_EQ(r.stat_id, 11);
  EXPECT_EQ(r.type, MessageType::kEco);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(r.undelivered, 1);
  EXPECT_EQ(r.unsent, 1);
  EXPECT_EQ(r.pending, 1);
  EXPECT_EQ(r.text, "first of eleven");
  EXPECT_EQ(r.source, "http");
  EXPECT_EQ(r.first_ms, batch[0].queued_ms);
  EXPECT_EQ(r.last_ms, batch[3].queued_ms);
  EXPECT_EQ((*rows)[1].stat_id, 12);
  EXPECT_EQ((*rows)[1].type, MessageType::kFull);
  EXPECT_EQ((*rows)[1].pending, 1);

  q.type = MessageType::kFull;
  ASSERT_EQ(store().QueryStats(q)->size(), 1u);
  q.type.reset();
  q.to_ms = 40'000;
  ASSERT_EQ(store().QueryStats(q)->size(), 1u);
  q.to_ms = 0;
  q.from_ms = 40'000;
  ASSERT_EQ(store().QueryStats(q)->size(), 1u);
  EXPECT_EQ(store().QueryStats(q)->at(0).stat_id, 12);
  q.account_id = a + 1000;
  EXPECT_TRUE(store().QueryStats(q)->empty());
}

}  // namespace bramka::store
