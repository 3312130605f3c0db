#include "delivery/routing.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace bramka::delivery {
namespace {

using store::MessageType;
using ::testing::ElementsAre;

store::Message Msg(std::string phone, MessageType type = MessageType::kEco,
                   store::AccountId account = 1) {
  store::Message m;
  m.id = "0000000001";
  m.phone = std::move(phone);
  m.type = type;
  m.account_id = account;
  return m;
}

RoutingTable MustCreate(RoutingOptions options) {
  auto table = RoutingTable::Create(std::move(options));
  EXPECT_TRUE(table.ok()) << table.error().ToString();
  return std::move(table).value();
}

TEST(RoutingTest, DefaultTableSendsEverythingToSimnet) {
  RoutingTable table;
  EXPECT_THAT(table.Route(Msg("+48500100200"), 0), ElementsAre("simnet"));
  EXPECT_EQ(table.Match(Msg("+48500100200")), nullptr);
}

TEST(RoutingTest, FirstMatchingRuleWinsInOrder) {
  RoutingOptions o;
  o.rules.push_back({"pl-full", {MessageType::kFull}, {"+48"}, {}, {"a", "b"}, false});
  o.rules.push_back({"pl", {}, {"48"}, {}, {"c"}, false});
  o.default_route = {"d"};
  RoutingTable table = MustCreate(o);

  EXPECT_THAT(table.Route(Msg("+48500100200", MessageType::kFull), 0), ElementsAre("a", "b"));
  EXPECT_THAT(table.Route(Msg("+48500100200", MessageType::kEco), 0), ElementsAre("c"));
  EXPECT_THAT(table.Route(Msg("+49151000000", MessageType::kFull), 0), ElementsAre("d"));
  ASSERT_NE(table.Match(Msg("+48500100200")), nullptr);
  EXPECT_EQ(table.Match(Msg("+48500100200"))->name, "pl");
}

TEST(RoutingTest, MatchesAnyOfSeveralPrefixesTypesAndAccounts) {
  RoutingOptions o;
  RouteRule r;
  r.types = {MessageType::kEco, MessageType::kFull};
  r.prefixes = {"+4850", "+4851"};
  r.accounts = {7, 9};
  r.connectors = {"x"};
  o.rules.push_back(r);
  RoutingTable table = MustCreate(o);

  EXPECT_THAT(table.Route(Msg("+48510000000", MessageType::kFull, 9), 0), ElementsAre("x"));
  EXPECT_THAT(table.Route(Msg("+48500000000", MessageType::kEco, 7), 0), ElementsAre("x"));
  // Each condition must hold.
  EXPECT_THAT(table.Route(Msg("+48520000000", MessageType::kEco, 7), 0), ElementsAre("simnet"));
  EXPECT_THAT(table.Route(Msg("+48500000000", MessageType::kVoice, 7), 0), ElementsAre("simnet"));
  EXPECT_THAT(table.Route(Msg("+48500000000", MessageType::kEco, 8), 0), ElementsAre("simnet"));
}

TEST(RoutingTest, AccountOnlyRule) {
  RoutingOptions o;
  o.rules.push_back({"vip", {}, {}, {42}, {"premium", "a"}, false});
  RoutingTable table = MustCreate(o);
  EXPECT_THAT(table.Route(Msg("+1555", MessageType::kFull, 42), 5), ElementsAre("premium", "a"));
  EXPECT_THAT(table.Route(Msg("+1555", MessageType::kFull, 41), 5), ElementsAre("simnet"));
  // A rule without types carries SMS only; MMS takes the media route.
  EXPECT_THAT(table.Route(Msg("+1555", MessageType::kMms, 42), 5), ElementsAre("simnet"));
}

TEST(RoutingTest, RoundRobinRotatesAndKeepsTheOthersAsFailover) {
  RoutingOptions o;
  o.rules.push_back({"rr", {}, {}, {}, {"a", "b", "c"}, true});
  RoutingTable table = MustCreate(o);
  EXPECT_THAT(table.Route(Msg("+48"), 0), ElementsAre("a", "b", "c"));
  EXPECT_THAT(table.Route(Msg("+48"), 1), ElementsAre("b", "c", "a"));
  EXPECT_THAT(table.Route(Msg("+48"), 2), ElementsAre("c", "a", "b"));
  EXPECT_THAT(table.Route(Msg("+48"), 3), ElementsAre("a", "b", "c"));
}

TEST(RoutingTest, WithoutRoundRobinTheSequenceIsIgnored) {
  RoutingOptions o;
  o.rules.push_back({"fo", {}, {}, {}, {"a", "b"}, false});
  RoutingTable table = MustCreate(o);
  EXPECT_THAT(table.Route(Msg("+48"), 1), ElementsAre("a", "b"));
}

TEST(RoutingTest, RejectsBadConfiguration) {
  RoutingOptions empty_rule;
  empty_rule.rules.push_back({"r", {}, {}, {}, {}, false});
  EXPECT_EQ(RoutingTable::Create(empty_rule).error().code, ErrorCode::kInvalidArgument);

  RoutingOptions bad_prefix;
  bad_prefix.rules.push_back({"r", {}, {"+48a"}, {}, {"x"}, false});
  auto r = RoutingTable::Create(bad_prefix);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("+48a"), std::string::npos);

  RoutingOptions plus_only;
  plus_only.rules.push_back({"r", {}, {"+"}, {}, {"x"}, false});
  EXPECT_FALSE(RoutingTable::Create(plus_only).ok());

  RoutingOptions twice;
  twice.rules.push_back({"r", {}, {}, {}, {"x", "x"}, false});
  EXPECT_FALSE(RoutingTable::Create(twice).ok());

