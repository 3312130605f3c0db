// Store conformance: web panel sessions and settings (docs/adr/0017).

#include <string>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
PanelSession Session(const std::string& hash, AccountId account, int64_t expires_ms) {
  PanelSession s;
  s.id_hash = hash;
  s.account_id = account;
  s.csrf_token = "csrf-" + hash;
  s.created_ms = 1000;
  s.expires_ms = expires_ms;
  return s;
}
}  // namespace

TEST_P(StoreConformanceTest, PanelSessionsExpireAndAreDeleted) {
  const AccountId a = NewAccount("panel-a");
  ASSERT_TRUE(store().PutPanelSession(Session("h1", a, 5000), 1000).ok());
  ASSERT_TRUE(store().PutPanelSession(Session("op", 0, 9000), 1000).ok());  // the operator
  EXPECT_EQ(store().PutPanelSession(Session("h2", 987654, 5000), 1000).error().code,
            ErrorCode::kNotFound);

  auto s = store().GetPanelSession("h1", 2000);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(s->account_id, a);
  EXPECT_EQ(s->csrf_token, "csrf-h1");
  EXPECT_EQ(s->created_ms, 1000);
  EXPECT_EQ(s->expires_ms, 5000);
  EXPECT_EQ(store().GetPanelSession("op", 2000)->account_id, 0);
  EXPECT_EQ(store().GetPanelSession("nope", 2000).error().code, ErrorCode::kNotFound);
  // Expired: not found, and dropped by the next Put.
  EXPECT_EQ(store().GetPanelSession("h1", 5000).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().PutPanelSession(Session("h3", a, 20000), 6000).ok());
  EXPECT_EQ(store().GetPanelSession("h1", 0).error().code, ErrorCode::kNotFound);

  ASSERT_TRUE(store().DeletePanelSession("op").ok());
  ASSERT_TRUE(store().DeletePanelSession("op").ok());  // gone: success
  EXPECT_EQ(store().GetPanelSession("op", 6000).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().GetPanelSession("h3", 6000).ok());
}

TEST_P(StoreConformanceTest, PanelSettingsReplaceByKey) {
  EXPECT_EQ(store().GetPanelSetting("operator_password").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().SetPanelSetting("operator_password", "one").ok());
  ASSERT_TRUE(store().SetPanelSetting("operator_password", "two").ok());
  EXPECT_EQ(*store().GetPanelSetting("operator_password"), "two");
}

}  // namespace bramka::store
