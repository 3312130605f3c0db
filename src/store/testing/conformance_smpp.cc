// Store conformance: SMPP users and the deliver_sm outbox (store.h).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
SmppUser User(AccountId account, const std::string& system_id) {
  SmppUser u;
  u.account_id = account;
  u.system_id = system_id;
  u.password_hash = "$argon2id$fake";
  u.allowed_cidrs = {"10.0.0.0/8", "127.0.0.1/32"};
  u.max_binds = 3;
  u.tps = 20;
  u.created_ms = 1000;
  return u;
}
}  // namespace

TEST_P(StoreConformanceTest, SmppUsersRoundTripAndUniqueSystemId) {
  const AccountId a = NewAccount("smppuser-a");
  const AccountId b = NewAccount("smppuser-b");
  auto id = store().CreateSmppUser(User(a, "alpha"));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto dup = store().CreateSmppUser(User(b, "alpha"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto unknown_account = store().CreateSmppUser(User(9999, "beta"));
  ASSERT_FALSE(unknown_account.ok());
  EXPECT_EQ(unknown_account.error().code, ErrorCode::kNotFound);

  SmppUser open = User(b, "gamma");
  open.allowed_cidrs.clear();
  ASSERT_TRUE(store().CreateSmppUser(open).ok());

  auto found = store().FindSmppUser("alpha");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, *id);
  EXPECT_EQ(found->account_id, a);
  EXPECT_EQ(found->password_hash, "$argon2id$fake");
  EXPECT_EQ(found->allowed_cidrs, (std::vector<std::string>{"10.0.0.0/8", "127.0.0.1/32"}));
  EXPECT_EQ(found->max_binds, 3);
  EXPECT_EQ(found->tps, 20);
  EXPECT_EQ(found->created_ms, 1000);
  EXPECT_EQ(store().FindSmppUser("nobody").error().code, ErrorCode::kNotFound);

  auto all = store().ListSmppUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].system_id, "alpha");
  EXPECT_EQ((*all)[1].system_id, "gamma");
  EXPECT_TRUE((*all)[1].allowed_cidrs.empty());
}

TEST_P(StoreConformanceTest, SmppOutboxOrderPerUserAndDelete) {
  const std::string binary("\x00\x00\x00\x10\x00\xff", 6);
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    SmppOutboxEntry e;
    e.smpp_user_id = 7;
    e.message_id = "00000000a" + std::to_string(i);
    e.pdu = binary + std::to_string(i);
    e.created_ms = 100 + i;
    auto id = store().AddSmppOutbox(e);
    ASSERT_TRUE(id.ok()) << id.error().ToString();
    ids.push_back(*id);
  }
  ASSERT_TRUE(store().AddSmppOutbox(SmppOutboxEntry{0, 8, "x", "other", 1}).ok());
  EXPECT_LT(ids[0], ids[1]);
  EXPECT_LT(ids[1], ids[2]);

  auto two = store().ListSmppOutbox(7, 2);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[0].id, ids[0]);
  EXPECT_EQ((*two)[0].pdu, binary + "0");
  EXPECT_EQ((*two)[0].message_id, "00000000a0");
  EXPECT_EQ((*two)[0].created_ms, 100);
  EXPECT_EQ((*two)[1].id, ids[1]);

  ASSERT_TRUE(store().DeleteSmppOutbox(ids[0]).ok());
  ASSERT_TRUE(store().DeleteSmppOutbox(ids[0]).ok());  // acks may repeat
  auto rest = store().ListSmppOutbox(7, -1);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->size(), 2u);
  EXPECT_EQ((*rest)[0].id, ids[1]);
  EXPECT_EQ((*rest)[1].id, ids[2]);
  EXPECT_EQ(store().ListSmppOutbox(8, -1)->size(), 1u);
  EXPECT_TRUE(store().ListSmppOutbox(9, -1)->empty());
}

TEST_P(StoreConformanceTest, MessageKeepsSmppOrigin) {
  const AccountId a = NewAccount("smpp-origin");
  Message m = NewMessage(a);
  m.smpp_user_id = 42;
  m.smpp_registered_delivery = 1;
  m.source = "smpp";
  AcceptResult r = AcceptOk(a, {m});
  auto got = store().GetMessage(a, r.items[0].id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->smpp_user_id, 42);
  EXPECT_EQ(got->smpp_registered_delivery, 1);
}

// Receipts for SMPP users are queued with the final status, in its transaction.
TEST_P(StoreConformanceTest, FinalStatusQueuesSmppReceiptOnce) {
  const AccountId a = NewAccount("smpp-receipt", 100);
  auto user = store().CreateSmppUser(User(a, "rcpt"));
  ASSERT_TRUE(user.ok());
  auto from_smpp = [&](const std::string& phone, uint8_t registered_delivery) {
    Message m = NewMessage(a, phone);
    m.smpp_user_id = *user;
    m.smpp_registered_delivery = registered_delivery;
    return m;
  };
  Message asked = from_smpp("+48500000011", 1);
  Message refused = from_smpp("+48500000012", 1);
  Message silent = from_smpp("+48500000013", 0);  // no receipt wanted
  Message http = NewMessage(a, "+48500000014");   // not from SMPP
  AcceptResult r = AcceptOk(a, {asked, refused, silent, http});
  ASSERT_EQ(r.items.size(), 4u);
  ASSERT_TRUE(store().ClaimDue(1, 10, "node", 100000).ok());
  for (int i = 0; i < 4; ++i) {
    if (i == 1) continue;
    ASSERT_TRUE(store().MarkSent(r.items[i].id, "c", "up" + std::to_string(i), 2).ok());
  }
  EXPECT_TRUE(store().ListSmppOutbox(*user, -1)->empty());  // nothing final yet
  ASSERT_TRUE(store().MarkUnsent(r.items[1].id, "no route", 3).ok());
  for (int i : {0, 2, 3}) {
    ASSERT_TRUE(store()
                    .ApplyReceipt({"c", "up" + std::to_string(i), MessageStatus::kDelivered, "", 4})
                    .ok());
  }
  // A repeated receipt changes nothing and queues nothing.
  ASSERT_TRUE(store().ApplyReceipt({"c", "up0", MessageStatus::kDelivered, "", 5}).ok());
  auto queued = store().ListSmppOutbox(*user, -1);
  ASSERT_TRUE(queued.ok());
  ASSERT_EQ(queued->size(), 2u);
  EXPECT_EQ((*queued)[0].message_id, r.items[1].id);  // the unsent one, first
  EXPECT_EQ((*queued)[1].message_id, r.items[0].id);
  for (const auto& e : *queued) {
    EXPECT_TRUE(e.pdu.empty());  // built by the SMPP server when sent
    EXPECT_EQ(e.inbox_id, 0);
  }
}

