// ActionHandler over a real core::GatewayService on an InMemoryStore: the
// actions' parameter mapping and answers, without sockets.
#include "api/http/actions.h"

#include <gtest/gtest.h>

#include <future>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::api::http {
namespace {

using store::MessageType;

class ActionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kFull, 20, "").ok());
    ASSERT_TRUE(gw_->SetSenderStatus("acme", "INFORMACJA", store::SenderStatus::kAuthorized).ok());
    token_ = *gw_->CreateToken("acme", "test");
    handler_ = std::make_unique<ActionHandler>(*gw_);
  }

  // Runs `path` with a JSON body, authenticated by token unless `auth` says
  // otherwise, and waits for the answer.
  ApiAnswer Call(std::string_view path, std::string_view json, std::string token = "*") {
    ApiRequest req;
    req.route = ParseRoute(path);
    auto tree = DecodeJson(json);
    EXPECT_TRUE(tree.ok()) << json;
    req.params = Params(tree.ok() ? *tree : ParamTree::object());
    req.bearer_token = token == "*" ? token_ : token;
    std::promise<ApiAnswer> promise;
    auto future = promise.get_future();
    handler_->Handle(std::move(req), [&promise](ApiAnswer a) { promise.set_value(std::move(a)); });
    return future.get();
  }

  static int Code(const ApiAnswer& a) {
    return a.body.contains("error") ? a.body["error"]["code"].get<int>() : 0;
  }

  std::string SendOne(std::string_view extra = "") {
    ApiAnswer a = Call("/messages/send_sms", std::string(R"({"phone":"500600700","text":"Hi",)") +
                                                 std::string(extra) + R"("details":true})");
    EXPECT_EQ(Code(a), 0) << a.body.dump();
    return a.body["items"][0]["id"].get<std::string>();
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  std::unique_ptr<ActionHandler> handler_;
  std::string token_;
};

TEST_F(ActionsTest, UnknownActionsAre1000BeforeAuthentication) {
  for (const char* path : {"/messages/nope", "/", "/groups/nope", "/Messages/send_sms"}) {
    ApiAnswer a = Call(path, "{}", "");
    EXPECT_EQ(Code(a), 1000) << path;
    EXPECT_EQ(a.error_code, 1000);
    EXPECT_EQ(a.body["error"]["type"], "InvalidAction");
  }
}

TEST_F(ActionsTest, ErrorPreviewNeedsNoCredentials) {
  ApiAnswer a = Call("/error/1001.json", "{}", "");
  EXPECT_EQ(
      a.body.dump(),
      R"({"error":{"code":1001,"type":"InvalidUser","message":"Nieprawidłowy login lub hasło"}})");
  EXPECT_EQ(Code(Call("/error/3102", "{}", "")), 3102);
  EXPECT_EQ(Code(Call("/error/77", "{}", "")), 2002);
  EXPECT_EQ(Code(Call("/error/", "{}", "")), 2002);
}

TEST_F(ActionsTest, Authentication) {
  EXPECT_EQ(Code(Call("/account/limits", "{}", "")), 1001);
  EXPECT_EQ(Code(Call("/account/limits", "{}", "0123456789abcdef0123456789abcdef")), 1001);
  EXPECT_EQ(Code(Call("/account/limits", R"({"username":"acme","password":"bad"})", "")), 1001);
  EXPECT_EQ(Code(Call("/account/limits", R"({"username":"acme"})", "")), 1001);
  EXPECT_EQ(Code(Call("/account/limits", R"({"username":"acme","password":"secret"})", "")), 0);
  // The token wins over (wrong) body credentials.
  EXPECT_EQ(Code(Call("/account/limits", R"({"username":"acme","password":"bad"})")), 0);
}

