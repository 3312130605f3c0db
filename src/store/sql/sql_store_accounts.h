#pragma once
// SqlStore<B>'s accounts area: subaccounts, API allowlists, sender requests,
// operator messages and signups (docs/adr/0008; SQLite migration 5).
// Included only by the files that instantiate SqlStore (see sql_store.h).

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "store/sql/rows.h"
#include "store/sql/sql_store.h"

namespace bramka::store::sql {

inline Unexpected NoSubaccount() { return Fail(ErrorCode::kNotFound, "no such subaccount"); }

struct TxBalance {
  bool available = false;
  bool unlimited = false;
  int64_t units = 0;
};

template <class Connection>
Result<TxBalance> ReadBalance(Connection& conn, AccountId id, MessageType type) {
  BRAMKA_ASSIGN_OR_RETURN(auto stmt,
                          conn.Prepare("SELECT available, unlimited, units FROM balances "
                                       "WHERE account_id = ?1 AND type = ?2"));
  stmt.BindInt(1, id).BindInt(2, static_cast<int64_t>(type));
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kNotFound, "no such account");
  return TxBalance{stmt.Int(0) != 0, stmt.Int(1) != 0, stmt.Int(2)};
}

template <class Connection>
Result<void> AddUnits(Connection& conn, AccountId id, MessageType type, int64_t delta,
                      const std::string& note, int64_t now_ms) {
  {
    BRAMKA_ASSIGN_OR_RETURN(auto stmt, conn.Prepare("UPDATE balances SET units = units + ?3 "
                                                    "WHERE account_id = ?1 AND type = ?2"));
    stmt.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, delta);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such account");
  }
  BRAMKA_ASSIGN_OR_RETURN(auto ledger,
                          conn.Prepare("INSERT INTO ledger (account_id, type, delta, note, at_ms) "
                                       "VALUES (?1, ?2, ?3, ?4, ?5)"));
  ledger.BindInt(1, id).BindInt(2, static_cast<int64_t>(type)).BindInt(3, delta);
  ledger.BindText(4, note).BindInt(5, now_ms);
  return ledger.Run();
}

// Moves `units` of `type` from the parent to the subaccount (negative: back);
// kRejected (detail type + 1) when the parent's limited balance cannot cover it.
template <class Connection>
Result<void> Transfer(Connection& conn, AccountId parent_id, AccountId sub_id, MessageType type,
                      int64_t units, int64_t now_ms) {
  if (units == 0) return Ok();
  const std::string note = "subaccount " + std::to_string(sub_id);
  BRAMKA_ASSIGN_OR_RETURN(TxBalance parent, ReadBalance(conn, parent_id, type));
  if (!parent.unlimited) {
    if (units > 0 && parent.units < units) {
      return Fail(ErrorCode::kRejected, "the parent's balance is too low",
                  static_cast<int>(type) + 1);
    }
    BRAMKA_RETURN_IF_ERROR(AddUnits(conn, parent_id, type, -units, note, now_ms));
  }
  return AddUnits(conn, sub_id, type, units, note, now_ms);
}

// Ok when `id` is a live subaccount of `parent_id`.
template <class Connection>
Result<void> CheckLiveSubaccount(Connection& conn, AccountId parent_id, AccountId id) {
  if (parent_id == 0) return NoSubaccount();
  BRAMKA_ASSIGN_OR_RETURN(auto stmt,
                          conn.Prepare("SELECT 1 FROM accounts WHERE id = ?1 AND parent_id = ?2 "
                                       "AND deleted_ms = 0"));
  stmt.BindInt(1, id).BindInt(2, parent_id);
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NoSubaccount();
  return Ok();
}

#define BRAMKA_SIGNUP_COLUMNS                                                            \
  "id, requested_by, phone, email, first_name, last_name, company, status, account_id, " \
  "created_ms"

template <class Stmt>
Signup ReadSignup(const Stmt& s) {
  Signup g;
  g.id = s.Int(0);
  g.requested_by = s.Int(1);
  g.phone = s.Text(2);
  g.email = s.Text(3);
  g.first_name = s.Text(4);
  g.last_name = s.Text(5);
  g.company = s.Text(6);
  g.status = static_cast<SignupStatus>(s.Int(7));
  g.account_id = s.Int(8);
  g.created_ms = s.Int(9);
  return g;
}

