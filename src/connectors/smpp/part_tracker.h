#pragma once
// PartTracker: the map from every part id of a long message to its first part's id (the
// upstream id the store recorded), so that per-part receipts resolve to one status for
// the message: delivered when every part is, undelivered when one part is not.
//
// Shared by the binds of one connector (a transmitter + receiver pair: parts are tracked
// on the transmitter, receipts arrive on the receiver) and handed from a connector to its
// replacement when a reloaded config changes it (docs/adr/0015), so that receipts of
// parts sent before the change still resolve. In memory only, bounded (the oldest part
// ids are forgotten first); single-part messages need no entry (their receipt carries
// the recorded id).
//
// Thread-safety: all methods are thread-safe.

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/model.h"

namespace bramka::smpp_client {

class PartTracker {
 public:
  explicit PartTracker(size_t max_parts = kMaxParts) : max_parts_(max_parts) {}

  // Remembers a message accepted in several parts; `part_ids` are canonical, the first
  // is the recorded upstream id. No-op for fewer than two parts.
  void Track(const std::vector<std::string>& part_ids);

  // A final receipt for `id` (canonical). Returns the id to report and the status, or
  // nullopt when nothing is to be reported yet (other parts outstanding) or any more
  // (already reported). An id never tracked is returned as it is.
  std::optional<std::string> Resolve(const std::string& id, store::MessageStatus status);

  size_t size() const;

  static constexpr size_t kMaxParts = 1'000'000;

 private:
  struct Tracked {
    std::string upstream_id;
    int total = 1;
    int delivered = 0;
    bool reported = false;
  };
  const size_t max_parts_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<Tracked>> by_part_id_;
  std::deque<std::string> order_;  // eviction order
};

}  // namespace bramka::smpp_client
