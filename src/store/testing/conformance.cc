#include "store/testing/conformance.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace bramka::store {

std::string StoreFactoryName(const testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

void ExpectSameReads(const Store::SubmitReads& got, const Store::SubmitReads& want,
                     const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(got.balances.ok(), want.balances.ok());
  if (want.balances.ok()) {
    ASSERT_EQ(got.balances->size(), want.balances->size());
    for (size_t i = 0; i < want.balances->size(); ++i) {
      EXPECT_EQ((*got.balances)[i].type, (*want.balances)[i].type);
      EXPECT_EQ((*got.balances)[i].available, (*want.balances)[i].available);
      EXPECT_EQ((*got.balances)[i].unlimited, (*want.balances)[i].unlimited);
      EXPECT_EQ((*got.balances)[i].units, (*want.balances)[i].units);
    }
  } else {
    EXPECT_EQ(got.balances.error().code, want.balances.error().code);
  }
  ASSERT_EQ(got.sender.ok(), want.sender.ok());
  if (want.sender.ok()) {
    ASSERT_EQ(got.sender->has_value(), want.sender->has_value());
    if (want.sender->has_value()) {
      EXPECT_EQ((*got.sender)->name, (*want.sender)->name);
      EXPECT_EQ((*got.sender)->status, (*want.sender)->status);
      EXPECT_EQ((*got.sender)->created_ms, (*want.sender)->created_ms);
    }
  }
  ASSERT_EQ(got.blacklisted.ok(), want.blacklisted.ok());
  if (want.blacklisted.ok()) {
    EXPECT_EQ(*got.blacklisted, *want.blacklisted);
  }
}

void StoreConformanceTest::SetUp() {
  store_ = GetParam().make();
  // A factory returns null when its engine cannot run on this machine (the
  // PostgreSQL binaries are missing; it printed why).
  if (store_ == nullptr && !HasFailure()) GTEST_SKIP() << GetParam().name << " unavailable here";
  ASSERT_NE(store_, nullptr);
}

void StoreConformanceTest::TearDown() { store_.reset(); }

AccountId StoreConformanceTest::NewAccount(const std::string& name, int64_t units) {
  auto id = store_->CreateAccount(name, "hash-" + name, 0, 1'000);
  EXPECT_TRUE(id.ok()) << id.error().ToString();
  if (!id.ok()) return 0;
  if (units != 0) {
    for (MessageType t : kAllBalanceTypes) {
      auto r = store_->AdjustBalance(*id, t, units, "initial", 1'000);
      EXPECT_TRUE(r.ok()) << r.error().ToString();
    }
  }
  return *id;
}

Message StoreConformanceTest::NewMessage(AccountId account, const std::string& phone) {
  char id[16];
  std::snprintf(id, sizeof id, "%010x", static_cast<unsigned>(++next_message_));
  Message m;
  m.id = id;
  m.account_id = account;
  m.phone = phone;
  m.sender = "";
  m.type = MessageType::kEco;
  m.text = "hello " + std::to_string(next_message_);
  m.parts = 1;
  m.cost_units = 1;
  m.status = MessageStatus::kQueued;
  m.stat_id = 7;
  m.source = "http";
  m.queued_ms = 10'000 + next_message_;
  m.due_ms = m.queued_ms;
  return m;
}

AcceptResult StoreConformanceTest::AcceptOk(AccountId account, std::vector<Message> messages) {
  auto r = store_->Accept(AcceptRequest{account, std::move(messages)});
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : AcceptResult{};
}

int64_t StoreConformanceTest::Units(AccountId account, MessageType type) {
  auto balances = store_->GetBalances(account);
  EXPECT_TRUE(balances.ok());
  if (!balances.ok()) return -1;
  for (const Balance& b : *balances) {
    if (b.type == type) return b.units;
  }
  ADD_FAILURE() << "no balance of type " << MessageTypeName(type);
  return -1;
}

namespace {

void ExpectSameMessage(const Message& want, const Message& got) {
  EXPECT_EQ(want.id, got.id);
  EXPECT_EQ(want.account_id, got.account_id);
  EXPECT_EQ(want.phone, got.phone);
  EXPECT_EQ(want.sender, got.sender);
  EXPECT_EQ(want.type, got.type);
  EXPECT_EQ(want.text, got.text);
  EXPECT_EQ(want.unicode, got.unicode);
  EXPECT_EQ(want.flash, got.flash);
  EXPECT_EQ(want.speed, got.speed);
  EXPECT_EQ(want.parts, got.parts);
  EXPECT_EQ(want.cost_units, got.cost_units);
  EXPECT_EQ(want.status, got.status);
  EXPECT_EQ(want.reason, got.reason);
  EXPECT_EQ(want.unique_id, got.unique_id);
  EXPECT_EQ(want.stat_id, got.stat_id);
  EXPECT_EQ(want.source, got.source);
  EXPECT_EQ(want.dlr_url, got.dlr_url);
  EXPECT_EQ(want.queued_ms, got.queued_ms);
  EXPECT_EQ(want.due_ms, got.due_ms);
  EXPECT_EQ(want.sent_ms, got.sent_ms);
  EXPECT_EQ(want.done_ms, got.done_ms);
  EXPECT_EQ(want.attempts, got.attempts);
  EXPECT_EQ(want.connector, got.connector);
  EXPECT_EQ(want.upstream_id, got.upstream_id);
}

}  // namespace

// ---- model names -----------------------------------------------------------------

TEST(StoreModelTest, EnumNames) {
  EXPECT_EQ(MessageStatusName(MessageStatus::kQueued), "in_progress");
  EXPECT_EQ(MessageStatusName(MessageStatus::kSaved), "saved");
  EXPECT_EQ(ParseMessageStatus("queued"), MessageStatus::kQueued);
  for (int i = 0; i <= 6; ++i) {
    auto s = static_cast<MessageStatus>(i);
    EXPECT_EQ(ParseMessageStatus(MessageStatusName(s)), s);
  }
  EXPECT_EQ(ParseMessageStatus("nope"), std::nullopt);
  for (MessageType t : kAllBalanceTypes) EXPECT_EQ(ParseMessageType(MessageTypeName(t)), t);
  EXPECT_EQ(MessageTypeName(MessageType::kHlr), "hlr");
  EXPECT_EQ(SenderStatusName(SenderStatus::kPending), "pending_authorization");
  EXPECT_EQ(ParseSenderStatus("deactivated"), SenderStatus::kDeactivated);
}

// ---- accounts and tokens ------------------------------------------------------------

TEST_P(StoreConformanceTest, CreateAndFindAccounts) {
  auto a = store().CreateAccount("alice", "h1", 0, 1'234);
  ASSERT_TRUE(a.ok());
  auto b = store().CreateAccount("bob", "h2", *a, 1'235);
  ASSERT_TRUE(b.ok());
  EXPECT_NE(*a, *b);

  auto got = store().GetAccount(*b);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->name, "bob");
  EXPECT_EQ(got->password_hash, "h2");
  EXPECT_EQ(got->parent_id, *a);
  EXPECT_TRUE(got->active);
  EXPECT_EQ(got->created_ms, 1'235);

  auto by_name = store().FindAccountByName("alice");
  ASSERT_TRUE(by_name.ok());
  EXPECT_EQ(by_name->id, *a);
  EXPECT_EQ(by_name->parent_id, 0);

  auto all = store().ListAccounts();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "alice");
  EXPECT_EQ((*all)[1].name, "bob");

  EXPECT_EQ(store().CreateAccount("alice", "x", 0, 1).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().GetAccount(*b + 100).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindAccountByName("carol").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, SetPasswordHash) {
  AccountId a = NewAccount("alice");
  ASSERT_TRUE(store().SetPasswordHash(a, "new").ok());
  EXPECT_EQ(store().GetAccount(a)->password_hash, "new");
  EXPECT_EQ(store().SetPasswordHash(a + 100, "x").error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ApiTokens) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  ASSERT_TRUE(store().AddApiToken(a, "hash-a", "ci", 5).ok());
  ASSERT_TRUE(store().AddApiToken(b, "hash-b", "", 5).ok());
  EXPECT_EQ(*store().FindAccountByTokenHash("hash-a"), a);
  EXPECT_EQ(*store().FindAccountByTokenHash("hash-b"), b);
  EXPECT_EQ(store().FindAccountByTokenHash("hash-c").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().AddApiToken(b, "hash-a", "", 5).error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().AddApiToken(b + 100, "hash-z", "", 5).error().code, ErrorCode::kNotFound);
}

// ---- balances ----------------------------------------------------------------------------

TEST_P(StoreConformanceTest, NewAccountBalances) {
  AccountId a = NewAccount("alice", 0);
  auto balances = store().GetBalances(a);
  ASSERT_TRUE(balances.ok());
  ASSERT_EQ(balances->size(), std::size(kAllBalanceTypes));
  for (size_t i = 0; i < balances->size(); ++i) {
    EXPECT_EQ((*balances)[i].type, kAllBalanceTypes[i]);
    EXPECT_TRUE((*balances)[i].available);
    EXPECT_FALSE((*balances)[i].unlimited);
    EXPECT_EQ((*balances)[i].units, 0);
  }
  EXPECT_EQ(store().GetBalances(a + 100).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AdjustBalanceAndMode) {
  AccountId a = NewAccount("alice", 0);
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kFull, 50, "top-up", 1).ok());
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kFull, -20, "correction", 2).ok());
  EXPECT_EQ(Units(a, MessageType::kFull), 30);
  EXPECT_EQ(Units(a, MessageType::kEco), 0);

  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kFull, false, true).ok());
  auto balances = *store().GetBalances(a);
  for (const Balance& b : balances) {
    if (b.type != MessageType::kFull) continue;
    EXPECT_FALSE(b.available);
    EXPECT_TRUE(b.unlimited);
    EXPECT_EQ(b.units, 30);  // the mode keeps units
  }
  EXPECT_EQ(store().AdjustBalance(a + 100, MessageType::kEco, 1, "", 1).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().SetBalanceMode(a + 100, MessageType::kEco, true, true).error().code,
            ErrorCode::kNotFound);
}

