// Store conformance: accept (issue 11, docs/adr/0032): ReadForSubmits answers, per query,
// exactly what ReadForSubmit answers, per account.

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {
TEST_P(StoreConformanceTest, ReadForSubmitsMatchesOneReadForSubmitPerQuery) {
  const AccountId a = NewAccount("accept-a");
  const AccountId b = NewAccount("accept-b");
  ASSERT_TRUE(store().SetSender(a, "Firma", SenderStatus::kAuthorized, 1000).ok());
  ASSERT_TRUE(store().SetSender(a, "Inna", SenderStatus::kPending, 1000).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 1000).ok());
  ASSERT_TRUE(store().AddToBlacklist(b, "+48500000003", 1000).ok());

  // Senders repeated, asked and not, unknown; phones repeated, none, listed and not.
  const std::vector<Store::SubmitReadQuery> queries = {
      {"Firma", {"+48500000001"}},
      {"", {"+48500000002", "+48500000001"}},
      {"Inna", {}},
      {"Firma", {"+48500000002", "+48500000003"}},
      {"Nieznany", {"+48500000003"}},
  };
  for (AccountId id : {a, b}) {
    std::vector<Store::SubmitReads> got = store().ReadForSubmits(id, queries);
    ASSERT_EQ(got.size(), queries.size());
    for (size_t i = 0; i < queries.size(); ++i) {
      SCOPED_TRACE("account " + std::to_string(id) + " query " + std::to_string(i));
      ExpectSameReads(got[i], store().ReadForSubmit(id, queries[i].sender, queries[i].phones));
    }
  }
  // Spelled out for A: B's sender and blacklist entry are not A's.
  std::vector<Store::SubmitReads> got = store().ReadForSubmits(a, queries);
  ASSERT_TRUE(got[0].sender.ok() && got[0].sender->has_value());
  EXPECT_EQ((*got[0].sender)->status, SenderStatus::kAuthorized);
  ASSERT_TRUE(got[1].sender.ok());
  EXPECT_FALSE(got[1].sender->has_value());
  EXPECT_EQ(*got[1].blacklisted, std::vector<bool>({true, false}));
  EXPECT_TRUE(got[2].blacklisted->empty());
  EXPECT_EQ(*got[3].blacklisted, std::vector<bool>({true, false}));
  ASSERT_TRUE(got[4].sender.ok());
  EXPECT_FALSE(got[4].sender->has_value());

  // No queries: no answers. An unknown account: GetBalances' error in every answer.
  EXPECT_TRUE(store().ReadForSubmits(a, {}).empty());
  const AccountId missing = a + b + 1000;
  std::vector<Store::SubmitReads> none = store().ReadForSubmits(missing, queries);
  ASSERT_EQ(none.size(), queries.size());
  for (const auto& r : none) {
    ASSERT_FALSE(r.balances.ok());
    EXPECT_EQ(r.balances.error().code, store().GetBalances(missing).error().code);
  }

  // A write between two calls is seen by the second (nothing kept between calls).
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 2000).ok());
  got = store().ReadForSubmits(a, queries);
  EXPECT_EQ(*got[0].blacklisted, std::vector<bool>({true}));
}

}  // namespace bramka::store
