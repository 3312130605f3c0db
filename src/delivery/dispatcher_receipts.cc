// Dispatcher: receipts (dispatcher.h). A receipt is applied in the write batch
// (dispatcher_batch.cc), then its listeners run; one that arrives before the
// MarkSent of its message is held (pending_receipts_) and applied after it; each
// receipt's completion (ConnectorEvents::ReceiptDone) runs once its status is
// committed, so the connector acknowledges it to the SMSC only then (ADR 0019).

#include <algorithm>
#include <optional>
#include <utility>

#include "common/log.h"
#include "delivery/dispatcher.h"

namespace bramka::delivery {

void Dispatcher::HandleReceipt(store::ReceiptUpdate receipt, ConnectorEvents::ReceiptDone done) {
  auto applied = store_.ApplyReceipt(receipt);
  AfterReceipt(std::move(receipt), std::move(applied), std::move(done));
}

void Dispatcher::AfterReceipt(store::ReceiptUpdate receipt,
                              Result<std::optional<store::Message>> applied,
                              ConnectorEvents::ReceiptDone done) {
  const std::string connector = receipt.connector;
  if (!applied.ok()) {
    spdlog::warn("dispatcher: receipt {}/{} not applied: {}", connector, receipt.upstream_id,
                 applied.error().ToString());
    SeriesCounter(connector, Series::kError).Inc();
    // receipt-ack: the SMSC repeats it, unless it can never be stored (a status
    // no receipt may have: repeating it would loop forever).
    if (done) done(applied.error().code == ErrorCode::kInvalidArgument);
    return;
  }
  if (!applied->has_value()) {
    // Sent through a connector this one succeeded (docs/adr/0015)?
    std::shared_ptr<const std::map<std::string, std::vector<std::string>>> aliases;
    {
      std::lock_guard lock(slots_mu_);
      aliases = aliases_;
    }
    if (aliases) {
      if (auto it = aliases->find(connector); it != aliases->end()) {
        for (const std::string& alias : it->second) {
          store::ReceiptUpdate as_alias = receipt;
          as_alias.connector = alias;
          auto again = store_.ApplyReceipt(as_alias);
          if (again.ok() && again->has_value()) {
            applied = std::move(again);
            break;
          }
        }
      }
    }
  }
  if (!applied->has_value()) {
    // Either a receipt for a message we never sent, or one that overtook the
    // MarkSent of its own submit (SMSCs do send receipts that fast). Keep it
    // a while; ApplyPendingReceipt retries it when that MarkSent lands.
    SeriesCounter(connector, Series::kUnmatched).Inc();
    KeepPendingReceipt(std::move(receipt), std::move(done));
    return;
  }
  if (done) done(true);  // receipt-ack: committed
  if (!IsFinal((*applied)->status)) {
    // parts (docs/adr/0028): a part of a long message whose other parts are still out:
    // stored, nothing to tell anyone yet.
    SeriesCounter(connector, Series::kPart).Inc();
    return;
  }
  if (receipt.status == store::MessageStatus::kDelivered) {
    SeriesCounter(connector, Series::kDelivered).Inc();
  } else if (receipt.status == store::MessageStatus::kUndelivered) {
    SeriesCounter(connector, Series::kUndelivered).Inc();
  } else {
    metrics_
        .GetCounter(kReceiptMetric, kReceiptHelp,
                    MetricLabels(connector, "status", store::MessageStatusName(receipt.status)))
        .Inc();
  }
  ObserveReceipt(connector, **applied);
  CallListeners(**applied);
}

void Dispatcher::CallListeners(const store::Message& message) {
  // wire (docs/adr/0052): a snapshot of the list, not a copy of every listener per receipt.
  std::shared_ptr<const std::vector<ReceiptListener>> listeners;
  {
    std::lock_guard lock(mu_);
    listeners = listeners_;
  }
  for (const ReceiptListener& listener : *listeners) listener(message);
}

// A message that ended unsent after it was accepted (refused by the upstream,
// or expired): its client hears about it like about a receipt.
void Dispatcher::NotifyFinal(const store::Message& claimed) {
  auto stored = store_.GetMessage(claimed.account_id, claimed.id);
  if (!stored.ok()) {
    spdlog::warn("dispatcher: reading {} after it ended: {}", claimed.id,
                 stored.error().ToString());
    return;
  }
  // notifywake (docs/adr/0058): MarkUnsent does not say whether it queued a DLR callback;
  // a message ending unsent is rare, so its listeners wake the callback sender anyway.
  stored->callback_queued = true;
  CallListeners(*stored);
}

void Dispatcher::KeepPendingReceipt(store::ReceiptUpdate receipt,
                                    ConnectorEvents::ReceiptDone done) {
  // receipt-ack: completions of receipts replaced or evicted here. They are
  // taken for ones that will never match (nothing to lose): acknowledged.
  std::vector<ConnectorEvents::ReceiptDone> dropped;
  {
    std::lock_guard lock(mu_);
    PendingKey key{receipt.connector, receipt.upstream_id};
    const uint64_t seq = ++pending_seq_;
    if (auto it = pending_receipts_.find(key); it != pending_receipts_.end() && it->second.done) {
      dropped.push_back(std::move(it->second.done));  // a repeat: the new one is held instead
    }
    const bool has_done = static_cast<bool>(done);
    pending_receipts_.insert_or_assign(key,
                                       PendingReceipt{std::move(receipt), seq, std::move(done)});
    if (has_done) pending_acks_.emplace_back(key, seq, clock_.SteadyNow());
    pending_order_.emplace_back(std::move(key), seq);
    // Bound memory: receipts for messages this store never had would stay forever.
    while (pending_order_.size() > kMaxPendingReceipts) {
      auto& [old_key, old_seq] = pending_order_.front();
      auto it = pending_receipts_.find(old_key);
      if (it != pending_receipts_.end() && it->second.seq == old_seq) {
        if (it->second.done) dropped.push_back(std::move(it->second.done));
        pending_receipts_.erase(it);
      }
      pending_order_.pop_front();
    }
  }
  for (auto& d : dropped) d(true);
  ExpirePendingAcks();
}

void Dispatcher::ExpirePendingAcks() {
  std::vector<ConnectorEvents::ReceiptDone> expired;
  {
    const SteadyTime now = clock_.SteadyNow();  // a wall clock jump changes nothing
    std::lock_guard lock(mu_);
    while (!pending_acks_.empty()) {
      auto& [key, seq, kept_at] = pending_acks_.front();
      auto it = pending_receipts_.find(key);
      if (it != pending_receipts_.end() && it->second.seq == seq && it->second.done) {
        if (now - kept_at < Millis(kPendingReceiptAckMs)) break;
        // Still no message for it: it will never match (a message this store never
        // sent). It stays kept (it may yet apply), but the SMSC is answered now.
        expired.push_back(std::move(it->second.done));
        it->second.done = nullptr;
      }
      pending_acks_.pop_front();
    }
  }
  for (auto& d : expired) d(true);
}

void Dispatcher::ApplyPendingReceipts(const store::SentUpdate& sent) {
  ApplyPendingReceipt(sent.connector, sent.upstream_id);
  // parts (docs/adr/0028): a part's receipt may have overtaken the MarkSent too.
  for (size_t i = 1; i < sent.part_ids.size(); ++i) {
    ApplyPendingReceipt(sent.connector, sent.part_ids[i]);
  }
}

void Dispatcher::ApplyPendingReceipt(const std::string& connector, const std::string& upstream_id) {
  {
    // s6-delivery: the common case (no receipt overtook its acceptance) costs one lock,
    // not the alias list built below. The same test as under the lock further down.
    std::lock_guard lock(mu_);
    if (pending_receipts_.empty()) return;
  }
  // The receipt may also have come through a connector that aliases this one.
  std::vector<std::string> via = {connector};
  {
    std::lock_guard lock(slots_mu_);
    if (aliases_) {
      for (const auto& [other, names] : *aliases_) {
        if (std::find(names.begin(), names.end(), connector) != names.end()) via.push_back(other);
      }
    }
  }
  std::optional<store::ReceiptUpdate> receipt;
  ConnectorEvents::ReceiptDone done;
  {
    std::lock_guard lock(mu_);
    if (pending_receipts_.empty()) return;
    for (const std::string& name : via) {
      auto it = pending_receipts_.find(PendingKey{name, upstream_id});
      if (it == pending_receipts_.end()) continue;
      receipt = std::move(it->second.receipt);
      done = std::move(it->second.done);  // its pending_acks_ entry is dropped in turn
      // Its pending_order_ entry no longer matches a seq and is dropped in turn.
      pending_receipts_.erase(it);
      break;
    }
  }
  if (receipt) HandleReceipt(std::move(*receipt), std::move(done));
}

}  // namespace bramka::delivery
