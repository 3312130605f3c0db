#pragma once
// PostgresStore::ClaimDue's statement (s10-pg, docs/adr/0050), here so that its test can
// EXPLAIN the very text the store runs.

#include "store/postgres/cluster_sql.h"
#include "store/sql/message_row.h"

// One arm of ClaimDue's read: up to ?2 due messages no other transaction holds (SKIP
// LOCKED: nodes never wait for each other), locked in (due time, acceptance) order from
// one partial index; LEASE_TERMS repeat that index's condition (migration 9) so that the
// planner can use it.
#define BRAMKA_PG_CLAIM_ARM(LEASE_TERMS)                                              \
  "SELECT seq, due_ms FROM (SELECT seq, due_ms FROM messages WHERE status IN (0, 1) " \
  "AND " LEASE_TERMS " AND due_ms <= ?1 " BRAMKA_PG_ROUTE_HINT_FILTER                 \
  "ORDER BY due_ms, seq LIMIT ?2 FOR UPDATE SKIP LOCKED) arm"

namespace bramka::store::postgres {

// ?1 now, ?2 limit, ?3 owner, ?4 lease until. The messages nobody holds come from
// messages_claim, those whose lease ran out (their node died) from messages_leased
// (usually none); the first ?2 of both by (due_ms, seq) are leased, attempts + 1. A
// message claimed and not yet sent is in neither arm's range, so a claim no longer walks
// past every message in flight (before, messages_claim held them all, the lease being its
// third column). FOR UPDATE is not allowed on a UNION, hence one per arm; rows an arm
// locked that the outer LIMIT drops (only while leases have run out) stay locked until the
// statement's transaction ends, a moment later, and other nodes skip them meanwhile.
// RETURNING has no order: the caller sorts.
inline constexpr char kClaimDue[] =
    "UPDATE messages m SET status = 1, lease_owner = ?3, lease_until_ms = ?4, "
    "attempts = m.attempts + 1 FROM (" BRAMKA_PG_CLAIM_ARM("lease_until_ms = 0")
    " UNION ALL " BRAMKA_PG_CLAIM_ARM("lease_until_ms > 0 AND lease_until_ms <= ?1")
    " ORDER BY due_ms, seq LIMIT ?2) d WHERE m.seq = d.seq "
    "RETURNING m.seq, " BRAMKA_MESSAGE_COLUMNS_OF_M;

}  // namespace bramka::store::postgres

#undef BRAMKA_PG_CLAIM_ARM
