// Store conformance: the accounts area (store.h) — subaccounts and their
// balances, API allowlists, sender requests, operator messages, signups.

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

NewSubaccount Sub(AccountId parent, const std::string& name, std::vector<Balance> balances = {}) {
  NewSubaccount s;
  s.parent_id = parent;
  s.name = name;
  s.password_hash = "$argon2id$fake";
  s.full_name = "Wojciech";
  s.phone = "+48730856000";
  s.email = "wojtek@mail.com";
  s.allowed_cidrs = {"10.0.0.0/8"};
  s.balances = std::move(balances);
  s.now_ms = 2'000;
  return s;
}

Balance Give(MessageType type, int64_t units) {
  Balance b;
  b.type = type;
  b.units = units;
  return b;
}

const Balance* Find(const std::vector<Balance>& balances, MessageType type) {
  for (const Balance& b : balances) {
    if (b.type == type) return &b;
  }
  return nullptr;
}

}  // namespace

TEST_P(StoreConformanceTest, SubaccountCreationMovesUnitsFromTheParent) {
  const AccountId parent = NewAccount("parent", 100);
  auto id = store().CreateSubaccount(
      Sub(parent, "wojtek", {Give(MessageType::kEco, 30), Give(MessageType::kFull, 0)}));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(Units(parent, MessageType::kEco), 70);
  EXPECT_EQ(Units(parent, MessageType::kFull), 100);

  auto balances = store().GetBalances(*id);
  ASSERT_TRUE(balances.ok());
  EXPECT_TRUE(Find(*balances, MessageType::kEco)->available);
  EXPECT_EQ(Find(*balances, MessageType::kEco)->units, 30);
  EXPECT_TRUE(Find(*balances, MessageType::kFull)->available);
  EXPECT_EQ(Find(*balances, MessageType::kFull)->units, 0);
  EXPECT_FALSE(Find(*balances, MessageType::kVoice)->available);  // not listed
  EXPECT_FALSE(Find(*balances, MessageType::kEco)->unlimited);

  auto account = store().GetAccount(*id);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->parent_id, parent);
  EXPECT_EQ(account->name, "wojtek");
  EXPECT_EQ(account->full_name, "Wojciech");
  EXPECT_EQ(account->phone, "+48730856000");
  EXPECT_EQ(account->email, "wojtek@mail.com");
  EXPECT_EQ(account->allowed_cidrs, std::vector<std::string>{"10.0.0.0/8"});
  EXPECT_EQ(account->deleted_ms, 0);
  EXPECT_TRUE(account->active);
  EXPECT_EQ(store().FindAccountByName("wojtek")->id, *id);
}

