// SqliteStore: accepting, reading and delivering messages.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <variant>
#include <vector>

#include "store/delivery_indexes.h"
#include "store/sql/delivery_tx.h"
#include "store/sql/message_counts_tx.h"
#include "store/sql/message_parts_tx.h"
#include "store/sql/message_state_tx.h"
#include "store/sql/receipt_tx.h"
#include "store/sqlite/accept_rows.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/claim_leases.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/message_row.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

using sqlite::Connection;
using sqlite::Stmt;
using sqlite::WriteContext;

namespace {

constexpr size_t kTypes = std::size(kAllBalanceTypes);

Error NoMessage() { return MakeError(ErrorCode::kNotFound, "no such message"); }

// The shared delivery-state helpers (sql/message_state_tx.h) on this engine.
using sql::Current;

Result<std::optional<Current>> FindCurrent(Connection& c, std::optional<int64_t> seq,
                                           const std::string& message_id) {
  return sql::FindCurrentInTx<sqlite::Backend>(c, seq, message_id);
}

Result<void> Refund(Connection& c, AccountId account, int64_t type, int64_t charged, int64_t seq,
                    const std::string& message_id, const char* note, int64_t now_ms) {
  return sql::RefundInTx<sqlite::Backend>(c, account, type, charged, seq, message_id, note, now_ms);
}

// s7-writer (docs/adr/0036): the new messages of one request, `fresh` (indexes
// into request.messages), INSERTed with multi-row statements (AcceptRows' sizes,
// docs/adr/0041): one statement's set-up, cursors and halt for many rows, and the
// table's append path for their increasing seqs. A statement that fails is undone
// whole by SQLite (a multi-row INSERT runs in a statement journal); a duplicate id
// is then looked for row by row, so the error names it as before.
using sqlite::AcceptRows;

Result<void> InsertNewMessages(WriteContext& ctx, const MessageIdCodec& codec,
                               const AcceptRequest& request, const std::vector<size_t>& fresh,
                               const sqlite::BalanceCache::Account& balances,
                               const std::array<int64_t, kTypes>& ledger_rows) {
  // One string per row of the largest statement used (SMPP's requests are one message).
  std::vector<std::string> attachments(std::min(fresh.size(), AcceptRows::kChunkRows));
  size_t first = 0;
  while (first < fresh.size()) {
    const size_t n = AcceptRows::ChunkFor(fresh.size() - first);
    BRAMKA_ASSIGN_OR_RETURN(Stmt insert, ctx.conn.Prepare(AcceptRows::InsertSql(n)));
    for (size_t k = 0; k < n; ++k) {
      const Message& m = request.messages[fresh[first + k]];
      const size_t type = static_cast<size_t>(m.type);
      attachments[k] = sqlite::JoinAttachments(m.attachments);
      sqlite::BindNewMessageAt(insert, static_cast<int>(k) * sqlite::kInsertColumns, m,
                               static_cast<int64_t>(codec.Decode(m.id)), request.account_id,
                               balances[type].unlimited ? 0 : m.cost_units, attachments[k],
                               ledger_rows[type]);
    }
    auto inserted = insert.Run();
    if (!inserted.ok()) {
      if (inserted.error().code != ErrorCode::kAlreadyExists) return inserted.take_error();
      if (n == 1) {
        return Fail(ErrorCode::kAlreadyExists,
                    "message id already used: " + request.messages[fresh[first]].id);
      }
      // Undone whole: insert the same rows one by one to name the duplicate.
      std::vector<size_t> one(1);
      for (size_t k = 0; k < n; ++k) {
        one[0] = fresh[first + k];
        BRAMKA_RETURN_IF_ERROR(InsertNewMessages(ctx, codec, request, one, balances, ledger_rows));
      }
    } else {
      for (size_t k = 0; k < n; ++k) ctx.Count(request.messages[fresh[first + k]].status, 1);
    }
    first += n;
  }
  return Ok();
}

// The transaction body of AcceptAsync (store.h): duplicates, balance check,
// charge, insert.
Result<AcceptResult> AcceptInTransaction(WriteContext& ctx, const MessageIdCodec& codec,
                                         sqlite::ClaimLeases& leases,
                                         const AcceptRequest& request) {
  Connection& c = ctx.conn;
  // The batch's balances (writer.h, docs/adr/0029): read once per account and
  // batch, charged below only once everything else of this request succeeded.
  BRAMKA_CHECK(ctx.balances != nullptr);
  BRAMKA_ASSIGN_OR_RETURN(sqlite::BalanceCache::Account * cached,
                          ctx.balances->Get(c, request.account_id));
  sqlite::BalanceCache::Account& balances = *cached;
  std::array<int64_t, kTypes> charges{};

  // smpp (docs/adr/0041): the batch's deferred rows are not in the table yet; a
  // request that looks unique_ids up inserts them first, so that it sees them.
  if (ctx.accept_rows != nullptr && !ctx.accept_rows->empty()) {
    for (const Message& m : request.messages) {
      if (m.unique_id.empty()) continue;
      BRAMKA_RETURN_IF_ERROR(ctx.accept_rows->Insert(c));
      break;
    }
  }

  // Pass 1: validate, find duplicates, sum the charges.
  AcceptResult result;
  result.items.resize(request.messages.size());
  std::unordered_map<std::string_view, size_t> unique_in_request;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt live, c.Prepare("SELECT id FROM messages WHERE account_id = ?1 AND unique_id = ?2 "
                             "AND unique_id <> '' AND status <> 6"));
    for (size_t i = 0; i < request.messages.size(); ++i) {
      const Message& m = request.messages[i];
      if (!MessageIdCodec::IsWellFormed(m.id)) {
        return Fail(ErrorCode::kInvalidArgument, "malformed message id: " + m.id);
      }
      if (!sqlite::ValidMessageType(m.type)) {
        return Fail(ErrorCode::kInvalidArgument, "bad message type");
      }
      if (m.status != MessageStatus::kSaved && m.status != MessageStatus::kQueued) {
        return Fail(ErrorCode::kInvalidArgument, "a new message must be saved or queued");
      }
      if (m.cost_units < 0) return Fail(ErrorCode::kInvalidArgument, "negative cost");
      if (!m.unique_id.empty()) {
        live.BindInt(1, request.account_id).BindText(2, m.unique_id);
        BRAMKA_ASSIGN_OR_RETURN(bool found, live.Step());
        if (found) {
          result.items[i] = {live.Text(0), true};
          live.Reset();
          continue;
        }
        live.Reset();
        auto [it, inserted] = unique_in_request.try_emplace(m.unique_id, i);
        if (!inserted) {
          result.items[i] = {request.messages[it->second].id, true};
          continue;
        }
      }
      result.items[i] = {m.id, false};
      charges[static_cast<size_t>(m.type)] += m.cost_units;
    }
  }
  for (size_t t = 0; t < kTypes; ++t) {
    const sqlite::BalanceCache::Slot& b = balances[t];
    if (charges[t] > 0 && !b.unlimited && b.units - charges[t] < 0) {
      return Fail(ErrorCode::kRejected, "insufficient balance", static_cast<int>(t) + 1);
    }
  }

  // Pass 2: insert, then charge. The charges go to one ledger row per account,
  // type and batch that the balance cache writes at its Flush; each message row
  // names it with its own share (store/accept_ledger.h, docs/adr/0036).
  std::array<int64_t, kTypes> ledger_rows{};
  for (size_t t = 0; t < kTypes; ++t) {
    if (charges[t] == 0 || balances[t].unlimited) continue;
    BRAMKA_ASSIGN_OR_RETURN(ledger_rows[t], ctx.balances->LedgerRow(c, balances, t));
  }
  std::array<int64_t, kTypes> latest{};  // the ledger rows' at_ms
  std::vector<size_t> fresh;
  fresh.reserve(request.messages.size());
  // s10-claim (docs/adr/0047): ClaimDue's scan starts at its cursor; a message due before
  // it (the clock read before a claim, committed after it) lowers the cursor.
  sqlite::ClaimLeases::Key earliest = leases.cursor();
  for (size_t i = 0; i < request.messages.size(); ++i) {
    if (result.items[i].duplicate) continue;
    fresh.push_back(i);
    const Message& m = request.messages[i];
    const size_t type = static_cast<size_t>(m.type);
    if (m.cost_units != 0 && !balances[type].unlimited) {
      latest[type] = std::max(latest[type], m.queued_ms);
    }
    if (m.due_ms <= earliest.first) {
      earliest = std::min(
          earliest, sqlite::ClaimLeases::Key(m.due_ms, static_cast<int64_t>(codec.Decode(m.id))));
    }
  }
  leases.Lower(earliest);
  if (ctx.accept_rows != nullptr) {
    // smpp (docs/adr/0041): with the batch's other accepts, before the next other job
    // or COMMIT; a failure there runs the batch again without deferring.
    for (size_t i : fresh) {
      const Message& m = request.messages[i];
      const size_t type = static_cast<size_t>(m.type);
      ctx.accept_rows->Add(m, static_cast<int64_t>(codec.Decode(m.id)), request.account_id,
                           balances[type].unlimited ? 0 : m.cost_units, ledger_rows[type]);
      ctx.Count(m.status, 1);
    }
  } else {
    BRAMKA_RETURN_IF_ERROR(InsertNewMessages(ctx, codec, request, fresh, balances, ledger_rows));
    // reportcount (docs/adr/0061); AcceptRows::Insert counts the deferred rows.
    sql::NewMessageCounts counts;
    for (size_t i : fresh) counts.Add(request.account_id, request.messages[i].queued_ms);
    BRAMKA_RETURN_IF_ERROR(counts.Write(c));
  }
  for (size_t t = 0; t < kTypes; ++t) {
    if (charges[t] != 0 && !balances[t].unlimited) {
      sqlite::BalanceCache::ChargeAt(balances, t, charges[t], latest[t]);
    }
  }
  return result;
}

}  // namespace

