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

// readpath (docs/performance/session12-readpath.md): the one-recipient request (the shape
// of issue 11's end-to-end target) through every answer a submit's checks branch on — an
// unknown token, a sender approved, pending, rejected, unknown or another account's, a
// blacklisted recipient or not, a zero, unavailable or unlimited balance — exactly the two
// reads', and each read seeing the writes before it. A store that reads this shape its own
// way (one statement, say) must still pass it.
TEST_P(StoreConformanceTest, ReadForTokenSubmitOfOneRecipientMatchesTheTwoReads) {
  const AccountId a = NewAccount("one-a");
  const AccountId b = NewAccount("one-b");
  ASSERT_TRUE(store().AddApiToken(a, "hash-one-a", "ci", 5).ok());
  ASSERT_TRUE(store().AddApiToken(b, "hash-one-b", "", 5).ok());
  ASSERT_TRUE(store().SetSender(a, "Firma", SenderStatus::kAuthorized, 1000).ok());
  ASSERT_TRUE(store().SetSender(a, "Czeka", SenderStatus::kPending, 1001).ok());
  ASSERT_TRUE(store().SetSender(a, "Stop", SenderStatus::kRejected, 1002).ok());
  ASSERT_TRUE(store().SetSender(b, "Inna", SenderStatus::kAuthorized, 1003).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 1000).ok());
  ASSERT_TRUE(store()
                  .AdjustBalance(a, MessageType::kEco, -Units(a, MessageType::kEco), "zero", 9)
                  .ok());  // eco: zero units left
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kFull, false, false).ok());
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kHlr, true, true).ok());

  const std::vector<std::string> senders = {"", "Firma", "Czeka", "Stop", "Nieznany", "Inna"};
  const std::vector<std::vector<std::string>> recipients = {
      {}, {"+48500000001"}, {"+48500000002"}, {"+48500000003"}};
  for (const std::string& token : {std::string("hash-one-a"), std::string("hash-one-b")}) {
    auto account = store().FindAccountByToken(token);
    ASSERT_TRUE(account.ok());
    for (const std::string& sender : senders) {
      for (const auto& phones : recipients) {
        const std::string what =
            token + " sender '" + sender + "' " + (phones.empty() ? "none" : phones[0]);
        Store::TokenSubmitReads r = store().ReadForTokenSubmit(token, sender, phones);
        ASSERT_TRUE(r.account.ok()) << what << ": " << r.account.error().ToString();
        EXPECT_EQ(r.account->id, account->id);
        EXPECT_EQ(r.account->name, account->name);
        EXPECT_EQ(r.account->password_hash, account->password_hash);
        EXPECT_EQ(r.account->parent_id, account->parent_id);
        EXPECT_EQ(r.account->active, account->active);
        EXPECT_EQ(r.account->created_ms, account->created_ms);
        EXPECT_EQ(r.account->allowed_cidrs, account->allowed_cidrs);
        EXPECT_EQ(r.account->deleted_ms, account->deleted_ms);
        ExpectSameReads(r.reads, store().ReadForSubmit(account->id, sender, phones), what);
      }
    }
  }
  // What the checks branch on, spelled out for account A.
  Store::TokenSubmitReads r = store().ReadForTokenSubmit("hash-one-a", "Czeka", {"+48500000002"});
  ASSERT_TRUE(r.reads.sender.ok() && r.reads.sender->has_value());
  EXPECT_EQ((*r.reads.sender)->name, "Czeka");
  EXPECT_EQ((*r.reads.sender)->status, SenderStatus::kPending);
  EXPECT_EQ((*r.reads.sender)->created_ms, 1001);
  EXPECT_EQ(*r.reads.blacklisted, std::vector<bool>({true}));
  ASSERT_TRUE(r.reads.balances.ok());
  ASSERT_EQ(r.reads.balances->size(), std::size(kAllBalanceTypes));
  for (const Balance& balance : *r.reads.balances) {
    if (balance.type == MessageType::kEco) {
      EXPECT_EQ(balance.units, 0);
    } else if (balance.type == MessageType::kFull) {
      EXPECT_FALSE(balance.available);
    } else if (balance.type == MessageType::kHlr) {
      EXPECT_TRUE(balance.unlimited);
    }
  }
  // Another account's sender is unknown here; a sender not asked is nullopt.
  Store::TokenSubmitReads foreign = store().ReadForTokenSubmit("hash-one-a", "Inna", {});
  ASSERT_TRUE(foreign.reads.sender.ok());
  EXPECT_FALSE(foreign.reads.sender->has_value());
  EXPECT_TRUE(foreign.reads.blacklisted->empty());

  // An unknown token: FindAccountByToken's error, and nothing else asked.
  Store::TokenSubmitReads none = store().ReadForTokenSubmit("hash-none", "Firma", {"+48500000002"});
  ASSERT_FALSE(none.account.ok());
  auto want = store().FindAccountByToken("hash-none");
  ASSERT_FALSE(want.ok());
  EXPECT_EQ(none.account.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(none.account.error().code, want.error().code);
  EXPECT_EQ(none.account.error().message, want.error().message);
  ASSERT_TRUE(none.reads.sender.ok());
  EXPECT_FALSE(none.reads.sender->has_value());
  EXPECT_TRUE(none.reads.blacklisted->empty());

  // Each read sees the writes before it (nothing is kept between calls).
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000001", 2000).ok());
  ASSERT_TRUE(store().SetSender(a, "Czeka", SenderStatus::kAuthorized, 1001).ok());
  ASSERT_TRUE(store().AdjustBalance(a, MessageType::kEco, 7, "top-up", 10).ok());
  ASSERT_TRUE(store().RemoveFromBlacklist(a, "+48500000002").ok());
  Store::TokenSubmitReads after =
      store().ReadForTokenSubmit("hash-one-a", "Czeka", {"+48500000001"});
  EXPECT_EQ(*after.reads.blacklisted, std::vector<bool>({true}));
  EXPECT_EQ((*after.reads.sender)->status, SenderStatus::kAuthorized);
  EXPECT_EQ((*after.reads.balances)[0].units, 7);
  Store::TokenSubmitReads cleared = store().ReadForTokenSubmit("hash-one-a", "", {"+48500000002"});
  EXPECT_EQ(*cleared.reads.blacklisted, std::vector<bool>({false}));
}

}  // namespace bramka::store
