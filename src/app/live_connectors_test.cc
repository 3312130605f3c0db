// LiveConnectors over a Dispatcher with fake connectors (no sockets): what a reloaded
// config adds, removes and replaces, in which order, and that a bad config changes
// nothing (docs/adr/0015).
#include "app/live_connectors.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "delivery/testing/fake_connector.h"
#include "store/testing/in_memory_store.h"

namespace bramka::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

config::ConnectorConfig Connector(const std::string& name, int port = 2775) {
  config::ConnectorConfig k;
  k.name = name;
  k.host = "127.0.0.1";
  k.port = port;
  k.system_id = "acme";
  k.password = "pw";
  return k;
}

config::RouteConfig RouteTo(std::vector<std::string> connectors) {
  config::RouteConfig r;
  r.connectors = std::move(connectors);
  return r;
}

class LiveConnectorsTest : public ::testing::Test {
 protected:
  LiveConnectorsTest()
      : live_(clock_, metrics_, {"simnet"}, [this](const smpp_client::SmppConnectorOptions& o) {
          made_.push_back(o);
          return std::make_unique<delivery::testing::FakeConnector>(o.name);
        }) {
    cfg_.simnet.enabled = true;
  }

  std::unique_ptr<delivery::Dispatcher> MakeDispatcher() {
    std::map<std::string, delivery::Connector*> connectors = live_.connectors();
    connectors["simnet"] = &simnet_;
    return std::make_unique<delivery::Dispatcher>(store_, clock_, delivery::RoutingTable(),
                                                  connectors, delivery::DispatcherOptions{},
                                                  metrics_);
  }

  FakeClock clock_;
  MetricsRegistry metrics_;
  store::InMemoryStore store_;
  delivery::testing::FakeConnector simnet_{"simnet"};
  std::vector<smpp_client::SmppConnectorOptions> made_;
  LiveConnectors live_;
  config::Config cfg_;
};

TEST_F(LiveConnectorsTest, AddsRemovesAndReplacesWhatChanged) {
  cfg_.connectors = {Connector("a"), Connector("b"), Connector("c")};
  ASSERT_TRUE(live_.Build(cfg_).ok());
  auto d = MakeDispatcher();
  ASSERT_EQ(made_.size(), 3u);

  config::Config next = cfg_;
  next.connectors = {Connector("a"), Connector("b", 2776), Connector("d")};
  next.connectors[0].tps = 0;  // unchanged
  next.routes = {RouteTo({"d", "b"})};
  auto changes = live_.Apply(next, true, *d);
  ASSERT_TRUE(changes.ok()) << changes.error().ToString();
  EXPECT_THAT(changes->added, ElementsAre("d"));
  EXPECT_THAT(changes->removed, ElementsAre("c"));
  EXPECT_THAT(changes->changed, ElementsAre("b"));
  EXPECT_THAT(d->ConnectorNames(), ElementsAre("a", "b", "d", "simnet"));
  EXPECT_EQ(live_.names(), (std::set<std::string>{"a", "b", "d", "simnet"}));
  ASSERT_EQ(made_.size(), 5u);  // d, then the new b
  EXPECT_EQ(made_[3].name, "d");
  EXPECT_EQ(made_[4].name, "b");
  EXPECT_EQ(made_[4].port, 2776);

  // The same config again: nothing to do.
  changes = live_.Apply(next, true, *d);
  ASSERT_TRUE(changes.ok());
  EXPECT_TRUE(changes->empty());
  EXPECT_EQ(made_.size(), 5u);
  d->Stop();
}

TEST_F(LiveConnectorsTest, BadConfigChangesNothing) {
  cfg_.connectors = {Connector("a")};
  ASSERT_TRUE(live_.Build(cfg_).ok());
  auto d = MakeDispatcher();

  config::Config bad_route = cfg_;
  bad_route.connectors = {Connector("b")};
  bad_route.routes = {RouteTo({"a"})};  // names the connector that would go
  EXPECT_EQ(live_.Apply(bad_route, true, *d).error().code, ErrorCode::kInvalidArgument);

  config::Config bad_options = cfg_;
  bad_options.connectors = {Connector("a"), Connector("b")};
  bad_options.connectors[1].password = "far-too-long";
  EXPECT_EQ(live_.Apply(bad_options, true, *d).error().code, ErrorCode::kInvalidArgument);

  config::Config twice = cfg_;
  twice.connectors = {Connector("a"), Connector("a", 1)};
  EXPECT_FALSE(live_.Apply(twice, true, *d).ok());

  EXPECT_THAT(d->ConnectorNames(), ElementsAre("a", "simnet"));
  EXPECT_EQ(made_.size(), 1u);
  d->Stop();
}

TEST_F(LiveConnectorsTest, ConnectorsToOneSmscAccountMatchEachOthersReceipts) {
  cfg_.connectors = {Connector("a"), Connector("other", 9999)};
  ASSERT_TRUE(live_.Build(cfg_).ok());
  EXPECT_THAT(live_.ReceiptAliases(), IsEmpty());
  auto d = MakeDispatcher();
  config::Config next = cfg_;
  next.connectors = {Connector("b"), Connector("other", 9999)};  // a renamed to b
  ASSERT_TRUE(live_.Apply(next, true, *d).ok());
  auto aliases = live_.ReceiptAliases();
  EXPECT_THAT(aliases["b"], ElementsAre("a")) << "b inherits a's late receipts";
  EXPECT_EQ(aliases.count("other"), 0u);
  d->Stop();
}

}  // namespace
}  // namespace bramka::app
