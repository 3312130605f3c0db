#pragma once
// The messages table's columns as Message fields, defined once for every query of
// both SQL engines that reads or inserts messages (each engine's message_row.h brings
// these into its namespace).

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/model.h"
#include "store/sql/rows.h"

namespace bramka::store::sql {

// messages.attachments: file ids joined with ',' (ids are hex, so no escaping).
inline std::string JoinAttachments(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) {
    if (!out.empty()) out += ',';
    out += id;
  }
  return out;
}

inline std::vector<std::string> SplitAttachments(const std::string& joined) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < joined.size()) {
    size_t end = joined.find(',', start);
    if (end == std::string::npos) end = joined.size();
    if (end > start) out.push_back(joined.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

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

// INSERT of a new message; bind with BindNewMessage.
inline constexpr char kInsertMessage[] =
    "INSERT INTO messages (id, account_id, phone, sender, type, text, unicode, flash, speed, "
    "parts, cost_units, charged_units, status, unique_id, stat_id, source, dlr_url, queued_ms, "
    "due_ms, seq, smpp_user_id, smpp_registered_delivery, attachments, accept_units, "
    "accept_ledger) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
    "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)";

// A multi-row INSERT of `rows` new messages; bind row k with
// BindNewMessageAt(stmt, k * kInsertColumns, ...).
inline constexpr int kInsertColumns = 25;

// Reads the BRAMKA_MESSAGE_COLUMNS starting at column `first`.
template <class Stmt>
void ReadMessage(const Stmt& s, int c, Message& m) {
  s.TextInto(c + 0, m.id);
  m.account_id = s.Int(c + 1);
  s.TextInto(c + 2, m.phone);
  s.TextInto(c + 3, m.sender);
  m.type = static_cast<MessageType>(s.Int(c + 4));
  s.TextInto(c + 5, m.text);
  m.unicode = s.Int(c + 6) != 0;
  m.flash = s.Int(c + 7) != 0;
  m.speed = s.Int(c + 8) != 0;
  m.parts = static_cast<int>(s.Int(c + 9));
  m.cost_units = s.Int(c + 10);
  m.status = static_cast<MessageStatus>(s.Int(c + 11));
  s.TextInto(c + 12, m.reason);
  s.TextInto(c + 13, m.unique_id);
  m.stat_id = s.Int(c + 14);
  s.TextInto(c + 15, m.source);
  s.TextInto(c + 16, m.dlr_url);
  m.queued_ms = s.Int(c + 17);
  m.due_ms = s.Int(c + 18);
  m.sent_ms = s.Int(c + 19);
  m.done_ms = s.Int(c + 20);
  m.attempts = static_cast<int>(s.Int(c + 21));
  s.TextInto(c + 22, m.connector);
  s.TextInto(c + 23, m.upstream_id);
  m.smpp_user_id = s.Int(c + 24);
  m.smpp_registered_delivery = static_cast<uint8_t>(s.Int(c + 25));
  m.attachments = SplitAttachments(s.Text(c + 26));
}

template <class Stmt>
Message ReadMessage(const Stmt& stmt, int first = 0) {
  Message m;
  ReadMessage(stmt, first, m);
  return m;
}

// Every row of `stmt` (BRAMKA_MESSAGE_COLUMNS from column 0) as a Message.
template <class Stmt>
Result<std::vector<Message>> ReadMessages(Stmt& stmt) {
  std::vector<Message> out;
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ReadMessage(stmt, 0, out.emplace_back());
  }
}

// Binds `m` for row `o / kInsertColumns` of InsertMessagesSql (o = 0: for
// kInsertMessage). `m` and `attachments` (JoinAttachments(m.attachments)) must
// outlive the Step. `charged` is the accept charge (charged_units and accept_units),
// `accept_ledger` the ledger row that holds it (store/accept_ledger.h; 0 when
// nothing was charged).
template <class Stmt>
void BindNewMessageAt(Stmt& s, int o, const Message& m, int64_t seq, AccountId account_id,
                      int64_t charged, const std::string& attachments, int64_t accept_ledger) {
  s.BindText(o + 1, m.id)
      .BindInt(o + 2, account_id)
      .BindText(o + 3, m.phone)
      .BindText(o + 4, m.sender)
      .BindInt(o + 5, static_cast<int64_t>(m.type))
      .BindText(o + 6, m.text)
      .BindInt(o + 7, m.unicode ? 1 : 0)
      .BindInt(o + 8, m.flash ? 1 : 0)
      .BindInt(o + 9, m.speed ? 1 : 0)
      .BindInt(o + 10, m.parts)
      .BindInt(o + 11, m.cost_units)
      .BindInt(o + 12, charged)
      .BindInt(o + 13, static_cast<int64_t>(m.status))
      .BindText(o + 14, m.unique_id)
      .BindInt(o + 15, m.stat_id)
      .BindText(o + 16, m.source)
      .BindText(o + 17, m.dlr_url)
      .BindInt(o + 18, m.queued_ms)
      .BindInt(o + 19, m.due_ms)
      .BindInt(o + 20, seq)
      .BindInt(o + 21, m.smpp_user_id)
      .BindInt(o + 22, m.smpp_registered_delivery)
      .BindText(o + 23, attachments)
      .BindInt(o + 24, charged)
      .BindInt(o + 25, charged != 0 ? accept_ledger : 0);
}

template <class Stmt>
void BindNewMessage(Stmt& s, const Message& m, int64_t seq, AccountId account_id, int64_t charged,
                    const std::string& attachments, int64_t accept_ledger) {
  BindNewMessageAt(s, 0, m, seq, account_id, charged, attachments, accept_ledger);
}

// A multi-row INSERT of `rows` new messages.
inline std::string InsertMessagesSql(int rows) {
  std::string sql = kInsertMessage;
  sql.resize(sql.find(" VALUES ") + 8);
  for (int r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ",(";
    for (int col = 1; col <= kInsertColumns; ++col) {
      if (col > 1) sql += ",";
      sql += "?" + std::to_string(r * kInsertColumns + col);
    }
    sql += ")";
  }
  return sql;
}

}  // namespace bramka::store::sql
