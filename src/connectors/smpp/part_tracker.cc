#include "connectors/smpp/part_tracker.h"

namespace bramka::smpp_client {

void PartTracker::Track(const std::vector<std::string>& part_ids) {
  if (part_ids.size() < 2) return;  // a single part's receipt carries the recorded id
  auto t = std::make_shared<Tracked>();
  t->upstream_id = part_ids[0];
  t->total = static_cast<int>(part_ids.size());
  std::lock_guard lock(mu_);
  for (const auto& id : part_ids) {
    by_part_id_[id] = t;
    order_.push_back(id);
  }
  while (order_.size() > max_parts_) {
    by_part_id_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<std::string> PartTracker::Resolve(const std::string& id,
                                                store::MessageStatus status) {
  std::lock_guard lock(mu_);
  auto it = by_part_id_.find(id);
  if (it == by_part_id_.end()) return id;
  Tracked& t = *it->second;
  if (t.reported) return std::nullopt;
  if (status == store::MessageStatus::kUndelivered || ++t.delivered >= t.total) {
    t.reported = true;
    return t.upstream_id;
  }
  return std::nullopt;
}

size_t PartTracker::size() const {
  std::lock_guard lock(mu_);
  return by_part_id_.size();
}

}  // namespace bramka::smpp_client
