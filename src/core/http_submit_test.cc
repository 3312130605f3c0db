// http (issue 11, docs/adr/0038): SubmitWithTokenAsync answers what AuthenticateApi and then
// SubmitAsync answer — the login's refusal first, then the request's errors — with one store
// read for both.
#include <gtest/gtest.h>

#include <optional>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageType;

// Counts the reads the login and the submit make.
class CountingStore : public store::InMemoryStore {
 public:
  TokenSubmitReads ReadForTokenSubmit(const std::string& token_hash, const std::string& sender,
                                      const std::vector<std::string>& phones) override {
    ++together;
    return InMemoryStore::ReadForTokenSubmit(token_hash, sender, phones);
  }
  Result<store::Account> FindAccountByToken(const std::string& token_hash) override {
    ++token_reads;
    return InMemoryStore::FindAccountByToken(token_hash);
  }
  int together = 0;
  int token_reads = 0;
};

struct Outcome {
  std::optional<Error> refused;
  std::optional<Result<SubmitResult>> done;
  int calls = 0;
};

class HttpSubmitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    CoreOptions options;
    options.login_throttle.max_failures_per_address = 3;
    gw_ = std::make_unique<GatewayService>(store_, clock_, options);
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kFull, 100, "").ok());
    ASSERT_TRUE(gw_->TopUp("other", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("acme", "ACME", store::SenderStatus::kAuthorized).ok());
    acme_token_ = *gw_->CreateToken("acme", "");
    other_token_ = *gw_->CreateToken("other", "");
    gw_->SetSubmitObserver(
        [this](const std::string&, const Result<SubmitResult>&) { ++observed_; });
  }

  // An API send_sms as actions.cc builds it (source "http", SubmitRequest's default).
  static SubmitRequest Sms(std::vector<std::string> phones,
                           std::optional<std::string> sender = std::nullopt) {
    SubmitRequest r;
    r.phones = std::move(phones);
    r.text = "hello";
    r.sender = std::move(sender);
    return r;
  }

  Outcome Send(const std::string& token, SubmitRequest r, const std::string& ip = "10.1.1.1") {
    Outcome o;
    gw_->SubmitWithTokenAsync(
        token, ip, std::move(r),
        [&o](Error e) {
          o.refused = std::move(e);
          ++o.calls;
        },
        [&o](Result<SubmitResult> s) {
          o.done = std::move(s);
          ++o.calls;
        });
    return o;
  }

  static Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }

  CountingStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  std::string acme_token_;
  std::string other_token_;
  int observed_ = 0;
};

TEST_F(HttpSubmitTest, AcceptsWithOneReadForLoginAndSubmit) {
  Outcome o = Send(acme_token_, Sms({"500600700", "12"}, "ACME"));
  ASSERT_EQ(o.calls, 1);
  ASSERT_TRUE(o.done && o.done->ok()) << (o.refused ? o.refused->ToString() : "");
  EXPECT_EQ((*o.done)->queued, 1);
  EXPECT_EQ((*o.done)->unsent, 1);  // "12" is no number: an unsent item, as SubmitAsync says
  EXPECT_EQ(store_.together, 1);
  EXPECT_EQ(store_.token_reads, 1);  // inside ReadForTokenSubmit, not a read of its own
  EXPECT_EQ(observed_, 1);
  // The message is acme's; the other account's token sends as the other account.
  const std::string id = (*o.done)->items[0].id;
  auto acme = *gw_->AuthenticateToken(acme_token_);
  auto other = *gw_->AuthenticateToken(other_token_);
  EXPECT_TRUE(gw_->ViewMessage(acme, id).ok());
  EXPECT_FALSE(gw_->ViewMessage(other, id).ok());
  Outcome b = Send(other_token_, Sms({"500600701"}));
  ASSERT_TRUE(b.done && b.done->ok());
  EXPECT_TRUE(gw_->ViewMessage(other, (*b.done)->items[0].id).ok());
  // acme's approved sender is not the other account's.
  Outcome c = Send(other_token_, Sms({"500600701"}, "ACME"));
  ASSERT_TRUE(c.done && !c.done->ok());
  EXPECT_EQ(FailureOf(c.done->error()), Failure::kSenderNotApproved);
}

TEST_F(HttpSubmitTest, ARefusedLoginWinsOverABadRequest) {
  Outcome bad_token = Send("nope", Sms({"500600700"}));
  ASSERT_EQ(bad_token.calls, 1);
  ASSERT_TRUE(bad_token.refused);
  EXPECT_EQ(FailureOf(*bad_token.refused), Failure::kInvalidUser);
  // No phone and a wrong token: the login's answer, as AuthenticateApi before SubmitAsync.
  Outcome both = Send("nope", Sms({}));
  ASSERT_TRUE(both.refused);
  EXPECT_EQ(FailureOf(*both.refused), Failure::kInvalidUser);
  // A good token and no phone: the request's error, observed like SubmitAsync's.
  const int observed = observed_;
  Outcome no_phone = Send(acme_token_, Sms({}));
  ASSERT_EQ(no_phone.calls, 1);
  ASSERT_TRUE(no_phone.done && !no_phone.done->ok());
  EXPECT_EQ(FailureOf(no_phone.done->error()), Failure::kMissingParameter);
  EXPECT_EQ(observed_, observed + 1);
  // Three failures from the address (two above, one here) block it, a good token included.
  Send("nope", Sms({"500600700"}));
  Outcome blocked = Send(acme_token_, Sms({"500600700"}));
  ASSERT_TRUE(blocked.refused);
  EXPECT_EQ(FailureOf(*blocked.refused), Failure::kLoginThrottled);
  EXPECT_TRUE(Send(acme_token_, Sms({"500600700"}), "10.9.9.9").done);
}

