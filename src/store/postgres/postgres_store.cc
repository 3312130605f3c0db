// PostgresStore: opening, accounts, tokens, balances, senders, blacklist, ids.
// Messages and delivery are in postgres_store_messages.cc.

#include "store/postgres/postgres_store.h"

#include <array>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/ids.h"
#include "store/postgres/account_row.h"
#include "store/postgres/connection.h"
#include "store/postgres/message_row.h"
#include "store/postgres/migrations.h"
#include "store/postgres/pool.h"

namespace bramka::store {

using postgres::Connection;
using postgres::ReadAccount;
using postgres::Stmt;
using postgres::WriteContext;

namespace {

Result<Account> OneAccount(Stmt& stmt) {
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "no such account");
  return ReadAccount(stmt);
}

Error NoAccount() { return MakeError(ErrorCode::kNotFound, "no such account"); }

}  // namespace

// ---- opening -----------------------------------------------------------------

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const PostgresOptions& options) {
  if (options.conninfo.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "PostgresStore needs a connection string");
  }
  {
    BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Connection::Open(options.conninfo));
    BRAMKA_ASSIGN_OR_RETURN(int version, postgres::SchemaVersion(*conn));
    if (version != 0 && version < postgres::LatestSchemaVersion()) {
      spdlog::warn("store: upgrading the PostgreSQL schema from {} to {}", version,
                   postgres::LatestSchemaVersion());
    }
    BRAMKA_RETURN_IF_ERROR(postgres::Migrate(*conn));
  }
  BRAMKA_ASSIGN_OR_RETURN(
      std::unique_ptr<postgres::Pool> pool,
      postgres::Pool::Open(options.conninfo, options.connections, options.async_workers));
  auto store =
      std::unique_ptr<PostgresStore>(new PostgresStore(std::move(pool), options.message_id_key));
  store->node_id_ = options.node_id;                  // cluster (docs/adr/0023)
  store->outbox_lease_ms_ = options.outbox_lease_ms;  // cluster
  return store;
}

PostgresStore::PostgresStore(std::unique_ptr<postgres::Pool> pool, uint64_t message_id_key)
    : codec_(message_id_key), pool_(std::move(pool)), readers_(pool_.get()), writer_(pool_.get()) {}

std::optional<int64_t> PostgresStore::SeqOf(const std::string& message_id) const {
  if (!MessageIdCodec::IsWellFormed(message_id)) return std::nullopt;
  return static_cast<int64_t>(codec_.Decode(message_id));
}

PostgresStore::~PostgresStore() = default;

uint64_t PostgresStore::commit_count() const { return pool_->commit_count(); }
uint64_t PostgresStore::retry_count() const { return pool_->retry_count(); }

Result<std::vector<std::pair<MessageStatus, int64_t>>> PostgresStore::CountByStatus() {
  return readers_->With(
      [&](Connection& c) -> Result<std::vector<std::pair<MessageStatus, int64_t>>> {
        std::vector<std::pair<MessageStatus, int64_t>> out;
        for (int i = 0; i <= static_cast<int>(MessageStatus::kCancelled); ++i) {
          out.emplace_back(static_cast<MessageStatus>(i), 0);
        }
        BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                                c.Prepare("SELECT status, COUNT(*) FROM messages GROUP BY status"));
        while (true) {
          BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
          if (!row) return out;
          int64_t status = stmt.Int(0);
          if (status < 0 || status >= static_cast<int64_t>(out.size())) {
            return Fail(ErrorCode::kCorrupt,
                        "message with unknown status " + std::to_string(status));
          }
          out[static_cast<size_t>(status)].second = stmt.Int(1);
        }
      });
}

// ---- accounts --------------------------------------------------------------------