// ---- accepting ---------------------------------------------------------------

void SqliteStore::AcceptAsync(AcceptRequest request, AcceptCallback done) {
  writer_->CallAsync<AcceptResult>(
      [this, request = std::move(request)](WriteContext& ctx) {
        return AcceptInTransaction(ctx, codec_, *leases_, request);
      },
      std::move(done), sqlite::BalanceAccess::kCachedBalances);
}

// writerread (docs/adr/0057): a Bearer token's login, its submit's reads and the accept as
// one writer job. A reader connection's read transaction after a commit costs ~12 us (the
// snapshot, the -shm read locks, and a page cache SQLite dropped because the WAL changed:
// docs/performance/session12-readpath.md); the writer's connection is inside its batch
// transaction already and its cache stays valid. The reads are the store's own read
// methods, on the writer's connection (pinned as the reader of this thread while the job
// reads and decides); the balances' units are the batch's own (BalanceCache: the charges
// of the accepts before this one in the batch, not yet written to the table).
// The decision is made once and kept: a batch that is run again (writer.h, savepoints)
// runs the same accept, and decide's side effects (the login throttle's count) happen once.
void SqliteStore::AcceptWithTokenAsync(std::string token_hash, std::string sender,
                                       std::vector<std::string> phones, TokenAcceptDecide decide,
                                       AcceptCallback done) {
  writer_->CallAsync<AcceptResult>(
      [this, token_hash = std::move(token_hash), sender = std::move(sender),
       phones = std::move(phones), decide = std::move(decide),
       decided = std::optional<std::optional<AcceptRequest>>()](
          WriteContext& ctx) mutable -> Result<AcceptResult> {
        if (!decided) {
          struct Unpin {
            sqlite::ReaderPin saved = sqlite::t_reader_pin;
            ~Unpin() { sqlite::t_reader_pin = saved; }
          } unpin;
          sqlite::t_reader_pin = sqlite::ReaderPin{readers_.get(), &ctx.conn};
          TokenSubmitReads reads;
          reads.account = FindAccountByToken(token_hash);
          if (reads.account.ok()) {
            // Store's, not ReadForSubmit's override: that one opens a read transaction.
            reads.reads = Store::ReadForSubmit(reads.account->id, sender, phones);
            const sqlite::BalanceCache::Account* cached =
                ctx.balances ? ctx.balances->Find(reads.account->id) : nullptr;
            if (cached != nullptr && reads.reads.balances.ok()) {
              for (Balance& b : *reads.reads.balances) {
                b.units = (*cached)[static_cast<size_t>(b.type)].units;
              }
            }
          }
          decided.emplace(decide(reads));
        }
        if (!*decided) return AcceptResult();
        return AcceptInTransaction(ctx, codec_, *leases_, **decided);
      },
      std::move(done), sqlite::BalanceAccess::kCachedBalances);
}

