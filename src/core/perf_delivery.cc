// GatewayService: batched delivery bookkeeping (gateway_service.h, "perf-delivery";
// docs/adr/0019).

#include "core/gateway_service.h"

namespace bramka::core {

Result<void> GatewayService::AckSmppDelivers(const std::vector<int64_t>& entry_ids) {
  return store_.DeleteSmppOutboxBatch(entry_ids);
}

}  // namespace bramka::core
