// PostgresStore: accepting, reading and delivering messages.

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <variant>

#include "store/delivery_indexes.h"
#include "store/postgres/callbacks_tx.h"
#include "store/postgres/claim_sql.h"
#include "store/postgres/cluster_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/message_row.h"
#include "store/postgres/pool.h"
#include "store/postgres/postgres_store.h"
#include "store/sql/delivery_tx.h"
#include "store/sql/message_counts_tx.h"
#include "store/sql/message_parts_tx.h"
#include "store/sql/message_state_tx.h"
#include "store/sql/receipt_tx.h"

namespace bramka::store {

using postgres::Connection;
using postgres::Stmt;
using postgres::WriteContext;

namespace {

constexpr size_t kTypes = std::size(kAllBalanceTypes);
// Rows per multi-row statement: 23 parameters a message stays well under
// PostgreSQL's 65,535 parameters a statement.
constexpr size_t kRowsPerStatement = 1000;

Error NoMessage() { return MakeError(ErrorCode::kNotFound, "no such message"); }

// The shared delivery-state helpers (sql/message_state_tx.h) on this engine.
using sql::Current;

Result<std::optional<Current>> FindCurrent(Connection& c, std::optional<int64_t> seq,
                                           const std::string& message_id) {
  return sql::FindCurrentInTx<postgres::Backend>(c, seq, message_id);
}

Result<void> Refund(Connection& c, AccountId account, int64_t type, int64_t charged, int64_t seq,
                    const std::string& message_id, const char* note, int64_t now_ms) {
  return sql::RefundInTx<postgres::Backend>(c, account, type, charged, seq, message_id, note,
                                            now_ms);
}

// The transaction body of AcceptAsync (store.h): duplicates, balance check,
// charge, insert.
Result<AcceptResult> AcceptInTransaction(WriteContext& ctx, const MessageIdCodec& codec,
                                         const AcceptRequest& request) {
  Connection& c = ctx.conn;
  struct TypeBalance {
    bool exists = false;
    bool unlimited = false;
    int64_t units = 0;
    int64_t charge = 0;
  };
  std::array<TypeBalance, kTypes> balances;
  {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT type, unlimited, units FROM balances WHERE account_id = ?1 "
                             "ORDER BY type FOR UPDATE"));
    stmt.BindInt(1, request.account_id);
    bool any = false;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      int64_t type = stmt.Int(0);
      if (type < 0 || type >= static_cast<int64_t>(kTypes)) continue;
      balances[static_cast<size_t>(type)] = {true, stmt.Int(1) != 0, stmt.Int(2), 0};
      any = true;
    }
    if (!any) return Fail(ErrorCode::kNotFound, "no such account");
  }

  // Pass 1: validate, find duplicates (one query for every unique_id of the
  // request), sum the charges.
  AcceptResult result;
  result.items.resize(request.messages.size());
  std::unordered_map<std::string_view, size_t> unique_in_request;
  std::unordered_map<std::string, std::string> live;  // unique_id -> id of a live message
  {
    std::vector<const std::string*> uniques;
    for (const Message& m : request.messages) {
      if (m.unique_id.empty()) continue;
      uniques.push_back(&m.unique_id);
    }
    for (size_t first = 0; first < uniques.size(); first += kRowsPerStatement) {
      const size_t n = std::min(kRowsPerStatement, uniques.size() - first);
      std::string in;
      for (size_t i = 0; i < n; ++i) in += i == 0 ? "?2" : ",?" + std::to_string(i + 2);
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, c.PrepareDynamic("SELECT unique_id, id FROM messages WHERE account_id = ?1 "
                                      "AND unique_id IN (" +
                                      in +
                                      ") AND unique_id <> '' "
                                      "AND status <> 6"));
      stmt.BindInt(1, request.account_id);
      for (size_t i = 0; i < n; ++i) stmt.BindText(static_cast<int>(i) + 2, *uniques[first + i]);
      while (true) {
        BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        live.emplace(stmt.Text(0), stmt.Text(1));
      }
    }
  }
  for (size_t i = 0; i < request.messages.size(); ++i) {
    const Message& m = request.messages[i];
    if (!MessageIdCodec::IsWellFormed(m.id)) {
      return Fail(ErrorCode::kInvalidArgument, "malformed message id: " + m.id);
    }
    if (!postgres::ValidMessageType(m.type)) {
      return Fail(ErrorCode::kInvalidArgument, "bad message type");
    }
    if (m.status != MessageStatus::kSaved && m.status != MessageStatus::kQueued) {
      return Fail(ErrorCode::kInvalidArgument, "a new message must be saved or queued");
    }
    if (m.cost_units < 0) return Fail(ErrorCode::kInvalidArgument, "negative cost");
    if (!m.unique_id.empty()) {
      if (auto found = live.find(m.unique_id); found != live.end()) {
        result.items[i] = {found->second, true};
        continue;
      }
      auto [it, inserted] = unique_in_request.try_emplace(m.unique_id, i);
      if (!inserted) {
        result.items[i] = {request.messages[it->second].id, true};
        continue;
      }
    }
    result.items[i] = {m.id, false};
    balances[static_cast<size_t>(m.type)].charge += m.cost_units;
  }
  for (size_t t = 0; t < kTypes; ++t) {
    const TypeBalance& b = balances[t];
    if (b.charge > 0 && !b.unlimited && b.units - b.charge < 0) {
      return Fail(ErrorCode::kRejected, "insufficient balance", static_cast<int>(t) + 1);
    }
  }

  // Pass 2: charge and insert.
  {
    BRAMKA_ASSIGN_OR_RETURN(Stmt charge, c.Prepare("UPDATE balances SET units = units - ?3 "
                                                   "WHERE account_id = ?1 AND type = ?2"));
    for (size_t t = 0; t < kTypes; ++t) {
      if (balances[t].charge == 0 || balances[t].unlimited) continue;
      charge.BindInt(1, request.account_id).BindInt(2, static_cast<int64_t>(t));
      charge.BindInt(3, balances[t].charge);
      BRAMKA_RETURN_IF_ERROR(charge.Run());
    }
  }
  // One ledger row per type and request; each message row names it with its
  // own share (store/accept_ledger.h, docs/adr/0036).
  std::array<int64_t, kTypes> ledger_rows{};
  {
    std::array<int64_t, kTypes> latest{};
    for (size_t i = 0; i < request.messages.size(); ++i) {
      if (result.items[i].duplicate) continue;
      const Message& m = request.messages[i];
      const size_t type = static_cast<size_t>(m.type);
      if (m.cost_units != 0) latest[type] = std::max(latest[type], m.queued_ms);
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt ledger,
                            c.Prepare("INSERT INTO ledger (account_id, type, delta, note, at_ms) "
                                      "VALUES (?1, ?2, ?3, 'accept', ?4) RETURNING id"));
    for (size_t t = 0; t < kTypes; ++t) {
      if (balances[t].charge == 0 || balances[t].unlimited) continue;
      ledger.BindInt(1, request.account_id).BindInt(2, static_cast<int64_t>(t));
      ledger.BindInt(3, -balances[t].charge).BindInt(4, latest[t]);
      BRAMKA_ASSIGN_OR_RETURN(bool row, ledger.Step());
      if (!row) return Fail(ErrorCode::kInternal, "ledger INSERT returned no id");
      ledger_rows[t] = ledger.Int(0);
      ledger.Reset();
    }
  }
  // Multi-row INSERTs: a request of any size costs a few round trips.
  std::vector<size_t> fresh;
  for (size_t i = 0; i < request.messages.size(); ++i) {
    if (!result.items[i].duplicate) fresh.push_back(i);
  }
  for (size_t first = 0; first < fresh.size(); first += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, fresh.size() - first);
    std::vector<std::string> attachments(n);
    std::vector<int64_t> charged(n);
    for (size_t k = 0; k < n; ++k) {
      const Message& m = request.messages[fresh[first + k]];
      attachments[k] = postgres::JoinAttachments(m.attachments);
      charged[k] = balances[static_cast<size_t>(m.type)].unlimited ? 0 : m.cost_units;
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt insert,
                            c.PrepareDynamic(postgres::InsertMessagesSql(static_cast<int>(n))));
    for (size_t k = 0; k < n; ++k) {
      const Message& m = request.messages[fresh[first + k]];
      postgres::BindNewMessageAt(insert, static_cast<int>(k) * postgres::kInsertColumns, m,
                                 static_cast<int64_t>(codec.Decode(m.id)), request.account_id,
                                 charged[k], attachments[k],
                                 ledger_rows[static_cast<size_t>(m.type)]);
    }
    auto inserted = insert.Run();
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kAlreadyExists, "message id already used");
      }
      return inserted.take_error();
    }
  }
  // reportcount (docs/adr/0061): the reports' per-hour counts, one UPSERT per hour.
  sql::NewMessageCounts counts;
  for (size_t i : fresh) counts.Add(request.account_id, request.messages[i].queued_ms);
  BRAMKA_RETURN_IF_ERROR(counts.Write(c));
  return result;
}

}  // namespace

