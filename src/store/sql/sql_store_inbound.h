#pragma once
// SqlStore<B>'s inbound area: the numbering plan, the inbox, premium answers,
// quizzes and injected incoming messages (SQLite migration 8, docs/adr/0011).
// RecordIncoming queues the message's MO callback, SQL API rows and SMPP
// deliver_sm in its transaction through QueueMoCallbackInTx (sql/callbacks_tx.h)
// and the engine's QueueSmppMoInTx (its callbacks_tx.h, found by argument-dependent lookup on the
// engine's Connection). Included only by the files that instantiate SqlStore
// (see sql_store.h).

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/reply_sender.h"
#include "store/sql/callbacks_tx.h"
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

inline std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

#define BRAMKA_NUMBER_COLUMNS \
  "id, account_id, kind, number, keyword, price_grosze, answer_limit, created_ms"
#define BRAMKA_INBOX_COLUMNS                                                                     \
  "id, account_id, type, phone, to_number, keyword, text, message_id, number_id, answers_left, " \
  "read, received_ms, connector"

template <class Stmt>
InboundNumber ReadNumber(const Stmt& s) {
  InboundNumber n;
  n.id = s.Int(0);
  n.account_id = s.Int(1);
  n.kind = static_cast<InboundKind>(s.Int(2));
  s.TextInto(3, n.number);
  s.TextInto(4, n.keyword);
  n.price_grosze = s.Int(5);
  n.answer_limit = static_cast<int>(s.Int(6));
  n.created_ms = s.Int(7);
  return n;
}

template <class Stmt>
InboxMessage ReadInbox(const Stmt& s) {
  InboxMessage m;
  m.id = s.Int(0);
  m.account_id = s.Int(1);
  s.TextInto(2, m.type);
  s.TextInto(3, m.phone);
  s.TextInto(4, m.to_number);
  s.TextInto(5, m.keyword);
  s.TextInto(6, m.text);
  s.TextInto(7, m.message_id);
  m.number_id = s.Int(8);
  m.answers_left = static_cast<int>(s.Int(9));
  m.read = s.Int(10) != 0;
  m.received_ms = s.Int(11);
  s.TextInto(12, m.connector);
  return m;
}

// The WHERE clause of an inbox query; parameters ?1.. in the order BindInboxWhere binds.
inline std::string InboxWhere(const InboxQuery& q) {
  std::string w = " WHERE account_id = ?1";
  if (!q.type.empty()) w += " AND type = ?2";
  if (!q.to_number.empty()) w += " AND to_number = ?3";
  if (q.from_ms > 0) w += " AND received_ms >= ?4";
  if (q.to_ms > 0) w += " AND received_ms <= ?5";
  if (q.unread_only) w += " AND read = 0";
  if (!q.phones.empty()) {
    w += " AND phone IN (";
    for (size_t i = 0; i < q.phones.size(); ++i) {
      w += (i ? ", ?" : "?") + std::to_string(10 + i);
    }
    w += ")";
  }
  return w;
}

template <class Stmt>
void BindInboxWhere(Stmt& s, const InboxQuery& q) {
  s.BindInt(1, q.account_id);
  if (!q.type.empty()) s.BindText(2, q.type);
  if (!q.to_number.empty()) s.BindText(3, q.to_number);
  if (q.from_ms > 0) s.BindInt(4, q.from_ms);
  if (q.to_ms > 0) s.BindInt(5, q.to_ms);
  for (size_t i = 0; i < q.phones.size(); ++i) {
    s.BindText(static_cast<int>(10 + i), q.phones[i]);
  }
}

template <class Connection>
Result<InboxPage> QueryInboxOn(Connection& c, const InboxQuery& q) {
  InboxPage page;
  const std::string where = InboxWhere(q);
  {
    BRAMKA_ASSIGN_OR_RETURN(auto count, c.PrepareDynamic("SELECT COUNT(*) FROM inbox" + where));
    BindInboxWhere(count, q);
    BRAMKA_ASSIGN_OR_RETURN(bool row, count.Step());
    page.total = row ? count.Int(0) : 0;
  }
  std::string sql = "SELECT " BRAMKA_INBOX_COLUMNS " FROM inbox" + where + " ORDER BY id" +
                    (q.descending ? " DESC" : "") + " LIMIT ?6 OFFSET ?7";
  BRAMKA_ASSIGN_OR_RETURN(auto stmt, c.PrepareDynamic(sql));
  BindInboxWhere(stmt, q);
  const int64_t limit = q.limit <= 0 ? -1 : q.limit;
  const int64_t offset = q.limit <= 0 ? 0 : int64_t{std::max(q.page, 1) - 1} * q.limit;
  stmt.BindInt(6, limit).BindInt(7, offset);
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    page.items.push_back(ReadInbox(stmt));
  }
  return page;
}

