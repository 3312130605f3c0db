// PostgresStore: several bramka nodes on one database (issue 13, docs/adr/0023) —
// node heartbeats, named leases (a connector's binds), reaping dead nodes, handing
// messages over to the node that holds their connector (ClaimSmppOutbox is in
// postgres_store_smpp.cc).
//
// Everything here runs in READ COMMITTED: each statement is an atomic upsert, delete or
// `FOR UPDATE SKIP LOCKED` claim, so nodes never wait for each other's transactions and
// there are no serialization failures to retry.

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/cluster_sql.h"
#include "store/postgres/connection.h"
#include "store/postgres/pool.h"
#include "store/postgres/postgres_store.h"

namespace bramka::store {

using postgres::Connection;
using postgres::Stmt;
using postgres::WriteContext;

namespace {

Result<int64_t> DatabaseNow(Connection& conn) {
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn.Prepare("SELECT " BRAMKA_PG_NOW_MS));
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return Fail(ErrorCode::kInternal, "no clock from the database");
  return stmt.Int(0);
}

}  // namespace

// ---- messages handed to the node that holds their connector --------------------------

Result<void> PostgresStore::HandOverMessages(const std::vector<std::string>& message_ids,
                                             const std::string& connector, int64_t now_ms) {
  if (message_ids.empty()) return Ok();
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("UPDATE messages SET status = 1, lease_owner = '', lease_until_ms = 0, "
                         "due_ms = ?2, attempts = GREATEST(attempts - 1, 0), route_hint = ?3 "
                         "WHERE seq = ?1 AND status IN (0, 1)"));
    for (const std::string& id : message_ids) {
      std::optional<int64_t> seq = SeqOf(id);
      if (!seq) continue;
      stmt.BindInt(1, *seq).BindInt(2, now_ms).BindText(3, connector);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
      stmt.Reset();
    }
    return Ok();
  });
}

// ---- nodes and leases -----------------------------------------------------------------

namespace {

// The live nodes and unexpired leases as of `view.now_ms` (set by the caller).
Result<void> ReadView(Connection& conn, int64_t node_timeout_ms, ClusterView& view) {
  {
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                            conn.Prepare("SELECT id, info, started_ms, heartbeat_ms FROM "
                                         "cluster_nodes WHERE heartbeat_ms >= ?1 ORDER BY id"));
    stmt.BindInt(1, view.now_ms - node_timeout_ms);
    while (true) {
      BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      view.nodes.push_back({stmt.Text(0), stmt.Text(1), stmt.Int(2), stmt.Int(3)});
    }
  }
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt,
                          conn.Prepare("SELECT name, owner, until_ms, ready FROM cluster_leases "
                                       "WHERE until_ms > ?1 ORDER BY name"));
  stmt.BindInt(1, view.now_ms);
  while (true) {
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    view.leases.push_back({stmt.Text(0), stmt.Text(1), stmt.Int(2), stmt.Int(3) != 0});
  }
  return Ok();
}

}  // namespace

Result<ClusterView> PostgresStore::Heartbeat(const std::string& node, const std::string& info,
                                             int64_t node_timeout_ms) {
  return writer_->CallReadCommitted<ClusterView>([&](WriteContext& ctx) -> Result<ClusterView> {
    ClusterView view;
    BRAMKA_ASSIGN_OR_RETURN(view.now_ms, DatabaseNow(ctx.conn));
    {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt,
          ctx.conn.Prepare("INSERT INTO cluster_nodes (id, info, started_ms, heartbeat_ms) "
                           "VALUES (?1, ?2, ?3, ?3) ON CONFLICT (id) DO UPDATE SET "
                           "heartbeat_ms = EXCLUDED.heartbeat_ms, info = EXCLUDED.info"));
      stmt.BindText(1, node).BindText(2, info).BindInt(3, view.now_ms);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    BRAMKA_RETURN_IF_ERROR(ReadView(ctx.conn, node_timeout_ms, view));
    return view;
  });
}

Result<ClusterView> PostgresStore::ReadClusterView(int64_t node_timeout_ms) {
  return writer_->CallReadCommitted<ClusterView>([&](WriteContext& ctx) -> Result<ClusterView> {
    ClusterView view;
    BRAMKA_ASSIGN_OR_RETURN(view.now_ms, DatabaseNow(ctx.conn));
    BRAMKA_RETURN_IF_ERROR(ReadView(ctx.conn, node_timeout_ms, view));
    return view;
  });
}

