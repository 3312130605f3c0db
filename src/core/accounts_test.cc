// GatewayService's accounts area: API login (allowlist, throttling),
// subaccounts, senders, signups, operator messages.
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageType;

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    CoreOptions options;
    options.login_throttle.max_failures_per_address = 5;
    options.login_throttle.max_failures_per_username = 3;
    options.predefined_senders = {"SMSINFO", "Powiadom"};
    gw_ = std::make_unique<GatewayService>(store_, clock_, options);
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("demo", "demo").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kFull, 20, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("acme", "ACME", store::SenderStatus::kAuthorized).ok());
    acme_ = Login("acme", "secret");
    other_ = Login("other", "secret");
  }

  Caller Login(const std::string& name, const std::string& password,
               const std::string& ip = "127.0.0.1") {
    auto c = gw_->AuthenticateApi(ApiCredentials{"", name, password}, ip);
    EXPECT_TRUE(c.ok()) << c.error().ToString();
    return c.ok() ? *c : Caller{};
  }

  static Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }

  int64_t Units(const Caller& c, MessageType t) {
    auto balances = gw_->Limits(c);
    for (const auto& b : *balances) {
      if (b.type == t) return b.available ? b.units : -1;
    }
    return -2;
  }

  store::AccountId NewSub(const std::string& name) {
    SubaccountRequest r;
    r.username = name;
    r.password = "haslo1";
    auto id = gw_->CreateSubaccount(acme_, r);
    EXPECT_TRUE(id.ok()) << id.error().ToString();
    return id.ok() ? *id : 0;
  }

  SubmitRequest Sms(std::string text, std::optional<std::string> sender = std::nullopt) {
    SubmitRequest r;
    r.phones = {"500600700"};
    r.text = std::move(text);
    r.sender = std::move(sender);
    return r;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller acme_;
  Caller other_;
};

TEST_F(AccountsTest, ApiLoginByTokenAndPassword) {
  auto token = gw_->CreateToken("acme", "");
  auto c = gw_->AuthenticateApi(ApiCredentials{*token, "", ""}, "10.1.1.1");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->account_id, acme_.account_id);
  auto bad = gw_->AuthenticateApi(ApiCredentials{"", "acme", "wrong"}, "10.1.1.1");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(FailureOf(bad.error()), Failure::kInvalidUser);
  EXPECT_EQ(FailureOf(gw_->AuthenticateApi(ApiCredentials{}, "10.1.1.1").error()),
            Failure::kInvalidUser);
}

TEST_F(AccountsTest, AllowlistRefusesOtherAddressesBeforeThePassword) {
  ASSERT_TRUE(gw_->SetAllowedIps("acme", {"10.0.0.0/8"}).ok());
  auto outside = gw_->AuthenticateApi(ApiCredentials{"", "acme", "secret"}, "127.0.0.1");
  ASSERT_FALSE(outside.ok());
  EXPECT_EQ(FailureOf(outside.error()), Failure::kIpNotAllowed);
  // Same answer with a wrong password: no oracle from outside.
  auto guess = gw_->AuthenticateApi(ApiCredentials{"", "acme", "nope"}, "127.0.0.1");
  EXPECT_EQ(FailureOf(guess.error()), Failure::kIpNotAllowed);
  auto token = gw_->CreateToken("acme", "");
  EXPECT_EQ(FailureOf(gw_->AuthenticateApi(ApiCredentials{*token, "", ""}, "::1").error()),
            Failure::kIpNotAllowed);
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "acme", "secret"}, "10.2.3.4").ok());
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "other", "secret"}, "127.0.0.1").ok());
  ASSERT_TRUE(gw_->SetAllowedIps("acme", {}).ok());
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "acme", "secret"}, "127.0.0.1").ok());
  EXPECT_EQ(gw_->SetAllowedIps("acme", {"10.0.0.0/99"}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(gw_->SetAllowedIps("nobody", {}).error().code, ErrorCode::kNotFound);
}

TEST_F(AccountsTest, RepeatedWrongPasswordsAreThrottled) {
  for (int i = 0; i < 3; ++i) {
    auto r = gw_->AuthenticateApi(ApiCredentials{"", "acme", "wrong"}, "10.0.0.1");
    EXPECT_EQ(FailureOf(r.error()), Failure::kInvalidUser);
  }
  // Now even the right password is refused, from anywhere, without a check.
  auto blocked = gw_->AuthenticateApi(ApiCredentials{"", "acme", "secret"}, "10.0.0.2");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(FailureOf(blocked.error()), Failure::kLoginThrottled);
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "other", "secret"}, "10.0.0.2").ok());
  EXPECT_EQ(gw_->login_throttle().refused_total(), 1u);
  clock_.Advance(std::chrono::seconds(301));
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "acme", "secret"}, "10.0.0.2").ok());
}

