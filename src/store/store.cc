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

}  // namespace bramka::store
