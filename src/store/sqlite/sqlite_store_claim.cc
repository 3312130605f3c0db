// SqliteStore: claiming due messages (ClaimDue) and ending claims without sending them
// (MarkRetry, MarkUnsent, ReleaseLeases). MarkSent is in sqlite_store_messages.cc.
//
// s10-claim (docs/adr/0047): a claim of a kQueued message nobody holds writes nothing; its
// lease lives in ClaimLeases (claim_leases.h) until the message's next write. Everything
// else (a kSaved message whose time came, a lease in the row that ran out: a previous
// version's claim) is leased in the row as before (docs/adr/0046).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sql/message_state_tx.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/claim_leases.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/message_row.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

using sqlite::ClaimLeases;
using sqlite::Connection;
using sqlite::Stmt;
using sqlite::WriteContext;

namespace {

Error NoMessage() { return MakeError(ErrorCode::kNotFound, "no such message"); }

// A due message ClaimDue may take, and where it was found.
struct Candidate {
  enum class From {
    kFree,         // messages_claim: nobody holds it
    kRowLease,     // messages_leased: its lease in the row ran out
    kMemoryLease,  // ClaimLeases: its lease ran out
  };
  ClaimLeases::Key key;
  From from = From::kFree;
  Message message;
};

// The due messages in messages_claim from the cursor on, in (due_ms, seq) order: those at
// the cursor's due_ms, then the later ones. The terms repeat the partial index's condition
// word for word (docs/adr/0046).
constexpr char kFreeAtCursor[] =
    "SELECT seq, due_ms, " BRAMKA_MESSAGE_COLUMNS
    " FROM messages WHERE status IN (0, 1) AND lease_until_ms = 0 AND due_ms = ?2 "
    "AND seq >= ?3 AND due_ms <= ?1 ORDER BY due_ms, seq";
constexpr char kFreeAfterCursor[] =
    "SELECT seq, due_ms, " BRAMKA_MESSAGE_COLUMNS
    " FROM messages WHERE status IN (0, 1) AND lease_until_ms = 0 AND due_ms > ?2 "
    "AND due_ms <= ?1 ORDER BY due_ms, seq";

// Up to `limit` due messages nobody holds, skipping the entries leased in memory. `end`:
// the key just after the last entry looked at (every entry before it is taken or leased
// once these are claimed); unchanged when there was none.
Result<void> ReadFree(Connection& c, const ClaimLeases& leases, int64_t now_ms, size_t limit,
                      std::vector<Candidate>& out, std::optional<ClaimLeases::Key>& end) {
  const ClaimLeases::Key cursor = leases.cursor();
  for (const char* sql : {kFreeAtCursor, kFreeAfterCursor}) {
    if (out.size() >= limit) break;
    BRAMKA_ASSIGN_OR_RETURN(Stmt due, c.Prepare(sql));
    due.BindInt(1, now_ms).BindInt(2, cursor.first);
    if (sql == kFreeAtCursor) due.BindInt(3, cursor.second);
    while (out.size() < limit) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, due.Step());
      if (!row) break;
      const ClaimLeases::Key key{due.Int(1), due.Int(0)};
      end = ClaimLeases::Key{key.first, key.second + 1};
      if (leases.Find(key.second) != nullptr) continue;  // claimed, not sent yet
      Candidate& got = out.emplace_back();
      got.key = key;
      sqlite::ReadMessage(due, 2, got.message);
    }
  }
  return Ok();
}

// Leases in rows that ran out (their owner died: a previous version's claims), by due time.
Result<void> ReadRowLeases(Connection& c, int64_t now_ms, size_t limit,
                           std::vector<Candidate>& out) {
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt due,
      c.Prepare("SELECT seq, due_ms, " BRAMKA_MESSAGE_COLUMNS
                " FROM messages WHERE status IN (0, 1) AND lease_until_ms > 0 "
                "AND lease_until_ms <= ?1 AND due_ms <= ?1 ORDER BY due_ms, seq LIMIT ?2"));
  due.BindInt(1, now_ms).BindInt(2, static_cast<int64_t>(limit));
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, due.Step());
    if (!row) break;
    Candidate& got = out.emplace_back();
    got.key = {due.Int(1), due.Int(0)};
    got.from = Candidate::From::kRowLease;
    sqlite::ReadMessage(due, 2, got.message);
  }
  return Ok();
}