  RoutingOptions no_default;
  no_default.default_route.clear();
  EXPECT_FALSE(RoutingTable::Create(no_default).ok());
}

TEST(RoutingTest, CheckConnectorsNamesTheUnknownOne) {
  RoutingOptions o;
  o.rules.push_back({"pl", {}, {"+48"}, {}, {"smsc-a", "smsc-b"}, false});
  RoutingTable table = MustCreate(o);
  EXPECT_TRUE(table.CheckConnectors({"simnet", "smsc-a", "smsc-b"}).ok());
  auto r = table.CheckConnectors({"simnet", "smsc-a"});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("smsc-b"), std::string::npos);
  EXPECT_NE(r.error().message.find("pl"), std::string::npos);
  EXPECT_FALSE(table.CheckConnectors({"smsc-a", "smsc-b"}).ok());  // default "simnet"
}

TEST(RoutingTest, PhoneHasPrefixIgnoresThePlus) {
  EXPECT_TRUE(PhoneHasPrefix("+48500", "48"));
  EXPECT_TRUE(PhoneHasPrefix("+48500", "+485"));
  EXPECT_TRUE(PhoneHasPrefix("48500", "+48500"));
  EXPECT_FALSE(PhoneHasPrefix("+48500", "+485001"));
  EXPECT_FALSE(PhoneHasPrefix("+49500", "+48"));
  EXPECT_TRUE(PhoneHasPrefix("+48", ""));
}

}  // namespace
}  // namespace bramka::delivery

namespace bramka::delivery {
namespace {

// Voice and MMS are not SMS: only a route naming their type takes them (routing.h).
TEST(RoutingTest, MediaTakesOnlyRoutesThatNameItsType) {
  RoutingOptions o;
  o.rules.push_back({"all-pl", {}, {"+48"}, {}, {"smsc-a"}, false});
  o.rules.push_back({"voice", {MessageType::kVoice}, {"+4860"}, {}, {"voice-gw"}, false});
  o.default_route = {"smsc-a"};
  RoutingTable table = MustCreate(o);
  EXPECT_THAT(table.Route(Msg("+48500100200", MessageType::kEco), 0), ElementsAre("smsc-a"));
  EXPECT_THAT(table.Route(Msg("+48500100200", MessageType::kVoice), 0), ElementsAre("simnet"));
  EXPECT_THAT(table.Route(Msg("+48600100200", MessageType::kVoice), 0), ElementsAre("voice-gw"));
  EXPECT_THAT(table.Route(Msg("+48600100200", MessageType::kMms), 0), ElementsAre("simnet"));
  EXPECT_EQ(table.Match(Msg("+48500100200", MessageType::kMms)), nullptr);

  o.media_route.clear();  // simnet disabled: no way out for media
  RoutingTable no_media = MustCreate(o);
  EXPECT_TRUE(no_media.Route(Msg("+48500100200", MessageType::kMms), 0).empty());
  EXPECT_THAT(no_media.Route(Msg("+48500100200", MessageType::kFull), 0), ElementsAre("smsc-a"));
}

TEST(RoutingTest, SenderRulesMatchExactNamesAndEmptyMeansEco) {
  RoutingOptions o;
  RouteRule bank{"bank", {}, {}, {}, {"a"}, false};
  bank.senders = {"BANK"};
  RouteRule eco{"eco-only", {}, {}, {}, {"b"}, false};
  eco.senders = {""};
  o.rules = {bank, eco};
  o.default_route = {"d"};
  RoutingTable table = MustCreate(o);
  store::Message m = Msg("+48500100200", MessageType::kFull);
  m.sender = "BANK";
  EXPECT_THAT(table.Route(m, 0), ElementsAre("a"));
  m.sender = "Bank";
  EXPECT_THAT(table.Route(m, 0), ElementsAre("d"));
  EXPECT_THAT(table.Route(Msg("+48500100200"), 0), ElementsAre("b"));
}

TEST(RoutingTest, WeightsSpreadThePrimaryInProportionAndKeepFailover) {
  RoutingOptions o;
  RouteRule rule{"weighted", {}, {}, {}, {"a", "b", "c"}, false};
  rule.weights = {3, 1, 0};
  o.rules = {rule};
  RoutingTable table = MustCreate(o);
  int first_a = 0, first_b = 0;
  for (uint64_t seq = 0; seq < 400; ++seq) {
    auto route = table.Route(Msg("+48500100200"), seq);
    ASSERT_EQ(route.size(), 3u);
    if (route[0] == "a") {
      ++first_a;
      EXPECT_THAT(route, ElementsAre("a", "b", "c"));
    } else {
      ASSERT_EQ(route[0], "b");
      ++first_b;
      EXPECT_THAT(route, ElementsAre("b", "c", "a"));
    }
  }
  EXPECT_EQ(first_a, 300);
  EXPECT_EQ(first_b, 100);
}

TEST(RoutingTest, RejectsBadWeightsAndPrices) {
  RoutingOptions o;
  RouteRule rule{"w", {}, {}, {}, {"a", "b"}, false};
  rule.weights = {1};
  o.rules = {rule};
  auto r = RoutingTable::Create(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("1 weights for 2 connectors"), std::string::npos);
  o.rules[0].weights = {0, 0};
  EXPECT_NE(RoutingTable::Create(o).error().message.find("add up to 0"), std::string::npos);
  o.rules[0].weights = {};
  o.rules[0].price_micro_pln = -1;
  EXPECT_NE(RoutingTable::Create(o).error().message.find("price"), std::string::npos);
}

}  // namespace
}  // namespace bramka::delivery
