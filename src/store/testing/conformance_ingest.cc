// Store conformance: the ingest fast path (docs/adr/0020): AreBlacklisted answers what
// IsBlacklisted answers, per account.

#include <string>
#include <utility>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

TEST_P(StoreConformanceTest, AreBlacklistedMatchesIsBlacklistedPerAccount) {
  const AccountId a = NewAccount("ingest-a");
  const AccountId b = NewAccount("ingest-b");
  const std::vector<std::string> phones = {"+48500000001", "+48500000002", "+48500000003",
                                           "+48500000001"};
  // No entries yet: all false (the empty-blacklist shortcut).
  auto none = store().AreBlacklisted(a, phones);
  ASSERT_TRUE(none.ok()) << none.error().ToString();
  EXPECT_EQ(*none, std::vector<bool>({false, false, false, false}));
  auto empty = store().AreBlacklisted(a, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());

  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 1000).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000003", 1000).ok());
  auto listed = store().AreBlacklisted(a, phones);
  ASSERT_TRUE(listed.ok()) << listed.error().ToString();
  EXPECT_EQ(*listed, std::vector<bool>({true, false, true, true}));
  for (size_t i = 0; i < phones.size(); ++i) {
    EXPECT_EQ((*listed)[i], *store().IsBlacklisted(a, phones[i])) << phones[i];
  }
  // Another account's entries are not this account's.
  auto other = store().AreBlacklisted(b, phones);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, std::vector<bool>({false, false, false, false}));
}

// ingest (docs/adr/0030): a token's account in one read is what the two reads give.
TEST_P(StoreConformanceTest, FindAccountByTokenMatchesTheTwoReads) {
  const AccountId a = NewAccount("token-a");
  const AccountId b = NewAccount("token-b");
  ASSERT_TRUE(store().AddApiToken(a, "hash-ta", "ci", 5).ok());
  ASSERT_TRUE(store().AddApiToken(b, "hash-tb", "", 5).ok());
  for (const auto& [hash, id] : {std::pair<std::string, AccountId>{"hash-ta", a}, {"hash-tb", b}}) {
    auto one = store().FindAccountByToken(hash);
    ASSERT_TRUE(one.ok()) << one.error().ToString();
    auto two = store().GetAccount(*store().FindAccountByTokenHash(hash));
    ASSERT_TRUE(two.ok());
    EXPECT_EQ(one->id, id);
    EXPECT_EQ(one->name, two->name);
    EXPECT_EQ(one->password_hash, two->password_hash);
    EXPECT_EQ(one->parent_id, two->parent_id);
    EXPECT_EQ(one->active, two->active);
    EXPECT_EQ(one->allowed_cidrs, two->allowed_cidrs);
    EXPECT_EQ(one->deleted_ms, two->deleted_ms);
  }
  EXPECT_EQ(store().FindAccountByToken("hash-none").error().code, ErrorCode::kNotFound);
}

}  // namespace bramka::store
