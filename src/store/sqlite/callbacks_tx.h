#pragma once
// Queuing callbacks inside a SqliteStore write job (ADR 0007): the status
// change and its callback commit in one transaction, so a crash at any instant
// either loses both or keeps both. Used by MarkUnsent and ApplyReceipt; a job
// that records an incoming message calls QueueMoCallbackInTx the same way.

#include <cstdint>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/rows.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

// After the message row `seq` was moved to a final status: queues its kDlr
// entry when the message has a dlr_url or its account a DLR template
// (nothing otherwise). `now_ms` is the entry's created_ms and first due time.
Result<void> QueueDlrCallbackInTx(Connection& conn, int64_t seq, int64_t now_ms);

// Queues `entry` (kind kMo) with the account's MO template; false when the
// account has none.
Result<bool> QueueMoCallbackInTx(Connection& conn, const CallbackEntry& entry);

// The same for the other outboxes (store.h, AddSmppOutbox and RecordIncoming):
// after the message row `seq` was made final, its SMPP receipt (when it came
// from an SMPP user that asked for receipts); after the inbox row of `message`
// was written, one deliver_sm per SMPP user and one MO row per SQL source of
// its account.
Result<void> QueueSmppReceiptInTx(Connection& conn, int64_t seq, int64_t now_ms);
Result<void> QueueSmppMoInTx(Connection& conn, const InboxMessage& message);
using sql::QueueSqlMoInTx;

}  // namespace bramka::store::sqlite
