// Store conformance: http (issue 11, docs/adr/0038): ReadForTokenSubmit answers exactly what
// FindAccountByToken and then ReadForSubmit for that account answer.

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

TEST_P(StoreConformanceTest, ReadForTokenSubmitMatchesTheTwoReads) {
  const AccountId a = NewAccount("http-a");
  const AccountId b = NewAccount("http-b");
  ASSERT_TRUE(store().AddApiToken(a, "hash-http-a", "ci", 5).ok());
  ASSERT_TRUE(store().AddApiToken(b, "hash-http-b", "", 5).ok());
  ASSERT_TRUE(store().SetSender(a, "Firma", SenderStatus::kAuthorized, 1000).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 1000).ok());
  const std::vector<std::string> phones = {"+48500000001", "+48500000002"};

  Store::TokenSubmitReads r = store().ReadForTokenSubmit("hash-http-a", "Firma", phones);
  ASSERT_TRUE(r.account.ok()) << r.account.error().ToString();
  auto account = store().FindAccountByToken("hash-http-a");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(r.account->id, a);
  EXPECT_EQ(r.account->name, account->name);
  EXPECT_EQ(r.account->active, account->active);
  EXPECT_EQ(r.account->allowed_cidrs, account->allowed_cidrs);
  EXPECT_EQ(r.account->deleted_ms, account->deleted_ms);
  Store::SubmitReads single = store().ReadForSubmit(a, "Firma", phones);
  ASSERT_TRUE(r.reads.balances.ok()) << r.reads.balances.error().ToString();
  ASSERT_EQ(r.reads.balances->size(), single.balances->size());
  for (size_t i = 0; i < single.balances->size(); ++i) {
    EXPECT_EQ((*r.reads.balances)[i].type, (*single.balances)[i].type);
    EXPECT_EQ((*r.reads.balances)[i].units, (*single.balances)[i].units);
    EXPECT_EQ((*r.reads.balances)[i].available, (*single.balances)[i].available);
  }
  ASSERT_TRUE(r.reads.sender.ok());
  ASSERT_TRUE(r.reads.sender->has_value());
  EXPECT_EQ((*r.reads.sender)->status, SenderStatus::kAuthorized);
  ASSERT_TRUE(r.reads.blacklisted.ok());
  EXPECT_EQ(*r.reads.blacklisted, std::vector<bool>({false, true}));

  // B's token: B's account and B's reads, none of A's sender or blacklist.
  Store::TokenSubmitReads other = store().ReadForTokenSubmit("hash-http-b", "Firma", phones);
  ASSERT_TRUE(other.account.ok());
  EXPECT_EQ(other.account->id, b);
  ASSERT_TRUE(other.reads.sender.ok());
  EXPECT_FALSE(other.reads.sender->has_value());
  ASSERT_TRUE(other.reads.blacklisted.ok());
  EXPECT_EQ(*other.reads.blacklisted, std::vector<bool>({false, false}));

  // An unknown token: FindAccountByToken's kNotFound, and nothing else asked.
  Store::TokenSubmitReads none = store().ReadForTokenSubmit("hash-none", "Firma", phones);
  ASSERT_FALSE(none.account.ok());
  EXPECT_EQ(none.account.error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(none.reads.sender.ok());
  EXPECT_FALSE(none.reads.sender->has_value());
  ASSERT_TRUE(none.reads.blacklisted.ok());
  EXPECT_TRUE(none.reads.blacklisted->empty());

  // Reads after a write see it (no snapshot or answer kept between calls).
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 2000).ok());
  ASSERT_TRUE(store().SetAllowedCidrs(a, {"10.0.0.0/8"}).ok());
  Store::TokenSubmitReads again = store().ReadForTokenSubmit("hash-http-a", "Firma", phones);
  ASSERT_TRUE(again.account.ok());
  EXPECT_EQ(again.account->allowed_cidrs, std::vector<std::string>({"10.0.0.0/8"}));
  ASSERT_TRUE(again.reads.blacklisted.ok());
  EXPECT_EQ(*again.reads.blacklisted, std::vector<bool>({true, true}));
}

}  // namespace bramka::store