TEST_F(AccountsTest, SubaccountLifeCycle) {
  SubaccountRequest r;
  r.username = "wojtek";
  r.password = "haslo1";
  r.full_name = "Wojciech";
  r.phone = "730856000";
  r.email = "wojtek@mail.com";
  auto id = gw_->CreateSubaccount(acme_, r);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto view = gw_->ViewSubaccount(acme_, *id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->phone, "+48730856000");
  EXPECT_EQ(view->full_name, "Wojciech");
  EXPECT_EQ(gw_->ListSubaccounts(acme_)->size(), 1u);

  // Its own login; the parent's types are available with nothing to send.
  Caller sub = Login("wojtek", "haslo1");
  EXPECT_EQ(Units(sub, MessageType::kEco), 0);
  EXPECT_EQ(Units(sub, MessageType::kVoice), 0);
  auto broke = gw_->Submit(sub, Sms("hi"));
  ASSERT_FALSE(broke.ok());
  EXPECT_EQ(FailureOf(broke.error()), Failure::kEcoLimitExhausted);

  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, *id, MessageType::kEco, 2).ok());
  EXPECT_EQ(Units(acme_, MessageType::kEco), 98);
  ASSERT_TRUE(gw_->Submit(sub, Sms("one")).ok());
  ASSERT_TRUE(gw_->Submit(sub, Sms("two")).ok());
  EXPECT_EQ(FailureOf(gw_->Submit(sub, Sms("three")).error()), Failure::kEcoLimitExhausted);
  EXPECT_EQ(Units(acme_, MessageType::kEco), 98);

  // The parent's approved sender works for the subaccount.
  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, *id, MessageType::kFull, 1).ok());
  EXPECT_TRUE(gw_->Submit(sub, Sms("full", "ACME")).ok());

  auto too_much = gw_->SetSubaccountLimit(acme_, *id, MessageType::kFull, 100);
  EXPECT_EQ(FailureOf(too_much.error()), Failure::kParentBalanceTooLow);
  EXPECT_EQ(FailureOf(gw_->SetSubaccountLimit(acme_, *id, MessageType::kFull, -1).error()),
            Failure::kInvalidParameter);

  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, *id, MessageType::kEco, 5).ok());
  ASSERT_TRUE(gw_->DeleteSubaccount(acme_, *id).ok());
  EXPECT_EQ(Units(acme_, MessageType::kEco), 98);  // 100 - 2 sent
  EXPECT_EQ(FailureOf(gw_->ViewSubaccount(acme_, *id).error()), Failure::kInvalidId);
  EXPECT_TRUE(gw_->ListSubaccounts(acme_)->empty());
  auto gone = gw_->AuthenticateApi(ApiCredentials{"", "wojtek", "haslo1"}, "127.0.0.1");
  EXPECT_EQ(FailureOf(gone.error()), Failure::kInvalidUser);
}