// Leases in memory that ran out (the connector held the message longer than the lease, or
// the clock jumped), by due time. A lease whose row changed without it (it cannot, but a
// row that went away must not keep one) is dropped.
Result<void> ReadMemoryLeases(Connection& c, ClaimLeases& leases, int64_t now_ms, size_t limit,
                              std::vector<Candidate>& out) {
  std::vector<ClaimLeases::Key> expired = leases.Expired(now_ms);
  if (expired.empty()) return Ok();
  BRAMKA_ASSIGN_OR_RETURN(Stmt read,
                          c.Prepare("SELECT seq, due_ms, lease_until_ms, " BRAMKA_MESSAGE_COLUMNS
                                    " FROM messages WHERE seq = ?1"));
  size_t found = 0;
  for (const ClaimLeases::Key& key : expired) {
    if (found >= limit) break;
    read.BindInt(1, key.second);
    BRAMKA_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) {
      leases.Release(key.second);
      read.Reset();
      continue;
    }
    Candidate got;
    got.key = {read.Int(1), key.second};
    const int64_t lease_until_ms = read.Int(2);
    sqlite::ReadMessage(read, 3, got.message);
    read.Reset();
    if (got.message.status != MessageStatus::kQueued || lease_until_ms != 0 ||
        got.key.first > now_ms) {
      leases.Release(key.second);
      if (got.message.status == MessageStatus::kQueued && lease_until_ms == 0) {
        leases.Lower(got.key);  // back in messages_claim's scan
      }
      continue;
    }
    got.from = Candidate::From::kMemoryLease;
    out.push_back(std::move(got));
    ++found;
  }
  return Ok();
}

Result<std::vector<Message>> ClaimInTx(WriteContext& ctx, ClaimLeases& leases, int64_t now_ms,
                                       size_t limit, const std::string& owner,
                                       int64_t lease_until_ms) {
  std::vector<Candidate> free;
  std::optional<ClaimLeases::Key> end;
  BRAMKA_RETURN_IF_ERROR(ReadFree(ctx.conn, leases, now_ms, limit, free, end));
  std::vector<Candidate> all;
  BRAMKA_RETURN_IF_ERROR(ReadRowLeases(ctx.conn, now_ms, limit, all));
  BRAMKA_RETURN_IF_ERROR(ReadMemoryLeases(ctx.conn, leases, now_ms, limit, all));
  std::vector<ClaimLeases::Key> free_keys;
  free_keys.reserve(free.size());
  for (const Candidate& c : free) free_keys.push_back(c.key);
  if (!all.empty()) {
    // Oldest due first across the three (usually only the free ones).
    all.insert(all.end(), std::make_move_iterator(free.begin()),
               std::make_move_iterator(free.end()));
    std::sort(all.begin(), all.end(),
              [](const Candidate& a, const Candidate& b) { return a.key < b.key; });
  } else {
    all = std::move(free);
  }
  if (all.size() > limit) all.resize(limit);

  std::vector<Message> claimed;
  claimed.reserve(all.size());
  size_t free_taken = 0;
  for (Candidate& cand : all) {
    Message& m = cand.message;
    const int64_t seq = cand.key.second;
    if (cand.from == Candidate::From::kFree && m.status == MessageStatus::kQueued) {
      leases.Claim(seq, owner, lease_until_ms, cand.key.first);
      m.attempts += 1;
    } else if (cand.from == Candidate::From::kMemoryLease) {
      m.attempts += leases.Find(seq)->claims + 1;  // the claims not written yet, and this one
      leases.Claim(seq, owner, lease_until_ms, cand.key.first);
    } else {
      // Leased in the row, as before docs/adr/0047: a kSaved message becomes kQueued (what
      // CancelScheduled and the counters see), a row lease that ran out is renewed.
      BRAMKA_ASSIGN_OR_RETURN(Stmt row_lease,
                              ctx.conn.Prepare("UPDATE messages SET status = 1, lease_owner = ?2, "
                                               "lease_until_ms = ?3, attempts = attempts + 1 "
                                               "WHERE seq = ?1"));
      row_lease.BindInt(1, seq).BindText(2, owner).BindInt(3, lease_until_ms);
      BRAMKA_RETURN_IF_ERROR(row_lease.Run());
      if (m.status != MessageStatus::kQueued) ctx.Move(m.status, MessageStatus::kQueued);
      m.status = MessageStatus::kQueued;
      m.attempts += 1;
    }
    if (cand.from == Candidate::From::kFree) ++free_taken;
    claimed.push_back(std::move(m));
  }
  // The next scan starts after what this one took or found leased; if the merge left some
  // of the free messages (expired leases came first), at the first of them.
  if (free_taken < free_keys.size()) {
    leases.Advance(free_keys[free_taken]);
  } else if (end) {
    leases.Advance(*end);
  }
  return claimed;
}

}  // namespace

Result<std::vector<Message>> SqliteStore::ClaimDue(int64_t now_ms, int limit,
                                                   const std::string& owner,
                                                   int64_t lease_until_ms) {
  if (limit <= 0) return std::vector<Message>();
  return writer_->Call<std::vector<Message>>([&](WriteContext& ctx) {
    return sqlite::WithLeases(*leases_, [&] {
      return ClaimInTx(ctx, *leases_, now_ms, static_cast<size_t>(limit), owner, lease_until_ms);
    });
  });
}

namespace sqlite {
namespace {

// Adds `claims` claims that were kept in memory to the row's attempts.
Result<void> AddClaimsInTx(Connection& conn, int64_t seq, int claims) {
  if (claims == 0) return Ok();
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt stmt, conn.Prepare("UPDATE messages SET attempts = attempts + ?2 WHERE seq = ?1"));
  stmt.BindInt(1, seq).BindInt(2, claims);
  return stmt.Run();
}

}  // namespace