// ---- accepting ---------------------------------------------------------------

void PostgresStore::AcceptAsync(AcceptRequest request, AcceptCallback done) {
  // READ COMMITTED with the account's balance rows locked first (FOR UPDATE
  // in AcceptInTransaction): accepts of one account queue on that lock and
  // then see the latest balance, as behind SQLite's single writer; under
  // SERIALIZABLE every concurrent accept of a busy account would be a
  // serialization failure on its balance row, retried over and over. The
  // duplicate check is safe for the same reason (and the partial unique
  // index messages_unique_id backs it).
  // Group commit (Pool::SubmitBatched): concurrent accepts share one
  // transaction and one fsync, ordered by account (lock order).
  struct State {
    AcceptRequest request;
    AcceptCallback done;
    std::optional<Result<AcceptResult>> result;
  };
  auto state = std::make_shared<State>();
  state->request = std::move(request);
  state->done = std::move(done);
  postgres::Pool::BatchJob job;
  job.order_key = state->request.account_id;
  job.run = [this, state](WriteContext& ctx) -> Result<void> {
    state->result.emplace(AcceptInTransaction(ctx, codec_, state->request));
    if (state->result->ok()) return Ok();
    return state->result->error();
  };
  job.complete = [state](const Error* batch_failure) {
    if (batch_failure != nullptr) {
      state->done(Result<AcceptResult>(*batch_failure));
    } else if (!state->result) {
      state->done(Result<AcceptResult>(MakeError(ErrorCode::kInternal, "accept did not run")));
    } else {
      state->done(std::move(*state->result));
    }
  };
  writer_->SubmitBatched(std::move(job));
}

