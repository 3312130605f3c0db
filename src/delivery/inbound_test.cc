#include "delivery/inbound.h"

#include <gtest/gtest.h>

#include "store/testing/in_memory_store.h"

namespace bramka::delivery {
namespace {

using store::InboundKind;
using store::InboundNumber;

InboundNumber Num(store::AccountId a, InboundKind k, const std::string& n,
                  const std::string& kw = "", int limit = 0) {
  InboundNumber x;
  x.account_id = a;
  x.kind = k;
  x.number = n;
  x.keyword = kw;
  x.answer_limit = limit;
  return x;
}

TEST(NormalizeInboundAddress, Forms) {
  EXPECT_EQ(NormalizeInboundAddress("48500600700"), "+48500600700");
  EXPECT_EQ(NormalizeInboundAddress("+48500600700"), "+48500600700");
  EXPECT_EQ(NormalizeInboundAddress("0048500600700"), "+48500600700");
  EXPECT_EQ(NormalizeInboundAddress("500600700"), "+48500600700");
  EXPECT_EQ(NormalizeInboundAddress("71200"), "71200");
  EXPECT_EQ(NormalizeInboundAddress("SMSECO"), "SMSECO");
}

TEST(MatchNumberingPlan, KeywordBeatsTheWholeNumber) {
  std::vector<InboundNumber> plan = {Num(1, InboundKind::kNd, "+48500000100", ""),
                                     Num(2, InboundKind::kNd, "+48500000100", "PIZZA"),
                                     Num(3, InboundKind::kNdi, "+48500000101"),
                                     Num(0, InboundKind::kPool, "+48500000200")};
  EXPECT_EQ(MatchNumberingPlan(plan, "+48500000100", " pizza duza")->account_id, 2);
  EXPECT_EQ(MatchNumberingPlan(plan, "+48500000100", "taxi")->account_id, 1);
  EXPECT_EQ(MatchNumberingPlan(plan, "+48500000101", "anything")->account_id, 3);
  EXPECT_FALSE(MatchNumberingPlan(plan, "+48500000200", "hi").has_value());  // pool: replies
  EXPECT_FALSE(MatchNumberingPlan(plan, "+48500000999", "hi").has_value());
}

class InboundRouterTest : public testing::Test {
 protected:
  void SetUp() override {
    a_ = *store_.CreateAccount("a", "x", 0, 0);
    b_ = *store_.CreateAccount("b", "x", 0, 0);
    ASSERT_TRUE(store_.AddInboundNumber(Num(a_, InboundKind::kNd, "+48500000100", "PIZZA")).ok());
    ASSERT_TRUE(store_.AddInboundNumber(Num(b_, InboundKind::kNd, "+48500000100", "TAXI")).ok());
    ASSERT_TRUE(
        store_.AddInboundNumber(Num(b_, InboundKind::kPremium, "71200", "", /*limit=*/2)).ok());
    ASSERT_TRUE(store_.AddInboundNumber(Num(0, InboundKind::kPool, "+48500000200")).ok());
    router_.AddListener([this](const store::InboxMessage& m) { seen_.push_back(m); });
  }
  int64_t Now() { return ToUnixMillis(clock_.Now()); }
  IncomingSms Sms(const std::string& from, const std::string& to, const std::string& text) {
    IncomingSms s;
    s.connector = "simnet";
    s.from = from;
    s.to = to;
    s.text = text;
    s.at_ms = Now();
    return s;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  InboundRouter router_{store_, clock_, InboundOptions{}};
  store::AccountId a_ = 0, b_ = 0;
  std::vector<store::InboxMessage> seen_;
};

TEST_F(InboundRouterTest, RoutesByKeywordNumberAndReply) {
  ASSERT_TRUE(router_.Handle(Sms("48600000001", "48500000100", "Pizza please")).ok());
  ASSERT_TRUE(router_.Handle(Sms("48600000001", "48500000100", "taxi now")).ok());
  ASSERT_TRUE(router_.Handle(Sms("48600000001", "71200", "vote A")).ok());
  ASSERT_EQ(seen_.size(), 3u);
  EXPECT_EQ(seen_[0].account_id, a_);
  EXPECT_EQ(seen_[0].type, "nd");
  EXPECT_EQ(seen_[0].phone, "+48600000001");
  EXPECT_EQ(seen_[1].account_id, b_);
  EXPECT_EQ(seen_[2].type, "pre");
  EXPECT_EQ(seen_[2].answers_left, 2);

  // A reply to an ECO message sent from the pool number.
  store::Message m;
  m.id = "0000000abc";
  m.account_id = a_;
  m.phone = "+48600000002";
  m.sender = "+48500000200";
  m.type = store::MessageType::kEco;
  m.text = "hi";
  m.queued_ms = m.due_ms = Now();
  ASSERT_TRUE(store_.Accept({a_, {m}}).ok());
  ASSERT_TRUE(router_.Handle(Sms("+48600000002", "+48500000200", "yes")).ok());
  EXPECT_EQ(seen_.back().account_id, a_);
  EXPECT_EQ(seen_.back().type, "eco");
  EXPECT_EQ(seen_.back().message_id, "0000000abc");

  // Outside the reply window: the operator inbox.
  clock_.Advance(std::chrono::hours(24 * 8));
  ASSERT_TRUE(router_.Handle(Sms("+48600000002", "+48500000200", "late")).ok());
  EXPECT_EQ(seen_.back().account_id, 0);
  // Unknown number and unknown keyword: the operator inbox too.
  ASSERT_TRUE(router_.Handle(Sms("+48600000002", "+48500000100", "burger")).ok());
  EXPECT_EQ(seen_.back().account_id, 0);
  store::InboxQuery q;
  EXPECT_EQ(store_.QueryInbox(q)->total, 2);
}

TEST_F(InboundRouterTest, ReassemblesMultipartInAnyOrder) {
  IncomingSms p2 = Sms("48600000001", "48500000100", "world");
  p2.parts_total = 2;
  p2.part_number = 2;
  p2.reference = 7;
  IncomingSms p1 = p2;
  p1.part_number = 1;
  p1.text = "PIZZA hello ";
  ASSERT_TRUE(router_.Handle(p2).ok());
  EXPECT_TRUE(seen_.empty());
  EXPECT_EQ(router_.pending_parts(), 1u);
  ASSERT_TRUE(router_.Handle(p1).ok());
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].text, "PIZZA hello world");
  EXPECT_EQ(seen_[0].account_id, a_);
  EXPECT_EQ(router_.pending_parts(), 0u);
}

TEST_F(InboundRouterTest, IncompleteMultipartIsStoredAfterTheTimeout) {
  IncomingSms p1 = Sms("48600000001", "48500000100", "PIZZA part one");
  p1.parts_total = 3;
  p1.part_number = 1;
  p1.reference = 9;
  ASSERT_TRUE(router_.Handle(p1).ok());
  clock_.Advance(std::chrono::minutes(6));
  router_.FlushExpired();
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].text, "PIZZA part one[...][...]");
}

}  // namespace
}  // namespace bramka::delivery