// ---- reading -----------------------------------------------------------------

Result<bool> SqliteStore::CancelScheduled(AccountId id, const std::string& message_id,
                                          int64_t now_ms) {
  return writer_->Call<bool>([&](WriteContext& ctx) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Current> cur,
                            FindCurrent(ctx.conn, SeqOf(message_id), message_id));
    if (!cur || cur->account_id != id) return NoMessage();
    if (cur->status != MessageStatus::kSaved) return false;
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, ctx.conn.Prepare("UPDATE messages SET status = 6, done_ms = ?2, "
                                      "lease_owner = '', lease_until_ms = 0, charged_units = 0 "
                                      "WHERE seq = ?1"));
      stmt.BindInt(1, cur->seq).BindInt(2, now_ms);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    BRAMKA_RETURN_IF_ERROR(Refund(ctx.conn, cur->account_id, cur->type, cur->charged, cur->seq,
                                  message_id, "cancel", now_ms));
    ctx.Move(cur->status, MessageStatus::kCancelled);
    return true;
  });
}

Result<bool> SqliteStore::ReplaceScheduled(AccountId id, const std::string& message_id,
                                           const MessageReplacement& r, int64_t now_ms) {
  return writer_->Call<bool>([&](WriteContext& ctx) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Current> cur,
                            FindCurrent(ctx.conn, SeqOf(message_id), message_id));
    if (!cur || cur->account_id != id) return NoMessage();
    if (cur->status != MessageStatus::kSaved) return false;
    int64_t charge = 0;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt balance,
                              ctx.conn.Prepare("SELECT unlimited, units FROM balances "
                                               "WHERE account_id = ?1 AND type = ?2"));
      balance.BindInt(1, id).BindInt(2, cur->type);
      BRAMKA_ASSIGN_OR_RETURN(bool row, balance.Step());
      if (!row) return NoMessage();
      charge = balance.Int(0) != 0 ? 0 : r.cost_units;
      if (charge > balance.Int(1) + cur->charged) {
        return Fail(ErrorCode::kRejected, "balance too low for the replacement",
                    static_cast<int>(cur->type) + 1);
      }
    }
    BRAMKA_RETURN_IF_ERROR(
        Refund(ctx.conn, id, cur->type, cur->charged, cur->seq, message_id, "replace", now_ms));
    BRAMKA_RETURN_IF_ERROR(
        Refund(ctx.conn, id, cur->type, -charge, cur->seq, message_id, "replace", now_ms));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt update, ctx.conn.Prepare("UPDATE messages SET text = ?2, unicode = ?3, parts = ?4, "
                                      "cost_units = ?5, charged_units = ?6, "
                                      "due_ms = CASE WHEN ?7 > 0 THEN ?7 ELSE due_ms END "
                                      "WHERE seq = ?1"));
    update.BindInt(1, cur->seq).BindText(2, r.text).BindInt(3, r.unicode ? 1 : 0);
    update.BindInt(4, r.parts).BindInt(5, r.cost_units).BindInt(6, charge).BindInt(7, r.due_ms);
    BRAMKA_RETURN_IF_ERROR(update.Run());
    if (r.due_ms > 0) leases_->Lower({r.due_ms, cur->seq});  // docs/adr/0047
    return true;
  });
}

