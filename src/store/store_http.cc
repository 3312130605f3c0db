// Store::ReadForTokenSubmit's default (issue 11, docs/adr/0038): the token's account, then
// the submit's reads for it, as two calls; and AcceptWithTokenAsync's (docs/adr/0057).

#include "store/store.h"

namespace bramka::store {

Store::TokenSubmitReads Store::ReadForTokenSubmit(const std::string& token_hash,
                                                  const std::string& sender,
                                                  const std::vector<std::string>& phones) {
  TokenSubmitReads out;
  out.account = FindAccountByToken(token_hash);
  if (out.account.ok()) out.reads = ReadForSubmit(out.account->id, sender, phones);
  return out;
}

// writerread (docs/adr/0057): the default makes the reads and the decision here.
void Store::AcceptWithTokenAsync(std::string token_hash, std::string sender,
                                 std::vector<std::string> phones, TokenAcceptDecide decide,
                                 AcceptCallback done) {
  TokenSubmitReads reads = ReadForTokenSubmit(token_hash, sender, phones);
  std::optional<AcceptRequest> accept = decide(reads);
  if (!accept) return done(AcceptResult());
  AcceptAsync(std::move(*accept), std::move(done));
}

}  // namespace bramka::store
