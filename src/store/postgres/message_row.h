#pragma once
// The messages table's columns as Message fields, defined once for every
// query that reads or inserts messages.

#include "store/model.h"
#include "store/postgres/connection.h"
#include "store/sql/rows.h"

namespace bramka::store::postgres {

using sql::ValidMessageType;

// The columns ReadMessage expects, in order, as a literal for SQL text.
#define BRAMKA_MESSAGE_COLUMNS                                                            \
  "id, account_id, phone, sender, type, text, unicode, flash, speed, parts, cost_units, " \
  "status, reason, unique_id, stat_id, source, dlr_url, queued_ms, due_ms, sent_ms, "     \
  "done_ms, attempts, connector, upstream_id, smpp_user_id, smpp_registered_delivery, "   \
  "attachments"
inline constexpr int kMessageColumnCount = 27;
// The same qualified with "m." (UPDATE ... FROM ... RETURNING).
#define BRAMKA_MESSAGE_COLUMNS_OF_M                                                      \
  "m.id, m.account_id, m.phone, m.sender, m.type, m.text, m.unicode, m.flash, m.speed, " \
  "m.parts, m.cost_units, m.status, m.reason, m.unique_id, m.stat_id, m.source, "        \
  "m.dlr_url, m.queued_ms, m.due_ms, m.sent_ms, m.done_ms, m.attempts, m.connector, "    \
  "m.upstream_id, m.smpp_user_id, m.smpp_registered_delivery, m.attachments"

// Reads the BRAMKA_MESSAGE_COLUMNS starting at column `first`.
void ReadMessage(const Stmt& stmt, int first, Message& out);
Message ReadMessage(const Stmt& stmt, int first = 0);

// INSERT of a new message; bind with BindNewMessage.
inline constexpr char kInsertMessage[] =
    "INSERT INTO messages (id, account_id, phone, sender, type, text, unicode, flash, speed, "
    "parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, queued_ms, "
    "due_ms, seq, smpp_user_id, smpp_registered_delivery, attachments) VALUES (?1, ?2, ?3, ?4, "
    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)";
// Binds `m` (which must outlive the Step) for kInsertMessage. `attachments` holds
// JoinAttachments(m.attachments) and must outlive the Step too.
void BindNewMessage(Stmt& stmt, const Message& m, int64_t seq, AccountId account_id,
                    int64_t charged, const std::string& attachments);

// A multi-row INSERT of `rows` new messages; bind row k with
// BindNewMessageAt(stmt, k * kInsertColumns, ...).
inline constexpr int kInsertColumns = 23;
std::string InsertMessagesSql(int rows);
void BindNewMessageAt(Stmt& stmt, int offset, const Message& m, int64_t seq, AccountId account_id,
                      int64_t charged, const std::string& attachments);

// messages.attachments: file ids joined with ',' (ids are hex, so no escaping).
std::string JoinAttachments(const std::vector<std::string>& ids);
std::vector<std::string> SplitAttachments(const std::string& joined);

}  // namespace bramka::store::postgres