// ---- delivery ------------------------------------------------------------------
// ClaimDue, MarkRetry, MarkUnsent and ReleaseLeases: sqlite_store_claim.cc.

namespace {

// MarkSent inside a write job; false for an unknown id.
Result<bool> MarkSentInTx(WriteContext& ctx, sqlite::ClaimLeases& leases,
                          std::optional<int64_t> seq, const SentUpdate& s) {
  // delivery (docs/adr/0031): the common case — a claimed (kQueued) message — in one
  // statement; anything else (unknown, final, kSaved) takes the read below. s10-claim
  // (docs/adr/0047): a claim leased in memory ends here, its attempt written with the row.
  const sqlite::ClaimLeases::Lease* lease = seq ? leases.Find(*seq) : nullptr;
  const int claims = lease ? lease->claims : 0;
  if (seq) {
    BRAMKA_ASSIGN_OR_RETURN(Stmt fast,
                            ctx.conn.Prepare("UPDATE messages SET status = 2, sent_ms = ?3, "
                                             "connector = ?4, upstream_id = ?5, lease_owner = '', "
                                             "lease_until_ms = 0, attempts = attempts + ?6 "
                                             "WHERE seq = ?1 AND id = ?2 AND status = 1"));
    fast.BindInt(1, *seq).BindText(2, s.message_id).BindInt(3, s.at_ms);
    fast.BindText(4, s.connector).BindText(5, s.upstream_id).BindInt(6, claims);
    BRAMKA_RETURN_IF_ERROR(fast.Run());
    if (ctx.conn.Changes() == 1) {
      if (lease) leases.Release(*seq);
      // parts (docs/adr/0028): a long message's part ids, durable with its kSent.
      BRAMKA_RETURN_IF_ERROR(sql::RecordPartsInTx<sqlite::Backend>(ctx.conn, *seq, s));
      ctx.Move(MessageStatus::kQueued, MessageStatus::kSent);
      return true;
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(bool found, sql::MarkSentInTx<sqlite::Backend>(ctx, seq, s));
  if (lease) BRAMKA_RETURN_IF_ERROR(sqlite::EndClaimInTx(ctx.conn, leases, *seq));
  return found;
}

// trickle (docs/adr/0059): a receipt in the same delivery cycle as the acceptance of its own
// message (an SMSC that answers the submit and reports the delivery at once) is written with
// that acceptance as ONE row update: kQueued straight to the receipt's final status, instead of
// MarkSent's UPDATE, then the receipt's find through messages_upstream and a second UPDATE of
// the same row. Both were in one transaction already, so no reader ever saw the kSent between.
// The result is exactly the two writes': the same row, the same answer (found, and the message
// as ApplyReceiptInTx returns it), the same callbacks. nullopt: not this case (a long message's
// part, another message with a higher seq under that upstream id -- the one ApplyReceiptInTx
// would pick --, a message no longer kQueued, a status that is not final): the caller writes the
// two as before.
Result<std::optional<Message>> SentWithReceiptInTx(WriteContext& ctx, sqlite::ClaimLeases& leases,
                                                   int64_t seq, const SentUpdate& s,
                                                   const ReceiptUpdate& r) {
  using Out = std::optional<Message>;
  if (!IsFinal(r.status)) return Out();
  BRAMKA_ASSIGN_OR_RETURN(std::optional<sql::PartRow> part,
                          sql::FindPartInTx<sqlite::Backend>(ctx.conn, r));
  if (part) return Out();
  {
    // Covered by messages_upstream: no row read. The row itself is not in it yet (kQueued).
    BRAMKA_ASSIGN_OR_RETURN(Stmt newest,
                            ctx.conn.Prepare("SELECT seq FROM messages WHERE connector = ?1 AND "
                                             "upstream_id = ?2 AND upstream_id <> '' "
                                             "ORDER BY seq DESC LIMIT 1"));
    newest.BindText(1, r.connector).BindText(2, r.upstream_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, newest.Step());
    if (row && newest.Int(0) > seq) return Out();
  }
  Message m;
  {
    BRAMKA_ASSIGN_OR_RETURN(Stmt read,
                            ctx.conn.Prepare("SELECT " BRAMKA_MESSAGE_COLUMNS
                                             " FROM messages WHERE seq = ?1 AND id = ?2"));
    read.BindInt(1, seq).BindText(2, s.message_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, read.Step());
    if (!row) return Out();
    sql::ReadMessage(read, 0, m);
  }
  if (m.status != MessageStatus::kQueued) return Out();
  const sqlite::ClaimLeases::Lease* lease = leases.Find(seq);
  const int claims = lease ? lease->claims : 0;
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt update,
      ctx.conn.Prepare("UPDATE messages SET status = ?2, sent_ms = ?3, connector = ?4, "
                       "upstream_id = ?5, lease_owner = '', lease_until_ms = 0, "
                       "attempts = attempts + ?6, reason = ?7, done_ms = ?8 "
                       "WHERE seq = ?1 AND status = 1"));
  update.BindInt(1, seq).BindInt(2, static_cast<int64_t>(r.status)).BindInt(3, s.at_ms);
  update.BindText(4, s.connector).BindText(5, s.upstream_id).BindInt(6, claims);
  update.BindText(7, r.reason).BindInt(8, r.at_ms);
  BRAMKA_RETURN_IF_ERROR(update.Run());
  if (ctx.conn.Changes() != 1) return Out();
  if (lease) leases.Release(seq);
  ctx.Move(MessageStatus::kQueued, MessageStatus::kSent);
  ctx.Move(MessageStatus::kSent, r.status);
  m.status = r.status;
  m.reason = r.reason;
  m.sent_ms = s.at_ms;
  m.done_ms = r.at_ms;
  m.connector = s.connector;
  m.upstream_id = s.upstream_id;
  m.attempts += claims;
  // As FinishByReceiptInTx (receipt_tx.h) after its UPDATE.
  BRAMKA_ASSIGN_OR_RETURN(m.callback_queued, sql::QueueDlrCallbackForInTx(ctx.conn, m, r.at_ms));
  if (m.smpp_user_id != 0 && m.smpp_registered_delivery != 0) {
    BRAMKA_RETURN_IF_ERROR(QueueSmppReceiptInTx(ctx.conn, seq, r.at_ms));
  }
  return Out(std::move(m));
}

// Store::WriteDeliveries on SQLite: sql::WriteDeliveriesInTx's order and answers, with each
// acceptance whose receipt is in the same call written together with it (above) at that
// receipt's place (nothing between can touch the message: its first receipt is the one
// paired, and a message of one part has no part rows).
// `seq_of`: SqliteStore::SeqOf.
template <class SeqOfFn>
Result<Store::DeliveryWrites> WriteDeliveriesSqliteInTx(
    WriteContext& ctx, sqlite::ClaimLeases& leases, const SeqOfFn& seq_of,
    const std::vector<SentUpdate>& sent, const std::vector<ReceiptUpdate>& receipts) {
  const auto mark_sent = [&](const SentUpdate& s) {
    return MarkSentInTx(ctx, leases, seq_of(s.message_id), s);
  };
  // receipt -> its acceptance in this call (the first receipt with the acceptance's connector
  // and upstream id; none when two acceptances share them).
  std::vector<int> sent_of(receipts.size(), -1);
  std::vector<char> deferred(sent.size(), 0);
  if (!sent.empty() && !receipts.empty()) {
    std::unordered_map<std::string_view, int> by_upstream;  // upstream id -> sent index, or -1
    by_upstream.reserve(sent.size());
    for (size_t i = 0; i < sent.size(); ++i) {
      const SentUpdate& s = sent[i];
      if (s.upstream_id.empty() || s.part_ids.size() >= 2) continue;
      auto [it, fresh] = by_upstream.emplace(s.upstream_id, static_cast<int>(i));
      if (!fresh) it->second = -1;
    }
    for (size_t j = 0; j < receipts.size(); ++j) {
      auto it = by_upstream.find(receipts[j].upstream_id);
      if (it == by_upstream.end() || it->second < 0) continue;
      const int i = it->second;
      if (sent[i].connector != receipts[j].connector || deferred[i]) continue;
      sent_of[j] = i;
      deferred[i] = 1;
    }
  }
  Store::DeliveryWrites out;
  out.found.assign(sent.size(), false);
  out.applied.reserve(receipts.size());
  for (size_t i = 0; i < sent.size(); ++i) {
    if (deferred[i]) continue;
    BRAMKA_ASSIGN_OR_RETURN(bool found, mark_sent(sent[i]));
    out.found[i] = found;
  }
  for (size_t j = 0; j < receipts.size(); ++j) {
    const ReceiptUpdate& r = receipts[j];
    if (sent_of[j] >= 0) {
      const SentUpdate& s = sent[sent_of[j]];
      std::optional<Message> together;
      if (std::optional<int64_t> seq = seq_of(s.message_id)) {
        BRAMKA_ASSIGN_OR_RETURN(together, SentWithReceiptInTx(ctx, leases, *seq, s, r));
      }
      if (together) {
        out.found[sent_of[j]] = true;
        out.applied.push_back(std::move(together));
        continue;
      }
      BRAMKA_ASSIGN_OR_RETURN(bool found, mark_sent(s));  // as before: the two writes
      out.found[sent_of[j]] = found;
    }
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m,
                            sql::ApplyReceiptInTx<sqlite::Backend>(ctx, r));
    out.applied.push_back(std::move(m));
  }
  return out;
}

}  // namespace