TEST_F(AccountsTest, SubaccountsAreIsolated) {
  const store::AccountId a1 = NewSub("a1");
  const store::AccountId a2 = NewSub("a2");
  Caller sub1 = Login("a1", "haslo1");
  EXPECT_EQ(FailureOf(gw_->ViewSubaccount(other_, a1).error()), Failure::kInvalidId);
  EXPECT_EQ(FailureOf(gw_->SetSubaccountLimit(other_, a1, MessageType::kEco, 1).error()),
            Failure::kInvalidId);
  EXPECT_EQ(FailureOf(gw_->DeleteSubaccount(other_, a1).error()), Failure::kInvalidId);
  EXPECT_EQ(FailureOf(gw_->ViewSubaccount(sub1, a2).error()), Failure::kInvalidId);
  EXPECT_TRUE(gw_->ListSubaccounts(other_)->empty());
  EXPECT_TRUE(gw_->ListSubaccounts(sub1)->empty());
  // Messages: the parent's are not the subaccount's and the other way round.
  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, a1, MessageType::kEco, 1).ok());
  auto sent = gw_->Submit(sub1, Sms("mine"));
  ASSERT_TRUE(sent.ok());
  const std::string id = sent->items[0].id;
  EXPECT_TRUE(gw_->ViewMessage(sub1, id).ok());
  EXPECT_FALSE(gw_->ViewMessage(acme_, id).ok());
  EXPECT_FALSE(gw_->ViewMessage(Login("a2", "haslo1"), id).ok());
  // One level only.
  SubaccountRequest nested;
  nested.username = "nested";
  nested.password = "x";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(sub1, nested).error()), Failure::kSubaccountRefused);
}

TEST_F(AccountsTest, SubaccountCreationErrors) {
  SubaccountRequest r;
  r.password = "x";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kMissingParameter);
  r.username = "bad name";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kInvalidParameter);
  r.username = "other";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kLoginTaken);
  r.username = "fresh";
  r.template_id = 12345;
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kSubaccountRefused);
  r.template_id.reset();
  r.phone = "12";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kInvalidPhone);
  r.phone = "";
  r.email = "not-an-address";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kInvalidParameter);
}

TEST_F(AccountsTest, TemplateCopiesPermissionsLimitsAndAllowlist) {
  const store::AccountId tmpl = NewSub("template");
  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, tmpl, MessageType::kEco, 10).ok());
  ASSERT_TRUE(gw_->SetAllowedIps("template", {"10.0.0.0/8"}).ok());
  SubaccountRequest r;
  r.username = "copy";
  r.password = "pw";
  r.template_id = tmpl;
  auto id = gw_->CreateSubaccount(acme_, r);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(Units(acme_, MessageType::kEco), 80);
  EXPECT_EQ(gw_->ViewSubaccount(acme_, *id)->allowed_cidrs, std::vector<std::string>{"10.0.0.0/8"});
  ASSERT_TRUE(gw_->SetSubaccountLimit(acme_, tmpl, MessageType::kEco, 80).ok());
  r.username = "copy2";
  EXPECT_EQ(FailureOf(gw_->CreateSubaccount(acme_, r).error()), Failure::kParentBalanceTooLow);
}