Result<AccountId> PostgresStore::CreateAccount(const std::string& name,
                                               const std::string& password_hash,
                                               AccountId parent_id, int64_t now_ms) {
  return writer_->Call<AccountId>([&](WriteContext& ctx) -> Result<AccountId> {
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert, ctx.conn.Prepare("INSERT INTO accounts (name, password_hash, parent_id, "
                                        "created_ms) VALUES (?1, ?2, ?3, ?4)"));
      insert.BindText(1, name).BindText(2, password_hash).BindInt(3, parent_id).BindInt(4, now_ms);
      auto inserted = insert.Run();
      if (!inserted.ok()) {
        if (inserted.error().code == ErrorCode::kAlreadyExists) {
          return Fail(ErrorCode::kAlreadyExists, "account name taken: " + name);
        }
        return inserted.take_error();
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(AccountId id, ctx.conn.LastInsertId());
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt balance, ctx.conn.Prepare("INSERT INTO balances (account_id, type) VALUES (?1, ?2)"));
    for (MessageType t : kAllBalanceTypes) {
      balance.BindInt(1, id).BindInt(2, static_cast<int64_t>(t));
      BRAMKA_RETURN_IF_ERROR(balance.Run());
    }
    return id;
  });
}

Result<Account> PostgresStore::GetAccount(AccountId id) {
  return readers_->With([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1"));
    stmt.BindInt(1, id);
    return OneAccount(stmt);
  });
}

Result<Account> PostgresStore::FindAccountByName(const std::string& name) {
  return readers_->With([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE name = ?1"));
    stmt.BindText(1, name);
    return OneAccount(stmt);
  });
}

Result<std::vector<Account>> PostgresStore::ListAccounts() {
  return readers_->With([&](Connection& c) -> Result<std::vector<Account>> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts ORDER BY id"));
    std::vector<Account> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadAccount(stmt));
    }
  });
}

Result<void> PostgresStore::SetPasswordHash(AccountId id, const std::string& password_hash) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE accounts SET password_hash = ?2 WHERE id = ?1"));
    stmt.BindInt(1, id).BindText(2, password_hash);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return NoAccount();
    return Ok();
  });
}

Result<void> PostgresStore::AddApiToken(AccountId id, const std::string& token_hash,
                                        const std::string& label, int64_t now_ms) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO api_tokens (token_hash, account_id, label, "
                                    "created_ms) VALUES (?1, ?2, ?3, ?4)"));
    stmt.BindText(1, token_hash).BindInt(2, id).BindText(3, label).BindInt(4, now_ms);
    auto inserted = stmt.Run();
    if (!inserted.ok() && inserted.error().code == ErrorCode::kNotFound) return NoAccount();
    if (!inserted.ok() && inserted.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "token already exists");
    }
    return inserted;
  });
}

Result<AccountId> PostgresStore::FindAccountByTokenHash(const std::string& token_hash) {
  return readers_->With([&](Connection& c) -> Result<AccountId> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT account_id FROM api_tokens WHERE token_hash = ?1"));
    stmt.BindText(1, token_hash);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "unknown token");
    return stmt.Int(0);
  });
}

// ---- balances ---------------------------------------------------------------------

Result<std::vector<Balance>> PostgresStore::GetBalances(AccountId id) {
  return readers_->With([&](Connection& c) -> Result<std::vector<Balance>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT type, available, unlimited, units FROM balances "
                                      "WHERE account_id = ?1"));
    stmt.BindInt(1, id);
    std::array<std::optional<Balance>, std::size(kAllBalanceTypes)> by_type;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      int64_t type = stmt.Int(0);
      if (type < 0 || type >= static_cast<int64_t>(by_type.size())) continue;
      Balance b;
      b.type = static_cast<MessageType>(type);
      b.available = stmt.Int(1) != 0;
      b.unlimited = stmt.Int(2) != 0;
      b.units = stmt.Int(3);
      by_type[static_cast<size_t>(type)] = b;
    }
    std::vector<Balance> out;
    for (MessageType t : kAllBalanceTypes) {
      const auto& b = by_type[static_cast<size_t>(t)];
      if (!b) return NoAccount();
      out.push_back(*b);
    }
    return out;
  });
}

Result<void> PostgresStore::AdjustBalance(AccountId id, MessageType type, int64_t delta,
                                          const std::string& note, int64_t now_ms) {
  if (!postgres::ValidMessageType(type))
    return Fail(ErrorCode::kInvalidArgument, "bad message type");
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare("UPDATE balances SET units = units + ?3 "
                                                          "WHERE account_id = ?1 AND type = ?2"));
      stmt.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, delta);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      if (ctx.conn.Changes() == 0) return NoAccount();
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt ledger, ctx.conn.Prepare("INSERT INTO ledger (account_id, type, delta, note, at_ms) "
                                      "VALUES (?1, ?2, ?3, ?4, ?5)"));
    ledger.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, delta);
    ledger.BindText(4, note).BindInt(5, now_ms);
    return ledger.Run();
  });
}

