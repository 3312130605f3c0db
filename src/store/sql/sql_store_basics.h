#pragma once
// SqlStore<B>'s first tables: accounts, API tokens, balances and their ledger,
// sender names, the blacklist (schema v1). Included only by the files that
// instantiate SqlStore (see sql_store.h).

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/accept_ledger.h"  // s7-writer (docs/adr/0036)
#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

template <class Stmt>
Result<Account> OneAccount(Stmt& stmt) {
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "no such account");
  return ReadAccount(stmt);
}

inline Error NoAccount() { return MakeError(ErrorCode::kNotFound, "no such account"); }

template <class B>
Result<AccountId> SqlStore<B>::CreateAccount(const std::string& name,
                                             const std::string& password_hash, AccountId parent_id,
                                             int64_t now_ms) {
  return Write<AccountId>([&](WriteContext& ctx) -> Result<AccountId> {
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

template <class B>
Result<Account> SqlStore<B>::GetAccount(AccountId id) {
  return Read([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1"));
    stmt.BindInt(1, id);
    return OneAccount(stmt);
  });
}

template <class B>
Result<Account> SqlStore<B>::FindAccountByName(const std::string& name) {
  return Read([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE name = ?1"));
    stmt.BindText(1, name);
    return OneAccount(stmt);
  });
}

template <class B>
Result<std::vector<Account>> SqlStore<B>::ListAccounts() {
  return Read([&](Connection& c) -> Result<std::vector<Account>> {
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

template <class B>
Result<void> SqlStore<B>::SetPasswordHash(AccountId id, const std::string& password_hash) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE accounts SET password_hash = ?2 WHERE id = ?1"));
    stmt.BindInt(1, id).BindText(2, password_hash);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return NoAccount();
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::AddApiToken(AccountId id, const std::string& token_hash,
                                      const std::string& label, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
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

template <class B>
Result<AccountId> SqlStore<B>::FindAccountByTokenHash(const std::string& token_hash) {
  return Read([&](Connection& c) -> Result<AccountId> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT account_id FROM api_tokens WHERE token_hash = ?1"));
    stmt.BindText(1, token_hash);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "unknown token");
    return stmt.Int(0);
  });
}

// ingest (docs/adr/0030): the token's account in one statement (one reader checkout and
// one read transaction instead of two on every API request with a Bearer token).
template <class B>
Result<Account> SqlStore<B>::FindAccountByToken(const std::string& token_hash) {
  return Read([&](Connection& c) -> Result<Account> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE id = "
                                      "(SELECT account_id FROM api_tokens WHERE token_hash = ?1)"));
    stmt.BindText(1, token_hash);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "unknown token");
    return ReadAccount(stmt);
  });
}

// ---- balances ---------------------------------------------------------------------

template <class B>
Result<std::vector<Balance>> SqlStore<B>::GetBalances(AccountId id) {
  return Read([&](Connection& c) -> Result<std::vector<Balance>> {
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

template <class B>
Result<void> SqlStore<B>::AdjustBalance(AccountId id, MessageType type, int64_t delta,
                                        const std::string& note, int64_t now_ms) {
  if (!ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
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

template <class B>
Result<void> SqlStore<B>::SetBalanceMode(AccountId id, MessageType type, bool available,
                                         bool unlimited) {
  if (!ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
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

template <class B>
Result<int64_t> SqlStore<B>::LedgerSumForMessage(const std::string& message_id) {
  std::optional<int64_t> seq = SeqOf(message_id);
  if (!seq) return 0;
  return Read([&](Connection& c) -> Result<int64_t> {
    // The accept charge on the message row plus the message's own ledger rows
    // (store/accept_ledger.h, docs/adr/0036).
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare(kLedgerSumForMessage));
    stmt.BindInt(1, *seq).BindText(2, message_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row ? stmt.Int(0) : 0;
  });
}

// ---- senders and blacklist ------------------------------------------------------------

template <class B>
Result<void> SqlStore<B>::SetSender(AccountId id, const std::string& name, SenderStatus status,
                                    int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
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

template <class B>
Result<std::optional<Sender>> SqlStore<B>::GetSender(AccountId id, const std::string& name) {
  return Read([&](Connection& c) -> Result<std::optional<Sender>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT name, status, created_ms FROM senders "
                                                 "WHERE account_id = ?1 AND name = ?2"));
    stmt.BindInt(1, id).BindText(2, name);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return std::optional<Sender>();
    return std::optional<Sender>(
        Sender{stmt.Text(0), static_cast<SenderStatus>(stmt.Int(1)), stmt.Int(2)});
  });
}

template <class B>
Result<std::vector<Sender>> SqlStore<B>::ListSenders(AccountId id) {
  return Read([&](Connection& c) -> Result<std::vector<Sender>> {
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

template <class B>
Result<void> SqlStore<B>::AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO blacklist (account_id, phone, created_ms) "
                                    "VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING"));
    stmt.BindInt(1, id).BindText(2, phone).BindInt(3, now_ms);
    auto r = stmt.Run();
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) return NoAccount();
    return r;
  });
}

template <class B>
Result<bool> SqlStore<B>::IsBlacklisted(AccountId id, const std::string& phone) {
  return Read([&](Connection& c) -> Result<bool> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT 1 FROM blacklist WHERE account_id = ?1 AND phone = ?2"));
    stmt.BindInt(1, id).BindText(2, phone);
    return stmt.Step();
  });
}

// ---- ids ------------------------------------------------------------------------------

}  // namespace bramka::store::sql