// ---- senders and blacklist ----------------------------------------------------------------

TEST_P(StoreConformanceTest, Senders) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  ASSERT_TRUE(store().SetSender(a, "Shop", SenderStatus::kPending, 100).ok());
  ASSERT_TRUE(store().SetSender(a, "Bank", SenderStatus::kAuthorized, 101).ok());
  ASSERT_TRUE(store().SetSender(a, "Shop", SenderStatus::kAuthorized, 200).ok());

  auto shop = store().GetSender(a, "Shop");
  ASSERT_TRUE(shop.ok());
  ASSERT_TRUE(shop->has_value());
  EXPECT_EQ((*shop)->name, "Shop");
  EXPECT_EQ((*shop)->status, SenderStatus::kAuthorized);
  EXPECT_EQ((*shop)->created_ms, 100);  // an update keeps the creation time

  auto other = store().GetSender(b, "Shop");
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());  // scoped by account

  auto list = store().ListSenders(a);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "Bank");
  EXPECT_EQ((*list)[1].name, "Shop");
  EXPECT_TRUE(store().ListSenders(b)->empty());
  EXPECT_EQ(store().SetSender(b + 100, "X", SenderStatus::kPending, 1).error().code,
            ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, Blacklist) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 1).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 2).ok());  // idempotent
  EXPECT_TRUE(*store().IsBlacklisted(a, "+48500000001"));
  EXPECT_FALSE(*store().IsBlacklisted(a, "+48500000002"));
  EXPECT_FALSE(*store().IsBlacklisted(b, "+48500000001"));
  EXPECT_EQ(store().AddToBlacklist(b + 100, "+48500000001", 1).error().code, ErrorCode::kNotFound);
}

