// GatewayService::SubmitManyAsync (issue 11, docs/adr/0032): N submits of one caller with
// one store read answer what N SubmitAsync calls in that order answer.

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageType;

class SubmitManyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kFull, 20, "").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("acme", "INFORMACJA", store::SenderStatus::kAuthorized).ok());
    // Another account's approved sender is not acme's.
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("other", "OBCY", store::SenderStatus::kAuthorized).ok());
    caller_ = *gw_->AuthenticatePassword("acme", "secret");
    ASSERT_TRUE(store_.AddToBlacklist(caller_.account_id, "+48500000009", 0).ok());
  }

  static SubmitRequest Sms(std::vector<std::string> phones, std::string sender = "") {
    SubmitRequest r;
    r.phones = std::move(phones);
    r.text = "hello";
    if (!sender.empty()) r.sender = sender;
    r.source = "smpp";
    return r;
  }

  static std::vector<std::string> Phones(int n, int first) {
    std::vector<std::string> out;
    for (int i = 0; i < n; ++i) out.push_back("+4860000" + std::to_string(first + i));
    return out;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller caller_;
};

TEST_F(SubmitManyTest, AnswersWhatSubmitsInTheSameOrderAnswer) {
  std::vector<SubmitRequest> requests = {
      Sms(Phones(10, 1000), "INFORMACJA"),       // 0: 10 FULL units of 20
      Sms(Phones(1, 2000), "Bad!name"),          // 1: not a valid sender name
      Sms(Phones(1, 2000), "OBCY"),              // 2: another account's sender
      Sms({"+48500000009", "500000001", "12"}),  // 3: blacklisted, queued, invalid
      Sms(Phones(10, 3000), "INFORMACJA"),       // 4: the last 10 FULL units
      Sms(Phones(1, 4000), "INFORMACJA"),        // 5: FULL balance exhausted, in order
      Sms({}),                                   // 6: no recipient
  };
  requests.push_back(Sms(Phones(1, 5000), "INFORMACJA"));  // 7: a test submit, not charged
  requests.back().test = true;
  std::vector<std::optional<Result<SubmitResult>>> answers(requests.size());
  std::vector<GatewayService::SubmitCallback> dones;
  std::vector<size_t> order;
  for (size_t i = 0; i < requests.size(); ++i) {
    dones.push_back([&answers, &order, i](Result<SubmitResult> r) {
      answers[i] = std::move(r);
      order.push_back(i);
    });
  }
  gw_->SubmitManyAsync(caller_, requests, std::move(dones));
  ASSERT_EQ(order.size(), requests.size());  // InMemoryStore accepts synchronously
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);

  auto failure = [&](size_t i) {
    EXPECT_FALSE(answers[i]->ok()) << "request " << i;
    return answers[i]->ok() ? Failure{} : static_cast<Failure>(answers[i]->error().detail);
  };
  ASSERT_TRUE(answers[0]->ok());
  EXPECT_EQ((*answers[0])->queued, 10);
  EXPECT_EQ(failure(1), Failure::kSenderNotApproved);
  EXPECT_EQ(failure(2), Failure::kSenderNotApproved);
  ASSERT_TRUE(answers[3]->ok());
  const auto& items = (*answers[3])->items;
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].failure, Failure::kBlacklisted);
  EXPECT_TRUE(items[1].queued);
  EXPECT_EQ(items[2].failure, Failure::kInvalidPhone);
  ASSERT_TRUE(answers[4]->ok());
  EXPECT_EQ((*answers[4])->queued, 10);
  EXPECT_EQ(failure(5), Failure::kFullLimitExhausted);
  EXPECT_EQ(failure(6), Failure::kMissingParameter);
  ASSERT_TRUE(answers[7]->ok());
  EXPECT_EQ((*answers[7])->queued, 1);
  // Charged in queue order: FULL 10 + 10 of 20, ECO 1 (the test submit charges nothing).
  auto limits = gw_->Limits(caller_);
  ASSERT_TRUE(limits.ok());
  for (const auto& b : *limits) {
    if (b.type == MessageType::kFull) {
      EXPECT_EQ(b.units, 0);
    }
    if (b.type == MessageType::kEco) {
      EXPECT_EQ(b.units, 99);
    }
  }
}

TEST_F(SubmitManyTest, EachRequestGetsItsOwnBlacklistAnswers) {
  ASSERT_TRUE(store_.AddToBlacklist(caller_.account_id, "+48600001000", 0).ok());
  std::vector<SubmitRequest> requests = {Sms(Phones(1, 1000)), Sms(Phones(1, 1001))};
  std::vector<Result<SubmitResult>> answers;
  std::vector<GatewayService::SubmitCallback> dones(
      2, [&](Result<SubmitResult> r) { answers.push_back(std::move(r)); });
  gw_->SubmitManyAsync(caller_, requests, std::move(dones));
  ASSERT_EQ(answers.size(), 2u);
  ASSERT_TRUE(answers[0].ok() && answers[1].ok());
  EXPECT_EQ(answers[0]->items[0].failure, Failure::kBlacklisted);
  EXPECT_TRUE(answers[1]->items[0].queued);
}

}  // namespace
}  // namespace bramka::core
