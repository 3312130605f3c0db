#include "panel/session.h"

#include <gtest/gtest.h>

#include "store/testing/in_memory_store.h"

namespace bramka::panel {
namespace {

using namespace std::chrono_literals;

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override { account_ = *store_.CreateAccount("acme", "x", 0, 0); }
  store::InMemoryStore store_;
  FakeClock clock_;
  SessionManager sessions_{store_, clock_, 1h};
  store::AccountId account_ = 0;
};

TEST_F(SessionTest, CreateResolveDestroy) {
  auto s = sessions_.Create(account_);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->cookie_id.size(), 64u);
  EXPECT_EQ(s->session.csrf_token.size(), 32u);
  EXPECT_NE(s->session.id_hash, s->cookie_id);  // only the hash is stored
  auto r = sessions_.Resolve(s->cookie_id);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->account_id, account_);
  EXPECT_EQ(r->csrf_token, s->session.csrf_token);
  ASSERT_TRUE(sessions_.Destroy(s->cookie_id).ok());
  EXPECT_EQ(sessions_.Resolve(s->cookie_id).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(SessionTest, IdsAreRandomAndMalformedIdsAreRefused) {
  auto a = sessions_.Create(account_);
  auto b = sessions_.Create(account_);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->cookie_id, b->cookie_id);
  EXPECT_NE(a->session.csrf_token, b->session.csrf_token);
  for (const std::string& bad :
       {std::string(), std::string("abc"), std::string("ZZZZ"), a->session.id_hash + "x"}) {
    EXPECT_EQ(sessions_.Resolve(bad).error().code, ErrorCode::kUnauthenticated) << bad;
  }
  std::string upper = a->cookie_id;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_FALSE(sessions_.Resolve(upper).ok());
}

TEST_F(SessionTest, SessionsExpire) {
  auto s = sessions_.Create(account_);
  ASSERT_TRUE(s.ok());
  clock_.Advance(59min);
  EXPECT_TRUE(sessions_.Resolve(s->cookie_id).ok());
  clock_.Advance(1min);
  EXPECT_EQ(sessions_.Resolve(s->cookie_id).error().code, ErrorCode::kUnauthenticated);
}

TEST_F(SessionTest, OperatorSessionsAndUnknownAccounts) {
  auto op = sessions_.Create(0);
  ASSERT_TRUE(op.ok());
  EXPECT_EQ(sessions_.Resolve(op->cookie_id)->account_id, 0);
  EXPECT_EQ(sessions_.Create(424242).error().code, ErrorCode::kNotFound);
}

TEST(CsrfTest, OnlyTheSessionsTokenMatches) {
  store::PanelSession s;
  s.csrf_token = "0123456789abcdef0123456789abcdef";
  EXPECT_TRUE(CsrfMatches(s, "0123456789abcdef0123456789abcdef"));
  EXPECT_FALSE(CsrfMatches(s, "0123456789abcdef0123456789abcdee"));
  EXPECT_FALSE(CsrfMatches(s, "0123456789abcdef"));
  EXPECT_FALSE(CsrfMatches(s, ""));
  store::PanelSession empty;
  EXPECT_FALSE(CsrfMatches(empty, ""));
}

TEST(CookieTest, ParsesAndBuildsTheSessionCookie) {
  EXPECT_EQ(CookieValue("a=1; bramka_panel=abc; c=3", "bramka_panel"), "abc");
  EXPECT_EQ(CookieValue("bramka_panel=\"q\"", "bramka_panel"), "q");
  EXPECT_EQ(CookieValue("xbramka_panel=1", "bramka_panel"), "");
  EXPECT_EQ(CookieValue("", "bramka_panel"), "");
  EXPECT_EQ(SessionCookie("abc", false, 3600s),
            "bramka_panel=abc; Path=/panel; HttpOnly; SameSite=Strict; Max-Age=3600");
  EXPECT_EQ(SessionCookie("abc", true, 60s),
            "bramka_panel=abc; Path=/panel; HttpOnly; SameSite=Strict; Max-Age=60; Secure");
  EXPECT_EQ(SessionCookie("", true, 60s),
            "bramka_panel=; Path=/panel; HttpOnly; SameSite=Strict; Max-Age=0; Secure");
}

TEST(OperatorPasswordTest, HashedAndVerified) {
  store::InMemoryStore store;
  EXPECT_FALSE(VerifyOperatorPassword(store, "anything"));
  EXPECT_EQ(SetOperatorPassword(store, "short").error().code, ErrorCode::kInvalidArgument);
  ASSERT_TRUE(SetOperatorPassword(store, "correct horse").ok());
  auto stored = store.GetPanelSetting(std::string(kOperatorPasswordSetting));
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyOperatorPassword(store, "correct horse"));
  EXPECT_FALSE(VerifyOperatorPassword(store, "correct horsf"));
  EXPECT_FALSE(VerifyOperatorPassword(store, ""));
}

}  // namespace
}  // namespace bramka::panel