// ---- ids -----------------------------------------------------------------------------------

TEST_P(StoreConformanceTest, ReserveIdBlockNeverRepeats) {
  EXPECT_EQ(store().ReserveIdBlock(0).error().code, ErrorCode::kInvalidArgument);
  std::mutex mu;
  std::vector<std::pair<uint64_t, uint64_t>> blocks;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        uint64_t count = 1 + static_cast<uint64_t>((t * 7 + i) % 50);
        auto first = store().ReserveIdBlock(count);
        ASSERT_TRUE(first.ok());
        std::lock_guard lock(mu);
        blocks.emplace_back(*first, count);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::sort(blocks.begin(), blocks.end());
  ASSERT_EQ(blocks.size(), 100u);
  EXPECT_GE(blocks[0].first, 0u);
  for (size_t i = 1; i < blocks.size(); ++i) {
    EXPECT_GE(blocks[i].first, blocks[i - 1].first + blocks[i - 1].second) << "overlap at " << i;
  }
}

// ---- accepting -------------------------------------------------------------------------

TEST_P(StoreConformanceTest, AcceptStoresEveryField) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  m.account_id = 999;  // overwritten by the request's account
  m.sender = "Shop";
  m.type = MessageType::kFull;
  m.text = "Zażółć gęślą jaźń \xF0\x9F\x98\x80";
  m.unicode = true;
  m.flash = true;
  m.speed = true;
  m.parts = 3;
  m.cost_units = 3;
  m.status = MessageStatus::kSaved;
  m.unique_id = "client-1";
  m.stat_id = 4242;
  m.source = "smpp";
  m.dlr_url = "https://example.com/dlr?x=1";
  m.due_ms = m.queued_ms + 60'000;

  AcceptResult r = AcceptOk(a, {m});
  ASSERT_EQ(r.items.size(), 1u);
  EXPECT_EQ(r.items[0].id, m.id);
  EXPECT_FALSE(r.items[0].duplicate);

  auto got = store().GetMessage(a, m.id);
  ASSERT_TRUE(got.ok()) << got.error().ToString();
  m.account_id = a;
  ExpectSameMessage(m, *got);
  EXPECT_EQ(Units(a, MessageType::kFull), 97);
  EXPECT_EQ(Units(a, MessageType::kEco), 100);
  EXPECT_EQ(*store().LedgerSumForMessage(m.id), -3);
}

