// The accounts-area actions (actions_accounts.cc) over a real GatewayService
// on an InMemoryStore: parameters, answer shapes (spec §4.12, §4.13, §4.17),
// error codes, and the login checks (1003, 1012).
#include <gtest/gtest.h>

#include <future>

#include "api/http/actions.h"
#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::api::http {
namespace {

using store::MessageType;

class AccountsActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    core::CoreOptions options;
    options.predefined_senders = {"SMSINFO"};
    options.operator_contact.telephone = "+48 22 000 00 00";
    options.operator_contact.maintainer_name = "Anna";
    options.login_throttle.max_failures_per_username = 2;
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, options);
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    token_ = *gw_->CreateToken("acme", "test");
    handler_ = std::make_unique<ActionHandler>(*gw_);
  }

  ApiAnswer Call(std::string_view path, std::string_view json, std::string token = "*",
                 std::string ip = "127.0.0.1") {
    ApiRequest req;
    req.route = ParseRoute(path);
    auto tree = DecodeJson(json);
    EXPECT_TRUE(tree.ok()) << json;
    req.params = Params(tree.ok() ? *tree : ParamTree::object());
    req.bearer_token = token == "*" ? token_ : token;
    req.remote_ip = ip;
    std::promise<ApiAnswer> promise;
    auto future = promise.get_future();
    handler_->Handle(std::move(req), [&promise](ApiAnswer a) { promise.set_value(std::move(a)); });
    return future.get();
  }

  static int Code(const ApiAnswer& a) {
    return a.body.contains("error") ? a.body["error"]["code"].get<int>() : 0;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  std::unique_ptr<ActionHandler> handler_;
  std::string token_;
};

TEST_F(AccountsActionsTest, SubaccountsShapesAndCodes) {
  ApiAnswer add = Call("/subaccounts/add", R"({"subaccount_username":"wojtek",
      "subaccount_password":"haslo","name":"Wojciech","phone":"730856000",
      "email":"wojtek@mail.com"})");
  ASSERT_EQ(Code(add), 0) << add.body.dump();
  EXPECT_EQ(add.body["success"], true);
  const int64_t id = add.body["id"].get<int64_t>();
  EXPECT_EQ(Call("/subaccounts/index", "{}").body.dump(),
            R"({"items":[{"id":)" + std::to_string(id) + R"(,"username":"wojtek"}]})");
  EXPECT_EQ(
      Call("/subaccounts/view", R"({"id":)" + std::to_string(id) + "}").body.dump(),
      R"({"id":)" + std::to_string(id) +
          R"(,"username":"wojtek","name":"Wojciech","phone":"+48730856000","email":"wojtek@mail.com"})");
  EXPECT_EQ(Code(Call("/subaccounts/view", R"({"id":123})")), 1004);
  EXPECT_EQ(Code(Call("/subaccounts/view", "{}")), 2000);
  EXPECT_EQ(Code(Call("/subaccounts/view", R"({"id":"abc"})")), 1006);
  EXPECT_EQ(Code(Call("/subaccounts/add", R"({"subaccount_username":"wojtek",
      "subaccount_password":"x"})")),
            4502);
  EXPECT_EQ(Code(Call("/subaccounts/add", R"({"subaccount_username":"x2",
      "subaccount_password":"x","subaccount_id":123})")),
            4500);
  EXPECT_EQ(Code(Call("/subaccounts/add", R"({"subaccount_password":"x"})")), 2000);

  const std::string limit = R"({"id":)" + std::to_string(id) + R"(,"type":"eco","value":40})";
  EXPECT_EQ(Call("/subaccounts/limit", limit).body.dump(),
            R"({"success":true,"id":)" + std::to_string(id) + "}");
  EXPECT_EQ(Code(Call("/subaccounts/limit",
                      R"({"id":)" + std::to_string(id) + R"(,"type":"eco","value":1000})")),
            4503);
  EXPECT_EQ(Code(Call("/subaccounts/limit",
                      R"({"id":)" + std::to_string(id) + R"(,"type":"sms","value":1})")),
            1006);
  EXPECT_EQ(Call("/subaccounts/limit", R"({"id":999,"type":"eco","value":1})").body.dump(),
            R"({"success":false})");

  // Another main account: soft failures and 1004, never the record.
  const std::string other_token = *gw_->CreateToken("other", "");
  EXPECT_EQ(
      Call("/subaccounts/delete", R"({"id":)" + std::to_string(id) + "}", other_token).body.dump(),
      R"({"success":false})");
  EXPECT_EQ(Code(Call("/subaccounts/view", R"({"id":)" + std::to_string(id) + "}", other_token)),
            1004);
  EXPECT_EQ(Call("/subaccounts/index", "{}", other_token).body.dump(), R"({"items":[]})");

  EXPECT_EQ(Call("/subaccounts/delete", R"({"id":)" + std::to_string(id) + "}").body.dump(),
            R"({"success":true})");
  EXPECT_EQ(Call("/subaccounts/index", "{}").body.dump(), R"({"items":[]})");
}

