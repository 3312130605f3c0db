#pragma once
// Store::WriteDeliveries inside the caller's write transaction, for both SQL engines
// (docs/adr/0031): every acceptance (`mark_sent(s) -> Result<bool>`, the engine's MarkSent
// in a transaction: false for an unknown id), then every receipt (ApplyReceiptInTx), in
// the order given.

#include <optional>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/receipt_tx.h"
#include "store/store.h"

namespace bramka::store::sql {

template <class B, class MarkSent>
Result<Store::DeliveryWrites> WriteDeliveriesInTx(typename B::WriteContext& ctx,
                                                  const std::vector<SentUpdate>& sent,
                                                  const std::vector<ReceiptUpdate>& receipts,
                                                  MarkSent&& mark_sent) {
  Store::DeliveryWrites out;
  out.found.reserve(sent.size());
  out.applied.reserve(receipts.size());
  for (const SentUpdate& s : sent) {
    BRAMKA_ASSIGN_OR_RETURN(bool found, mark_sent(s));
    out.found.push_back(found);
  }
  for (const ReceiptUpdate& r : receipts) {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m, ApplyReceiptInTx<B>(ctx, r));
    out.applied.push_back(std::move(m));
  }
  return out;
}

}  // namespace bramka::store::sql