TEST_F(ActionsTest, SendSmsWithDetails) {
  ApiAnswer a = Call("/messages/send_sms.json",
                     R"({"phone":["500600700","+48600700800","12"],"text":"Zażółć",)"
                     R"("details":"1","system":"client_php","sender":null,"unique_id":null})");
  ASSERT_EQ(Code(a), 0) << a.body.dump();
  EXPECT_EQ(a.body["success"], true);
  EXPECT_EQ(a.body["queued"], 2);
  EXPECT_EQ(a.body["unsent"], 1);
  const auto& items = a.body["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["phone"], "+48500600700");
  EXPECT_EQ(items[0]["status"], "queued");
  EXPECT_EQ(items[0]["id"].get<std::string>().size(), 10u);
  EXPECT_EQ(items[0]["parts"], 1);
  EXPECT_EQ(items[0]["text"], "Zazolc");  // ECO is transliterated
  EXPECT_EQ(items[0]["queued"], FormatApiTime(clock_.Now()));
  EXPECT_EQ(items[1]["phone"], "+48600700800");
  EXPECT_EQ(items[2]["status"], "unsent");
  EXPECT_EQ(items[2]["error_code"], 2001);
  EXPECT_EQ(items[2]["error_message"], "Nieprawidłowy numer telefonu");
  EXPECT_FALSE(items[2].contains("id"));
  // Key order as in the spec's example.
  EXPECT_EQ(a.body.dump().rfind(R"({"success":true,"queued":2,"unsent":1,"items":[{"id":)", 0), 0u);
}

TEST_F(ActionsTest, SendSmsWithoutDetailsHasNoItems) {
  ApiAnswer a = Call("/messages/send_sms", R"({"phone":"500600700,600700800","text":"Hi"})");
  ASSERT_EQ(Code(a), 0);
  EXPECT_EQ(a.body.dump(), R"({"success":true,"queued":2,"unsent":0})");
}

TEST_F(ActionsTest, SendSmsErrors) {
  EXPECT_EQ(Code(Call("/messages/send_sms", R"({"text":"Hi"})")), 2000);
  ApiAnswer missing_text = Call("/messages/send_sms", R"({"phone":"500600700"})");
  EXPECT_EQ(Code(missing_text), 2000);
  EXPECT_NE(missing_text.body["error"]["message"].get<std::string>().find("text"),
            std::string::npos);
  // An unknown group: 1004 naming it.
  ApiAnswer unknown_group = Call("/messages/send_sms", R"({"group_id":17293087,"text":"Hi"})");
  EXPECT_EQ(Code(unknown_group), 1004);
  EXPECT_NE(unknown_group.body["error"]["message"].get<std::string>().find("group 17293087"),
            std::string::npos);
  EXPECT_EQ(Code(Call("/messages/send_sms", R"({"group_id":"abc","text":"Hi"})")), 1006);
  EXPECT_EQ(Code(Call("/messages/send_sms", R"({"phone":"500600700","text":""})")), 3101);
  EXPECT_EQ(Code(Call("/messages/send_sms",
                      R"({"phone":"500600700","text":")" + std::string(919, 'a') + "\"}")),
            3102);
  EXPECT_EQ(
      Code(Call("/messages/send_sms", R"({"phone":"500600700","text":"x","details":"maybe"})")),
      1006);
  EXPECT_EQ(
      Code(Call("/messages/send_sms", R"({"phone":"500600700","text":"x","date":"tomorrow"})")),
      1006);
  EXPECT_EQ(Code(Call("/messages/send_sms", R"({"phone":"500600700","text":"x","sender":"NOPE"})")),
            3103);
  EXPECT_EQ(Code(Call("/messages/send_sms",
                      R"({"phone":"500600700","text":"x","unique_id":["a1b2","c3d4"]})")),
            2003);
  // 21 FULL parts against a balance of 20.
  std::string phones = R"(["500600700")";
  for (int i = 0; i < 20; ++i) phones += R"(,"500600700")";
  EXPECT_EQ(Code(Call("/messages/send_sms",
                      R"({"phone":)" + phones + R"(],"text":"x","sender":"INFORMACJA"})")),
            3002);
}

