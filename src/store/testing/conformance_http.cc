// Store conformance: http (issue 11, docs/adr/0038): ReadForTokenSubmit answers exactly what
// FindAccountByToken and then ReadForSubmit for that account answer; writerread
// (docs/adr/0057): AcceptWithTokenAsync decides on exactly those reads, then accepts.

#include <future>
#include <memory>
#include <optional>
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

// ---- writerread (docs/adr/0057): AcceptWithTokenAsync ----

namespace {

// One AcceptWithTokenAsync, waited for: a copy of the reads `decide` got, its calls, and
// done's answer.
struct TokenAccept {
  std::optional<Store::TokenSubmitReads> reads;
  int decides = 0;
  int dones = 0;
  Result<AcceptResult> done = AcceptResult();
};

TokenAccept AcceptWithToken(Store& store, const std::string& token_hash, const std::string& sender,
                            const std::vector<std::string>& phones,
                            std::optional<AcceptRequest> accept) {
  auto out = std::make_shared<TokenAccept>();
  std::promise<void> finished;
  store.AcceptWithTokenAsync(
      token_hash, sender, phones,
      [out, accept](Store::TokenSubmitReads& reads) {
        ++out->decides;
        out->reads = reads;
        return accept;
      },
      [out, &finished](Result<AcceptResult> r) {
        if (out->dones++ == 0) out->done = std::move(r);
        finished.set_value();
      });
  finished.get_future().wait();
  return *out;
}

void ExpectSameAccount(const Result<Account>& got, const Result<Account>& want,
                       const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_EQ(got.ok(), want.ok());
  if (!want.ok()) {
    EXPECT_EQ(got.error().code, want.error().code);
    EXPECT_EQ(got.error().message, want.error().message);
    return;
  }
  EXPECT_EQ(got->id, want->id);
  EXPECT_EQ(got->name, want->name);
  EXPECT_EQ(got->active, want->active);
  EXPECT_EQ(got->allowed_cidrs, want->allowed_cidrs);
  EXPECT_EQ(got->deleted_ms, want->deleted_ms);
}

}  // namespace

// Every answer a one-recipient request's checks branch on (ReadForTokenSubmitOfOneRecipient-
// MatchesTheTwoReads' cases), as decide sees them: exactly ReadForTokenSubmit's. A nullopt
// decision writes nothing.
TEST_P(StoreConformanceTest, AcceptWithTokenAsyncDecidesOnReadForTokenSubmitsReads) {
  const AccountId a = NewAccount("tok-a");
  const AccountId b = NewAccount("tok-b");
  ASSERT_TRUE(store().AddApiToken(a, "hash-tok-a", "ci", 5).ok());
  ASSERT_TRUE(store().AddApiToken(b, "hash-tok-b", "", 5).ok());
  ASSERT_TRUE(store().SetSender(a, "Firma", SenderStatus::kAuthorized, 1000).ok());
  ASSERT_TRUE(store().SetSender(a, "Czeka", SenderStatus::kPending, 1001).ok());
  ASSERT_TRUE(store().SetSender(b, "Inna", SenderStatus::kAuthorized, 1003).ok());
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 1000).ok());
  ASSERT_TRUE(
      store().AdjustBalance(a, MessageType::kEco, -Units(a, MessageType::kEco), "zero", 9).ok());
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kFull, false, false).ok());
  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kHlr, true, true).ok());

  for (const std::string token : {"hash-tok-a", "hash-tok-b", "hash-none"}) {
    for (const std::string sender : {"", "Firma", "Czeka", "Nieznany", "Inna"}) {
      for (const std::vector<std::string>& phones :
           {std::vector<std::string>{}, {"+48500000001"}, {"+48500000002"}}) {
        const std::string what =
            token + " sender '" + sender + "' " + (phones.empty() ? "none" : phones[0]);
        TokenAccept got = AcceptWithToken(store(), token, sender, phones, std::nullopt);
        EXPECT_EQ(got.decides, 1) << what;
        EXPECT_EQ(got.dones, 1) << what;
        ASSERT_TRUE(got.reads) << what;
        Store::TokenSubmitReads want = store().ReadForTokenSubmit(token, sender, phones);
        ExpectSameAccount(got.reads->account, want.account, what);
        ExpectSameReads(got.reads->reads, want.reads, what);
      }
    }
  }
  // Nothing was written: the balances are as they were.
  EXPECT_EQ(Units(a, MessageType::kEco), 0);
  EXPECT_EQ(Units(b, MessageType::kEco), 100);
}

// A decision to accept is AcceptAsync's: the message stored and charged, the next request's
// reads see it; a balance too low is AcceptAsync's kRejected with the type.
TEST_P(StoreConformanceTest, AcceptWithTokenAsyncAcceptsWhatDecideReturns) {
  const AccountId a = NewAccount("tok-acc");
  ASSERT_TRUE(store().AddApiToken(a, "hash-tok-acc", "", 5).ok());
  const int64_t before = Units(a, MessageType::kEco);
  Message m = NewMessage(a);
  TokenAccept first =
      AcceptWithToken(store(), "hash-tok-acc", "", {m.phone}, AcceptRequest{a, {m}});
  EXPECT_EQ(first.decides, 1);
  ASSERT_TRUE(first.done.ok()) << first.done.error().ToString();
  ASSERT_EQ(first.done->items.size(), 1u);
  EXPECT_EQ(first.done->items[0].id, m.id);
  EXPECT_FALSE(first.done->items[0].duplicate);
  EXPECT_TRUE(store().GetMessage(a, m.id).ok());
  EXPECT_EQ(Units(a, MessageType::kEco), before - m.cost_units);

  TokenAccept next = AcceptWithToken(store(), "hash-tok-acc", "", {m.phone}, std::nullopt);
  ASSERT_TRUE(next.reads && next.reads->reads.balances.ok());
  EXPECT_EQ((*next.reads->reads.balances)[0].units, before - m.cost_units);

  ASSERT_TRUE(
      store().AdjustBalance(a, MessageType::kEco, -Units(a, MessageType::kEco), "zero", 9).ok());
  Message poor = NewMessage(a);
  TokenAccept refused =
      AcceptWithToken(store(), "hash-tok-acc", "", {poor.phone}, AcceptRequest{a, {poor}});
  ASSERT_FALSE(refused.done.ok());
  EXPECT_EQ(refused.done.error().code, ErrorCode::kRejected);
  EXPECT_EQ(refused.done.error().detail, static_cast<int>(MessageType::kEco) + 1);
  EXPECT_EQ(store().GetMessage(a, poor.id).error().code, ErrorCode::kNotFound);
}

}  // namespace bramka::store
