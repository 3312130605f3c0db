#pragma once
// SqlStore<B>'s reads of messages: one message by id or by unique_id, and the
// filtered, paged listing behind reports (QueryMessages). Accepting and delivering
// messages stay with each engine (their hot paths differ). Included only by the files
// that instantiate SqlStore (see sql_store.h).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/message_counts.h"
#include "store/sql/message_row.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

// A CountPiece (store/message_counts.h) of the reports' total: parameters a..b (the
// piece), hour_start..hour_end, hour, limit (0: count directly). The rest of the hour is
// looked at up to `limit` rows; CASE runs only the branch it takes (SQLite codes a
// scalar subquery where it stands, PostgreSQL runs an InitPlan when first needed).
#define BRAMKA_REPORTS_PIECE(a, b, hs, he, h, l)                                                   \
  "CASE WHEN (SELECT COUNT(*) FROM (SELECT 1 FROM messages WHERE account_id = ?1 "                 \
  "AND queued_ms >= " hs " AND queued_ms < " a                                                     \
  " UNION ALL SELECT 1 FROM messages "                                                             \
  "WHERE account_id = ?1 AND queued_ms > " b " AND queued_ms <= " he " LIMIT " l ") AS rest) < " l \
  " THEN (SELECT COALESCE(MAX(n), 0) FROM message_counts "                                         \
  "WHERE account_id = ?1 AND hour = " h                                                            \
  ") - (SELECT COUNT(*) FROM messages "                                                            \
  "WHERE account_id = ?1 AND queued_ms >= " hs " AND queued_ms < " a                               \
  ") - "                                                                                           \
  "(SELECT COUNT(*) FROM messages WHERE account_id = ?1 AND queued_ms > " b                        \
  " AND queued_ms <= " he                                                                          \
  ") ELSE (SELECT COUNT(*) FROM messages WHERE account_id = ?1 "                                   \
  "AND queued_ms >= " a " AND queued_ms <= " b ") END"

// The total of a report filtered by time only (ADR 0061): ?1 account, ?2..?3 the range,
// ?4..?5 its whole hours, ?6..?11 and ?12..?17 its head and tail pieces.
inline constexpr char kReportsTotalSql[] =
    "SELECT COALESCE((SELECT CAST(SUM(n) AS BIGINT) FROM message_counts "
    "WHERE account_id = ?1 AND hour >= ?4 AND hour <= ?5), 0) + "
    BRAMKA_REPORTS_PIECE("?6", "?7", "?8", "?9", "?10", "?11") " + "
    BRAMKA_REPORTS_PIECE("?12", "?13", "?14", "?15", "?16", "?17") " - "
    "(SELECT COUNT(*) FROM messages WHERE account_id = ?1 AND status = 6 "
    "AND queued_ms >= ?2 AND queued_ms <= ?3)";

inline Error NoMessage() { return MakeError(ErrorCode::kNotFound, "no such message"); }

template <class B>
Result<Message> SqlStore<B>::GetMessage(AccountId id, const std::string& message_id) {
  std::optional<int64_t> seq = SeqOf(message_id);
  if (!seq) return NoMessage();
  return Read([&](Connection& c) -> Result<Message> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_MESSAGE_COLUMNS " FROM messages "
                                                 "WHERE seq = ?1 AND id = ?2 AND account_id = ?3"));
    stmt.BindInt(1, *seq).BindText(2, message_id).BindInt(3, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NoMessage();
    return ReadMessage(stmt);
  });
}

template <class B>
Result<Message> SqlStore<B>::FindMessageByUniqueId(AccountId id, const std::string& unique_id) {
  return Read([&](Connection& c) -> Result<Message> {
    // The literal terms match the partial index messages_unique_id.
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_MESSAGE_COLUMNS " FROM messages "
                                                 "WHERE account_id = ?1 AND unique_id = ?2 "
                                                 "AND unique_id <> '' AND status <> 6"));
    stmt.BindInt(1, id).BindText(2, unique_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NoMessage();
    return ReadMessage(stmt);
  });
}

