#include "panel/panel.h"

#include <gtest/gtest.h>

#include <future>
#include <nlohmann/json.hpp>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::panel {
namespace {

using api::http::MountedRequest;
using api::http::MountedResponse;
using Json = nlohmann::json;

class PanelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<core::GatewayService>(store_, clock_, core::CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret-pass").ok());
    ASSERT_TRUE(gw_->TopUp("acme", store::MessageType::kEco, 100, "").ok());
    ASSERT_TRUE(SetOperatorPassword(store_, "operator-pass").ok());
    panel_ = std::make_unique<Panel>(*gw_, clock_, PanelOptions{});
  }

  MountedResponse Call(std::string method, std::string path, std::string body = "",
                       std::vector<std::pair<std::string, std::string>> headers = {}) {
    MountedRequest r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.headers.emplace_back("host", "127.0.0.1:8080");
    r.remote_ip = "127.0.0.1";
    std::promise<MountedResponse> p;
    auto f = p.get_future();
    panel_->Handle(std::move(r), [&p](MountedResponse res) { p.set_value(std::move(res)); });
    return f.get();
  }

  static std::string Header(const MountedResponse& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
      if (k == name) return v;
    }
    return {};
  }

  // Logs in; returns {cookie header, csrf token}.
  std::pair<std::string, std::string> LogIn(bool op = false) {
    auto r =
        op ? Call("POST", "/panel/api/operator/login", R"({"password":"operator-pass"})")
           : Call("POST", "/panel/api/login", R"({"username":"acme","password":"secret-pass"})");
    EXPECT_EQ(r.status, 200) << r.body;
    const std::string set_cookie = Header(r, "Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    return {set_cookie.substr(0, set_cookie.find(';')), Json::parse(r.body)["csrf"]};
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<core::GatewayService> gw_;
  std::unique_ptr<Panel> panel_;
};

TEST_F(PanelTest, ServesAssetsWithCspAndEtags) {
  auto r = Call("GET", "/panel/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(Header(r, "Content-Security-Policy").find("script-src 'self'"), std::string::npos);
  EXPECT_EQ(Header(r, "X-Frame-Options"), "DENY");
  EXPECT_EQ(Header(r, "Cache-Control"), "no-cache");
  const std::string etag = Header(r, "ETag");
  auto again = Call("GET", "/panel/index.html", "", {{"if-none-match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(Call("GET", "/panel/app.js").status, 200);
  EXPECT_EQ(Call("GET", "/panel/missing.js").status, 404);
  EXPECT_EQ(Call("GET", "/panel").status, 301);
}

TEST_F(PanelTest, WrongPasswordNamesTheField) {
  auto r = Call("POST", "/panel/api/login", R"({"username":"acme","password":"nope"})");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json::parse(r.body)["error"]["field"], "password");
  EXPECT_TRUE(Header(r, "Set-Cookie").empty());
  r = Call("POST", "/panel/api/login", R"({"username":"","password":"x"})");
  EXPECT_EQ(Json::parse(r.body)["error"]["field"], "username");
  r = Call("POST", "/panel/api/operator/login", R"({"password":"wrong-pass"})");
  EXPECT_EQ(r.status, 401);
}

TEST_F(PanelTest, StateChangesNeedTheCsrfToken) {
  auto [cookie, csrf] = LogIn();
  const std::string limits = "/panel/api/v2/account/limits";
  auto no_csrf = Call("POST", limits, "{}", {{"cookie", cookie}});
  EXPECT_EQ(no_csrf.status, 403);
  EXPECT_EQ(Json::parse(no_csrf.body)["error"]["code"], "csrf");
  auto wrong = Call("POST", limits, "{}", {{"cookie", cookie}, {"x-csrf-token", csrf + "0"}});
  EXPECT_EQ(wrong.status, 403);
  auto ok = Call("POST", limits, "{}", {{"cookie", cookie}, {"x-csrf-token", csrf}});
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_TRUE(Json::parse(ok.body).contains("items")) << ok.body;
  // Another site's page cannot post even with the token.
  auto cross =
      Call("POST", limits, "{}",
           {{"cookie", cookie}, {"x-csrf-token", csrf}, {"origin", "https://evil.example"}});
  EXPECT_EQ(cross.status, 403);
  // No cookie: 401.
  EXPECT_EQ(Call("POST", limits, "{}", {{"x-csrf-token", csrf}}).status, 401);
}

TEST_F(PanelTest, SessionSurvivesUntilLogout) {
  auto [cookie, csrf] = LogIn();
  auto info = Call("GET", "/panel/api/session", "", {{"cookie", cookie}});
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(Json::parse(info.body)["account"], "acme");
  EXPECT_EQ(Json::parse(info.body)["csrf"], csrf);
  auto out = Call("POST", "/panel/api/logout", "{}", {{"cookie", cookie}, {"x-csrf-token", csrf}});
  EXPECT_EQ(out.status, 200);
  EXPECT_NE(Header(out, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(Call("GET", "/panel/api/session", "", {{"cookie", cookie}}).status, 401);
}

TEST_F(PanelTest, TheAllowlistHoldsForTheWholeSession) {
  auto [cookie, csrf] = LogIn();  // from 127.0.0.1
  ASSERT_TRUE(gw_->SetAllowedIps("acme", {"10.0.0.0/8"}).ok());
  EXPECT_EQ(Call("GET", "/panel/api/session", "", {{"cookie", cookie}}).status, 401);
  auto r = Call("POST", "/panel/api/login", R"({"username":"acme","password":"secret-pass"})");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Json::parse(r.body)["error"]["code"], "ip");
}

TEST_F(PanelTest, AnalyserUsesTheServersCounting) {
  auto [cookie, csrf] = LogIn();
  auto call = [&](const std::string& body) {
    auto r = Call("POST", "/panel/api/analyse", body, {{"cookie", cookie}, {"x-csrf-token", csrf}});
    EXPECT_EQ(r.status, 200) << r.body;
    return Json::parse(r.body);
  };
  Json a = call(R"({"text":"Zażółć","type":"eco"})");
  EXPECT_EQ(a["encoding"], "gsm7");
  EXPECT_EQ(a["parts"], 1);
  EXPECT_EQ(a["transliterated"], true);
  Json b = call(R"({"text":"Zażółć","type":"full","utf":true})");
  EXPECT_EQ(b["encoding"], "ucs2");
  EXPECT_EQ(b["units"], 6);
  Json c = call(R"({"text":")" + std::string(161, 'a') + R"(","type":"eco"})");
  EXPECT_EQ(c["parts"], 2);
}

TEST_F(PanelTest, TrafficCountsTodaysMessages) {
  auto [cookie, csrf] = LogIn();
  auto sent = Call("POST", "/panel/api/v2/messages/send_sms",
                   R"({"phone":["500600700","500600701"],"text":"Hi"})",
                   {{"cookie", cookie}, {"x-csrf-token", csrf}});
  ASSERT_EQ(sent.status, 200);
  ASSERT_EQ(Json::parse(sent.body)["queued"], 2) << sent.body;
  auto r = Call("GET", "/panel/api/traffic", "", {{"cookie", cookie}});
  ASSERT_EQ(r.status, 200) << r.body;
  Json days = Json::parse(r.body)["days"];
  ASSERT_EQ(days.size(), 7u);
  EXPECT_EQ(days[6]["sent"], 2);
  EXPECT_EQ(days[6]["delivered"], 0);
  EXPECT_EQ(days[5]["sent"], 0);
  EXPECT_EQ(days[6]["date"], FormatApiTimeMs(ToUnixMillis(clock_.Now())).substr(0, 10));
}

TEST_F(PanelTest, OperatorAndCustomerPagesAreApart) {
  auto [cookie, csrf] = LogIn();
  EXPECT_EQ(Call("GET", "/panel/api/op/accounts", "", {{"cookie", cookie}}).status, 403);
  auto [op_cookie, op_csrf] = LogIn(/*op=*/true);
  auto accounts = Call("GET", "/panel/api/op/accounts", "", {{"cookie", op_cookie}});
  ASSERT_EQ(accounts.status, 200);
  EXPECT_EQ(Json::parse(accounts.body)["items"][0]["name"], "acme");
  EXPECT_EQ(Call("POST", "/panel/api/v2/account/limits", "{}",
                 {{"cookie", op_cookie}, {"x-csrf-token", op_csrf}})
                .status,
            403);
  // A top-up with a price is sold with an invoice; without one it is a plain credit.
  std::vector<std::pair<std::string, std::string>> op{{"cookie", op_cookie},
                                                      {"x-csrf-token", op_csrf}};
  auto sold = Call("POST", "/panel/api/op/topup",
                   R"({"account":"acme","type":"full","units":"100","price":"123,00"})", op);
  ASSERT_EQ(sold.status, 200) << sold.body;
  EXPECT_TRUE(Json::parse(sold.body)["invoice"].get<std::string>().starts_with("FV "));
  auto bad = Call("POST", "/panel/api/op/topup",
                  R"({"account":"acme","type":"full","units":"5","price":"1.234"})", op);
  EXPECT_EQ(Json::parse(bad.body)["error"]["field"], "price");
  auto zero =
      Call("POST", "/panel/api/op/topup", R"({"account":"acme","type":"full","units":0})", op);
  EXPECT_EQ(Json::parse(zero.body)["error"]["field"], "units");
  // A message to the account shows in its account/messages.
  ASSERT_EQ(
      Call("POST", "/panel/api/op/messages", R"({"account":"acme","text":"Przerwa 22:00"})", op)
          .status,
      200);
  auto notes = Call("POST", "/panel/api/v2/account/messages", "{}",
                    {{"cookie", cookie}, {"x-csrf-token", csrf}});
  EXPECT_NE(notes.body.find("Przerwa 22:00"), std::string::npos) << notes.body;
  // Sender approval: requested by the customer, approved by the operator.
  auto req = Call("POST", "/panel/api/v2/senders/add", R"({"name":"ACME"})",
                  {{"cookie", cookie}, {"x-csrf-token", csrf}});
  ASSERT_EQ(req.status, 200) << req.body;
  auto approve = Call("POST", "/panel/api/op/senders",
                      R"({"account":"acme","sender":"ACME","status":"authorized"})",
                      {{"cookie", op_cookie}, {"x-csrf-token", op_csrf}});
  ASSERT_EQ(approve.status, 200) << approve.body;
  auto senders = Call("GET", "/panel/api/op/senders", "", {{"cookie", op_cookie}});
  EXPECT_NE(senders.body.find("\"authorized\""), std::string::npos) << senders.body;
}

TEST_F(PanelTest, AnotherAccountsIntegrationsAreInvisible) {
  auto [cookie, csrf] = LogIn();
  std::vector<std::pair<std::string, std::string>> a{{"cookie", cookie}, {"x-csrf-token", csrf}};
  ASSERT_EQ(
      Call("POST", "/panel/api/smpp_users", R"({"system_id":"acme9","password":"pw"})", a).status,
      200);
  const int64_t ftp = store_
                          .AddFtpSource([&] {
                            store::FtpSource s;
                            s.account_id = store_.FindAccountByName("acme")->id;
                            s.host = "ftp.acme.example";
                            return s;
                          }())
                          .value();
  ASSERT_TRUE(gw_->CreateAccount("other", "other-pass").ok());
  auto r = Call("POST", "/panel/api/login", R"({"username":"other","password":"other-pass"})");
  ASSERT_EQ(r.status, 200);
  const std::string set_cookie = Header(r, "Set-Cookie");
  std::vector<std::pair<std::string, std::string>> b{
      {"cookie", set_cookie.substr(0, set_cookie.find(';'))},
      {"x-csrf-token", Json::parse(r.body)["csrf"]}};
  auto list = Call("GET", "/panel/api/integrations", "", {b[0]});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.body.find("acme9"), std::string::npos) << list.body;
  EXPECT_EQ(list.body.find("ftp.acme.example"), std::string::npos) << list.body;
  const std::string id = R"({"id":)" + std::to_string(ftp) + "}";
  EXPECT_EQ(Call("POST", "/panel/api/ftp_sources/remove", id, b).status, 404);
  EXPECT_EQ(Call("POST", "/panel/api/ftp_sources/test", id, b).status, 404);
  // A's token works for A only: the session is B's, whatever the body says.
  auto limits = Call("POST", "/panel/api/v2/account/limits", R"({"username":"acme"})", b);
  EXPECT_EQ(Json::parse(limits.body)["items"][0]["value"], "0") << limits.body;
  EXPECT_EQ(store_.ListFtpSources(0)->size(), 1u);
}

TEST_F(PanelTest, SmppUserErrorsNameTheirField) {
  auto [cookie, csrf] = LogIn();
  auto h =
      std::vector<std::pair<std::string, std::string>>{{"cookie", cookie}, {"x-csrf-token", csrf}};
  auto ok = Call("POST", "/panel/api/smpp_users",
                 R"({"system_id":"acme1","password":"pw123","allowed_ips":"127.0.0.1/32"})", h);
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto taken = Call("POST", "/panel/api/smpp_users", R"({"system_id":"acme1","password":"x"})", h);
  EXPECT_EQ(Json::parse(taken.body)["error"]["field"], "system_id");
  auto bad_ip = Call("POST", "/panel/api/smpp_users",
                     R"({"system_id":"acme2","password":"pw","allowed_ips":"not-an-ip"})", h);
  EXPECT_EQ(bad_ip.status, 400) << bad_ip.body;
  auto list = Call("GET", "/panel/api/integrations", "", {{"cookie", cookie}});
  EXPECT_NE(list.body.find("acme1"), std::string::npos);
}

}  // namespace
}  // namespace bramka::panel