TEST_F(HttpSubmitTest, ReadsTheAllowlistAtEveryRequest) {
  EXPECT_TRUE(Send(acme_token_, Sms({"500600700"}), "127.0.0.1").done);
  ASSERT_TRUE(gw_->SetAllowedIps("acme", {"10.0.0.0/8"}).ok());
  Outcome outside = Send(acme_token_, Sms({"500600700"}), "127.0.0.1");
  ASSERT_TRUE(outside.refused);
  EXPECT_EQ(FailureOf(*outside.refused), Failure::kIpNotAllowed);
  EXPECT_TRUE(Send(acme_token_, Sms({"500600700"}), "10.2.3.4").done);
}

TEST_F(HttpSubmitTest, AddressBookRecipientsLogInFirst) {
  SubmitRequest r = Sms({});
  r.group_ids = {12345};  // not acme's: the address book's own error, after the login
  Outcome o = Send(acme_token_, r);
  ASSERT_EQ(o.calls, 1);
  ASSERT_TRUE(o.done && !o.done->ok());
  EXPECT_EQ(store_.together, 0);
  Outcome refused = Send("nope", r);
  ASSERT_TRUE(refused.refused);
  EXPECT_EQ(FailureOf(*refused.refused), Failure::kInvalidUser);
}

// readpath (docs/performance/session12-readpath.md): a request of one recipient — the shape
// of issue 11's end-to-end target, whose reads a store may make as one statement — still
// gets each check's own answer (a pending, rejected or unknown sender, a blacklisted number,
// an empty balance), and the next request sees each change.
TEST_F(HttpSubmitTest, OneRecipientGetsEachChecksOwnAnswer) {
  ASSERT_TRUE(gw_->SetSenderStatus("acme", "WAIT", store::SenderStatus::kPending).ok());
  ASSERT_TRUE(gw_->SetSenderStatus("acme", "STOP", store::SenderStatus::kRejected).ok());
  for (const std::string sender : {"WAIT", "STOP", "NOPE"}) {
    Outcome o = Send(acme_token_, Sms({"500600700"}, sender));
    ASSERT_TRUE(o.done && !o.done->ok()) << sender;
    EXPECT_EQ(FailureOf(o.done->error()), Failure::kSenderNotApproved) << sender;
  }
  ASSERT_TRUE(gw_->SetSenderStatus("acme", "WAIT", store::SenderStatus::kAuthorized).ok());
  Outcome approved = Send(acme_token_, Sms({"500600700"}, "WAIT"));
  ASSERT_TRUE(approved.done && approved.done->ok());
  EXPECT_EQ((*approved.done)->queued, 1);

  auto acme = *gw_->AuthenticateToken(acme_token_);
  ASSERT_TRUE(gw_->AddToBlacklist(acme, "500600700").ok());
  Outcome listed = Send(acme_token_, Sms({"500600700"}));
  ASSERT_TRUE(listed.done && listed.done->ok());
  EXPECT_EQ((*listed.done)->queued, 0);
  ASSERT_EQ((*listed.done)->items.size(), 1u);
  EXPECT_EQ((*listed.done)->items[0].failure, Failure::kBlacklisted);
  ASSERT_TRUE(*gw_->RemoveFromBlacklist(acme, "500600700"));
  Outcome unlisted = Send(acme_token_, Sms({"500600700"}));
  ASSERT_TRUE(unlisted.done && unlisted.done->ok());
  EXPECT_EQ((*unlisted.done)->queued, 1);

  ASSERT_TRUE(gw_->CreateAccount("empty", "secret").ok());
  const std::string empty_token = *gw_->CreateToken("empty", "");
  Outcome broke = Send(empty_token, Sms({"500600700"}));
  ASSERT_TRUE(broke.done && !broke.done->ok());
  EXPECT_EQ(FailureOf(broke.done->error()), Failure::kEcoLimitExhausted);
  ASSERT_TRUE(gw_->TopUp("empty", MessageType::kEco, 1, "").ok());
  Outcome paid = Send(empty_token, Sms({"500600700"}));
  ASSERT_TRUE(paid.done && paid.done->ok());
  EXPECT_EQ((*paid.done)->queued, 1);
  EXPECT_EQ(store_.together, 8);  // each request above: one read for its login and submit
}

}  // namespace
}  // namespace bramka::core