template <class B>
Result<MessagePage> SqlStore<B>::QueryMessages(const MessageQuery& q) {
  // WHERE clause and its parameters, in order.
  std::string where = " FROM messages WHERE account_id = ? AND status <> 6";
  std::vector<std::variant<int64_t, const std::string*>> params{q.account_id};
  auto any_of = [&](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return;
    where += " AND ";
    where += column;
    where += " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      where += i == 0 ? "?" : ",?";
      params.emplace_back(&values[i]);
    }
    where += ")";
  };
  auto equals = [&](const char* term, int64_t value) {
    where += term;
    params.emplace_back(value);
  };
  if (!q.ids.empty()) {
    // By row key: the ids themselves are not indexed (see migrations.cc).
    std::string list;
    for (const std::string& message_id : q.ids) {
      std::optional<int64_t> seq = SeqOf(message_id);
      if (!seq) continue;
      list += list.empty() ? "?" : ",?";
      params.emplace_back(*seq);
    }
    if (list.empty()) return MessagePage{};  // none of them can exist
    where += " AND seq IN (" + list + ")";
  }
  any_of("unique_id", q.unique_ids);
  any_of("phone", q.phones);
  if (q.status) equals(" AND status = ?", static_cast<int64_t>(*q.status));
  if (q.pending_only) where += " AND status IN (0, 1, 2)";
  if (q.type) equals(" AND type = ?", static_cast<int64_t>(*q.type));
  if (q.stat_id != 0) equals(" AND stat_id = ?", q.stat_id);
  if (q.from_ms != 0) equals(" AND queued_ms >= ?", q.from_ms);
  if (q.to_ms != 0) equals(" AND queued_ms <= ?", q.to_ms);
  auto bind_all = [&](Stmt& stmt) {
    for (size_t i = 0; i < params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      if (const int64_t* v = std::get_if<int64_t>(&params[i])) {
        stmt.BindInt(index, *v);
      } else {
        stmt.BindText(index, *std::get<const std::string*>(params[i]));
      }
    }
  };
  const bool only_time_range = q.ids.empty() && q.unique_ids.empty() && q.phones.empty() &&
                               !q.status && !q.pending_only && !q.type && q.stat_id == 0;
  // Within one queued millisecond (a bulk request's recipients share it) the message-id
  // sequence breaks the tie: the order bramka issued the ids, and an index order (seq is
  // SQLite's rowid at the end of messages_account_queued; PostgreSQL's index names it), so
  // a page after a 100,000-recipient request reads 50 rows, not 100,000 (ADR 0054).
  const char* order =
      q.descending ? " ORDER BY queued_ms DESC, seq DESC" : " ORDER BY queued_ms, seq";
  int64_t limit = q.limit > 0 ? q.limit : -1;
  int64_t offset = q.limit > 0 ? static_cast<int64_t>(std::max(q.page, 1) - 1) * q.limit : 0;

  return Read([&](Connection& c) -> Result<MessagePage> {
    // One read transaction: the total and the page see the same snapshot.
    BRAMKA_RETURN_IF_ERROR(c.Exec("BEGIN"));
    auto page = [&]() -> Result<MessagePage> {
      MessagePage out;
      if (only_time_range) {
        // The common report (newest messages, maybe within dates): the whole hours of
        // the range from message_counts, the partial hours at its ends from the index,
        // minus the cancelled messages (a small partial index), in one statement (one
        // snapshot in PostgreSQL's READ COMMITTED too). Counting the range from the
        // index alone read every entry: ~8 ms at 300,000 messages (ADR 0061).
        const int64_t hi = q.to_ms != 0 ? q.to_ms : INT64_MAX;
        const CountRanges r = CountRangesFor(q.from_ms, hi);
        BRAMKA_ASSIGN_OR_RETURN(Stmt count, c.Prepare(kReportsTotalSql));
        count.BindInt(1, q.account_id)
            .BindInt(2, q.from_ms)
            .BindInt(3, hi)
            .BindInt(4, r.first_hour)
            .BindInt(5, r.last_hour);
        int index = 6;
        for (const CountPiece& piece : {r.head, r.tail}) {
          const int64_t start = piece.hour * kCountHourMs;
          count.BindInt(index, piece.lo)
              .BindInt(index + 1, piece.hi)
              .BindInt(index + 2, start)
              .BindInt(index + 3, piece.hour >= 1 ? start + kCountHourMs - 1 : 0)
              .BindInt(index + 4, piece.hour)
              .BindInt(index + 5, piece.hour >= 1 ? kCountRestLimit : 0);
          index += 6;
        }
        BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
        out.total = row ? count.Int(0) : 0;
      } else {
        BRAMKA_ASSIGN_OR_RETURN(Stmt count, c.PrepareDynamic("SELECT COUNT(*)" + where));
        bind_all(count);
        BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
        out.total = row ? count.Int(0) : 0;
      }
      if (out.total == 0 || offset >= out.total) return out;
      BRAMKA_ASSIGN_OR_RETURN(Stmt select, c.PrepareDynamic("SELECT " BRAMKA_MESSAGE_COLUMNS +
                                                            where + order + " LIMIT ? OFFSET ?"));
      bind_all(select);
      select.BindInt(static_cast<int>(params.size()) + 1, limit);
      select.BindInt(static_cast<int>(params.size()) + 2, offset);
      BRAMKA_ASSIGN_OR_RETURN(out.items, ReadMessages(select));
      return out;
    }();
    (void)c.Exec("COMMIT");
    return page;
  });
}

}  // namespace bramka::store::sql
