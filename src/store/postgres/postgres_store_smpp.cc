// PostgresStore: SMPP users and the deliver_sm outbox.

#include <algorithm>
#include <string>
#include <utility>

#include "store/postgres/account_row.h"
#include "store/postgres/callbacks_tx.h"
#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/postgres_store.h"

namespace bramka::store {

using postgres::Connection;
using postgres::Stmt;
using postgres::WriteContext;

namespace {

std::string ToHex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

Result<std::string> FromHex(const std::string& hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  if (hex.size() % 2 != 0) return Fail(ErrorCode::kCorrupt, "smpp_outbox.pdu_hex: odd length");
  std::string out(hex.size() / 2, '\0');
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return Fail(ErrorCode::kCorrupt, "smpp_outbox.pdu_hex: not hex");
    out[i] = static_cast<char>(hi << 4 | lo);
  }
  return out;
}

// Rows of (id, smpp_user_id, message_id, pdu_hex, created_ms, inbox_id).
Result<std::vector<SmppOutboxEntry>> ReadOutbox(Stmt& stmt) {
  std::vector<SmppOutboxEntry> out;
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    SmppOutboxEntry e;
    e.id = stmt.Int(0);
    e.smpp_user_id = stmt.Int(1);
    e.message_id = stmt.Text(2);
    BRAMKA_ASSIGN_OR_RETURN(e.pdu, FromHex(stmt.Text(3)));
    e.created_ms = stmt.Int(4);
    e.inbox_id = stmt.Int(5);
    out.push_back(std::move(e));
  }
  return out;
}

#define BRAMKA_SMPP_USER_COLUMNS \
  "id, account_id, system_id, password_hash, allowed_cidrs, max_binds, tps, created_ms"

SmppUser ReadUser(const Stmt& s) {
  SmppUser u;
  u.id = s.Int(0);
  u.account_id = s.Int(1);
  u.system_id = s.Text(2);
  u.password_hash = s.Text(3);
  u.allowed_cidrs = postgres::SplitCidrList(s.Text(4));
  u.max_binds = static_cast<int>(s.Int(5));
  u.tps = static_cast<int>(s.Int(6));
  u.created_ms = s.Int(7);
  return u;
}

}  // namespace

Result<int64_t> PostgresStore::CreateSmppUser(const SmppUser& user) {
  return writer_->Call<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_RETURN_IF_ERROR(postgres::RequireAccount(ctx.conn, user.account_id));
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt insert,
        ctx.conn.Prepare("INSERT INTO smpp_users (account_id, system_id, password_hash, "
                         "allowed_cidrs, max_binds, tps, created_ms) "
                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    const std::string cidrs = postgres::JoinCidrList(user.allowed_cidrs);
    insert.BindInt(1, user.account_id)
        .BindText(2, user.system_id)
        .BindText(3, user.password_hash)
        .BindText(4, cidrs)
        .BindInt(5, user.max_binds)
        .BindInt(6, user.tps)
        .BindInt(7, user.created_ms);
    auto inserted = insert.Run();
    if (!inserted.ok()) {
      if (inserted.error().code == ErrorCode::kAlreadyExists) {
        return Fail(ErrorCode::kAlreadyExists, "SMPP system_id taken: " + user.system_id);
      }
      return inserted.take_error();
    }
    return ctx.conn.LastInsertId();
  });
}

Result<SmppUser> PostgresStore::FindSmppUser(const std::string& system_id) {
  return readers_->With([&](Connection& c) -> Result<SmppUser> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, c.Prepare("SELECT " BRAMKA_SMPP_USER_COLUMNS
                                                 " FROM smpp_users WHERE system_id = ?1"));
    stmt.BindText(1, system_id);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return Fail(ErrorCode::kNotFound, "unknown system_id");
    return ReadUser(stmt);
  });
}

Result<std::vector<SmppUser>> PostgresStore::ListSmppUsers() {
  return readers_->With([&](Connection& c) -> Result<std::vector<SmppUser>> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT " BRAMKA_SMPP_USER_COLUMNS " FROM smpp_users ORDER BY id"));
    std::vector<SmppUser> out;
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      out.push_back(ReadUser(stmt));
    }
    return out;
  });
}

