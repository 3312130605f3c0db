// SubmitBurst (submit_burst.h, docs/adr/0032).

#include "api/smpp/submit_burst.h"

#include <utility>

namespace bramka::api::smpp {

void SubmitBurst::Add(core::GatewayService& core, std::shared_ptr<const core::SmppLogin> login,
                      core::SubmitRequest request, core::GatewayService::SubmitCallback done) {
  if (login_ && login_ != login) Flush(core);
  login_ = std::move(login);
  requests_.push_back(std::move(request));
  dones_.push_back(std::move(done));
  if (requests_.size() >= kMax) Flush(core);
}

void SubmitBurst::Flush(core::GatewayService& core) {
  if (requests_.empty()) return;
  std::vector<core::SubmitRequest> requests = std::move(requests_);
  std::vector<core::GatewayService::SubmitCallback> dones = std::move(dones_);
  const std::shared_ptr<const core::SmppLogin> login = std::move(login_);
  requests_.clear();
  dones_.clear();
  login_.reset();
  if (requests.size() == 1) {
    core.SubmitAsync(login->caller, std::move(requests[0]), std::move(dones[0]));
    return;
  }
  core.SubmitManyAsync(login->caller, std::move(requests), std::move(dones));
}

}  // namespace bramka::api::smpp
