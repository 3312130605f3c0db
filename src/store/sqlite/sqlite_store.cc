// SqliteStore: opening, accounts, tokens, balances, senders, blacklist, ids.
// Messages and delivery are in sqlite_store_messages.cc.

#include "store/sqlite/sqlite_store.h"

#include <array>
#include <utility>

#include <spdlog/spdlog.h>

#include "common/ids.h"
#include "store/sqlite/account_row.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/message_row.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/reader_pool.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

using sqlite::Connection;
using sqlite::ReadAccount;
using sqlite::Stmt;
using sqlite::WriteContext;

namespace {

Result<sqlite::StatusCounts> CountMessages(Connection& conn) {
  sqlite::StatusCounts counts{};
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                          conn.Prepare("SELECT status, COUNT(*) FROM messages GROUP BY status"));
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    int64_t status = stmt.Int(0);
    if (status < 0 || status >= static_cast<int64_t>(sqlite::kStatusCount)) {
      return Fail(ErrorCode::kCorrupt, "message with unknown status " + std::to_string(status));
    }
    counts[static_cast<size_t>(status)] = stmt.Int(1);
  }
  return counts;
}

Result<Account> OneAccount(Stmt& stmt) {
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "no such account");
  return ReadAccount(stmt);
}

Error NoAccount() { return MakeError(ErrorCode::kNotFound, "no such account"); }

}  // namespace

// ---- opening -----------------------------------------------------------------

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const SqliteOptions& options) {
  // Every connection must reach the same file (an in-memory or temporary
  // database would be private to one connection).
  if (options.path.empty() || options.path == ":memory:") {
    return Fail(ErrorCode::kInvalidArgument, "SqliteStore needs a file path");
  }
  BRAMKA_ASSIGN_OR_RETURN(
      std::unique_ptr<Connection> writer,
      Connection::Open(options.path, Connection::Mode::kWriter, options.busy_timeout_ms));
  // Upgrades copy the file first (docs/adr/0018).
  BRAMKA_ASSIGN_OR_RETURN(std::string backup, sqlite::BackupBeforeUpgrade(*writer, options.path));
  if (!backup.empty()) {
    spdlog::warn("store: upgrading {} to schema {}; the previous file is copied to {}",
                 options.path, sqlite::LatestSchemaVersion(), backup);
  }
  BRAMKA_RETURN_IF_ERROR(sqlite::Migrate(*writer));
  if (options.max_page_count > 0) {
    std::string pragma = "PRAGMA max_page_count=" + std::to_string(options.max_page_count);
    BRAMKA_RETURN_IF_ERROR(writer->Exec(pragma.c_str()));
  }
  BRAMKA_ASSIGN_OR_RETURN(sqlite::StatusCounts counts, CountMessages(*writer));

  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.read_connections); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(
        std::unique_ptr<Connection> reader,
        Connection::Open(options.path, Connection::Mode::kReader, options.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(
      std::make_unique<sqlite::ReaderPool>(std::move(readers)),
      std::make_unique<sqlite::Writer>(std::move(writer), options.max_batch, counts),
      options.message_id_key));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::ReaderPool> readers,
                         std::unique_ptr<sqlite::Writer> writer, uint64_t message_id_key)
    : SqlStore(message_id_key), readers_(std::move(readers)), writer_(std::move(writer)) {
  AttachSql(readers_.get(), writer_.get());
}

SqliteStore::~SqliteStore() = default;

uint64_t SqliteStore::commit_count() const { return writer_->commit_count(); }

Result<std::vector<std::pair<MessageStatus, int64_t>>> SqliteStore::CountByStatus() {
  sqlite::StatusCounts counts = writer_->status_counts();
  std::vector<std::pair<MessageStatus, int64_t>> out;
  for (size_t i = 0; i < counts.size(); ++i) {
    out.emplace_back(static_cast<MessageStatus>(i), counts[i]);
  }
  return out;
}

// ---- accounts --------------------------------------------------------------------

Result<AccountId> SqliteStore::CreateAccount(const std::string& name,
                                             const std::string& password_hash, AccountId parent_id,
                                             int64_t now_ms) {
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
    AccountId id = sqlite3_last_insert_rowid(ctx.conn.db());
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt balance, ctx.conn.Prepare("INSERT INTO balances (account_id, type) VALUES (?1, ?2)"));
    for (MessageType t : kAllBalanceTypes) {
      balance.BindInt(1, id).BindInt(2, static_cast<int64_t>(t));
      BRAMKA_RETURN_IF_ERROR(balance.Run());
    }
    return id;
  });
}

Result<Account> SqliteStore::GetAccount(AccountId id) {
  return readers_->With([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1"));
    stmt.BindInt(1, id);
    return OneAccount(stmt);
  });
}

Result<Account> SqliteStore::FindAccountByName(const std::string& name) {
  return readers_->With([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE name = ?1"));
    stmt.BindText(1, name);
    return OneAccount(stmt);
  });
}

Result<std::vector<Account>> SqliteStore::ListAccounts() {
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

Result<void> SqliteStore::SetPasswordHash(AccountId id, const std::string& password_hash) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE accounts SET password_hash = ?2 WHERE id = ?1"));
    stmt.BindInt(1, id).BindText(2, password_hash);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return NoAccount();
    return Ok();
  });
}

Result<void> SqliteStore::AddApiToken(AccountId id, const std::string& token_hash,
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

Result<AccountId> SqliteStore::FindAccountByTokenHash(const std::string& token_hash) {
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

Result<std::vector<Balance>> SqliteStore::GetBalances(AccountId id) {
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

Result<void> SqliteStore::AdjustBalance(AccountId id, MessageType type, int64_t delta,
                                        const std::string& note, int64_t now_ms) {
  if (!sqlite::ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
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

Result<void> SqliteStore::SetBalanceMode(AccountId id, MessageType type, bool available,
                                         bool unlimited) {
  if (!sqlite::ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
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

Result<int64_t> SqliteStore::LedgerSumForMessage(const std::string& message_id) {
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

Result<void> SqliteStore::SetSender(AccountId id, const std::string& name, SenderStatus status,
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

Result<std::optional<Sender>> SqliteStore::GetSender(AccountId id, const std::string& name) {
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

Result<std::vector<Sender>> SqliteStore::ListSenders(AccountId id) {
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

Result<void> SqliteStore::AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) {
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

Result<bool> SqliteStore::IsBlacklisted(AccountId id, const std::string& phone) {
  return readers_->With([&](Connection& c) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT 1 FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    stmt.BindInt(1, id).BindText(2, phone);
    return stmt.Step();
  });
}

// ---- ids ------------------------------------------------------------------------------

Result<uint64_t> SqliteStore::ReserveIdBlock(uint64_t count) {
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
    uint64_t first = static_cast<uint64_t>(stmt.Int(0));
    BRAMKA_RETURN_IF_ERROR(stmt.Run());  // RETURNING: finish the statement
    return first;
  });
}

}  // namespace bramka::store