inline std::string JoinOptions(const std::vector<std::string>& options) {
  std::string out;
  for (size_t i = 0; i < options.size(); ++i) out += (i ? "\n" : "") + options[i];
  return out;
}

inline std::vector<std::string> SplitOptions(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t nl = s.find('\n', start);
    out.push_back(s.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return out;
}

template <class B>
Result<int64_t> SqlStore<B>::AddInboundNumber(const InboundNumber& number) {
  BRAMKA_RETURN_IF_ERROR(CheckInboundNumber(number));
  const bool pool = number.kind == InboundKind::kPool;
  InboundNumber n = number;
  n.keyword = pool ? "" : Upper(n.keyword);
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    if (!pool) {
      BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(ctx.conn, n.account_id));
      if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    }
    {
      // A pool number is taken by any use of the number, and takes every keyword.
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt taken, ctx.conn.Prepare("SELECT 1 FROM inbound_numbers WHERE number = ?1 AND "
                                       "(?3 <> 0 OR kind = ?4 OR keyword = ?2)"));
      taken.BindText(1, n.number).BindText(2, n.keyword).BindInt(3, pool ? 1 : 0);
      taken.BindInt(4, static_cast<int64_t>(InboundKind::kPool));
      BRAMKA_ASSIGN_OR_RETURN(bool row, taken.Step());
      if (row) {
        return Fail(ErrorCode::kAlreadyExists,
                    "number " + n.number + (n.keyword.empty() ? "" : " keyword " + n.keyword) +
                        " is taken");
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare("INSERT INTO inbound_numbers (account_id, kind, number, keyword, "
                         "price_grosze, answer_limit, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
                         "?7)"));
    insert.BindInt(1, n.account_id)
        .BindInt(2, static_cast<int64_t>(n.kind))
        .BindText(3, n.number)
        .BindText(4, n.keyword)
        .BindInt(5, n.price_grosze)
        .BindInt(6, n.answer_limit)
        .BindInt(7, n.created_ms);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<InboundNumber>> SqlStore<B>::ListInboundNumbers() {
  return Read([&](Connection& c) -> Result<std::vector<InboundNumber>> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_NUMBER_COLUMNS " FROM inbound_numbers ORDER BY id"));
    std::vector<InboundNumber> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadNumber(stmt));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteInboundNumber(int64_t id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("DELETE FROM inbound_numbers WHERE id = ?1"));
    stmt.BindInt(1, id);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such number");
    return Ok();
  });
}

template <class B>
Result<std::optional<ReplyTarget>> SqlStore<B>::FindReplyTarget(const std::string& phone,
                                                                const std::string& from_number,
                                                                int64_t since_ms) {
  // Only messages from a number are in messages_reply (docs/adr/0029); the query
  // repeats the index's condition word for word so that both engines use it.
  if (!IsReplySender(from_number)) return std::optional<ReplyTarget>();
  return Read([&](Connection& c) -> Result<std::optional<ReplyTarget>> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        c.Prepare("SELECT account_id, id FROM messages WHERE phone = ?1 AND "
                  "sender = ?2 AND queued_ms >= ?3 AND status <> 6 AND "  //
                  BRAMKA_REPLY_SENDER_TERM " ORDER BY queued_ms DESC, seq DESC LIMIT 1"));
    stmt.BindText(1, phone).BindText(2, from_number).BindInt(3, since_ms);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<ReplyTarget>();
    return std::optional<ReplyTarget>(ReplyTarget{stmt.Int(0), stmt.Text(1)});
  });
}