Result<void> SqliteStore::MarkSent(const std::string& message_id, const std::string& connector,
                                   const std::string& upstream_id, int64_t now_ms) {
  const SentUpdate sent{message_id, connector, upstream_id, now_ms};
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    return sqlite::WithLeases(*leases_, [&]() -> Result<void> {
      BRAMKA_ASSIGN_OR_RETURN(bool found, MarkSentInTx(ctx, *leases_, SeqOf(message_id), sent));
      if (!found) return NoMessage();
      return Ok();
    });
  });
}

Result<std::optional<Message>> SqliteStore::ApplyReceipt(const ReceiptUpdate& receipt) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses({receipt}));
  if (receipt.upstream_id.empty()) return std::optional<Message>();
  return writer_->Call<std::optional<Message>>(
      [&](WriteContext& ctx) { return sql::ApplyReceiptInTx<sqlite::Backend>(ctx, receipt); });
}

Result<std::vector<Message>> SqliteStore::ListSentVia(const std::string& connector, int limit) {
  return readers_->With([&](Connection& c) -> Result<std::vector<Message>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_MESSAGE_COLUMNS " FROM messages "
                                      "WHERE " BRAMKA_LIST_SENT_VIA_WHERE "ORDER BY sent_ms, seq "
                                      "LIMIT ?2"));
    stmt.BindText(1, connector).BindInt(2, limit < 0 ? -1 : limit);
    return ReadMessages(stmt);
  });
}