Result<void> postgres::QueueSmppReceiptInTx(Connection& c, int64_t seq, int64_t now_ms) {
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                          c.Prepare("INSERT INTO smpp_outbox (smpp_user_id, message_id, pdu_hex, "
                                    "created_ms) SELECT smpp_user_id, id, '', ?2 FROM messages "
                                    "WHERE seq = ?1 AND smpp_user_id <> 0 AND "
                                    "smpp_registered_delivery <> 0"));
  stmt.BindInt(1, seq).BindInt(2, now_ms);
  return stmt.Run();
}

Result<void> postgres::QueueSmppMoInTx(Connection& c, const InboxMessage& m) {
  BRAMKA_ASSIGN_OR_RETURN(
      Stmt stmt, c.Prepare("INSERT INTO smpp_outbox (smpp_user_id, message_id, inbox_id, pdu_hex, "
                           "created_ms) SELECT id, '', ?2, '', ?3 FROM smpp_users "
                           "WHERE account_id = ?1 ORDER BY id"));
  stmt.BindInt(1, m.account_id).BindInt(2, m.id).BindInt(3, m.received_ms);
  return stmt.Run();
}

Result<int64_t> PostgresStore::AddSmppOutbox(const SmppOutboxEntry& entry) {
  return writer_->Call<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt insert,
                            ctx.conn.Prepare("INSERT INTO smpp_outbox (smpp_user_id, message_id, "
                                             "pdu_hex, created_ms, inbox_id) "
                                             "VALUES (?1, ?2, ?3, ?4, ?5)"));
    const std::string hex = ToHex(entry.pdu);
    insert.BindInt(1, entry.smpp_user_id)
        .BindText(2, entry.message_id)
        .BindText(3, hex)
        .BindInt(4, entry.created_ms)
        .BindInt(5, entry.inbox_id);
    BRAMKA_RETURN_IF_ERROR(insert.Run());
    return ctx.conn.LastInsertId();
  });
}

Result<std::vector<SmppOutboxEntry>> PostgresStore::ListSmppOutbox(int64_t smpp_user_id,
                                                                   int limit) {
  return readers_->With([&](Connection& c) -> Result<std::vector<SmppOutboxEntry>> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, c.Prepare("SELECT id, smpp_user_id, message_id, pdu_hex, created_ms, inbox_id "
                             "FROM smpp_outbox WHERE smpp_user_id = ?1 ORDER BY id LIMIT ?2"));
    stmt.BindInt(1, smpp_user_id).BindInt(2, limit);
    return ReadOutbox(stmt);
  });
}

Result<void> PostgresStore::DeleteSmppOutbox(int64_t entry_id) {
  return writer_->Call<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(Stmt del, ctx.conn.Prepare("DELETE FROM smpp_outbox WHERE id = ?1"));
    del.BindInt(1, entry_id);
    return del.Run();
  });
}

// ---- cluster: SMPP outbox entries leased to the node delivering them (ADR 0023) ----

Result<std::vector<SmppOutboxEntry>> PostgresStore::ClaimSmppOutbox(int64_t smpp_user_id, int limit,
                                                                    int64_t now_ms) {
  const int64_t n = limit < 0 ? int64_t{1} << 40 : limit;
  return writer_->CallReadCommitted<std::vector<SmppOutboxEntry>>(
      [&](WriteContext& ctx) -> Result<std::vector<SmppOutboxEntry>> {
        BRAMKA_ASSIGN_OR_RETURN(
            Stmt stmt, ctx.conn.Prepare(
                           "UPDATE smpp_outbox o SET lease_owner = ?3, lease_until_ms = ?4 FROM ("
                           "SELECT id FROM smpp_outbox WHERE smpp_user_id = ?1 "
                           "AND (lease_owner = ?3 OR lease_owner = '' OR lease_until_ms <= ?5) "
                           "ORDER BY id LIMIT ?2 FOR UPDATE SKIP LOCKED) d WHERE o.id = d.id "
                           "RETURNING o.id, o.smpp_user_id, o.message_id, o.pdu_hex, o.created_ms, "
                           "o.inbox_id"));
        stmt.BindInt(1, smpp_user_id)
            .BindInt(2, n)
            .BindText(3, node_id_)
            .BindInt(4, now_ms + outbox_lease_ms_)
            .BindInt(5, now_ms);
        BRAMKA_ASSIGN_OR_RETURN(std::vector<SmppOutboxEntry> out, ReadOutbox(stmt));
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
        return out;
      });
}

}  // namespace bramka::store