Result<void> PostgresStore::SetBalanceMode(AccountId id, MessageType type, bool available,
                                           bool unlimited) {
  if (!postgres::ValidMessageType(type))
    return Fail(ErrorCode::kInvalidArgument, "bad message type");
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("UPDATE balances SET available = ?3, unlimited = ?4 "
                                             "WHERE account_id = ?1 AND type = ?2"));
    stmt.BindInt(1, id).BindInt(2, static_cast<int64_t>(type));
    stmt.BindInt(3, available ? 1 : 0).BindInt(4, unlimited ? 1 : 0);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return NoAccount();
    return Ok();
  });
}

Result<int64_t> PostgresStore::LedgerSumForMessage(const std::string& message_id) {
  std::optional<int64_t> seq = SeqOf(message_id);
  if (!seq) return 0;
  return readers_->With([&](Connection& c) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT COALESCE(SUM(delta), 0) FROM ledger "
                                                 "WHERE message_seq = ?1 AND message_id = ?2"));
    stmt.BindInt(1, *seq).BindText(2, message_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  });
}

// ---- senders and blacklist ------------------------------------------------------------

Result<void> PostgresStore::SetSender(AccountId id, const std::string& name, SenderStatus status,
                                      int64_t now_ms) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("INSERT INTO senders (account_id, name, status, created_ms) "
                         "VALUES (?1, ?2, ?3, ?4) "
                         "ON CONFLICT (account_id, name) DO UPDATE SET status = excluded.status"));
    stmt.BindInt(1, id).BindText(2, name).BindInt(3, static_cast<int64_t>(status));
    stmt.BindInt(4, now_ms);
    auto r = stmt.Run();
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) return NoAccount();
    return r;
  });
}

Result<std::optional<Sender>> PostgresStore::GetSender(AccountId id, const std::string& name) {
  return readers_->With([&](Connection& c) -> Result<std::optional<Sender>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT name, status, created_ms FROM senders "
                                                 "WHERE account_id = ?1 AND name = ?2"));
    stmt.BindInt(1, id).BindText(2, name);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<Sender>();
    return std::optional<Sender>(
        Sender{stmt.Text(0), static_cast<SenderStatus>(stmt.Int(1)), stmt.Int(2)});
  });
}

Result<std::vector<Sender>> PostgresStore::ListSenders(AccountId id) {
  return readers_->With([&](Connection& c) -> Result<std::vector<Sender>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT name, status, created_ms FROM senders "
                                                 "WHERE account_id = ?1 ORDER BY name"));
    stmt.BindInt(1, id);
    std::vector<Sender> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(Sender{stmt.Text(0), static_cast<SenderStatus>(stmt.Int(1)), stmt.Int(2)});
    }
  });
}

Result<void> PostgresStore::AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO blacklist (account_id, phone, created_ms) "
                                    "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"));
    stmt.BindInt(1, id).BindText(2, phone).BindInt(3, now_ms);
    auto r = stmt.Run();
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) return NoAccount();
    return r;
  });
}

Result<bool> PostgresStore::IsBlacklisted(AccountId id, const std::string& phone) {
  return readers_->With([&](Connection& c) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT 1 FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    stmt.BindInt(1, id).BindText(2, phone);
    return stmt.Step();
  });
}

// ---- ids ------------------------------------------------------------------------------

Result<uint64_t> PostgresStore::ReserveIdBlock(uint64_t count) {
  if (count == 0) return Fail(ErrorCode::kInvalidArgument, "empty id block");
  if (count > kMessageIdSpace) return Fail(ErrorCode::kUnavailable, "message id space exhausted");
  return writer_->Call<uint64_t>([&](WriteContext& ctx) -> Result<uint64_t> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            ctx.conn.Prepare("UPDATE meta SET value = value + ?1 "
                                             "WHERE key = 'next_id_sequence' AND value + ?1 <= ?2 "
                                             "RETURNING value - ?1"));
    stmt.BindInt(1, static_cast<int64_t>(count)).BindInt(2, static_cast<int64_t>(kMessageIdSpace));
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kUnavailable, "message id space exhausted");
    return static_cast<uint64_t>(stmt.Int(0));
  });
}

}  // namespace bramka::store