template <class B>
Result<AccountId> SqlStore<B>::CreateSubaccount(const NewSubaccount& s) {
  for (const Balance& b : s.balances) {
    if (!ValidMessageType(b.type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
    if (b.units < 0) return Fail(ErrorCode::kInvalidArgument, "negative units");
  }
  return Write<AccountId>([&](WriteContext& ctx) -> Result<AccountId> {
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt parent, ctx.conn.Prepare("SELECT 1 FROM accounts WHERE id = ?1 "
                                                            "AND deleted_ms = 0"));
      parent.BindInt(1, s.parent_id);
      BRAMKA_ASSIGN_OR_RETURN(bool found, parent.Step());
      if (!found) return Fail(ErrorCode::kNotFound, "no such parent account");
    }
    const std::string cidrs = JoinCidrList(s.allowed_cidrs);
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt insert,
          ctx.conn.Prepare("INSERT INTO accounts (name, password_hash, parent_id, created_ms, "
                           "full_name, phone, email, allowed_cidrs) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
      insert.BindText(1, s.name).BindText(2, s.password_hash).BindInt(3, s.parent_id);
      insert.BindInt(4, s.now_ms).BindText(5, s.full_name).BindText(6, s.phone);
      insert.BindText(7, s.email).BindText(8, cidrs);
      auto inserted = insert.Run();
      if (!inserted.ok()) {
        if (inserted.error().code == ErrorCode::kAlreadyExists) {
          return Fail(ErrorCode::kAlreadyExists, "account name taken: " + s.name);
        }
        return inserted.take_error();
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(const AccountId id, ctx.conn.LastInsertId());
    std::array<bool, std::size(kAllBalanceTypes)> listed{};
    for (const Balance& b : s.balances) listed[static_cast<size_t>(b.type)] = true;
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt balance,
                              ctx.conn.Prepare("INSERT INTO balances (account_id, type, available) "
                                               "VALUES (?1, ?2, ?3)"));
      for (MessageType t : kAllBalanceTypes) {
        balance.BindInt(1, id).BindInt(2, static_cast<int64_t>(t));
        balance.BindInt(3, listed[static_cast<size_t>(t)] ? 1 : 0);
        BRAMKA_RETURN_IF_ERROR(balance.Run());
      }
    }
    for (const Balance& b : s.balances) {
      BRAMKA_RETURN_IF_ERROR(Transfer(ctx.conn, s.parent_id, id, b.type, b.units, s.now_ms));
    }
    return id;
  });
}

template <class B>
Result<std::vector<Account>> SqlStore<B>::ListSubaccounts(AccountId parent_id) {
  return Read([&](Connection& c) -> Result<std::vector<Account>> {
    std::vector<Account> out;
    if (parent_id == 0) return out;
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS " FROM accounts WHERE parent_id = ?1 "
                             "AND deleted_ms = 0 ORDER BY id"));
    stmt.BindInt(1, parent_id);
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadAccount(stmt));
    }
  });
}

template <class B>
Result<Account> SqlStore<B>::GetSubaccount(AccountId parent_id, AccountId id) {
  return Read([&](Connection& c) -> Result<Account> {
    if (parent_id == 0) return NoSubaccount();
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_ACCOUNT_COLUMNS
                                                 " FROM accounts WHERE id = ?1 AND parent_id = ?2 "
                                                 "AND deleted_ms = 0"));
    stmt.BindInt(1, id).BindInt(2, parent_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return NoSubaccount();
    return ReadAccount(stmt);
  });
}

template <class B>
Result<void> SqlStore<B>::SetSubaccountLimit(AccountId parent_id, AccountId id, MessageType type,
                                             int64_t units, int64_t now_ms) {
  if (!ValidMessageType(type)) return Fail(ErrorCode::kInvalidArgument, "bad message type");
  if (units < 0) return Fail(ErrorCode::kInvalidArgument, "negative units");
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(CheckLiveSubaccount(ctx.conn, parent_id, id));
    BRAMKA_ASSIGN_OR_RETURN(TxBalance sub, ReadBalance(ctx.conn, id, type));
    BRAMKA_RETURN_IF_ERROR(Transfer(ctx.conn, parent_id, id, type, units - sub.units, now_ms));
    BRAMKA_ASSIGN_OR_RETURN(Stmt avail, ctx.conn.Prepare("UPDATE balances SET available = 1 "
                                                         "WHERE account_id = ?1 AND type = ?2"));
    avail.BindInt(1, id).BindInt(2, static_cast<int64_t>(type));
    return avail.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::DeleteSubaccount(AccountId parent_id, AccountId id, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(CheckLiveSubaccount(ctx.conn, parent_id, id));
    for (MessageType t : kAllBalanceTypes) {
      BRAMKA_ASSIGN_OR_RETURN(TxBalance b, ReadBalance(ctx.conn, id, t));
      if (b.units > 0)
        BRAMKA_RETURN_IF_ERROR(Transfer(ctx.conn, parent_id, id, t, -b.units, now_ms));
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE accounts SET deleted_ms = ?2, active = 0 WHERE id = ?1"));
    stmt.BindInt(1, id).BindInt(2, now_ms);
    return stmt.Run();
  });
}

