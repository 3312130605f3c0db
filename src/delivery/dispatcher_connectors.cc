// The dispatcher's connector set and routing table, replaced while it runs (connector
// reload, docs/adr/0015): copy-on-write maps behind short locks, so a claim or a send reads
// a snapshot without waiting for a reload.

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/log.h"
#include "delivery/dispatcher.h"

namespace bramka::delivery {

void Dispatcher::SetRouting(RoutingTable routing) {
  auto table = std::make_shared<const RoutingTable>(std::move(routing));
  std::lock_guard lock(routing_mu_);
  routing_ = std::move(table);
}

std::shared_ptr<const Dispatcher::SlotMap> Dispatcher::Slots() const {
  std::lock_guard lock(slots_mu_);
  return slots_;
}

Result<void> Dispatcher::AddConnector(Connector& connector) {
  std::lock_guard life(lifecycle_mu_);
  const std::string name = connector.name();
  bool started;
  {
    std::lock_guard lock(mu_);
    if (stopped_) return Fail(ErrorCode::kUnavailable, "dispatcher stopped");
    started = started_;
  }
  if (Slots()->count(name) > 0) {
    return Fail(ErrorCode::kAlreadyExists, "connector " + name + " is already in use");
  }
  RegisterOperatorMetrics(name);
  if (started) {
    if (Result<void> r = connector.Start(events()); !r.ok()) {
      Error e = r.take_error();
      e.message = "connector " + name + ": " + e.message;
      return Fail(std::move(e));
    }
  }
  {
    std::lock_guard lock(slots_mu_);
    auto next = std::make_shared<SlotMap>(*slots_);
    next->emplace(name, std::make_shared<Slot>(&connector));
    slots_ = std::move(next);
  }
  spdlog::info("dispatcher: connector {} added", name);
  Wake();
  return Ok();
}

bool Dispatcher::RemoveConnector(const std::string& name) {
  std::lock_guard life(lifecycle_mu_);
  std::shared_ptr<Slot> slot;
  {
    std::lock_guard lock(slots_mu_);
    auto it = slots_->find(name);
    if (it == slots_->end()) return false;
    slot = it->second;
    auto next = std::make_shared<SlotMap>(*slots_);
    next->erase(name);
    slots_ = std::move(next);
  }
  {
    // Waits for the Sends and Ready() calls inside the connector; later ones
    // (from attempts that looked it up before) see `removed`.
    std::unique_lock lock(slot->mu);
    slot->removed = true;
  }
  spdlog::info("dispatcher: connector {} removed; draining it", name);
  // Rule 7: everything it holds is answered (handed back, accepted or
  // temporary) before Stop returns; those answers are recorded as usual.
  slot->connector->Stop();
  spdlog::info("dispatcher: connector {} stopped", name);
  Wake();  // what it handed back is due again
  return true;
}

std::vector<std::string> Dispatcher::ConnectorNames() const {
  std::vector<std::string> names;
  for (const auto& [name, slot] : *Slots()) names.push_back(name);
  return names;
}

void Dispatcher::SetReceiptAliases(std::map<std::string, std::vector<std::string>> aliases) {
  auto next =
      std::make_shared<const std::map<std::string, std::vector<std::string>>>(std::move(aliases));
  std::lock_guard lock(slots_mu_);
  aliases_ = std::move(next);
}

}  // namespace bramka::delivery
