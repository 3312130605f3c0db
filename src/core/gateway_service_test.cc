#include "core/gateway_service.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageStatus;
using store::MessageType;

class GatewayServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    CoreOptions options;
    options.max_recipients = 1000;
    gw_ = std::make_unique<GatewayService>(store_, clock_, options);
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kFull, 20, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("acme", "INFORMACJA", store::SenderStatus::kAuthorized).ok());
    caller_ = *gw_->AuthenticatePassword("acme", "secret");
  }

  SubmitRequest Sms(std::vector<std::string> phones, std::string text) {
    SubmitRequest r;
    r.phones = std::move(phones);
    r.text = std::move(text);
    return r;
  }

  Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }

  int64_t Units(MessageType t) {
    auto balances = gw_->Limits(caller_);
    for (const auto& b : *balances) {
      if (b.type == t) return b.units;
    }
    return -1;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller caller_;
};

TEST_F(GatewayServiceTest, AuthenticatesByPasswordAndToken) {
  EXPECT_EQ(caller_.account_name, "acme");
  auto bad = gw_->AuthenticatePassword("acme", "wrong");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(FailureOf(bad.error()), Failure::kInvalidUser);
  EXPECT_FALSE(gw_->AuthenticatePassword("nobody", "secret").ok());

  auto token = gw_->CreateToken("acme", "ci");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->size(), 32u);
  auto by_token = gw_->AuthenticateToken(*token);
  ASSERT_TRUE(by_token.ok());
  EXPECT_EQ(by_token->account_id, caller_.account_id);
  EXPECT_FALSE(gw_->AuthenticateToken("0123456789abcdef0123456789abcdef").ok());
}

TEST_F(GatewayServiceTest, PasswordChangeInvalidatesTheCache) {
  ASSERT_TRUE(gw_->SetPassword("acme", "new").ok());
  EXPECT_FALSE(gw_->AuthenticatePassword("acme", "secret").ok());
  EXPECT_TRUE(gw_->AuthenticatePassword("acme", "new").ok());
}

TEST_F(GatewayServiceTest, EcoSendTransliteratesNormalisesAndCharges) {
  auto r = gw_->Submit(caller_, Sms({"500600700", "+48 600 700 800"}, "Zażółć gęślą jaźń"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->items.size(), 2u);
  EXPECT_EQ(r->queued, 2);
  EXPECT_EQ(r->items[0].phone, "+48500600700");
  EXPECT_EQ(r->items[1].phone, "+48600700800");
  EXPECT_EQ(r->items[0].text, "Zazolc gesla jazn");
  EXPECT_EQ(r->items[0].id.size(), 10u);
  EXPECT_NE(r->items[0].id, r->items[1].id);
  auto m = gw_->ViewMessage(caller_, r->items[0].id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->type, MessageType::kEco);
  EXPECT_EQ(m->status, MessageStatus::kQueued);
  EXPECT_EQ(Units(MessageType::kEco), 98);
  EXPECT_EQ(*store_.LedgerSumForMessage(r->items[0].id), -1);
}

TEST_F(GatewayServiceTest, PartsAndTheLengthLimit) {
  auto ok = gw_->Submit(caller_, Sms({"500600700"}, std::string(918, 'a')));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->items[0].parts, 6);
  EXPECT_EQ(Units(MessageType::kEco), 94);
  auto too_long = gw_->Submit(caller_, Sms({"500600700"}, std::string(919, 'a')));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(FailureOf(too_long.error()), Failure::kTextTooLong);
  EXPECT_EQ(Units(MessageType::kEco), 94);
  auto empty = gw_->Submit(caller_, Sms({"500600700"}, ""));
  EXPECT_EQ(FailureOf(empty.error()), Failure::kTextEmpty);
}

TEST_F(GatewayServiceTest, FullNeedsAnApprovedSenderAndUtfUsesUcs2) {
  SubmitRequest r = Sms({"500600700"}, "Zażółć");
  r.sender = "NIEZNANY";
  auto refused = gw_->Submit(caller_, r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FailureOf(refused.error()), Failure::kSenderNotApproved);
  r.sender = "INFORMACJA";
  r.utf = true;
  auto sent = gw_->Submit(caller_, r);
  ASSERT_TRUE(sent.ok()) << sent.error().message;
  auto m = *gw_->ViewMessage(caller_, sent->items[0].id);
  EXPECT_EQ(m.type, MessageType::kFull);
  EXPECT_TRUE(m.unicode);
  EXPECT_EQ(m.text, "Zażółć");
  EXPECT_EQ(m.sender, "INFORMACJA");
}

TEST_F(GatewayServiceTest, InsufficientBalanceRefusesTheWholeRequest) {
  SubmitRequest r = Sms({"500600700"}, std::string(400, 'x'));  // 3 parts
  r.sender = "INFORMACJA";
  std::vector<std::string> phones(7, "500600700");
  r.phones = phones;  // 21 units > 20
  auto refused = gw_->Submit(caller_, r);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FailureOf(refused.error()), Failure::kFullLimitExhausted);
  EXPECT_EQ(Units(MessageType::kFull), 20);
  r.test = true;  // a dry run checks the balance too
  EXPECT_EQ(FailureOf(gw_->Submit(caller_, r).error()), Failure::kFullLimitExhausted);
}