TEST_P(StoreConformanceTest, SubaccountCreationRefusals) {
  const AccountId parent = NewAccount("parent", 10);
  NewAccount("taken", 0);
  EXPECT_EQ(store().CreateSubaccount(Sub(parent, "taken")).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().CreateSubaccount(Sub(parent + 100, "orphan")).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(
      store().CreateSubaccount(Sub(parent, "neg", {Give(MessageType::kEco, -1)})).error().code,
      ErrorCode::kInvalidArgument);

  // The parent cannot cover it: nothing is written, the name stays free.
  auto poor = store().CreateSubaccount(
      Sub(parent, "greedy", {Give(MessageType::kEco, 5), Give(MessageType::kFull, 11)}));
  ASSERT_FALSE(poor.ok());
  EXPECT_EQ(poor.error().code, ErrorCode::kRejected);
  EXPECT_EQ(poor.error().detail, static_cast<int>(MessageType::kFull) + 1);
  EXPECT_EQ(Units(parent, MessageType::kEco), 10);
  EXPECT_EQ(Units(parent, MessageType::kFull), 10);
  EXPECT_EQ(store().FindAccountByName("greedy").error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().CreateSubaccount(Sub(parent, "greedy", {Give(MessageType::kEco, 10)})).ok());
}

TEST_P(StoreConformanceTest, SubaccountsAreScopedByParent) {
  const AccountId a = NewAccount("a", 10);
  const AccountId b = NewAccount("b", 10);
  const AccountId a1 = *store().CreateSubaccount(Sub(a, "a1"));
  const AccountId a2 = *store().CreateSubaccount(Sub(a, "a2"));
  const AccountId b1 = *store().CreateSubaccount(Sub(b, "b1"));

  auto list = store().ListSubaccounts(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, a1);
  EXPECT_EQ((*list)[1].id, a2);
  EXPECT_EQ(store().ListSubaccounts(b)->size(), 1u);
  EXPECT_TRUE(store().ListSubaccounts(a1)->empty());

  EXPECT_EQ(store().GetSubaccount(a, a1)->name, "a1");
  EXPECT_EQ(store().GetSubaccount(a, b1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetSubaccount(a, a).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetSubaccount(a1, a2).error().code, ErrorCode::kNotFound);  // sibling
  EXPECT_EQ(store().SetSubaccountLimit(b, a1, MessageType::kEco, 1, 5).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteSubaccount(b, a1, 5).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetSubaccount(a, a1)->deleted_ms, 0);
}

TEST_P(StoreConformanceTest, SubaccountLimitMovesTheDifference) {
  const AccountId parent = NewAccount("parent", 50);
  const AccountId sub =
      *store().CreateSubaccount(Sub(parent, "sub", {Give(MessageType::kEco, 10)}));
  ASSERT_TRUE(store().SetSubaccountLimit(parent, sub, MessageType::kEco, 25, 5).ok());
  EXPECT_EQ(Units(sub, MessageType::kEco), 25);
  EXPECT_EQ(Units(parent, MessageType::kEco), 25);
  ASSERT_TRUE(store().SetSubaccountLimit(parent, sub, MessageType::kEco, 5, 5).ok());
  EXPECT_EQ(Units(sub, MessageType::kEco), 5);
  EXPECT_EQ(Units(parent, MessageType::kEco), 45);

  // A type not given at creation becomes available.
  ASSERT_TRUE(store().SetSubaccountLimit(parent, sub, MessageType::kHlr, 3, 5).ok());
  auto balances = store().GetBalances(sub);
  EXPECT_TRUE(Find(*balances, MessageType::kHlr)->available);
  EXPECT_EQ(Units(parent, MessageType::kHlr), 47);

  auto too_much = store().SetSubaccountLimit(parent, sub, MessageType::kEco, 51, 5);
  ASSERT_FALSE(too_much.ok());
  EXPECT_EQ(too_much.error().code, ErrorCode::kRejected);
  EXPECT_EQ(too_much.error().detail, static_cast<int>(MessageType::kEco) + 1);
  EXPECT_EQ(Units(sub, MessageType::kEco), 5);
  EXPECT_EQ(Units(parent, MessageType::kEco), 45);
  EXPECT_EQ(store().SetSubaccountLimit(parent, sub, MessageType::kEco, -1, 5).error().code,
            ErrorCode::kInvalidArgument);

  // An unlimited parent gives without being charged.
  ASSERT_TRUE(store().SetBalanceMode(parent, MessageType::kFull, true, true).ok());
  ASSERT_TRUE(store().SetSubaccountLimit(parent, sub, MessageType::kFull, 1000, 5).ok());
  EXPECT_EQ(Units(sub, MessageType::kFull), 1000);
  EXPECT_EQ(Units(parent, MessageType::kFull), 50);
  EXPECT_FALSE(Find(*store().GetBalances(sub), MessageType::kFull)->unlimited);
}

TEST_P(StoreConformanceTest, SubaccountSendsFromItsOwnBalance) {
  const AccountId parent = NewAccount("parent", 50);
  const AccountId sub = *store().CreateSubaccount(Sub(parent, "sub", {Give(MessageType::kEco, 1)}));
  AcceptOk(sub, {NewMessage(sub)});
  EXPECT_EQ(Units(sub, MessageType::kEco), 0);
  EXPECT_EQ(Units(parent, MessageType::kEco), 49);
  AcceptRequest more;
  more.account_id = sub;
  more.messages.push_back(NewMessage(sub));
  auto refused = store().Accept(std::move(more));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRejected);
  // The parent's messages and the subaccount's are apart.
  MessageQuery q;
  q.account_id = parent;
  EXPECT_EQ(store().QueryMessages(q)->total, 0);
  q.account_id = sub;
  EXPECT_EQ(store().QueryMessages(q)->total, 1);
}

TEST_P(StoreConformanceTest, DeletedSubaccountReturnsUnitsAndKeepsItsName) {
  const AccountId parent = NewAccount("parent", 50);
  const AccountId sub = *store().CreateSubaccount(
      Sub(parent, "sub", {Give(MessageType::kEco, 20), Give(MessageType::kFull, 5)}));
  const Message m = NewMessage(sub);
  AcceptOk(sub, {m});
  ASSERT_TRUE(store().DeleteSubaccount(parent, sub, 9'000).ok());
  EXPECT_EQ(Units(parent, MessageType::kEco), 49);  // 50 - 20 + 19
  EXPECT_EQ(Units(parent, MessageType::kFull), 50);
  EXPECT_EQ(Units(sub, MessageType::kEco), 0);
  EXPECT_TRUE(store().ListSubaccounts(parent)->empty());
  EXPECT_EQ(store().GetSubaccount(parent, sub).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteSubaccount(parent, sub, 9'001).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().SetSubaccountLimit(parent, sub, MessageType::kEco, 1, 9'001).error().code,
            ErrorCode::kNotFound);

  auto account = store().GetAccount(sub);
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->deleted_ms, 9'000);
  EXPECT_FALSE(account->active);
  EXPECT_TRUE(store().GetMessage(sub, m.id).ok());  // history stays
  EXPECT_EQ(store().CreateSubaccount(Sub(parent, "sub")).error().code, ErrorCode::kAlreadyExists);
}

TEST_P(StoreConformanceTest, AllowedCidrsRoundTrip) {
  const AccountId a = NewAccount("a", 0);
  EXPECT_TRUE(store().GetAccount(a)->allowed_cidrs.empty());
  ASSERT_TRUE(store().SetAllowedCidrs(a, {"10.0.0.0/8", "2001:db8::/32"}).ok());
  EXPECT_EQ(store().FindAccountByName("a")->allowed_cidrs,
            (std::vector<std::string>{"10.0.0.0/8", "2001:db8::/32"}));
  ASSERT_TRUE(store().SetAllowedCidrs(a, {}).ok());
  EXPECT_TRUE(store().GetAccount(a)->allowed_cidrs.empty());
  EXPECT_EQ(store().SetAllowedCidrs(a + 100, {}).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AddSenderIsPendingAndUniquePerAccount) {
  const AccountId a = NewAccount("a", 0);
  const AccountId b = NewAccount("b", 0);
  ASSERT_TRUE(store().AddSender(a, "ACME", 7).ok());
  auto s = store().GetSender(a, "ACME");
  ASSERT_TRUE(s.ok() && s->has_value());
  EXPECT_EQ((*s)->status, SenderStatus::kPending);
  EXPECT_EQ((*s)->created_ms, 7);
  EXPECT_EQ(store().AddSender(a, "ACME", 8).error().code, ErrorCode::kAlreadyExists);
  ASSERT_TRUE(store().SetSender(a, "ACME", SenderStatus::kRejected, 9).ok());
  EXPECT_EQ(store().AddSender(a, "ACME", 8).error().code, ErrorCode::kAlreadyExists);
  EXPECT_TRUE(store().AddSender(b, "ACME", 8).ok());  // another account's namespace
  EXPECT_EQ(store().AddSender(b + 100, "X", 8).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AccountMessagesNewestFirstAndReadOnce) {
  const AccountId a = NewAccount("a", 0);
  const AccountId b = NewAccount("b", 0);
  ASSERT_TRUE(store().AddAccountMessage(a, "first", 10).ok());
  ASSERT_TRUE(store().AddAccountMessage(a, "second", 20).ok());
  ASSERT_TRUE(store().AddAccountMessage(b, "for b", 20).ok());
  auto first = store().TakeAccountMessages(a, 30);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ((*first)[0].text, "second");
  EXPECT_EQ((*first)[0].created_ms, 20);
  EXPECT_TRUE((*first)[0].is_new);
  EXPECT_TRUE((*first)[1].is_new);
  ASSERT_TRUE(store().AddAccountMessage(a, "third", 40).ok());
  auto again = store().TakeAccountMessages(a, 50);
  ASSERT_EQ(again->size(), 3u);
  EXPECT_TRUE((*again)[0].is_new);
  EXPECT_FALSE((*again)[1].is_new);
  EXPECT_FALSE((*again)[2].is_new);
  auto other = store().TakeAccountMessages(b, 50);
  ASSERT_EQ(other->size(), 1u);
  EXPECT_EQ((*other)[0].text, "for b");
  EXPECT_EQ(store().AddAccountMessage(b + 100, "x", 1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().TakeAccountMessages(b + 100, 1).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, SignupsArePendingUntilResolvedOnce) {
  const AccountId a = NewAccount("a", 0);
  Signup g;
  g.requested_by = a;
  g.phone = "+48500600700";
  g.email = "mail@test.com";
  g.first_name = "John";
  g.last_name = "Doe";
  g.company = "ACME";
  g.status = SignupStatus::kApproved;  // ignored
  g.created_ms = 77;
  auto id = store().AddSignup(g);
  ASSERT_TRUE(id.ok());
  auto second = store().AddSignup(g);
  ASSERT_TRUE(second.ok());
  auto list = store().ListSignups();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *id);
  EXPECT_EQ((*list)[0].status, SignupStatus::kPending);
  EXPECT_EQ((*list)[0].email, "mail@test.com");
  EXPECT_EQ((*list)[0].company, "ACME");
  EXPECT_EQ((*list)[0].requested_by, a);
  EXPECT_EQ((*list)[0].created_ms, 77);

  ASSERT_TRUE(store().ResolveSignup(*id, SignupStatus::kApproved, a).ok());
  EXPECT_EQ(store().ResolveSignup(*id, SignupStatus::kRejected, 0).error().code,
            ErrorCode::kRejected);
  ASSERT_TRUE(store().ResolveSignup(*second, SignupStatus::kRejected, 0).ok());
  EXPECT_EQ(store().ResolveSignup(*second + 100, SignupStatus::kRejected, 0).error().code,
            ErrorCode::kNotFound);
  list = store().ListSignups();
  EXPECT_EQ((*list)[0].status, SignupStatus::kApproved);
  EXPECT_EQ((*list)[0].account_id, a);
  EXPECT_EQ((*list)[1].status, SignupStatus::kRejected);
}

}  // namespace bramka::store