// An account's incoming message is queued for each of its SMPP users and SQL sources in
// the transaction that records it; the operator inbox and other accounts get nothing.
TEST_P(StoreConformanceTest, IncomingMessageQueuedForSmppUsersAndSqlSources) {
  const AccountId a = NewAccount("smpp-mo-a");
  const AccountId b = NewAccount("smpp-mo-b");
  auto u1 = store().CreateSmppUser(User(a, "mo-one"));
  auto u2 = store().CreateSmppUser(User(a, "mo-two"));
  auto other = store().CreateSmppUser(User(b, "mo-other"));
  ASSERT_TRUE(u1.ok() && u2.ok() && other.ok());
  SqlSource source;
  source.account_id = a;
  source.engine = "mysql";
  source.host = "db.example";
  source.port = 3306;
  source.database = "shop";
  source.user = "u";
  source.password_enc = "sb1:xyz";
  source.tls = "prefer";
  source.structure = "standard";
  auto source_id = store().CreateSqlSource(source);
  ASSERT_TRUE(source_id.ok()) << source_id.error().ToString();

  InboxMessage in;
  in.account_id = a;
  in.type = "ndi";
  in.phone = "+48600000001";
  in.to_number = "+48500000100";
  in.text = "hello";
  in.received_ms = 1000;
  auto stored = store().RecordIncoming(in);
  ASSERT_TRUE(stored.ok());
  in.account_id = 0;  // the operator inbox
  ASSERT_TRUE(store().RecordIncoming(in).ok());

  for (int64_t u : {*u1, *u2}) {
    auto queued = store().ListSmppOutbox(u, -1);
    ASSERT_TRUE(queued.ok());
    ASSERT_EQ(queued->size(), 1u);
    EXPECT_EQ((*queued)[0].inbox_id, stored->id);
    EXPECT_TRUE((*queued)[0].message_id.empty());
    EXPECT_TRUE((*queued)[0].pdu.empty());
  }
  EXPECT_TRUE(store().ListSmppOutbox(*other, -1)->empty());
  auto sql = store().PendingSqlMo(*source_id, -1);
  ASSERT_TRUE(sql.ok());
  ASSERT_EQ(sql->size(), 1u);
  EXPECT_EQ((*sql)[0].message_id, std::to_string(stored->id));
  EXPECT_EQ((*sql)[0].from, "+48600000001");
  EXPECT_EQ((*sql)[0].text, "hello");
}

}  // namespace bramka::store

namespace bramka::store {

TEST_P(StoreConformanceTest, ReplaceScheduledRechargesAndKeepsTheId) {
  const AccountId a = NewAccount("replace-a", 10);
  Message m = NewMessage(a);
  m.status = MessageStatus::kSaved;
  m.due_ms = m.queued_ms + 3'600'000;
  m.cost_units = 1;
  AcceptResult r = AcceptOk(a, {m});
  const std::string id = r.items[0].id;
  const int64_t before = Units(a, m.type);

  MessageReplacement longer{"a longer text", true, 3, 3, m.due_ms + 1000};
  auto replaced = store().ReplaceScheduled(a, id, longer, 5);
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToString();
  EXPECT_TRUE(*replaced);
  EXPECT_EQ(Units(a, m.type), before + 1 - 3);
  EXPECT_EQ(*store().LedgerSumForMessage(id), -3);
  auto got = store().GetMessage(a, id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->text, "a longer text");
  EXPECT_TRUE(got->unicode);
  EXPECT_EQ(got->parts, 3);
  EXPECT_EQ(got->cost_units, 3);
  EXPECT_EQ(got->due_ms, m.due_ms + 1000);
  EXPECT_EQ(got->status, MessageStatus::kSaved);

  MessageReplacement too_dear{"x", false, 1, 1000, 0};
  auto refused = store().ReplaceScheduled(a, id, too_dear, 6);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
  EXPECT_EQ(refused.error().detail, static_cast<int>(m.type) + 1);
  EXPECT_EQ(*store().LedgerSumForMessage(id), -3);  // nothing changed

  const AccountId b = NewAccount("replace-b");
  EXPECT_EQ(store().ReplaceScheduled(b, id, longer, 7).error().code, ErrorCode::kNotFound);

  Message now = NewMessage(a, "+48500000002");
  const std::string queued = AcceptOk(a, {now}).items[0].id;
  auto late = store().ReplaceScheduled(a, queued, longer, 8);
  ASSERT_TRUE(late.ok());
  EXPECT_FALSE(*late);
}

}  // namespace bramka::store