TEST_P(StoreConformanceTest, AcceptManyKeepsOrderAndCharges) {
  AccountId a = NewAccount("alice");
  std::vector<Message> batch;
  for (int i = 0; i < 20; ++i) batch.push_back(NewMessage(a));
  batch[5].cost_units = 4;
  AcceptResult r = AcceptOk(a, batch);
  ASSERT_EQ(r.items.size(), batch.size());
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ(r.items[i].id, batch[i].id);
    EXPECT_FALSE(r.items[i].duplicate);
    EXPECT_EQ(*store().LedgerSumForMessage(batch[i].id), -batch[i].cost_units);
  }
  EXPECT_EQ(Units(a, MessageType::kEco), 100 - 23);
}

TEST_P(StoreConformanceTest, AcceptEmptyAndUnknownAccount) {
  AccountId a = NewAccount("alice");
  auto empty = store().Accept(AcceptRequest{a, {}});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->items.empty());
  auto unknown = store().Accept(AcceptRequest{a + 100, {NewMessage(a + 100)}});
  EXPECT_EQ(unknown.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, AcceptAsyncCallsDoneOnce) {
  AccountId a = NewAccount("alice");
  std::atomic<int> calls{0};
  std::promise<Result<AcceptResult>> got;
  store().AcceptAsync(AcceptRequest{a, {NewMessage(a)}}, [&](Result<AcceptResult> r) {
    if (calls.fetch_add(1) == 0) got.set_value(std::move(r));
  });
  auto r = got.get_future().get();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->items.size(), 1u);
  EXPECT_EQ(calls.load(), 1);
}

