// InMemoryStore: the part ids of long messages (store.h MarkSentBatch / ApplyReceipt,
// "parts"; docs/adr/0028), as message_parts holds them in the SQL stores
// (store/sql/message_parts_tx.h).

#include <iterator>

#include "store/testing/in_memory_store.h"

namespace bramka::store {

void InMemoryStore::ErasePartsLocked(uint64_t seq, std::optional<int64_t> sent_ms) {
  auto it = parts_.lower_bound({seq, 0});
  if (it == parts_.end() || it->first.first != seq) return;
  if (sent_ms && it->second.sent_ms != *sent_ms) return;  // sent again since: kept
  while (it != parts_.end() && it->first.first == seq) {
    auto by = parts_by_upstream_.find({it->second.connector, it->second.upstream_id});
    if (by != parts_by_upstream_.end()) {
      by->second.erase(seq);
      if (by->second.empty()) parts_by_upstream_.erase(by);
    }
    it = parts_.erase(it);
  }
}

void InMemoryStore::RecordPartsLocked(Record& record, const SentUpdate& sent) {
  if (sent.part_ids.size() < 2) return;
  // Forget what was recorded more than kMessagePartsKeepMs ago, oldest first, and the
  // parts of an earlier send of this message.
  const int64_t cutoff = sent.at_ms - kMessagePartsKeepMs;
  while (!parts_order_.empty() && parts_order_.front().first < cutoff) {
    ErasePartsLocked(parts_order_.front().second, parts_order_.front().first);
    parts_order_.pop_front();
  }
  ErasePartsLocked(record.seq, std::nullopt);
  for (size_t i = 0; i < sent.part_ids.size(); ++i) {
    const int number = static_cast<int>(i + 1);
    PartRow& row = parts_[{record.seq, number}];
    row = PartRow{&record, sent.connector, sent.part_ids[i], MessageStatus::kSent, "", sent.at_ms};
    parts_by_upstream_[{sent.connector, sent.part_ids[i]}][record.seq] = number;
  }
  parts_order_.emplace_back(sent.at_ms, record.seq);
}

std::optional<std::optional<Message>> InMemoryStore::ApplyPartReceiptLocked(
    const ReceiptUpdate& receipt) {
  auto by = parts_by_upstream_.find({receipt.connector, receipt.upstream_id});
  if (by == parts_by_upstream_.end() || by->second.empty()) return std::nullopt;
  const auto& [seq, number] = *std::prev(by->second.end());  // the newest send's
  PartRow& part = parts_.at({seq, number});
  Record& r = *part.record;
  if (IsFinal(r.message.status) || part.status != MessageStatus::kSent) {
    return std::optional<Message>(r.message);  // final, or a repeated receipt
  }
  part.status = receipt.status;
  part.reason = receipt.reason;
  bool decided = receipt.status == MessageStatus::kUndelivered;
  if (!decided) {
    decided = true;
    for (auto it = parts_.lower_bound({seq, 0}); it != parts_.end() && it->first.first == seq;
         ++it) {
      decided = decided && it->second.status == MessageStatus::kDelivered;
    }
  }
  const bool queued =
      decided && FinishByReceiptLocked(r, receipt.status, receipt.reason, receipt.at_ms);
  Message out = r.message;
  out.callback_queued = queued;  // docs/adr/0058
  return std::optional<Message>(std::move(out));
}

}  // namespace bramka::store
