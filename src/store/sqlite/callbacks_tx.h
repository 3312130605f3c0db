#pragma once
// Queuing outbox rows inside a SqliteStore write job (ADR 0007): the change and
// what reports it commit in one transaction, so a crash at any instant either
// loses both or keeps both. The callback and SQL API queues are both engines'
// (store/sql/callbacks_tx.h, rows.h); the SMPP outbox's are this engine's.

#include <cstdint>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/callbacks_tx.h"
#include "store/sql/rows.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

// The SMPP outbox (store.h, AddSmppOutbox and RecordIncoming): after the message row `seq` was made
// final, its SMPP receipt (when it came from an SMPP user that asked for receipts); after the inbox
// row of `message` was written, one deliver_sm per SMPP user and one MO row per SQL source of its
// account.
Result<void> QueueSmppReceiptInTx(Connection& conn, int64_t seq, int64_t now_ms);
Result<void> QueueSmppMoInTx(Connection& conn, const InboxMessage& message);
using sql::QueueDlrCallbackInTx;
using sql::QueueMoCallbackInTx;
using sql::QueueSqlMoInTx;
using sql::ReadEntries;
using sql::ReadEntry;

}  // namespace bramka::store::sqlite