TEST_F(AccountsActionsTest, SendersAddAndIndex) {
  EXPECT_EQ(Call("/senders/add", R"({"name":"NewSender"})").body.dump(), R"({"success":true})");
  EXPECT_EQ(Code(Call("/senders/add", R"({"name":"NewSender"})")), 4407);
  EXPECT_EQ(Code(Call("/senders/add", "{}")), 2000);
  EXPECT_EQ(Code(Call("/senders/add", R"({"name":"Far too long name"})")), 1006);
  EXPECT_EQ(
      Call("/senders/index", "{}").body.dump(),
      R"({"items":[{"name":"NewSender","agreement":"required","status":"pending_authorization"}]})");
  EXPECT_EQ(Call("/senders/index", R"({"predefined":true})").body.dump(),
            R"({"items":[{"name":"SMSINFO","agreement":"not_required","status":"authorized"}]})");
  EXPECT_EQ(Call("/senders/index", R"({"type":"mms"})").body.dump(), R"({"items":[]})");
  EXPECT_EQ(Code(Call("/senders/index", R"({"sort":"status"})")), 1006);
  EXPECT_EQ(Code(Call("/senders/index", R"({"order":"up"})")), 1006);
  // Pending: sending with it is refused.
  EXPECT_EQ(
      Code(Call("/messages/send_sms", R"({"phone":"500600700","text":"x","sender":"NewSender"})")),
      3103);
}

TEST_F(AccountsActionsTest, AccountAddHelpMessages) {
  EXPECT_EQ(Call("/account/add", R"({"phone":"+48500600700","email":"mail@test.com",
      "first_name":"John","last_name":"Doe","company":"ACME"})")
                .body.dump(),
            R"({"success":true})");
  EXPECT_EQ(Code(Call("/account/add", R"({"phone":"+48500600700"})")), 2000);
  EXPECT_EQ(Code(Call("/account/add", R"({"phone":"1","email":"mail@test.com"})")), 2001);
  ApiAnswer help = Call("/account/help", "{}");
  EXPECT_EQ(help.body["telephone"], "+48 22 000 00 00");
  EXPECT_TRUE(help.body["email"].is_null());
  EXPECT_EQ(help.body["account_maintainer"]["name"], "Anna");
  ASSERT_TRUE(gw_->PostAccountMessage("acme", "Hello").ok());
  ApiAnswer first = Call("/account/messages", "{}");
  ASSERT_EQ(first.body["items"].size(), 1u);
  EXPECT_EQ(first.body["items"][0]["new"], true);
  EXPECT_EQ(first.body["items"][0]["message"], "Hello");
  EXPECT_EQ(Call("/account/messages", "{}").body["items"][0]["new"], false);
}

TEST_F(AccountsActionsTest, AllowlistAndThrottlingCodes) {
  ASSERT_TRUE(gw_->SetAllowedIps("acme", {"10.0.0.0/8"}).ok());
  EXPECT_EQ(Code(Call("/account/limits", "{}", "*", "127.0.0.1")), 1003);
  EXPECT_EQ(Code(Call("/account/limits", "{}", "*", "10.1.2.3")), 0);
  ApiAnswer form = Call("/account/limits", R"({"username":"other","password":"bad"})", "");
  EXPECT_EQ(Code(form), 1001);
  EXPECT_EQ(Code(Call("/account/limits", R"({"username":"other","password":"bad"})", "")), 1001);
  ApiAnswer throttled = Call("/account/limits", R"({"username":"other","password":"secret"})", "");
  EXPECT_EQ(Code(throttled), 1012) << throttled.body.dump();
  EXPECT_EQ(throttled.body["error"]["type"], "TooManyRequests");
}

}  // namespace
}  // namespace bramka::api::http
