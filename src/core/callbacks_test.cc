// GatewayService: callback URL templates, the outbox views, MO callbacks
// (core/callbacks.cc), and the callback URL rule (core/callback_url.h).

#include <gtest/gtest.h>

#include "core/callback_url.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

class CallbacksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
  }
  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
};

TEST_F(CallbacksTest, SetKeepsClearsAndValidates) {
  auto set = gw_->SetCallbackUrls("acme", "https://shop.example/dlr?id=#SMSID#", std::nullopt);
  ASSERT_TRUE(set.ok()) << set.error().ToString();
  EXPECT_EQ(set->dlr_url, "https://shop.example/dlr?id=#SMSID#");
  EXPECT_EQ(set->mo_url, "");
  set = gw_->SetCallbackUrls("acme", std::nullopt, "http://shop.example/mo");
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->dlr_url, "https://shop.example/dlr?id=#SMSID#");  // kept
  EXPECT_EQ(set->mo_url, "http://shop.example/mo");
  set = gw_->SetCallbackUrls("acme", "", std::nullopt);  // cleared
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(gw_->GetCallbackUrls("acme")->dlr_url, "");
  EXPECT_EQ(gw_->GetCallbackUrls("acme")->mo_url, "http://shop.example/mo");
  EXPECT_EQ(gw_->GetCallbackUrls("other")->mo_url, "");

  auto bad = gw_->SetCallbackUrls("acme", "ftp://x/", std::nullopt);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(static_cast<Failure>(bad.error().detail), Failure::kInvalidParameter);
  EXPECT_NE(bad.error().message.find("DLR"), std::string::npos);
  EXPECT_EQ(gw_->GetCallbackUrls("acme")->mo_url, "http://shop.example/mo");  // nothing changed
  EXPECT_EQ(gw_->SetCallbackUrls("nobody", "http://x/", std::nullopt).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(gw_->GetCallbackUrls("nobody").error().code, ErrorCode::kNotFound);
}

TEST_F(CallbacksTest, IncomingCallbackIsQueuedWithTheMoTemplateAndWakes) {
  int woken = 0;
  gw_->SetCallbackQueuedHook([&woken] { ++woken; });
  auto acme = store_.FindAccountByName("acme");
  GatewayService::IncomingCallback in{acme->id,       "in42", "+48500600700",
                                      "+48799000111", "STOP", 1'700'000'000'000};
  auto none = gw_->QueueIncomingCallback(in);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_FALSE(*none);
  EXPECT_EQ(woken, 0);
  ASSERT_TRUE(gw_->SetCallbackUrls("acme", std::nullopt, "http://shop.example/mo").ok());
  auto queued = gw_->QueueIncomingCallback(in);
  ASSERT_TRUE(queued.ok());
  EXPECT_TRUE(*queued);
  EXPECT_EQ(woken, 1);
  auto list = gw_->ListCallbacks("acme", -1);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].kind, store::CallbackKind::kMo);
  EXPECT_EQ((*list)[0].message_id, "in42");
  EXPECT_EQ((*list)[0].phone, "+48500600700");
  EXPECT_EQ((*list)[0].sender, "+48799000111");
  EXPECT_EQ((*list)[0].status, "received");
  EXPECT_EQ((*list)[0].text, "STOP");
  EXPECT_EQ((*list)[0].created_ms, ToUnixMillis(clock_.Now()));
  EXPECT_TRUE(gw_->ListCallbacks("other", -1)->empty());

  // Given up, then retried by the operator.
  ASSERT_TRUE(store_.FailCallback((*list)[0].id, "too old").ok());
  auto retried = gw_->RetryFailedCallbacks("acme");
  ASSERT_TRUE(retried.ok());
  EXPECT_EQ(*retried, 1);
  EXPECT_EQ(woken, 2);
  EXPECT_EQ(gw_->ListCallbacks("acme", -1)->at(0).state, store::CallbackState::kPending);
}

TEST_F(CallbacksTest, SubmitRefusesADlrUrlThatCannotBeCalled) {
  ASSERT_TRUE(gw_->TopUp("acme", store::MessageType::kEco, 10, "test").ok());
  auto caller = gw_->AuthenticatePassword("acme", "secret");
  ASSERT_TRUE(caller.ok());
  SubmitRequest req;
  req.phones = {"600000001"};
  req.text = "hello";
  req.dlr_url = "shop.example/dlr";
  auto bad = gw_->Submit(*caller, req);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(static_cast<Failure>(bad.error().detail), Failure::kInvalidParameter);
  EXPECT_NE(bad.error().message.find("dlr_url"), std::string::npos);
  req.dlr_url = "https://shop.example/dlr?id=#SMSID#";
  auto ok = gw_->Submit(*caller, req);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  auto m = gw_->ViewMessage(*caller, ok->items[0].id);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->dlr_url, "https://shop.example/dlr?id=#SMSID#");
}

TEST(ValidateCallbackUrlTest, AcceptsHttpAndHttpsOnly) {
  EXPECT_TRUE(ValidateCallbackUrl("http://example.com/x?id=#SMSID#").ok());
  EXPECT_TRUE(ValidateCallbackUrl("https://127.0.0.1:8443/").ok());
  for (const char* bad : {"", "ftp://x/", "example.com/dlr", "http://", "https:///x",
                          "http://h/a b", "http://h/\t", "javascript:alert(1)"}) {
    auto r = ValidateCallbackUrl(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
  }
  EXPECT_FALSE(ValidateCallbackUrl("http://h/" + std::string(2048, 'a')).ok());
}

}  // namespace
}  // namespace bramka::core