TEST_F(AccountsTest, SendersAddIndexAndApproval) {
  ASSERT_TRUE(gw_->AddSender(acme_, "NewSender").ok());
  EXPECT_EQ(FailureOf(gw_->AddSender(acme_, "NewSender").error()), Failure::kSenderExists);
  EXPECT_EQ(FailureOf(gw_->AddSender(acme_, "SMSINFO").error()), Failure::kSenderExists);
  EXPECT_EQ(FailureOf(gw_->AddSender(acme_, "TwelveChars1").error()), Failure::kInvalidParameter);
  EXPECT_TRUE(gw_->AddSender(acme_, "+48500600700").ok());  // a number
  EXPECT_TRUE(gw_->AddSender(other_, "NewSender").ok());    // per account

  // Pending and rejected names cannot send; predefined ones can.
  EXPECT_EQ(FailureOf(gw_->Submit(acme_, Sms("x", "NewSender")).error()),
            Failure::kSenderNotApproved);
  ASSERT_TRUE(gw_->SetSenderStatus("acme", "NewSender", store::SenderStatus::kRejected).ok());
  EXPECT_EQ(FailureOf(gw_->Submit(acme_, Sms("x", "NewSender")).error()),
            Failure::kSenderNotApproved);
  ASSERT_TRUE(gw_->SetSenderStatus("acme", "NewSender", store::SenderStatus::kAuthorized).ok());
  EXPECT_TRUE(gw_->Submit(acme_, Sms("x", "NewSender")).ok());
  EXPECT_TRUE(gw_->Submit(acme_, Sms("x", "Powiadom")).ok());

  auto list = gw_->ListSenders(acme_, SenderListQuery{});
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  EXPECT_EQ((*list)[0].name, "+48500600700");
  EXPECT_EQ((*list)[0].status, "pending_authorization");
  EXPECT_EQ((*list)[0].agreement, "required");
  EXPECT_EQ((*list)[2].name, "NewSender");
  EXPECT_EQ((*list)[2].status, "authorized");
  EXPECT_EQ((*list)[2].agreement, "delivered");
  SenderListQuery desc;
  desc.descending = true;
  EXPECT_EQ((*gw_->ListSenders(acme_, desc))[0].name, "NewSender");
  SenderListQuery predefined;
  predefined.predefined = true;
  auto pre = gw_->ListSenders(other_, predefined);
  ASSERT_EQ(pre->size(), 2u);
  EXPECT_EQ((*pre)[0].name, "Powiadom");
  EXPECT_EQ((*pre)[0].agreement, "not_required");
  SenderListQuery bad;
  bad.type = "fax";
  EXPECT_EQ(FailureOf(gw_->ListSenders(acme_, bad).error()), Failure::kInvalidParameter);
  // A subaccount sees its parent's approved names.
  NewSub("s1");
  auto sub_list = gw_->ListSenders(Login("s1", "haslo1"), SenderListQuery{});
  ASSERT_EQ(sub_list->size(), 2u);  // ACME, NewSender
}

TEST_F(AccountsTest, SignupsAndOperatorMessages) {
  SignupRequest r{"+48500600700", "mail@test.com", "John", "Doe", "ACME"};
  auto demo = Login("demo", "demo");
  EXPECT_EQ(FailureOf(gw_->RequestAccount(demo, r).error()), Failure::kRegistrationRefused);
  auto id = gw_->RequestAccount(acme_, r);
  ASSERT_TRUE(id.ok());
  SignupRequest no_mail = r;
  no_mail.email = "";
  EXPECT_EQ(FailureOf(gw_->RequestAccount(acme_, no_mail).error()), Failure::kMissingParameter);
  ASSERT_EQ(gw_->ListSignups()->size(), 1u);
  auto account = gw_->ApproveSignup(*id, "johndoe", "pw");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(gw_->ApproveSignup(*id, "johndoe2", "pw").error().code, ErrorCode::kRejected);
  EXPECT_TRUE(gw_->AuthenticateApi(ApiCredentials{"", "johndoe", "pw"}, "").ok());

  ASSERT_TRUE(gw_->PostAccountMessage("acme", "Przerwa techniczna").ok());
  EXPECT_EQ(gw_->PostAccountMessage("acme", "").error().code, ErrorCode::kInvalidArgument);
  auto first = gw_->AccountMessages(acme_);
  ASSERT_EQ(first->size(), 1u);
  EXPECT_TRUE((*first)[0].is_new);
  EXPECT_FALSE((*gw_->AccountMessages(acme_))[0].is_new);
  EXPECT_TRUE(gw_->AccountMessages(other_)->empty());
}

}  // namespace
}  // namespace bramka::core
