#pragma once
// e2e (docs/adr/0043): the SQLite delivery writes of one dispatcher cycle with fewer
// statements. Store::WriteDeliveries' job inside the writer's transaction: the cycle's
// acceptances as multi-row UPDATEs (one statement for up to kSentRows claimed messages,
// instead of one each), then its receipts as before (sql/receipt_tx.h). Same results
// and same order of effects as sql::WriteDeliveriesInTx with the per-message MarkSent.

#include <cstdint>
#include <optional>
#include <vector>

#include "common/result.h"
#include "store/model.h"
#include "store/sqlite/writer.h"
#include "store/store.h"

namespace bramka::store::sqlite {

// `seqs[i]`: the row key of sent[i].message_id (nullopt: not a well-formed id).
Result<Store::DeliveryWrites> WriteDeliveriesE2eInTx(
    WriteContext& ctx, const std::vector<SentUpdate>& sent,
    const std::vector<std::optional<int64_t>>& seqs, const std::vector<ReceiptUpdate>& receipts);

}  // namespace bramka::store::sqlite
