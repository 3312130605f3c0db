#pragma once
// s7-writer (docs/adr/0036): the accept charge of a message is written on its own
// messages row (accept_units, accept_ledger) and in ONE ledger row per account, type and
// accept transaction (SQLite: per writer batch; PostgreSQL: per request), instead of one
// ledger row per message. Definitions shared by both SQL engines.
//
// The ledger stays the account's complete balance history: the SUM of an account's
// ledger deltas of a type still moves exactly as its balance does. What moved is the
// per-message detail of an accept: the ledger row (note 'accept', message_seq NULL) says
// how much a batch charged, and each message of it names that row in accept_ledger with
// its own share in accept_units (immutable after the INSERT, unlike charged_units, which
// refunds and replacements change). So
//
//   ledger.delta = -SUM(messages.accept_units WHERE accept_ledger = ledger.id)
//
// for every such row (kAcceptLedgerMismatches finds the rows where it does not hold), and
// a message's ledger sum is -accept_units plus its own ledger rows (refunds, replacements
// and, for messages accepted before this change, the per-message accept row: those have
// accept_units = 0, so nothing counts twice).

// Migration (SQLite 23, PostgreSQL 8). 0 = no batch row: messages accepted before the
// migration (their accept is a per-message ledger row) and messages charged nothing.
// Not indexed: an index entry per message is what this change saves; the audit query
// below is a scan, run rarely.
#define BRAMKA_ACCEPT_LEDGER_MIGRATION                                        \
  "ALTER TABLE messages ADD COLUMN accept_units BIGINT NOT NULL DEFAULT 0;\n" \
  "ALTER TABLE messages ADD COLUMN accept_ledger BIGINT NOT NULL DEFAULT 0;\n"

namespace bramka::store::sql {

// Store::LedgerSumForMessage: ?1 = seq, ?2 = message id.
inline constexpr char kLedgerSumForMessage[] =
    "SELECT COALESCE((SELECT -accept_units FROM messages WHERE seq = ?1 AND id = ?2), 0) + "
    "COALESCE((SELECT SUM(delta) FROM ledger WHERE message_seq = ?1 AND message_id = ?2), 0)";

// For audits (docs/adr/0036): every accept batch row of the ledger whose delta is not
// minus the sum of its messages' accept_units, and every message share whose row is
// missing, as (ledger id, ledger delta, sum of accept_units). No rows: consistent.
#define BRAMKA_ACCEPT_SHARES                                               \
  "(SELECT accept_ledger AS id, SUM(accept_units) AS units FROM messages " \
  "WHERE accept_ledger <> 0 GROUP BY accept_ledger)"
inline constexpr char kAcceptLedgerMismatches[] =
    "SELECT l.id, l.delta, COALESCE(s.units, 0) FROM ledger l LEFT JOIN " BRAMKA_ACCEPT_SHARES
    " s ON s.id = l.id WHERE l.note = 'accept' AND l.message_seq IS NULL "
    "AND l.delta <> -COALESCE(s.units, 0) "
    "UNION ALL SELECT s.id, 0, s.units FROM " BRAMKA_ACCEPT_SHARES
    " s WHERE NOT EXISTS (SELECT 1 FROM ledger l WHERE l.id = s.id)";

}  // namespace bramka::store::sql
