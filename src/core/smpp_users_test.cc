// GatewayService: SMPP logins (AuthenticateSmpp, CreateSmppUser) and the outbox.

#include <gtest/gtest.h>

#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

class SmppUsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
  }
  Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
};

TEST_F(SmppUsersTest, CreateValidatesAndAuthenticates) {
  EXPECT_EQ(gw_->CreateSmppUser("acme", "", "pw", {}, 1, 1).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(gw_->CreateSmppUser("acme", "u", "toolongpw", {}, 1, 1).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(gw_->CreateSmppUser("acme", "u", "pw", {"10.0.0.0/99"}, 1, 1).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(gw_->CreateSmppUser("nobody", "u", "pw", {}, 1, 1).error().code, ErrorCode::kNotFound);
  auto id = gw_->CreateSmppUser("acme", "acme1", "pw", {"10.0.0.0/8"}, 2, 5);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  EXPECT_EQ(gw_->CreateSmppUser("acme", "acme1", "pw2", {}, 1, 1).error().code,
            ErrorCode::kAlreadyExists);

  auto login = gw_->AuthenticateSmpp("acme1", "pw", "10.1.2.3");
  ASSERT_TRUE(login.ok()) << login.error().ToString();
  EXPECT_EQ(login->caller.account_name, "acme");
  EXPECT_EQ(login->user.id, *id);
  EXPECT_EQ(login->user.max_binds, 2);
  EXPECT_EQ(login->user.tps, 5);
  EXPECT_NE(login->user.password_hash, "pw");

  auto wrong = gw_->AuthenticateSmpp("acme1", "nope", "10.1.2.3");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(FailureOf(wrong.error()), Failure::kInvalidUser);
  EXPECT_EQ(FailureOf(gw_->AuthenticateSmpp("ghost", "pw", "10.1.2.3").error()),
            Failure::kInvalidUser);
  auto ip = gw_->AuthenticateSmpp("acme1", "pw", "127.0.0.1");
  ASSERT_FALSE(ip.ok());
  EXPECT_EQ(ip.error().code, ErrorCode::kPermissionDenied);
  EXPECT_EQ(FailureOf(ip.error()), Failure::kIpNotAllowed);

  auto all = gw_->ListSmppUsers();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
}

TEST_F(SmppUsersTest, OutboxQueueListAck) {
  auto a = gw_->QueueSmppDeliver(3, "00000000aa", "pdu-a");
  auto b = gw_->QueueSmppDeliver(3, "00000000bb", "pdu-b");
  ASSERT_TRUE(a.ok() && b.ok());
  auto pending = gw_->PendingSmppDelivers(3, 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 2u);
  EXPECT_EQ((*pending)[0].pdu, "pdu-a");
  ASSERT_TRUE(gw_->AckSmppDeliver(*a).ok());
  EXPECT_EQ(gw_->PendingSmppDelivers(3, 10)->size(), 1u);
}

// ---- reliability area (issue 12): failed binds are throttled like API logins ----
TEST(SmppBindThrottleTest, TooManyWrongPasswordsBlockTheSystemIdWithoutChecking) {
  store::InMemoryStore store;
  FakeClock clock;
  CoreOptions options;
  options.login_throttle.max_failures_per_address = 100;
  options.login_throttle.max_failures_per_username = 3;
  options.login_throttle.window = std::chrono::seconds(60);
  options.login_throttle.block = std::chrono::seconds(30);
  GatewayService gw(store, clock, options);
  ASSERT_TRUE(gw.CreateAccount("acme", "secret").ok());
  ASSERT_TRUE(gw.CreateSmppUser("acme", "acme1", "pw", {}, 0, 0).ok());
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(static_cast<Failure>(gw.AuthenticateSmpp("acme1", "bad", "10.0.0.1").error().detail),
              Failure::kInvalidUser);
  }
  // Blocked now, even with the right password and from another address.
  auto blocked = gw.AuthenticateSmpp("acme1", "pw", "10.0.0.2");
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code, ErrorCode::kThrottled);
  EXPECT_EQ(static_cast<Failure>(blocked.error().detail), Failure::kLoginThrottled);
  // The API login of the same name is a different key: not blocked.
  EXPECT_TRUE(gw.login_throttle().Blocked("10.0.0.3", "acme1", clock.Now()).count() == 0);
  clock.Advance(std::chrono::seconds(31));
  EXPECT_TRUE(gw.AuthenticateSmpp("acme1", "pw", "10.0.0.2").ok());
}

TEST(SmppBindThrottleTest, UnknownSystemIdsCountPerAddress) {
  store::InMemoryStore store;
  FakeClock clock;
  CoreOptions options;
  options.login_throttle.max_failures_per_address = 4;
  options.login_throttle.max_failures_per_username = 100;
  GatewayService gw(store, clock, options);
  ASSERT_TRUE(gw.CreateAccount("acme", "secret").ok());
  ASSERT_TRUE(gw.CreateSmppUser("acme", "acme1", "pw", {}, 0, 0).ok());
  for (int i = 0; i < 4; ++i)
    (void)gw.AuthenticateSmpp("ghost" + std::to_string(i), "x", "10.9.9.9");
  EXPECT_EQ(static_cast<Failure>(gw.AuthenticateSmpp("acme1", "pw", "10.9.9.9").error().detail),
            Failure::kLoginThrottled);
  EXPECT_TRUE(gw.AuthenticateSmpp("acme1", "pw", "10.9.9.8").ok());
}

}  // namespace
}  // namespace bramka::core
