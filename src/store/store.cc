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

}  // namespace bramka::store