template <class B>
Result<void> SqlStore<B>::SetAllowedCidrs(AccountId id, const std::vector<std::string>& cidrs) {
  const std::string joined = JoinCidrList(cidrs);
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("UPDATE accounts SET allowed_cidrs = ?2 WHERE id = ?1"));
    stmt.BindInt(1, id).BindText(2, joined);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    if (ctx.conn.Changes() == 0) return Fail(ErrorCode::kNotFound, "no such account");
    return Ok();
  });
}

template <class B>
Result<void> SqlStore<B>::AddSender(AccountId id, const std::string& name, int64_t now_ms) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO senders (account_id, name, status, created_ms) "
                                    "VALUES (?1, ?2, ?3, ?4)"));
    stmt.BindInt(1, id).BindText(2, name);
    stmt.BindInt(3, static_cast<int64_t>(SenderStatus::kPending)).BindInt(4, now_ms);
    auto r = stmt.Run();
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "no such account");
    }
    if (!r.ok() && r.error().code == ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kAlreadyExists, "sender name exists: " + name);
    }
    return r;
  });
}

template <class B>
Result<int64_t> SqlStore<B>::AddAccountMessage(AccountId id, const std::string& text,
                                               int64_t now_ms) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("INSERT INTO account_messages (account_id, text, created_ms) "
                                    "VALUES (?1, ?2, ?3)"));
    stmt.BindInt(1, id).BindText(2, text).BindInt(3, now_ms);
    auto r = stmt.Run();
    if (!r.ok() && r.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kNotFound, "no such account");
    }
    BRAMKA_RETURN_IF_ERROR(r);
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<AccountMessage>> SqlStore<B>::TakeAccountMessages(AccountId id, int64_t now_ms) {
  return Write<std::vector<AccountMessage>>([&](WriteContext& ctx)
                                                -> Result<std::vector<AccountMessage>> {
    BRAMKA_RETURN_IF_ERROR(RequireAccount(ctx.conn, id));
    std::vector<AccountMessage> out;
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt, ctx.conn.Prepare("SELECT id, text, created_ms, read_ms FROM "
                                      "account_messages WHERE account_id = ?1 ORDER BY id DESC"));
      stmt.BindInt(1, id);
      while (true) {
        BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        out.push_back(AccountMessage{stmt.Int(0), stmt.Text(1), stmt.Int(2), stmt.Int(3) == 0});
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(Stmt mark, ctx.conn.Prepare("UPDATE account_messages SET read_ms = ?2 "
                                                        "WHERE account_id = ?1 AND read_ms = 0"));
    mark.BindInt(1, id).BindInt(2, now_ms);
    BRAMKA_RETURN_IF_ERROR(mark.Run());
    return out;
  });
}

template <class B>
Result<int64_t> SqlStore<B>::AddSignup(const Signup& g) {
  return Write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("INSERT INTO signups (requested_by, phone, email, first_name, last_name, "
                         "company, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    stmt.BindInt(1, g.requested_by).BindText(2, g.phone).BindText(3, g.email);
    stmt.BindText(4, g.first_name).BindText(5, g.last_name).BindText(6, g.company);
    stmt.BindInt(7, g.created_ms);
    BRAMKA_RETURN_IF_ERROR(stmt.Run());
    return ctx.conn.LastInsertId();
  });
}

template <class B>
Result<std::vector<Signup>> SqlStore<B>::ListSignups() {
  return Read([&](Connection& c) -> Result<std::vector<Signup>> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            c.Prepare("SELECT " BRAMKA_SIGNUP_COLUMNS " FROM signups ORDER BY id"));
    std::vector<Signup> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return out;
      out.push_back(ReadSignup(stmt));
    }
  });
}

template <class B>
Result<void> SqlStore<B>::ResolveSignup(int64_t id, SignupStatus status, AccountId account_id) {
  return Write<void>([&](WriteContext& ctx) -> Result<void> {
    {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                              ctx.conn.Prepare("SELECT status FROM signups WHERE id = ?1"));
      stmt.BindInt(1, id);
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) return Fail(ErrorCode::kNotFound, "no such signup");
      const auto current = static_cast<SignupStatus>(stmt.Int(0));
      if (current != SignupStatus::kPending) {
        return Fail(ErrorCode::kRejected, "signup " + std::to_string(id) + " is already " +
                                              std::string(SignupStatusName(current)));
      }
    }
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt update,
        ctx.conn.Prepare("UPDATE signups SET status = ?2, account_id = ?3 WHERE id = ?1"));
    update.BindInt(1, id).BindInt(2, static_cast<int64_t>(status));
    update.BindInt(3, status == SignupStatus::kApproved ? account_id : 0);
    return update.Run();
  });
}

}  // namespace bramka::store::sql
