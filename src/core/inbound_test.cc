// GatewayService: the reply pool, the inbox, send_nd(i), premium answers and
// quizzes (core/inbound.cc; docs/adr/0011).

#include <gtest/gtest.h>

#include <set>

#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::InboundKind;

class InboundServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    for (const char* name : {"acme", "other"}) {
      ASSERT_TRUE(gw_->CreateAccount(name, "secret").ok());
      for (auto t : {store::MessageType::kEco, store::MessageType::kFull}) {
        ASSERT_TRUE(gw_->TopUp(name, t, 100, "test").ok());
      }
    }
    acme_ = Caller{store_.FindAccountByName("acme")->id, "acme"};
    other_ = Caller{store_.FindAccountByName("other")->id, "other"};
  }
  store::InboxMessage Incoming(const Caller& c, const std::string& type, const std::string& to,
                               const std::string& text, int answers = 0) {
    store::InboxMessage m;
    m.account_id = c.account_id;
    m.type = type;
    m.phone = "+48600100200";
    m.to_number = to;
    m.text = text;
    m.answers_left = answers;
    m.received_ms = ToUnixMillis(clock_.Now());
    return *store_.RecordIncoming(m);
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller acme_, other_;
};

TEST_F(InboundServiceTest, EcoAndTwoWaySmsGoOutFromThePoolInTurn) {
  SubmitRequest eco;
  eco.phones = {"600100200", "600100201", "600100202"};
  eco.text = "hello";
  auto none = gw_->Submit(acme_, eco);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_EQ(gw_->ViewMessage(acme_, none->items[0].id)->sender, "");  // no pool yet

  ASSERT_TRUE(gw_->AddInboundNumber("", InboundKind::kPool, "500000200", "", 0, 0).ok());
  ASSERT_TRUE(gw_->AddInboundNumber("", InboundKind::kPool, "+48500000201", "", 0, 0).ok());
  auto sent = gw_->Submit(acme_, eco);
  ASSERT_TRUE(sent.ok());
  std::set<std::string> senders;
  for (const auto& item : sent->items) senders.insert(gw_->ViewMessage(acme_, item.id)->sender);
  EXPECT_EQ(senders, (std::set<std::string>{"+48500000200", "+48500000201"}));

  SubmitRequest two_way = eco;
  two_way.phones = {"600100203"};
  two_way.sender = "2waySMS";
  auto tw = gw_->Submit(acme_, two_way);
  ASSERT_TRUE(tw.ok()) << tw.error().ToString();
  const std::string s = gw_->ViewMessage(acme_, tw->items[0].id)->sender;
  EXPECT_TRUE(s == "+48500000200" || s == "+48500000201") << s;

  EXPECT_FALSE(gw_->AddInboundNumber("acme", InboundKind::kPool, "+48500000202", "", 0, 0).ok());
  EXPECT_FALSE(gw_->AddInboundNumber("", InboundKind::kNd, "+48500000203", "X", 0, 0).ok());
  EXPECT_FALSE(gw_->AddInboundNumber("acme", InboundKind::kNd, "+4850", "TWO WORDS", 0, 0).ok());
}

TEST_F(InboundServiceTest, ReceivedMessagesFiltersAndValidates) {
  Incoming(acme_, "nd", "+48500000100", "one");
  Incoming(acme_, "ndi", "+48500000101", "two");
  Incoming(other_, "ndi", "+48500000102", "three");
  GatewayService::ReceivedQuery q;
  auto all = gw_->ReceivedMessages(acme_, q);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 2);
  q.ndi = "500000101";
  EXPECT_EQ(gw_->ReceivedMessages(acme_, q)->items.at(0).text, "two");
  q.ndi.clear();
  q.phones = {"600100200"};
  EXPECT_EQ(gw_->ReceivedMessages(acme_, q)->total, 2);
  q.phones = {"12"};
  auto bad_phone = gw_->ReceivedMessages(acme_, q);
  ASSERT_FALSE(bad_phone.ok());
  EXPECT_EQ(static_cast<Failure>(bad_phone.error().detail), Failure::kInvalidPhone);
  q.phones.clear();
  q.type = "nope";
  auto bad_type = gw_->ReceivedMessages(acme_, q);
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(static_cast<Failure>(bad_type.error().detail), Failure::kInvalidParameter);
}