// ---- perf-delivery: batched delivery writes (docs/adr/0019) ----
// One write job each, so the whole batch shares one transaction and one commit.

Result<std::vector<bool>> SqliteStore::MarkSentBatch(const std::vector<SentUpdate>& sent) {
  if (sent.empty()) return std::vector<bool>();
  return writer_->Call<std::vector<bool>>([&](WriteContext& ctx) {
    return sqlite::WithLeases(*leases_, [&]() -> Result<std::vector<bool>> {
      std::vector<bool> found;
      found.reserve(sent.size());
      for (const SentUpdate& s : sent) {
        BRAMKA_ASSIGN_OR_RETURN(bool f, MarkSentInTx(ctx, *leases_, SeqOf(s.message_id), s));
        found.push_back(f);
      }
      return found;
    });
  });
}

Result<std::vector<std::optional<Message>>> SqliteStore::ApplyReceipts(
    const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  using Out = std::vector<std::optional<Message>>;
  if (receipts.empty()) return Out();
  return writer_->Call<Out>([&](WriteContext& ctx) -> Result<Out> {
    Out out;
    out.reserve(receipts.size());
    for (const ReceiptUpdate& r : receipts) {
      BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m,
                              sql::ApplyReceiptInTx<sqlite::Backend>(ctx, r));
      out.push_back(std::move(m));
    }
    return out;
  });
}