template <class B>
Result<InboxMessage> SqlStore<B>::RecordIncoming(const InboxMessage& message) {
  return Write<InboxMessage>([&](WriteContext& ctx) -> Result<InboxMessage> {
    if (message.account_id != 0) {
      BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(ctx.conn, message.account_id));
      if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    }
    InboxMessage m = message;
    m.read = false;
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert,
          ctx.conn.Prepare("INSERT INTO inbox (account_id, type, phone, to_number, keyword, text, "
                           "message_id, number_id, answers_left, read, received_ms, connector) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 0, ?10, ?11)"));
      insert.BindInt(1, m.account_id)
          .BindText(2, m.type)
          .BindText(3, m.phone)
          .BindText(4, m.to_number)
          .BindText(5, m.keyword)
          .BindText(6, m.text)
          .BindText(7, m.message_id)
          .BindInt(8, m.number_id)
          .BindInt(9, m.answers_left)
          .BindInt(10, m.received_ms)
          .BindText(11, m.connector);
      BRAMKA_RETURN_IF_ERROR(insert.Run());
      BRAMKA_ASSIGN_OR_RETURN(m.id, ctx.conn.LastInsertId());
    }
    if (!m.parts_key.empty()) {
      BRAMKA_ASSIGN_OR_RETURN(Stmt del,
                              ctx.conn.Prepare("DELETE FROM incoming_parts WHERE key = ?1"));
      del.BindText(1, m.parts_key);
      BRAMKA_RETURN_IF_ERROR(del.Run());
      m.parts_key.clear();
    }
    if (m.account_id != 0) {
      CallbackEntry e;
      e.account_id = m.account_id;
      e.kind = CallbackKind::kMo;
      e.message_id = std::to_string(m.id);
      e.phone = m.phone;
      e.sender = m.to_number;
      e.status = "received";
      e.text = m.text;
      e.event_ms = m.received_ms;
      e.created_ms = m.received_ms;
      BRAMKA_RETURN_IF_ERROR(QueueMoCallbackInTx(ctx.conn, e));
      const SqlMoEntry sql = SqlMoEntryOf(m);
      BRAMKA_RETURN_IF_ERROR(QueueSqlMoInTx(ctx.conn, sql));
      BRAMKA_RETURN_IF_ERROR(QueueSmppMoInTx(ctx.conn, m));
    }
    return m;
  });
}

template <class B>
Result<InboxPage> SqlStore<B>::QueryInbox(const InboxQuery& query) {
  if (!query.mark_read) {
    return Read([&](Connection& c) { return QueryInboxOn(c, query); });
  }
  return Write<InboxPage>([&](WriteContext& ctx) -> Result<InboxPage> {
    BRAMKA_ASSIGN_OR_RETURN(InboxPage page, QueryInboxOn(ctx.conn, query));
    BRAMKA_ASSIGN_OR_RETURN(Stmt mark, ctx.conn.Prepare("UPDATE inbox SET read = 1 WHERE id = ?1"));
    for (const InboxMessage& m : page.items) {
      mark.BindInt(1, m.id);
      BRAMKA_RETURN_IF_ERROR(mark.Run());
    }
    return page;
  });
}

template <class B>
Result<InboxMessage> SqlStore<B>::GetInboxMessage(AccountId id, int64_t inbox_id) {
  return Read([&](Connection& c) -> Result<InboxMessage> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_INBOX_COLUMNS " FROM inbox "
                                                 "WHERE id = ?1 AND account_id = ?2 AND ?2 <> 0"));
    stmt.BindInt(1, inbox_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return Fail(ErrorCode::kNotFound,
                  "incoming message " + std::to_string(inbox_id) + " not found");
    }
    return ReadInbox(stmt);
  });
}

template <class B>
Result<int> SqlStore<B>::TakePremiumAnswer(AccountId id, int64_t inbox_id) {
  return Write<int>([&](WriteContext& ctx) -> Result<int> {
    int left = 0;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt read,
                              ctx.conn.Prepare("SELECT answers_left FROM inbox WHERE id = ?1 AND "
                                               "account_id = ?2 AND ?2 <> 0 AND type = 'pre'"));
      read.BindInt(1, inbox_id).BindInt(2, id);
      BRAMKA_ASSIGN_OR_RETURN(bool row, read.Step());
      if (!row) {
        return Fail(ErrorCode::kNotFound,
                    "premium message " + std::to_string(inbox_id) + " not found");
      }
      left = static_cast<int>(read.Int(0));
    }
    if (left <= 0) {
      return Fail(ErrorCode::kRejected,
                  "no answers left for premium message " + std::to_string(inbox_id));
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt update,
                            ctx.conn.Prepare("UPDATE inbox SET answers_left = answers_left - 1 "
                                             "WHERE id = ?1"));
    update.BindInt(1, inbox_id);
    BRAMKA_RETURN_IF_ERROR(update.Run());
    return left - 1;
  });
}

