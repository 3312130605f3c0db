#pragma once
// SQL fragments of the cluster tables (issue 13, docs/adr/0023), shared by the files of
// PostgresStore that use them.

// The database's clock in Unix milliseconds: every cluster expiry is measured on it.
#define BRAMKA_PG_NOW_MS "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT"

// ClaimDue's filter (owner = ?3): a message whose route hint names a connector leased
// to another node that is alive is left to that node.
#define BRAMKA_PG_ROUTE_HINT_FILTER                                       \
  "AND (route_hint = '' OR NOT EXISTS (SELECT 1 FROM cluster_leases l "   \
  "WHERE l.name = 'connector:' || messages.route_hint AND l.owner <> ?3 " \
  "AND l.until_ms > " BRAMKA_PG_NOW_MS ")) "

// The queued messages leased to ?1 (ReleaseLeases, reaping a dead node). Every lease has
// lease_until_ms > 0 (ClaimDue's ?4 is a time), and that term lets the planner read them
// from messages_leased (docs/adr/0050) rather than the whole table.
#define BRAMKA_PG_LEASED_BY_OWNER "status IN (0, 1) AND lease_until_ms > 0 AND lease_owner = ?1"
