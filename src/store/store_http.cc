// Store::ReadForTokenSubmit's default (issue 11, docs/adr/0038): the token's account, then
// the submit's reads for it, as two calls.

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

}  // namespace bramka::store
