#pragma once
// Queuing callbacks inside a write transaction (ADR 0007), for both SQL
// engines: the status change and its callback commit in one transaction, so a
// crash at any instant either loses both or keeps both. Used by MarkUnsent and
// ApplyReceipt (QueueDlrCallbackInTx) and by RecordIncoming
// (QueueMoCallbackInTx); the callback outbox's row reader is here too.
// Each engine's callbacks_tx.h brings these into its namespace.

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/dlr_entry.h"
#include "store/model.h"
#include "store/sql/rows.h"

namespace bramka::store::sql {

#define BRAMKA_CALLBACK_COLUMNS                                                        \
  "id, account_id, kind, url_template, message_id, unique_id, phone, sender, status, " \
  "reason, text, event_ms, created_ms, state, attempts, next_attempt_ms, last_error"

template <class Stmt>
CallbackEntry ReadEntry(const Stmt& s) {
  CallbackEntry e;
  e.id = s.Int(0);
  e.account_id = s.Int(1);
  e.kind = static_cast<CallbackKind>(s.Int(2));
  s.TextInto(3, e.url_template);
  s.TextInto(4, e.message_id);
  s.TextInto(5, e.unique_id);
  s.TextInto(6, e.phone);
  s.TextInto(7, e.sender);
  s.TextInto(8, e.status);
  s.TextInto(9, e.reason);
  s.TextInto(10, e.text);
  e.event_ms = s.Int(11);
  e.created_ms = s.Int(12);
  e.state = static_cast<CallbackState>(s.Int(13));
  e.attempts = static_cast<int>(s.Int(14));
  e.next_attempt_ms = s.Int(15);
  s.TextInto(16, e.last_error);
  return e;
}

template <class Stmt>
Result<std::vector<CallbackEntry>> ReadEntries(Stmt& stmt) {
  std::vector<CallbackEntry> out;
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    out.push_back(ReadEntry(stmt));
  }
}

// The account's template of `column` ("dlr_url" or "mo_url"); empty if none.
template <class Connection>
Result<std::string> AccountTemplate(Connection& c, AccountId account, bool mo) {
  BRAMKA_ASSIGN_OR_RETURN(
      auto stmt, mo ? c.Prepare("SELECT mo_url FROM account_callbacks WHERE account_id = ?1")
                    : c.Prepare("SELECT dlr_url FROM account_callbacks WHERE account_id = ?1"));
  stmt.BindInt(1, account);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Text(0) : std::string();
}

template <class Connection>
Result<void> InsertEntry(Connection& c, const CallbackEntry& e) {
  BRAMKA_ASSIGN_OR_RETURN(
      auto stmt,
      c.Prepare(
          "INSERT INTO callback_outbox (account_id, kind, url_template, message_id, "
          "unique_id, phone, sender, status, reason, text, event_ms, created_ms, "
          "next_attempt_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)"));
  stmt.BindInt(1, e.account_id).BindInt(2, static_cast<int64_t>(e.kind));
  stmt.BindText(3, e.url_template).BindText(4, e.message_id).BindText(5, e.unique_id);
  stmt.BindText(6, e.phone).BindText(7, e.sender).BindText(8, e.status);
  stmt.BindText(9, e.reason).BindText(10, e.text).BindInt(11, e.event_ms);
  stmt.BindInt(12, e.created_ms);
  return stmt.Run();
}

template <class Connection>
Result<void> QueueDlrCallbackInTx(Connection& c, int64_t seq, int64_t now_ms) {
  CallbackEntry e;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        auto stmt, c.Prepare("SELECT account_id, dlr_url, id, unique_id, phone, sender, status, "
                             "reason, text, done_ms FROM messages WHERE seq = ?1"));
    stmt.BindInt(1, seq);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Ok();
    e.account_id = stmt.Int(0);
    stmt.TextInto(1, e.url_template);
    stmt.TextInto(2, e.message_id);
    stmt.TextInto(3, e.unique_id);
    stmt.TextInto(4, e.phone);
    stmt.TextInto(5, e.sender);
    e.status = std::string(MessageStatusName(static_cast<MessageStatus>(stmt.Int(6))));
    stmt.TextInto(7, e.reason);
    stmt.TextInto(8, e.text);
    e.event_ms = stmt.Int(9);
  }
  if (e.url_template.empty()) {
    BRAMKA_ASSIGN_OR_RETURN(e.url_template, AccountTemplate(c, e.account_id, false));
    if (e.url_template.empty()) return Ok();
  }
  e.kind = CallbackKind::kDlr;
  e.created_ms = now_ms;
  return InsertEntry(c, e);
}

// ---- delivery (docs/adr/0031) ----
// QueueDlrCallbackInTx for a message the caller has just read and updated in this
// transaction (`m` as it is stored now, ApplyReceiptInTx): the same entry, without
// reading the row again. true when an entry was queued (notifywake, docs/adr/0058: the
// receipt's Message says so, and only then is the callback sender woken).
//
// rowwrite (docs/adr/0066): `memo`, when given, keeps the last account's DLR template for
// the caller's next messages; valid only within one write job (nothing else in the job
// changes an account's callbacks).
struct DlrTemplateMemo {
  AccountId account = 0;
  bool known = false;
  std::string url_template;
};

template <class Connection>
Result<bool> QueueDlrCallbackForInTx(Connection& c, const Message& m, int64_t now_ms,
                                     DlrTemplateMemo* memo = nullptr) {
  CallbackEntry e = DlrCallbackEntryOf(m, now_ms);
  if (e.url_template.empty()) {
    if (memo == nullptr) {
      BRAMKA_ASSIGN_OR_RETURN(e.url_template, AccountTemplate(c, m.account_id, false));
    } else {
      if (!memo->known || memo->account != m.account_id) {
        BRAMKA_ASSIGN_OR_RETURN(memo->url_template, AccountTemplate(c, m.account_id, false));
        memo->account = m.account_id;
        memo->known = true;
      }
      e.url_template = memo->url_template;
    }
    if (e.url_template.empty()) return false;
  }
  BRAMKA_RETURN_IF_ERROR(InsertEntry(c, e));
  return true;
}

template <class Connection>
Result<bool> QueueMoCallbackInTx(Connection& c, const CallbackEntry& entry) {
  BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(c, entry.account_id));
  if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
  CallbackEntry e = entry;
  e.kind = CallbackKind::kMo;
  BRAMKA_ASSIGN_OR_RETURN(e.url_template, AccountTemplate(c, e.account_id, true));
  if (e.url_template.empty()) return false;
  BRAMKA_RETURN_IF_ERROR(InsertEntry(c, e));
  return true;
}

}  // namespace bramka::store::sql
