#include "store/store.h"

#include <future>
#include <utility>

namespace bramka::store {

Result<AcceptResult> Store::Accept(AcceptRequest request) {
  std::promise<Result<AcceptResult>> promise;
  std::future<Result<AcceptResult>> future = promise.get_future();
  AcceptAsync(std::move(request),
              [&promise](Result<AcceptResult> result) { promise.set_value(std::move(result)); });
  return future.get();
}

Result<void> CheckInboundNumber(const InboundNumber& number) {
  if (number.number.empty()) return Fail(ErrorCode::kInvalidArgument, "number is empty");
  const bool pool = number.kind == InboundKind::kPool;
  if (pool && number.account_id != 0) {
    return Fail(ErrorCode::kInvalidArgument, "pool numbers belong to no account");
  }
  if (!pool && number.account_id == 0) {
    return Fail(ErrorCode::kInvalidArgument, "the number needs an account");
  }
  return Ok();
}

// ---- ingest fast path (perf-ingest, docs/adr/0020) ---------------------------------------

Result<std::vector<bool>> Store::AreBlacklisted(AccountId id,
                                                const std::vector<std::string>& phones) {
  std::vector<bool> out(phones.size(), false);
  for (size_t i = 0; i < phones.size(); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(bool listed, IsBlacklisted(id, phones[i]));
    out[i] = listed;
  }
  return out;
}

}  // namespace bramka::store
