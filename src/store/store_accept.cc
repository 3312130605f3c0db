// Store::ReadForSubmits: the reads of many submits of one account at once (issue 11,
// docs/adr/0032). The balances once, each distinct sender name once, one blacklist probe
// for every phone; each query's answer then is what its own ReadForSubmit would give.

#include <utility>

#include "store/store.h"

namespace bramka::store {

std::vector<Store::SubmitReads> Store::ReadForSubmits(AccountId id,
                                                      const std::vector<SubmitReadQuery>& queries) {
  std::vector<SubmitReads> out(queries.size());
  if (queries.empty()) return out;
  const Result<std::vector<Balance>> balances = GetBalances(id);
  // Few distinct senders per burst (usually one): a linear look-up beats a map.
  std::vector<std::pair<std::string, Result<std::optional<Sender>>>> senders;
  std::vector<std::string> phones;
  for (const SubmitReadQuery& q : queries) {
    phones.insert(phones.end(), q.phones.begin(), q.phones.end());
    if (q.sender.empty()) continue;
    bool known = false;
    for (const auto& s : senders) known = known || s.first == q.sender;
    if (!known) senders.emplace_back(q.sender, GetSender(id, q.sender));
  }
  const Result<std::vector<bool>> listed = AreBlacklisted(id, phones);
  size_t next_phone = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    const SubmitReadQuery& q = queries[i];
    SubmitReads& r = out[i];
    r.balances = balances;
    for (const auto& s : senders) {
      if (s.first == q.sender) r.sender = s.second;
    }
    if (!listed.ok()) {
      r.blacklisted = listed.error();
    } else {
      r.blacklisted =
          std::vector<bool>(listed->begin() + static_cast<ptrdiff_t>(next_phone),
                            listed->begin() + static_cast<ptrdiff_t>(next_phone + q.phones.size()));
    }
    next_phone += q.phones.size();
  }
  return out;
}

}  // namespace bramka::store