TEST_F(GatewayServiceTest, InvalidAndBlacklistedNumbersAreUnsentItems) {
  ASSERT_TRUE(store_.AddToBlacklist(caller_.account_id, "+48600700800", 0).ok());
  auto r = gw_->Submit(caller_, Sms({"500600700", "12", "600700800"}, "Hi"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->queued, 1);
  EXPECT_EQ(r->unsent, 2);
  EXPECT_EQ(r->items[1].failure, Failure::kInvalidPhone);
  EXPECT_TRUE(r->items[1].id.empty());
  EXPECT_EQ(r->items[2].failure, Failure::kBlacklisted);
  EXPECT_EQ(Units(MessageType::kEco), 99);
}

TEST_F(GatewayServiceTest, TestModeStoresNothing) {
  SubmitRequest r = Sms({"500600700"}, "Hi");
  r.test = true;
  auto res = gw_->Submit(caller_, r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->queued, 1);
  EXPECT_FALSE(gw_->ViewMessage(caller_, res->items[0].id).ok());
  EXPECT_EQ(Units(MessageType::kEco), 100);
}

TEST_F(GatewayServiceTest, UniqueIdMakesRetriesIdempotent) {
  SubmitRequest r = Sms({"500600700"}, "Hi");
  r.unique_ids = {"order123"};
  auto first = gw_->Submit(caller_, r);
  auto again = gw_->Submit(caller_, r);
  ASSERT_TRUE(first.ok() && again.ok());
  EXPECT_EQ(first->items[0].id, again->items[0].id);
  EXPECT_EQ(Units(MessageType::kEco), 99);
  EXPECT_EQ(gw_->ViewMessageByUniqueId(caller_, "order123")->id, first->items[0].id);

  r.unique_ids = {"a", "b"};
  EXPECT_EQ(FailureOf(gw_->Submit(caller_, r).error()), Failure::kUniqueIdMismatch);
}

TEST_F(GatewayServiceTest, ScheduledMessagesCanBeDeletedAndAreRefunded) {
  SubmitRequest r = Sms({"500600700"}, "Later");
  r.schedule = clock_.Now() + std::chrono::hours(2);
  auto res = gw_->Submit(caller_, r);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(gw_->ViewMessage(caller_, res->items[0].id)->status, MessageStatus::kSaved);
  EXPECT_EQ(Units(MessageType::kEco), 99);
  auto del = gw_->DeleteScheduled(caller_, {res->items[0].id, "ffffffffff"}, {});
  ASSERT_TRUE(del.ok());
  EXPECT_EQ(del->correct, 1);
  EXPECT_EQ(del->failed, 1);
  EXPECT_EQ(Units(MessageType::kEco), 100);
  auto again = gw_->DeleteScheduled(caller_, {res->items[0].id}, {});
  EXPECT_EQ(again->correct, 0);
}

TEST_F(GatewayServiceTest, TenantsAreIsolated) {
  ASSERT_TRUE(gw_->CreateAccount("other", "pw").ok());
  Caller other = *gw_->AuthenticatePassword("other", "pw");
  auto res = gw_->Submit(caller_, Sms({"500600700"}, "Mine"));
  ASSERT_TRUE(res.ok());
  auto peek = gw_->ViewMessage(other, res->items[0].id);
  ASSERT_FALSE(peek.ok());
  EXPECT_EQ(FailureOf(peek.error()), Failure::kInvalidId);
  EXPECT_EQ(gw_->Reports(other, {})->total, 0);
  EXPECT_EQ(gw_->Reports(caller_, {})->total, 1);
  // "other" has no balance: the store refuses.
  EXPECT_EQ(FailureOf(gw_->Submit(other, Sms({"500600700"}, "x")).error()),
            Failure::kEcoLimitExhausted);
}

TEST_F(GatewayServiceTest, AcceptedHookRunsForMessagesDueNow) {
  int wakes = 0;
  gw_->SetAcceptedHook([&] { ++wakes; });
  ASSERT_TRUE(gw_->Submit(caller_, Sms({"500600700"}, "now")).ok());
  SubmitRequest later = Sms({"500600700"}, "later");
  later.schedule = clock_.Now() + std::chrono::hours(1);
  ASSERT_TRUE(gw_->Submit(caller_, later).ok());
  EXPECT_EQ(wakes, 1);
}

TEST_F(GatewayServiceTest, TooManyRecipients) {
  std::vector<std::string> phones(1001, "500600700");
  EXPECT_EQ(FailureOf(gw_->Submit(caller_, Sms(phones, "x")).error()), Failure::kTooManyRecipients);
}

}  // namespace
}  // namespace bramka::core