// ---- reading -----------------------------------------------------------------

Result<bool> PostgresStore::CancelScheduled(AccountId id, const std::string& message_id,
                                            int64_t now_ms) {
  return writer_->CallReadCommitted<bool>([&](WriteContext& ctx) -> Result<bool> {
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

Result<bool> PostgresStore::ReplaceScheduled(AccountId id, const std::string& message_id,
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
    return true;
  });
}

// ---- delivery ------------------------------------------------------------------

Result<std::vector<Message>> PostgresStore::ClaimDue(int64_t now_ms, int limit,
                                                     const std::string& owner,
                                                     int64_t lease_until_ms) {
  if (limit <= 0) return std::vector<Message>();
  // One statement (docs/adr/0022; its shape: claim_sql.h, docs/adr/0050): lock the due
  // messages no other node has locked (FOR UPDATE SKIP LOCKED, READ COMMITTED, so nodes
  // never wait for or conflict with each other), lease them, return them as updated. A
  // lease that expired (its node died) makes the message due again.
  return writer_->Call<std::vector<Message>>(
      [&](WriteContext& ctx) -> Result<std::vector<Message>> {
        BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare(postgres::kClaimDue));
        stmt.BindInt(1, now_ms).BindInt(2, limit).BindText(3, owner).BindInt(4, lease_until_ms);
        std::vector<std::pair<int64_t, Message>> rows;
        while (true) {
          BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
          if (!row) break;
          auto& [seq, m] = rows.emplace_back();
          seq = stmt.Int(0);
          postgres::ReadMessage(stmt, 1, m);
        }
        // RETURNING has no order: oldest due first, as the contract says.
        std::sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) {
          return std::tie(x.second.due_ms, x.first) < std::tie(y.second.due_ms, y.first);
        });
        std::vector<Message> claimed;
        claimed.reserve(rows.size());
        for (auto& r : rows) claimed.push_back(std::move(r.second));
        return claimed;
      },
      postgres::Isolation::kReadCommitted);
}

Result<void> PostgresStore::MarkSent(const std::string& message_id, const std::string& connector,
                                     const std::string& upstream_id, int64_t now_ms) {
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        bool found,
        sql::MarkSentInTx<postgres::Backend>(
            ctx, SeqOf(message_id), SentUpdate{message_id, connector, upstream_id, now_ms}));
    if (!found) return NoMessage();
    return Ok();
  });
}

// One transaction (one COMMIT) for the whole batch (store.h, ADR 0019); the cluster's
// figures in docs/performance/sessions1-3.md ("Cluster: 1, 2 and 3 nodes on one PostgreSQL")
// show what one commit per item cost.
Result<std::vector<bool>> PostgresStore::MarkSentBatch(const std::vector<SentUpdate>& sent) {
  if (sent.empty()) return std::vector<bool>();
  return writer_->CallReadCommitted<std::vector<bool>>(
      [&](WriteContext& ctx) -> Result<std::vector<bool>> {
        std::vector<bool> found;
        found.reserve(sent.size());
        for (const SentUpdate& s : sent) {
          BRAMKA_ASSIGN_OR_RETURN(
              bool f, sql::MarkSentInTx<postgres::Backend>(ctx, SeqOf(s.message_id), s));
          found.push_back(f);
        }
        return found;
      });
}

