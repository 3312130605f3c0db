#pragma once
// SqlStore<B>'s payments (top-up invoices) and sending statistics.
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

#define BRAMKA_PAYMENT_COLUMNS                                                                \
  "id, account_id, number, type, units, net_grosze, vat_percent, total_grosze, paid_grosze, " \
  "issued_ms, due_ms, paid_ms, note"

template <class Stmt>
Payment ReadPayment(const Stmt& s) {
  Payment p;
  p.id = s.Int(0);
  p.account_id = s.Int(1);
  p.number = s.Text(2);
  p.type = static_cast<MessageType>(s.Int(3));
  p.units = s.Int(4);
  p.net_grosze = s.Int(5);
  p.vat_percent = static_cast<int>(s.Int(6));
  p.total_grosze = s.Int(7);
  p.paid_grosze = s.Int(8);
  p.issued_ms = s.Int(9);
  p.due_ms = s.Int(10);
  p.paid_ms = s.Int(11);
  p.note = s.Text(12);
  return p;
}

template <class Connection>
Result<Payment> SelectPayment(Connection& c, int64_t payment_id) {
  BRAMKA_ASSIGN_OR_RETURN(
      auto stmt, c.Prepare("SELECT " BRAMKA_PAYMENT_COLUMNS " FROM payments WHERE id = ?1"));
  stmt.BindInt(1, payment_id);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "no such payment");
  return ReadPayment(stmt);
}

template <class B>
Result<Payment> SqlStore<B>::RecordTopUp(const PaymentDraft& d, int64_t now_ms) {
  if (d.units <= 0) return Fail(ErrorCode::kInvalidArgument, "top-up units must be positive");
  if (d.net_grosze < 0 || d.total_grosze < 0) {
    return Fail(ErrorCode::kInvalidArgument, "a price cannot be negative");
  }
  if (d.period.empty()) return Fail(ErrorCode::kInvalidArgument, "invoice period missing");
  if (!ValidMessageType(d.type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  return Write<Payment>([&](WriteContext& ctx) -> Result<Payment> {
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt credit,
                              ctx.conn.Prepare("UPDATE balances SET units = units + ?3 "
                                               "WHERE account_id = ?1 AND type = ?2"));
      credit.BindInt(1, d.account_id).BindInt(2, static_cast<int64_t>(d.type)).BindInt(3, d.units);
      BRAMKA_RETURN_IF_ERROR(credit.Run());
      if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such account");
    }
    int64_t seq = 0;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt next,
                              ctx.conn.Prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM payments "
                                               "WHERE period = ?1"));
      next.BindText(1, d.period);
      BRAMKA_ASSIGN_OR_RETURN(bool row, next.Step());
      seq = row ? next.Int(0) : 1;
    }
    const std::string number = "FV " + std::to_string(seq) + "/" + d.period;
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert,
          ctx.conn.Prepare("INSERT INTO payments (account_id, period, seq, number, type, units, "
                           "net_grosze, vat_percent, total_grosze, paid_grosze, issued_ms, "
                           "due_ms, paid_ms, note) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"));
      insert.BindInt(1, d.account_id).BindText(2, d.period).BindInt(3, seq).BindText(4, number);
      insert.BindInt(5, static_cast<int64_t>(d.type)).BindInt(6, d.units);
      insert.BindInt(7, d.net_grosze).BindInt(8, d.vat_percent).BindInt(9, d.total_grosze);
      insert.BindInt(10, d.paid ? d.total_grosze : 0).BindInt(11, now_ms).BindInt(12, d.due_ms);
      insert.BindInt(13, d.paid ? now_ms : 0).BindText(14, d.note);
      BRAMKA_RETURN_IF_ERROR(insert.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(const int64_t payment_id, ctx.conn.LastInsertId());
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt ledger, ctx.conn.Prepare("INSERT INTO ledger (account_id, type, delta, note, at_ms) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5)"));
      const std::string note = "top-up " + number;
      ledger.BindInt(1, d.account_id).BindInt(2, static_cast<int64_t>(d.type)).BindInt(3, d.units);
      ledger.BindText(4, note).BindInt(5, now_ms);
      BRAMKA_RETURN_IF_ERROR(ledger.Run());
    }
    return SelectPayment(ctx.conn, payment_id);
  });
}