Result<bool> PostgresStore::AcquireLease(const std::string& name, const std::string& node,
                                         int64_t lease_ms, bool ready) {
  return writer_->CallReadCommitted<bool>([&](WriteContext& ctx) -> Result<bool> {
    // One atomic upsert: a free name is inserted, an expired or own lease taken over
    // or renewed; someone else's live lease is left alone (no row returned).
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt,
        ctx.conn.Prepare("INSERT INTO cluster_leases (name, owner, until_ms, ready) VALUES "
                         "(?1, ?2, " BRAMKA_PG_NOW_MS " + ?3, ?4) ON CONFLICT (name) DO UPDATE "
                         "SET owner = EXCLUDED.owner, until_ms = EXCLUDED.until_ms, "
                         "ready = EXCLUDED.ready WHERE cluster_leases.owner = EXCLUDED.owner "
                         "OR cluster_leases.until_ms <= " BRAMKA_PG_NOW_MS " RETURNING owner"));
    stmt.BindText(1, name).BindText(2, node).BindInt(3, lease_ms).BindInt(4, ready ? 1 : 0);
    BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
    return row;
  });
}

Result<void> PostgresStore::ReleaseLease(const std::string& name, const std::string& node) {
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(
        Stmt stmt, ctx.conn.Prepare("DELETE FROM cluster_leases WHERE name = ?1 AND owner = ?2"));
    stmt.BindText(1, name).BindText(2, node);
    return stmt.Run();
  });
}

Result<std::vector<std::string>> PostgresStore::ReapDeadNodes(const std::string& self,
                                                              int64_t node_timeout_ms) {
  std::vector<std::string> candidates;
  {
    auto listed = readers_->With([&](Connection& c) -> Result<std::vector<std::string>> {
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt stmt,
          c.Prepare(
              "SELECT id FROM cluster_nodes WHERE id <> ?1 AND heartbeat_ms < " BRAMKA_PG_NOW_MS
              " - ?2 ORDER BY id"));
      stmt.BindText(1, self).BindInt(2, node_timeout_ms);
      std::vector<std::string> ids;
      while (true) {
        BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
        if (!row) break;
        ids.push_back(stmt.Text(0));
      }
      return ids;
    });
    if (!listed.ok()) return listed.take_error();
    candidates = std::move(*listed);
  }
  std::vector<std::string> reaped;
  for (const std::string& dead : candidates) {
    auto done = writer_->CallReadCommitted<bool>([&](WriteContext& ctx) -> Result<bool> {
      // The row's delete is the claim: of two reapers, the second finds it gone.
      BRAMKA_ASSIGN_OR_RETURN(
          Stmt gone, ctx.conn.Prepare("DELETE FROM cluster_nodes WHERE id = ?1 AND "
                                      "heartbeat_ms < " BRAMKA_PG_NOW_MS " - ?2 RETURNING id"));
      gone.BindText(1, dead).BindInt(2, node_timeout_ms);
      BRAMKA_ASSIGN_OR_RETURN(bool row, gone.Step());
      if (!row) return false;
      for (const char* sql :
           {"UPDATE messages SET lease_owner = '', lease_until_ms = 0 "
            "WHERE " BRAMKA_PG_LEASED_BY_OWNER,
            "UPDATE callback_outbox SET lease_owner = '', next_attempt_ms = "
            "LEAST(next_attempt_ms, " BRAMKA_PG_NOW_MS ") WHERE state = 0 AND lease_owner = ?1",
            "UPDATE smpp_outbox SET lease_owner = '', lease_until_ms = 0 WHERE lease_owner = ?1",
            "DELETE FROM cluster_leases WHERE owner = ?1"}) {
        BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare(sql));
        stmt.BindText(1, dead);
        BRAMKA_RETURN_IF_ERROR(stmt.Run());
      }
      return true;
    });
    if (!done.ok()) return done.take_error();
    if (*done) reaped.push_back(dead);
  }
  return reaped;
}

Result<void> PostgresStore::LeaveCluster(const std::string& node) {
  return writer_->CallReadCommitted<void>([&](WriteContext& ctx) -> Result<void> {
    for (const char* sql : {"DELETE FROM cluster_leases WHERE owner = ?1",
                            "UPDATE smpp_outbox SET lease_owner = '', lease_until_ms = 0 "
                            "WHERE lease_owner = ?1",
                            "DELETE FROM cluster_nodes WHERE id = ?1"}) {
      BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, ctx.conn.Prepare(sql));
      stmt.BindText(1, node);
      BRAMKA_RETURN_IF_ERROR(stmt.Run());
    }
    return Ok();
  });
}

}  // namespace bramka::store