Result<void> PostgresStore::MarkRetry(const std::string& message_id, int64_t next_due_ms,
                                      const std::string& error) {
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Current> cur,
                            FindCurrent(ctx.conn, SeqOf(message_id), message_id));
    if (!cur) return NoMessage();
    if (IsFinal(cur->status)) return Ok();
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE messages SET status = 1, due_ms = ?2, "
                                    "last_error = ?3, lease_owner = '', lease_until_ms = 0 "
                                    "WHERE seq = ?1"));
    stmt.BindInt(1, cur->seq).BindInt(2, next_due_ms).BindText(3, error);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    ctx.Move(cur->status, MessageStatus::kQueued);
    return Ok();
  });
}

Result<void> PostgresStore::MarkUnsent(const std::string& message_id, const std::string& reason,
                                       int64_t now_ms) {
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(std::optional<Current> cur,
                            FindCurrent(ctx.conn, SeqOf(message_id), message_id));
    if (!cur) return NoMessage();
    if (IsFinal(cur->status)) return Ok();
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, ctx.conn.Prepare("UPDATE messages SET status = 5, reason = ?2, "
                                      "done_ms = ?3, lease_owner = '', lease_until_ms = 0, "
                                      "charged_units = 0 WHERE seq = ?1"));
      stmt.BindInt(1, cur->seq).BindText(2, reason).BindInt(3, now_ms);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    BRAMKA_RETURN_IF_ERROR(Refund(ctx.conn, cur->account_id, cur->type, cur->charged, cur->seq,
                                  message_id, "unsent", now_ms));
    // Callbacks (ADR 0007): queued in this transaction, never lost.
    BRAMKA_RETURN_IF_ERROR(postgres::QueueDlrCallbackInTx(ctx.conn, cur->seq, now_ms));
    BRAMKA_RETURN_IF_ERROR(postgres::QueueSmppReceiptInTx(ctx.conn, cur->seq, now_ms));
    ctx.Move(cur->status, MessageStatus::kUnsent);
    return Ok();
  });
}

namespace {}  // namespace

Result<std::optional<Message>> PostgresStore::ApplyReceipt(const ReceiptUpdate& receipt) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses({receipt}));
  if (receipt.upstream_id.empty()) return std::optional<Message>();
  return writer_->CallReadCommitted<std::optional<Message>>(
      [&](WriteContext& ctx) { return sql::ApplyReceiptInTx<postgres::Backend>(ctx, receipt); });
}

// One transaction for the whole batch, in order (store.h, ADR 0019).
Result<std::vector<std::optional<Message>>> PostgresStore::ApplyReceipts(
    const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  if (receipts.empty()) return std::vector<std::optional<Message>>();
  return writer_->CallReadCommitted<std::vector<std::optional<Message>>>(
      [&](WriteContext& ctx) -> Result<std::vector<std::optional<Message>>> {
        std::vector<std::optional<Message>> out;
        out.reserve(receipts.size());
        for (const ReceiptUpdate& r : receipts) {
          BRAMKA_ASSIGN_OR_RETURN(std::optional<Message> m,
                                  sql::ApplyReceiptInTx<postgres::Backend>(ctx, r));
          out.push_back(std::move(m));
        }
        return out;
      });
}

Result<int64_t> PostgresStore::ReleaseLeases(const std::string& owner) {
  return writer_->CallReadCommitted<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE messages SET lease_owner = '', lease_until_ms = 0 "
                                    "WHERE " BRAMKA_PG_LEASED_BY_OWNER));
    stmt.BindText(1, owner);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.Changes();
  });
}

Result<std::vector<Message>> PostgresStore::ListSentVia(const std::string& connector, int limit) {
  return readers_->With([&](Connection& c) -> Result<std::vector<Message>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_MESSAGE_COLUMNS " FROM messages "
                                      "WHERE " BRAMKA_LIST_SENT_VIA_WHERE "ORDER BY sent_ms, seq "
                                      "LIMIT ?2"));
    stmt.BindText(1, connector).BindInt(2, limit < 0 ? -1 : limit);
    return ReadMessages(stmt);
  });
}

// ---- delivery: one write per delivery cycle (store.h WriteDeliveries, docs/adr/0031) ----
// MarkSentBatch's and ApplyReceipts' work in one transaction: one COMMIT per cycle.
Result<Store::DeliveryWrites> PostgresStore::WriteDeliveries(
    const std::vector<SentUpdate>& sent, const std::vector<ReceiptUpdate>& receipts) {
  BRAMKA_RETURN_IF_ERROR(CheckReceiptStatuses(receipts));
  if (sent.empty() && receipts.empty()) return DeliveryWrites();
  return writer_->CallReadCommitted<DeliveryWrites>([&](WriteContext& ctx) {
    return sql::WriteDeliveriesInTx<postgres::Backend>(
        ctx, sent, receipts, [&](const SentUpdate& s) {
          return sql::MarkSentInTx<postgres::Backend>(ctx, SeqOf(s.message_id), s);
        });
  });
}

}  // namespace bramka::store
