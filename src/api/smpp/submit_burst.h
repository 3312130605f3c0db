#pragma once
// SubmitBurst: the submits one TCP read of a bind delivered, handed to core together
// (issue 11, docs/adr/0032). The SMPP server adds each decoded submit (after throttling and
// reassembly, with the callback that answers it) and flushes when the connection has
// drained the read's PDUs, before any other request of the bind, when the bind closes,
// and at kMax queued. One queued submit goes to core::GatewayService::SubmitAsync, several
// to SubmitManyAsync (the same checks and accepts, one store read for all).
// Not thread-safe: one per bind, used on its connection's strand only.

#include <memory>
#include <vector>

#include "core/gateway_service.h"

namespace bramka::api::smpp {

class SubmitBurst {
 public:
  static constexpr size_t kMax = 256;

  // Queues one submit of `login`; flushes first when the queue holds another login's.
  void Add(core::GatewayService& core, std::shared_ptr<const core::SmppLogin> login,
           core::SubmitRequest request, core::GatewayService::SubmitCallback done);
  // Hands everything queued to core, in arrival order; a no-op when empty.
  void Flush(core::GatewayService& core);

 private:
  std::vector<core::SubmitRequest> requests_;
  std::vector<core::GatewayService::SubmitCallback> dones_;
  std::shared_ptr<const core::SmppLogin> login_;  // whose they are
};

}  // namespace bramka::api::smpp