TEST_F(ActionsTest, SendSmsFullWithFlagsAndUniqueId) {
  ApiAnswer a = Call("/messages/send_sms",
                     R"({"phone":"500600700","text":"Zażółć","sender":"INFORMACJA","utf":true,)"
                     R"("flash":"true","speed":1,"unique_id":"order123","details":true})");
  ASSERT_EQ(Code(a), 0) << a.body.dump();
  EXPECT_EQ(a.body["items"][0]["unique_id"], "order123");
  ApiAnswer v = Call("/messages/view", R"({"unique_id":"order123"})");
  ASSERT_EQ(Code(v), 0);
  EXPECT_EQ(v.body["type"], "full");
  EXPECT_EQ(v.body["sender"], "INFORMACJA");
  EXPECT_EQ(v.body["text"], "Zażółć");
  ApiAnswer r = Call("/messages/reports", R"({"unique_id":["order123"]})");
  ASSERT_EQ(r.body["items"].size(), 1u);
  EXPECT_EQ(r.body["items"][0]["utf"], true);
  EXPECT_EQ(r.body["items"][0]["flash"], true);
}

TEST_F(ActionsTest, TestModeAnswersButStoresNothing) {
  ApiAnswer a = Call("/messages/send_sms", R"({"phone":"500600700","text":"x","test":true})");
  ASSERT_EQ(Code(a), 0);
  EXPECT_EQ(a.body["queued"], 1);
  EXPECT_EQ(Call("/messages/reports", "{}").body["items"].size(), 0u);
}

TEST_F(ActionsTest, View) {
  const std::string id = SendOne();
  ApiAnswer v = Call("/messages/view", R"({"id":")" + id + R"(","show_contact":true})");
  ASSERT_EQ(Code(v), 0) << v.body.dump();
  EXPECT_EQ(v.body["id"], id);
  EXPECT_EQ(v.body["phone"], "+48500600700");
  EXPECT_EQ(v.body["status"], "in_progress");
  EXPECT_EQ(v.body["queued"], FormatApiTime(clock_.Now()));
  EXPECT_TRUE(v.body["sent"].is_null());
  EXPECT_TRUE(v.body["delivered"].is_null());
  EXPECT_TRUE(v.body["sender"].is_null());
  EXPECT_EQ(v.body["type"], "eco");
  EXPECT_EQ(v.body["text"], "Hi");
  EXPECT_TRUE(v.body.contains("contact"));
  // id as a one-element list works too.
  EXPECT_EQ(Code(Call("/messages/view", R"({"id":[")" + id + R"("]})")), 0);
  EXPECT_EQ(Code(Call("/messages/view", R"({"id":"ffffffffff"})")), 1004);
  EXPECT_EQ(Code(Call("/messages/view", R"({"unique_id":"nope1"})")), 1004);
  EXPECT_EQ(Code(Call("/messages/view", "{}")), 2000);
}