Result<void> EndClaimInTx(Connection& conn, ClaimLeases& leases, int64_t seq) {
  return AddClaimsInTx(conn, seq, leases.Release(seq));
}

}  // namespace sqlite

// s10-claim (docs/adr/0047): MarkRetry and MarkUnsent end a claim leased in memory, its
// attempt written with the row; MarkRetry puts the message back in messages_claim, maybe
// before the claims' cursor.

namespace {

// MarkRetry's and MarkUnsent's common part, in one write job: the message's current row
// (kNotFound without one) and its claim in memory ended; `write(ctx, cur, claims)` (the
// claims not yet in the row's attempts) runs unless the message is already final.
template <typename Write>
Result<void> EndClaimThen(sqlite::Writer& writer, ClaimLeases& leases, std::optional<int64_t> seq,
                          const std::string& message_id, Write write) {
  return writer.Call<void>([&](WriteContext& ctx) {
    return sqlite::WithLeases(leases, [&]() -> Result<void> {
      BRAMKA_ASSIGN_OR_RETURN(std::optional<sql::Current> cur,
                              sql::FindCurrentInTx<sqlite::Backend>(ctx.conn, seq, message_id));
      if (!cur) return NoMessage();
      const int claims = leases.Release(cur->seq);
      if (IsFinal(cur->status)) return Ok();
      return write(ctx, *cur, claims);
    });
  });
}

}  // namespace

Result<void> SqliteStore::MarkRetry(const std::string& message_id, int64_t next_due_ms,
                                    const std::string& error) {
  return EndClaimThen(
      *writer_, *leases_, SeqOf(message_id), message_id,
      [&](WriteContext& ctx, const sql::Current& cur, int claims) -> Result<void> {
        BRAMKA_ASSIGN_OR_RETURN(
            Stmt stmt, ctx.conn.Prepare("UPDATE messages SET status = 1, due_ms = ?2, "
                                        "last_error = ?3, lease_owner = '', lease_until_ms = 0, "
                                        "attempts = attempts + ?4 WHERE seq = ?1"));
        stmt.BindInt(1, cur.seq).BindInt(2, next_due_ms).BindText(3, error).BindInt(4, claims);
        BRAMKA_RETURN_IF_ERROR(stmt.Run());
        leases_->Lower({next_due_ms, cur.seq});
        ctx.Move(cur.status, MessageStatus::kQueued);
        return Ok();
      });
}

Result<void> SqliteStore::MarkUnsent(const std::string& message_id, const std::string& reason,
                                     int64_t now_ms) {
  return EndClaimThen(
      *writer_, *leases_, SeqOf(message_id), message_id,
      [&](WriteContext& ctx, const sql::Current& cur, int claims) -> Result<void> {
        {
          BRAMKA_ASSIGN_OR_RETURN(
              Stmt stmt, ctx.conn.Prepare("UPDATE messages SET status = 5, reason = ?2, "
                                          "done_ms = ?3, lease_owner = '', lease_until_ms = 0, "
                                          "charged_units = 0, attempts = attempts + ?4 "
                                          "WHERE seq = ?1"));
          stmt.BindInt(1, cur.seq).BindText(2, reason).BindInt(3, now_ms).BindInt(4, claims);
          BRAMKA_RETURN_IF_ERROR(stmt.Run());
        }
        BRAMKA_RETURN_IF_ERROR(sql::RefundInTx<sqlite::Backend>(ctx.conn, cur.account_id, cur.type,
                                                                cur.charged, cur.seq, message_id,
                                                                "unsent", now_ms));
        // Callbacks (ADR 0007): queued in this transaction, never lost.
        BRAMKA_RETURN_IF_ERROR(sqlite::QueueDlrCallbackInTx(ctx.conn, cur.seq, now_ms));
        BRAMKA_RETURN_IF_ERROR(sqlite::QueueSmppReceiptInTx(ctx.conn, cur.seq, now_ms));
        ctx.Move(cur.status, MessageStatus::kUnsent);
        return Ok();
      });
}

Result<int64_t> SqliteStore::ReleaseLeases(const std::string& owner) {
  return writer_->Call<int64_t>([&](WriteContext& ctx) {
    return sqlite::WithLeases(*leases_, [&]() -> Result<int64_t> {
      // The claims leased in memory (none at start-up: they died with the process)...
      const auto released = leases_->ReleaseOwner(owner);
      for (const auto& [seq, lease] : released) {
        BRAMKA_RETURN_IF_ERROR(sqlite::AddClaimsInTx(ctx.conn, seq, lease.claims));
        leases_->Lower({lease.due_ms, seq});
      }
      // ...and those in rows (a previous version's, or kSaved messages' claims).
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, ctx.conn.Prepare("UPDATE messages SET lease_owner = '', lease_until_ms = 0 "
                                      "WHERE status IN (0, 1) AND lease_owner = ?1"));
      stmt.BindText(1, owner);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      const int64_t rows = ctx.conn.Changes();
      if (rows > 0) leases_->ResetCursor();  // back in messages_claim, wherever they are due
      return static_cast<int64_t>(released.size()) + rows;
    });
  });
}

}  // namespace bramka::store