template <class B>
Result<int64_t> SqlStore<B>::AddQuiz(const Quiz& quiz) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(bool exists, AccountExists(ctx.conn, quiz.account_id));
    if (!exists) return Fail(ErrorCode::kNotFound, "no such account");
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare("INSERT INTO quizzes (account_id, name, number, keyword, options, "
                         "created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    insert.BindInt(1, quiz.account_id)
        .BindText(2, quiz.name)
        .BindText(3, quiz.number)
        .BindText(4, Upper(quiz.keyword))
        .BindText(5, JoinOptions(quiz.options))
        .BindInt(6, quiz.created_ms);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<Quiz> SqlStore<B>::GetQuiz(AccountId id, int64_t quiz_id) {
  return Read([&](Connection& c) -> Result<Quiz> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT id, account_id, name, number, keyword, options, created_ms "
                             "FROM quizzes WHERE id = ?1 AND account_id = ?2"));
    stmt.BindInt(1, quiz_id).BindInt(2, id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "quiz " + std::to_string(quiz_id) + " not found");
    Quiz q;
    q.id = stmt.Int(0);
    q.account_id = stmt.Int(1);
    stmt.TextInto(2, q.name);
    stmt.TextInto(3, q.number);
    stmt.TextInto(4, q.keyword);
    q.options = SplitOptions(stmt.Text(5));
    q.created_ms = stmt.Int(6);
    return q;
  });
}

template <class Stmt>
Result<std::vector<IncomingPart>> ReadParts(Stmt& stmt) {
  std::vector<IncomingPart> out;
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    IncomingPart p;
    stmt.TextInto(0, p.key);
    p.number = static_cast<int>(stmt.Int(1));
    p.total = static_cast<int>(stmt.Int(2));
    stmt.TextInto(3, p.connector);
    stmt.TextInto(4, p.from);
    stmt.TextInto(5, p.to);
    stmt.TextInto(6, p.text);
    p.received_ms = stmt.Int(7);
    out.push_back(std::move(p));
  }
}

#define BRAMKA_PART_COLUMNS \
  "key, number, total, connector, from_number, to_number, text, received_ms"

template <class B>
Result<std::vector<IncomingPart>> SqlStore<B>::AddIncomingPart(const IncomingPart& part) {
  return Write<std::vector<IncomingPart>>([&](WriteContext& ctx)
                                              -> Result<std::vector<IncomingPart>> {
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert,
          ctx.conn.Prepare(
              "INSERT INTO incoming_parts (" BRAMKA_PART_COLUMNS
              ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (key, number) DO UPDATE SET "
              "total = excluded.total, connector = excluded.connector, "
              "from_number = excluded.from_number, to_number = excluded.to_number, "
              "text = excluded.text, received_ms = excluded.received_ms"));
      insert.BindText(1, part.key)
          .BindInt(2, part.number)
          .BindInt(3, part.total)
          .BindText(4, part.connector)
          .BindText(5, part.from)
          .BindText(6, part.to)
          .BindText(7, part.text)
          .BindInt(8, part.received_ms);
      BRAMKA_RETURN_IF_ERROR(insert.Run());
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt list, ctx.conn.Prepare("SELECT " BRAMKA_PART_COLUMNS
                                                        " FROM incoming_parts WHERE key = ?1 "
                                                        "ORDER BY number"));
    list.BindText(1, part.key);
    return ReadParts(list);
  });
}

template <class B>
Result<std::vector<IncomingPart>> SqlStore<B>::ListIncomingParts() {
  return Read([&](Connection& c) -> Result<std::vector<IncomingPart>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt list, c.Prepare("SELECT " BRAMKA_PART_COLUMNS
                                                 " FROM incoming_parts ORDER BY key, number"));
    return ReadParts(list);
  });
}

template <class B>
Result<int64_t> SqlStore<B>::QueueInjectedMo(const InjectedMo& mo) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert, ctx.conn.Prepare("INSERT INTO injected_mo (from_number, to_number, text, "
                                      "created_ms) VALUES (?1, ?2, ?3, ?4)"));
    insert.BindText(1, mo.from).BindText(2, mo.to).BindText(3, mo.text).BindInt(4, mo.created_ms);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<InjectedMo>> SqlStore<B>::ListInjectedMo(int limit) {
  return Read([&](Connection& c) -> Result<std::vector<InjectedMo>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT id, from_number, to_number, text, created_ms FROM "
                                      "injected_mo ORDER BY id LIMIT ?1"));
    stmt.BindInt(1, limit < 0 ? -1 : limit);
    std::vector<InjectedMo> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      InjectedMo m;
      m.id = stmt.Int(0);
      stmt.TextInto(1, m.from);
      stmt.TextInto(2, m.to);
      stmt.TextInto(3, m.text);
      m.created_ms = stmt.Int(4);
      out.push_back(std::move(m));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteInjectedMo(int64_t id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("DELETE FROM injected_mo WHERE id = ?1"));
    stmt.BindInt(1, id);
    return stmt.Run();
  });
}

}  // namespace bramka::store::sql