template <class B>
Result<PaymentPage> SqlStore<B>::ListPayments(AccountId id, int page, int limit) {
  return Read([&](Connection& c) -> Result<PaymentPage> {
    PaymentPage out;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt count,
                              c.Prepare("SELECT COUNT(*) FROM payments WHERE account_id = ?1"));
      count.BindInt(1, id);
      BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
      out.total = row ? count.Int(0) : 0;
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_PAYMENT_COLUMNS " FROM payments "
                                      "WHERE account_id = ?1 ORDER BY id DESC LIMIT ?2 OFFSET ?3"));
    const int64_t offset = limit > 0 ? static_cast<int64_t>(std::max(page, 1) - 1) * limit : 0;
    stmt.BindInt(1, id).BindInt(2, limit > 0 ? limit : -1).BindInt(3, offset);
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.items.push_back(ReadPayment(stmt));
    }
    return out;
  });
}

template <class B>
Result<Payment> SqlStore<B>::GetPayment(AccountId id, int64_t payment_id) {
  return Read([&](Connection& c) -> Result<Payment> {
    BRAMKA_ASSIGN_OR_RETURN(Payment p, SelectPayment(c, payment_id));
    if (p.account_id != id) return Fail(ErrorCode::kNotFound, "no such payment");
    return p;
  });
}

template <class B>
Result<Payment> SqlStore<B>::MarkPaymentPaid(int64_t payment_id, int64_t now_ms) {
  return Write<Payment>([&](WriteContext& ctx) -> Result<Payment> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt pay, ctx.conn.Prepare("UPDATE payments SET paid_ms = ?2, paid_grosze = total_grosze "
                                   "WHERE id = ?1 AND paid_ms = 0"));
    pay.BindInt(1, payment_id).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(pay.Run());
    return SelectPayment(ctx.conn, payment_id);
  });
}

template <class B>
Result<std::vector<StatRow>> SqlStore<B>::QueryStats(const StatQuery& q) {
  return Read([&](Connection& c) -> Result<std::vector<StatRow>> {
    // The first message of each request (lowest seq) names its type, text and source.
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        c.Prepare("SELECT g.stat_id, m.type, g.first_ms, g.last_ms, g.delivered, g.pending, "
                  "g.undelivered, g.unsent, m.text, m.source FROM ("
                  "  SELECT stat_id, MIN(seq) AS first_seq, MIN(queued_ms) AS first_ms, "
                  "    MAX(queued_ms) AS last_ms, COUNT(*) FILTER (WHERE status = 3) AS delivered, "
                  "    COUNT(*) FILTER (WHERE status IN (0, 1, 2)) AS pending, "
                  "    COUNT(*) FILTER (WHERE status = 4) AS undelivered, "
                  "    COUNT(*) FILTER (WHERE status = 5) AS unsent "
                  "  FROM messages WHERE account_id = ?1 AND status <> 6 "
                  "    AND queued_ms >= ?2 AND queued_ms <= ?3 AND (?4 < 0 OR type = ?4) "
                  "  GROUP BY stat_id) g "
                  "JOIN messages m ON m.seq = g.first_seq ORDER BY g.stat_id"));
    stmt.BindInt(1, q.account_id)
        .BindInt(2, q.from_ms)
        .BindInt(3, q.to_ms > 0 ? q.to_ms : INT64_MAX)
        .BindInt(4, q.type ? static_cast<int64_t>(*q.type) : -1);
    std::vector<StatRow> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      StatRow r;
      r.stat_id = stmt.Int(0);
      r.type = static_cast<MessageType>(stmt.Int(1));
      r.first_ms = stmt.Int(2);
      r.last_ms = stmt.Int(3);
      r.delivered = stmt.Int(4);
      r.pending = stmt.Int(5);
      r.undelivered = stmt.Int(6);
      r.unsent = stmt.Int(7);
      r.text = stmt.Text(8);
      r.source = stmt.Text(9);
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace bramka::store::sql