TEST_F(InboundServiceTest, SendTestIncomingQueuesAnInjectionToTheAccountsNumbers) {
  auto no_nd = gw_->SendTestIncoming(acme_, "500600700", "hi", "");
  ASSERT_FALSE(no_nd.ok());
  EXPECT_EQ(static_cast<Failure>(no_nd.error().detail), Failure::kInvalidParameter);
  ASSERT_TRUE(gw_->AddInboundNumber("acme", InboundKind::kNd, "+48500000100", "pizza", 0, 0).ok());
  ASSERT_TRUE(gw_->AddInboundNumber("other", InboundKind::kNdi, "+48500000102", "", 0, 0).ok());
  ASSERT_TRUE(gw_->SendTestIncoming(acme_, "500600700", "hi", "").ok());
  auto queued = store_.ListInjectedMo(-1);
  ASSERT_EQ(queued->size(), 1u);
  EXPECT_EQ((*queued)[0].from, "+48500600700");
  EXPECT_EQ((*queued)[0].to, "+48500000100");
  EXPECT_EQ((*queued)[0].text, "PIZZA hi");
  // Another account's NDI is not ours to test.
  EXPECT_FALSE(gw_->SendTestIncoming(acme_, "500600700", "hi", "+48500000102").ok());
  EXPECT_TRUE(gw_->SendTestIncoming(other_, "500600700", "hi", "+48500000102").ok());
  EXPECT_EQ(static_cast<Failure>(gw_->SendTestIncoming(acme_, "", "hi", "").error().detail),
            Failure::kMissingParameter);
}

TEST_F(InboundServiceTest, PremiumAnswersWithinTheLimitFromThePremiumNumber) {
  const auto pre = Incoming(acme_, "pre", "71200", "QUIZ a", /*answers=*/1);
  const auto nd = Incoming(acme_, "nd", "+48500000100", "x");
  auto premium = gw_->PremiumMessages(acme_);
  ASSERT_EQ(premium->size(), 1u);
  EXPECT_EQ((*premium)[0].id, pre.id);
  EXPECT_TRUE(gw_->PremiumMessages(other_)->empty());

  auto refused = [&](const Caller& c, int64_t id, const std::string& gate) {
    auto r = gw_->AnswerPremium(c, id, "600100200", "thanks", gate);
    return !r.ok() && static_cast<Failure>(r.error().detail) == Failure::kPremiumRefused;
  };
  EXPECT_TRUE(refused(other_, pre.id, "71200"));
  EXPECT_TRUE(refused(acme_, nd.id, ""));
  EXPECT_TRUE(refused(acme_, pre.id, "71999"));
  auto sent = gw_->AnswerPremium(acme_, pre.id, "600100200", "thanks", "71200");
  ASSERT_TRUE(sent.ok()) << sent.error().ToString();
  ASSERT_EQ(sent->queued, 1);
  auto m = gw_->ViewMessage(acme_, sent->items[0].id);
  EXPECT_EQ(m->sender, "71200");
  EXPECT_EQ(m->phone, "+48600100200");
  EXPECT_TRUE(refused(acme_, pre.id, "71200"));  // the limit is used up
}

TEST_F(InboundServiceTest, QuizCountsTheAnswerAfterTheKeyword) {
  auto id = gw_->AddQuiz("acme", "Konkurs", "71200", "quiz", {"A", "B", "C"});
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  Incoming(acme_, "pre", "71200", "quiz a");
  Incoming(acme_, "pre", "71200", "QUIZ A please");
  Incoming(acme_, "pre", "71200", "quiz c");
  Incoming(acme_, "pre", "71200", "quiz d");
  Incoming(acme_, "pre", "71200", "a");  // no keyword: not an answer
  Incoming(other_, "pre", "71200", "quiz b");
  auto v = gw_->ViewQuiz(acme_, *id);
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->quiz.name, "Konkurs");
  EXPECT_EQ(v->counts, (std::vector<int64_t>{2, 0, 1}));
  auto unknown = gw_->ViewQuiz(other_, *id);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(static_cast<Failure>(unknown.error().detail), Failure::kInvalidId);
}

}  // namespace
}  // namespace bramka::core