TEST_F(ActionsTest, ReportsFiltersAndPaging) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(SendOne());
  ApiAnswer other = Call("/messages/send_sms", R"({"phone":"600700800","text":"x"})");
  ASSERT_EQ(Code(other), 0);

  ApiAnswer all = Call("/messages/reports", R"({"page":1,"limit":2})");
  ASSERT_EQ(Code(all), 0) << all.body.dump();
  EXPECT_EQ(all.body["paging"]["page"], 1);
  EXPECT_EQ(all.body["paging"]["count"], 3);  // 6 messages, 2 per page
  ASSERT_EQ(all.body["items"].size(), 2u);
  const auto& item = all.body["items"][0];
  for (const char* key : {"id", "phone", "status", "queued", "sent", "delivered", "sender", "type",
                          "text", "flash", "utf", "parts", "cost", "reason"}) {
    EXPECT_TRUE(item.contains(key)) << key;
  }
  EXPECT_TRUE(item["cost"].is_number_float());
  EXPECT_DOUBLE_EQ(item["cost"].get<double>(), 1.0);
  EXPECT_EQ(item["flash"], false);

  EXPECT_EQ(Call("/messages/reports", R"({"phone":"600700800"})").body["items"].size(), 1u);
  EXPECT_EQ(Call("/messages/reports", R"({"phone":"+48 500 600 700"})").body["items"].size(), 5u);
  EXPECT_EQ(Call("/messages/reports", R"({"id":[")" + ids[0] + R"(",")" + ids[1] + R"("]})")
                .body["items"]
                .size(),
            2u);
  EXPECT_EQ(Call("/messages/reports", R"({"id":")" + ids[0] + "," + ids[2] + R"("})")
                .body["items"]
                .size(),
            2u);
  EXPECT_EQ(Call("/messages/reports", R"({"status":"in_progress"})").body["items"].size(), 6u);
  EXPECT_EQ(Call("/messages/reports", R"({"status":"pending"})").body["items"].size(), 6u);
  EXPECT_EQ(Call("/messages/reports", R"({"status":"delivered"})").body["items"].size(), 0u);
  EXPECT_EQ(Call("/messages/reports", R"({"type":"full"})").body["items"].size(), 0u);
  EXPECT_EQ(Call("/messages/reports", R"({"type":"eco","date_from":"2000-01-01",)"
                                      R"("date_to":"2000-01-02"})")
                .body["items"]
                .size(),
            0u);
  const std::string today = FormatApiTime(clock_.Now()).substr(0, 10);
  EXPECT_EQ(
      Call("/messages/reports", R"({"date_from":")" + today + R"(","date_to":")" + today + R"("})")
          .body["items"]
          .size(),
      6u);
  ApiAnswer none = Call("/messages/reports", R"({"status":"sent"})");
  EXPECT_EQ(none.body["paging"]["count"], 1);
  EXPECT_EQ(Code(Call("/messages/reports", R"({"status":"lost"})")), 1006);
  EXPECT_EQ(Code(Call("/messages/reports", R"({"type":"fax"})")), 1006);
  EXPECT_EQ(Code(Call("/messages/reports", R"({"date_from":"yesterday"})")), 1006);
  EXPECT_EQ(Code(Call("/messages/reports", R"({"page":"x"})")), 1006);
}

TEST_F(ActionsTest, DeleteScheduled) {
  const std::string id = SendOne(R"("date":"2035-01-01 12:00:00",)");
  EXPECT_EQ(Call("/messages/view", R"({"id":")" + id + R"("})").body["status"], "saved");
  ApiAnswer d = Call("/messages/delete", R"({"id":[")" + id + R"("]})");
  EXPECT_EQ(d.body.dump(), R"({"success":true,"correct":1,"failed":0})");
  ApiAnswer again = Call("/messages/delete", R"({"id":")" + id + R"("})");
  EXPECT_EQ(again.body.dump(), R"({"success":false,"correct":0,"failed":1})");
  EXPECT_EQ(Code(Call("/messages/delete", "{}")), 2000);
}

TEST_F(ActionsTest, Limits) {
  auto account = store_.FindAccountByName("acme");
  ASSERT_TRUE(account.ok());
  ASSERT_TRUE(store_.SetBalanceMode(account->id, MessageType::kVoice, false, false).ok());
  ASSERT_TRUE(store_.SetBalanceMode(account->id, MessageType::kHlr, true, true).ok());
  ApiAnswer a = Call("/account/limits", R"({"show_type":true})");
  ASSERT_EQ(Code(a), 0);
  EXPECT_EQ(a.body.dump(), R"({"account":{"type":"prepaid"},"items":[)"
                           R"({"type":"eco","chars_limit":"918/6","value":"100"},)"
                           R"({"type":"full","chars_limit":"918/6","value":"20"},)"
                           R"({"type":"voice","chars_limit":"160/1","value":"not_available"},)"
                           R"({"type":"mms","chars_limit":"40/1","value":"0"},)"
                           R"({"type":"lookup","chars_limit":"nd","value":"0"},)"
                           R"({"type":"hlr","chars_limit":"nd","value":"no_limit"}]})");
  EXPECT_FALSE(Call("/account/limits", "{}").body.contains("account"));
}

TEST(ActionHandlerLabelsTest, BoundedLabels) {
  EXPECT_EQ(ActionHandler::MetricLabel("messages/send_sms"), "messages/send_sms");
  EXPECT_EQ(ActionHandler::MetricLabel("templates/view"), "templates/view");
  EXPECT_EQ(ActionHandler::MetricLabel("error"), "error");
  EXPECT_EQ(ActionHandler::MetricLabel("x/<script>"), "unknown");
}

}  // namespace
}  // namespace bramka::api::http