// ---- delivery: one write per delivery cycle (store.h WriteDeliveries, docs/adr/0031) ----
// The acceptances and the receipts of one dispatcher cycle in one write job: one commit
// (one fsync) instead of two, and a receipt is acknowledged upstream one commit sooner.

Result<Store::DeliveryWrites> SqliteStore::WriteDeliveries(
    const std::vector<SentUpdate>& sent, const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  if (sent.empty() && receipts.empty()) return DeliveryWrites();
  return writer_->Call<DeliveryWrites>([&](WriteContext& ctx) {
    return sqlite::WithLeases(*leases_, [&] {
      return WriteDeliveriesSqliteInTx(
          ctx, *leases_, [this](const std::string& id) { return SeqOf(id); }, sent, receipts);
    });
  });
}

// ---- e2e: delivery writes pipelined (store.h WriteDeliveriesAsync, docs/adr/0039) ----
// The same job as WriteDeliveries, handed to the writer without waiting: the dispatcher
// hands over its next cycle while this one commits and syncs. The writer runs jobs in
// the order they were submitted, so a later cycle's receipts see this one's acceptances.

void SqliteStore::WriteDeliveriesAsync(const std::vector<SentUpdate>& sent,
                                       const std::vector<ReceiptUpdate>& receipts,
                                       std::function<void(Result<DeliveryWrites>)> done) {
  if (auto checked = CheckReceiptStatuses(receipts); !checked.ok()) {
    done(checked.take_error());
    return;
  }
  if (sent.empty() && receipts.empty()) {
    done(DeliveryWrites());
    return;
  }
  writer_->CallAsync<DeliveryWrites>(
      [this, &sent, &receipts](WriteContext& ctx) {
        return sqlite::WithLeases(*leases_, [&] {
          return WriteDeliveriesSqliteInTx(
              ctx, *leases_, [this](const std::string& id) { return SeqOf(id); }, sent, receipts);
        });
      },
      std::move(done), sqlite::BalanceAccess::kDirect);
}

}  // namespace bramka::store
