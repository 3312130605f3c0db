// InMemoryStore: batched delivery writes (store.h, "perf-delivery"; docs/adr/0019).
// Each batch runs under one hold of mu_, which is this store's transaction.

#include "store/testing/in_memory_store.h"

namespace bramka::store {

Result<std::vector<bool>> InMemoryStore::MarkSentBatch(const std::vector<SentUpdate>& sent) {
  std::lock_guard lock(mu_);
  std::vector<bool> found;
  found.reserve(sent.size());
  for (const SentUpdate& s : sent) found.push_back(MarkSentLocked(s));
  return found;
}

Result<std::vector<std::optional<Message>>> InMemoryStore::ApplyReceipts(
    const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  std::lock_guard lock(mu_);
  std::vector<std::optional<Message>> out;
  out.reserve(receipts.size());
  for (const ReceiptUpdate& r : receipts) out.push_back(ApplyReceiptLocked(r));
  return out;
}

Result<void> InMemoryStore::DeleteSmppOutboxBatch(const std::vector<int64_t>& entry_ids) {
  std::lock_guard lock(mu_);
  for (int64_t id : entry_ids) smpp_outbox_.erase(id);
  return Ok();
}

}  // namespace bramka::store
