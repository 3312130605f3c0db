// Store conformance: perf (issue 11, docs/adr/0024): ReadForSubmit answers exactly what
// GetBalances, GetSender and AreBlacklisted answer, per account.

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

TEST_P(StoreConformanceTest, ReadForSubmitMatchesTheSingleReads) {
  const AccountId a = NewAccount("perf-a");
  const AccountId b = NewAccount("perf-b");
  ASSERT_TRUE(store().SetSender(a, "Firma", SenderStatus::kAuthorized, 1000).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 1000).ok());
  const std::vector<std::string> phones = {"+48500000001", "+48500000002"};

  Store::SubmitReads r = store().ReadForSubmit(a, "Firma", phones);
  ASSERT_TRUE(r.balances.ok()) << r.balances.error().ToString();
  auto balances = store().GetBalances(a);
  ASSERT_TRUE(balances.ok());
  ASSERT_EQ(r.balances->size(), balances->size());
  for (size_t i = 0; i < balances->size(); ++i) {
    EXPECT_EQ((*r.balances)[i].type, (*balances)[i].type);
    EXPECT_EQ((*r.balances)[i].units, (*balances)[i].units);
    EXPECT_EQ((*r.balances)[i].available, (*balances)[i].available);
    EXPECT_EQ((*r.balances)[i].unlimited, (*balances)[i].unlimited);
  }
  ASSERT_TRUE(r.sender.ok());
  ASSERT_TRUE(r.sender->has_value());
  EXPECT_EQ((*r.sender)->name, "Firma");
  EXPECT_EQ((*r.sender)->status, SenderStatus::kAuthorized);
  ASSERT_TRUE(r.blacklisted.ok());
  EXPECT_EQ(*r.blacklisted, std::vector<bool>({false, true}));

  // No sender asked: none read. Another account sees neither A's sender nor its blacklist.
  Store::SubmitReads none = store().ReadForSubmit(a, "", {});
  ASSERT_TRUE(none.sender.ok());
  EXPECT_FALSE(none.sender->has_value());
  ASSERT_TRUE(none.blacklisted.ok());
  EXPECT_TRUE(none.blacklisted->empty());
  Store::SubmitReads other = store().ReadForSubmit(b, "Firma", phones);
  ASSERT_TRUE(other.sender.ok());
  EXPECT_FALSE(other.sender->has_value());
  ASSERT_TRUE(other.blacklisted.ok());
  EXPECT_EQ(*other.blacklisted, std::vector<bool>({false, false}));

  // An unknown account: GetBalances' error, unchanged.
  Store::SubmitReads missing = store().ReadForSubmit(a + b + 1000, "", phones);
  ASSERT_FALSE(missing.balances.ok());
  EXPECT_EQ(missing.balances.error().code, store().GetBalances(a + b + 1000).error().code);

  // Reads after a write see it (no stale snapshot kept between calls).
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 2000).ok());
  Store::SubmitReads again = store().ReadForSubmit(a, "Firma", phones);
  ASSERT_TRUE(again.blacklisted.ok());
  EXPECT_EQ(*again.blacklisted, std::vector<bool>({true, true}));
}

}  // namespace bramka::store