TEST_P(StoreConformanceTest, ReusedMessageIdIsRejectedAndWritesNothing) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  AcceptOk(a, {m});
  Message fresh = NewMessage(a);
  Message again = NewMessage(a);
  again.id = m.id;
  auto r = store().Accept(AcceptRequest{a, {fresh, again}});
  EXPECT_EQ(r.error().code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(store().GetMessage(a, fresh.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Units(a, MessageType::kEco), 99);
}

TEST_P(StoreConformanceTest, InvalidInputIsRejected) {
  AccountId a = NewAccount("alice");
  for (const char* bad : {"", "ABCDEF0123", "abc", "abcdefghij", "0123456789a"}) {
    Message m = NewMessage(a);
    m.id = bad;
    auto r = store().Accept(AcceptRequest{a, {NewMessage(a), m}});
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
    EXPECT_EQ(store().GetMessage(a, bad).error().code, ErrorCode::kNotFound) << bad;
    EXPECT_EQ(store().MarkSent(bad, "c", "u", 1).error().code, ErrorCode::kNotFound) << bad;
    EXPECT_EQ(*store().LedgerSumForMessage(bad), 0) << bad;
  }
  EXPECT_EQ(Units(a, MessageType::kEco), 100);
  MessageQuery q;
  q.account_id = a;
  q.ids = {"ABCDEF0123"};
  EXPECT_EQ(store().QueryMessages(q)->total, 0);

  Message sent = NewMessage(a);
  sent.status = MessageStatus::kSent;  // new messages are saved or queued
  EXPECT_EQ(store().Accept(AcceptRequest{a, {sent}}).error().code, ErrorCode::kInvalidArgument);
  Message negative = NewMessage(a);
  negative.cost_units = -1;
  EXPECT_EQ(store().Accept(AcceptRequest{a, {negative}}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().ApplyReceipt({"c", "u", MessageStatus::kSent, "", 1}).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(Units(a, MessageType::kEco), 100);
}

TEST_P(StoreConformanceTest, AccountScoping) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  Message m = NewMessage(a);
  m.unique_id = "u1";
  m.status = MessageStatus::kSaved;
  m.due_ms = m.queued_ms + 1'000'000;
  AcceptOk(a, {m});

  EXPECT_TRUE(store().GetMessage(a, m.id).ok());
  EXPECT_EQ(store().GetMessage(b, m.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindMessageByUniqueId(b, "u1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().CancelScheduled(b, m.id, 1).error().code, ErrorCode::kNotFound);
  MessageQuery q;
  q.account_id = b;
  q.ids = {m.id};
  auto page = store().QueryMessages(q);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
  EXPECT_TRUE(page->items.empty());
  // Still there and still scheduled for its owner.
  EXPECT_EQ(store().GetMessage(a, m.id)->status, MessageStatus::kSaved);
}

TEST_P(StoreConformanceTest, UniqueIdDuplicateIsNotChargedTwice) {
  AccountId a = NewAccount("alice");
  AccountId b = NewAccount("bob");
  Message first = NewMessage(a);
  first.unique_id = "order-17";
  AcceptOk(a, {first});

  Message retry = NewMessage(a);
  retry.unique_id = "order-17";
  Message other = NewMessage(a);
  AcceptResult r = AcceptOk(a, {retry, other});
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_TRUE(r.items[0].duplicate);
  EXPECT_EQ(r.items[0].id, first.id);
  EXPECT_FALSE(r.items[1].duplicate);
  EXPECT_EQ(r.items[1].id, other.id);
  EXPECT_EQ(store().GetMessage(a, retry.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Units(a, MessageType::kEco), 98);
  EXPECT_EQ(*store().LedgerSumForMessage(first.id), -1);

  auto found = store().FindMessageByUniqueId(a, "order-17");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->id, first.id);
  EXPECT_EQ(store().FindMessageByUniqueId(a, "order-18").error().code, ErrorCode::kNotFound);

  // Another account's unique ids are its own.
  Message bobs = NewMessage(b);
  bobs.unique_id = "order-17";
  AcceptResult rb = AcceptOk(b, {bobs});
  EXPECT_FALSE(rb.items[0].duplicate);
  EXPECT_EQ(rb.items[0].id, bobs.id);
}

TEST_P(StoreConformanceTest, UniqueIdDuplicateWithinOneRequest) {
  AccountId a = NewAccount("alice");
  Message m1 = NewMessage(a);
  m1.unique_id = "same";
  Message m2 = NewMessage(a);
  m2.unique_id = "same";
  AcceptResult r = AcceptOk(a, {m1, m2});
  ASSERT_EQ(r.items.size(), 2u);
  EXPECT_FALSE(r.items[0].duplicate);
  EXPECT_TRUE(r.items[1].duplicate);
  EXPECT_EQ(r.items[1].id, m1.id);
  EXPECT_EQ(Units(a, MessageType::kEco), 99);
}

TEST_P(StoreConformanceTest, UniqueIdIsFreedByCancel) {
  AccountId a = NewAccount("alice");
  Message m = NewMessage(a);
  m.unique_id = "u";
  m.status = MessageStatus::kSaved;
  m.due_ms = m.queued_ms + 1'000'000;
  AcceptOk(a, {m});
  ASSERT_TRUE(*store().CancelScheduled(a, m.id, 20'000));
  EXPECT_EQ(store().FindMessageByUniqueId(a, "u").error().code, ErrorCode::kNotFound);

  Message again = NewMessage(a);
  again.unique_id = "u";
  AcceptResult r = AcceptOk(a, {again});
  EXPECT_FALSE(r.items[0].duplicate);
  EXPECT_EQ(r.items[0].id, again.id);
  EXPECT_EQ(store().FindMessageByUniqueId(a, "u")->id, again.id);
}

TEST_P(StoreConformanceTest, InsufficientBalanceRejectsAndWritesNothing) {
  AccountId a = NewAccount("alice", 0);
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kEco, 10, "", 1).ok());
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kFull, 5, "", 1).ok());
  Message eco = NewMessage(a);
  eco.unique_id = "e";
  Message full = NewMessage(a);
  full.type = MessageType::kFull;
  full.cost_units = 6;

  auto r = store().Accept(AcceptRequest{a, {eco, full}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRejected);
  EXPECT_EQ(r.error().detail, static_cast<int>(MessageType::kFull) + 1);
  EXPECT_EQ(store().GetMessage(a, eco.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetMessage(a, full.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().FindMessageByUniqueId(a, "e").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Units(a, MessageType::kEco), 10);
  EXPECT_EQ(Units(a, MessageType::kFull), 5);
  EXPECT_EQ(*store().LedgerSumForMessage(eco.id), 0);

  // The whole request's sum counts, not each message alone.
  Message f1 = NewMessage(a);
  f1.type = MessageType::kFull;
  f1.cost_units = 3;
  Message f2 = f1;
  f2.id = NewMessage(a).id;
  EXPECT_EQ(store().Accept(AcceptRequest{a, {f1, f2}}).error().code, ErrorCode::kRejected);

  // Exactly the balance is fine.
  full.cost_units = 5;
  AcceptOk(a, {full});
  EXPECT_EQ(Units(a, MessageType::kFull), 0);
}

TEST_P(StoreConformanceTest, RejectionDetailNamesTheType) {
  AccountId a = NewAccount("alice", 0);
  for (MessageType t : kAllBalanceTypes) {
    Message m = NewMessage(a);
    m.type = t;
    auto r = store().Accept(AcceptRequest{a, {m}});
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kRejected);
    EXPECT_EQ(r.error().detail, static_cast<int>(t) + 1);
  }
}

TEST_P(StoreConformanceTest, UnlimitedBalance) {
  AccountId a = NewAccount("alice", 0);
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kVoice, true, true).ok());
  Message m = NewMessage(a);
  m.type = MessageType::kVoice;
  m.cost_units = 1000;
  AcceptOk(a, {m});
  EXPECT_EQ(Units(a, MessageType::kVoice), 0);
  EXPECT_EQ(*store().LedgerSumForMessage(m.id), 0);  // nothing was charged...
  ASSERT_TRUE(store().MarkUnsent(m.id, "no_route", 50'000).ok());
  EXPECT_EQ(Units(a, MessageType::kVoice), 0);  // ...so nothing is refunded
  EXPECT_EQ(*store().LedgerSumForMessage(m.id), 0);
}

TEST_P(StoreConformanceTest, ConcurrentAcceptsAreAllChargedOnce) {
  AccountId a = NewAccount("alice", 1'000);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::vector<Message>> work(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kPerThread; ++i) work[t].push_back(NewMessage(a));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (Message& m : work[t]) {
        auto r = store().Accept(AcceptRequest{a, {m}});
        if (!r.ok() || r->items.size() != 1 || r->items[0].duplicate) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Units(a, MessageType::kEco), 1'000 - kThreads * kPerThread);
  MessageQuery q;
  q.account_id = a;
  q.limit = 0;
  EXPECT_EQ(store().QueryMessages(q)->total, kThreads * kPerThread);
}

}  // namespace bramka::store
