#include "store/postgres/migrations.h"

#include <string>

#include "store/accept_ledger.h"  // s7-writer (docs/adr/0036)
#include "store/delivery_indexes.h"
#include "store/message_counts.h"  // reportcount (docs/adr/0061)
#include "store/reply_sender.h"

namespace bramka::store::postgres {
namespace {

// Version 1 is SQLite schema 14 (store/sqlite/migrations.cc 1-11 and 14) in PostgreSQL's
// types: INTEGER -> BIGINT (every integer, flags included, so that one bound
// int8 fits every column), AUTOINCREMENT ids -> BIGSERIAL, BLOB -> BYTEA, and
// every TEXT in the "C" collation so that ORDER BY name sorts bytes as SQLite
// does, whatever the database's locale. sql_sources.user is user_name (USER is
// reserved). Statuses and types are the integer values of store::MessageStatus
// and store::MessageType; times are Unix ms.
constexpr Migration kMigrations[] = {
    {1, "initial schema (SQLite migrations 1-11, 14)", R"sql(
-- SQLite's instr(), used by the address book's searches.
CREATE FUNCTION instr(haystack TEXT, needle TEXT) RETURNS BIGINT
  LANGUAGE sql IMMUTABLE STRICT AS 'SELECT strpos(haystack, needle)::BIGINT';
-- The message-id sequence (ReserveIdBlock) lives in meta.next_id_sequence.
CREATE TABLE meta (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('next_id_sequence', 1);
CREATE TABLE accounts (
  id            BIGSERIAL PRIMARY KEY,
  name          TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash TEXT COLLATE "C" NOT NULL,
  parent_id     BIGINT NOT NULL DEFAULT 0,
  active        BIGINT NOT NULL DEFAULT 1,
  created_ms    BIGINT NOT NULL
, full_name TEXT COLLATE "C" NOT NULL DEFAULT '', phone TEXT COLLATE "C" NOT NULL DEFAULT '', email TEXT COLLATE "C" NOT NULL DEFAULT '', allowed_cidrs TEXT COLLATE "C" NOT NULL DEFAULT '', deleted_ms BIGINT NOT NULL DEFAULT 0);
CREATE TABLE api_tokens (
  token_hash TEXT COLLATE "C" PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  label      TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX api_tokens_account ON api_tokens (account_id);
CREATE TABLE balances (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  type       BIGINT NOT NULL,
  available  BIGINT NOT NULL DEFAULT 1,
  unlimited  BIGINT NOT NULL DEFAULT 0,
  units      BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, type)
);
CREATE TABLE ledger (
  id         BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  type       BIGINT NOT NULL,
  delta       BIGINT NOT NULL,
  message_seq BIGINT,  -- messages.seq; NULL for top-ups and corrections
  message_id  TEXT COLLATE "C",
  note        TEXT COLLATE "C" NOT NULL,
  at_ms       BIGINT NOT NULL
);
CREATE INDEX ledger_message ON ledger (message_seq) WHERE message_seq IS NOT NULL;
CREATE TABLE senders (
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  name       TEXT COLLATE "C" NOT NULL,
  status     BIGINT NOT NULL,
  created_ms BIGINT NOT NULL,
  PRIMARY KEY (account_id, name)
);
CREATE TABLE messages (
  seq            BIGINT PRIMARY KEY,
  id             TEXT COLLATE "C" NOT NULL,
  account_id     BIGINT NOT NULL REFERENCES accounts (id),
  phone          TEXT COLLATE "C" NOT NULL,
  sender         TEXT COLLATE "C" NOT NULL,
  type           BIGINT NOT NULL,
  text           TEXT COLLATE "C" NOT NULL,
  unicode        BIGINT NOT NULL,
  flash          BIGINT NOT NULL,
  speed          BIGINT NOT NULL,
  parts          BIGINT NOT NULL,
  cost_units     BIGINT NOT NULL,
  charged_units  BIGINT NOT NULL,  -- taken from the balance, not yet refunded
  status         BIGINT NOT NULL,
  reason         TEXT COLLATE "C" NOT NULL DEFAULT '',
  unique_id      TEXT COLLATE "C" NOT NULL,
  stat_id        BIGINT NOT NULL,
  source         TEXT COLLATE "C" NOT NULL,
  dlr_url        TEXT COLLATE "C" NOT NULL,
  queued_ms      BIGINT NOT NULL,
  due_ms         BIGINT NOT NULL,
  sent_ms        BIGINT NOT NULL DEFAULT 0,
  done_ms        BIGINT NOT NULL DEFAULT 0,
  attempts       BIGINT NOT NULL DEFAULT 0,
  connector      TEXT COLLATE "C" NOT NULL DEFAULT '',
  upstream_id    TEXT COLLATE "C" NOT NULL DEFAULT '',
  lease_owner    TEXT COLLATE "C" NOT NULL DEFAULT '',
  lease_until_ms BIGINT NOT NULL DEFAULT 0,
  last_error     TEXT COLLATE "C" NOT NULL DEFAULT ''
, smpp_user_id BIGINT NOT NULL DEFAULT 0, smpp_registered_delivery BIGINT NOT NULL DEFAULT 0, attachments TEXT COLLATE "C" NOT NULL DEFAULT '');
CREATE INDEX messages_claim ON messages (due_ms, seq, lease_until_ms) WHERE status IN (0, 1);
CREATE INDEX messages_upstream ON messages (connector, upstream_id) WHERE upstream_id <> '';
CREATE UNIQUE INDEX messages_unique_id ON messages (account_id, unique_id)
  WHERE unique_id <> '' AND status <> 6;
CREATE INDEX messages_account_queued ON messages (account_id, queued_ms);
CREATE INDEX messages_sent_via ON messages (connector, sent_ms) WHERE status = 2;
CREATE TABLE smpp_users (
  id            BIGSERIAL PRIMARY KEY,
  account_id    BIGINT NOT NULL REFERENCES accounts (id),
  system_id     TEXT COLLATE "C" NOT NULL UNIQUE,
  password_hash TEXT COLLATE "C" NOT NULL,
  allowed_cidrs TEXT COLLATE "C" NOT NULL,  -- comma-separated; '' = any address
  max_binds     BIGINT NOT NULL,
  tps           BIGINT NOT NULL,
  created_ms    BIGINT NOT NULL
);
CREATE TABLE smpp_outbox (
  id           BIGSERIAL PRIMARY KEY,
  smpp_user_id BIGINT NOT NULL,
  message_id   TEXT COLLATE "C" NOT NULL,
  pdu_hex      TEXT COLLATE "C" NOT NULL,
  created_ms   BIGINT NOT NULL
, inbox_id BIGINT NOT NULL DEFAULT 0);
CREATE INDEX smpp_outbox_user ON smpp_outbox (smpp_user_id, id);
CREATE TABLE address_groups (
  id         BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  name       TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX address_groups_account ON address_groups (account_id, id);
CREATE TABLE contacts (
  id          BIGSERIAL PRIMARY KEY,
  account_id  BIGINT NOT NULL REFERENCES accounts (id),
  phone       TEXT COLLATE "C" NOT NULL,
  email       TEXT COLLATE "C" NOT NULL,
  company     TEXT COLLATE "C" NOT NULL,
  first_name  TEXT COLLATE "C" NOT NULL,
  last_name   TEXT COLLATE "C" NOT NULL,
  tax_id      TEXT COLLATE "C" NOT NULL,
  address     TEXT COLLATE "C" NOT NULL,
  city        TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  created_ms  BIGINT NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id, id);
CREATE INDEX contacts_phone ON contacts (account_id, phone);
CREATE TABLE contact_memberships (
  group_id   BIGINT NOT NULL REFERENCES address_groups (id) ON DELETE CASCADE,
  contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX contact_memberships_contact ON contact_memberships (contact_id, group_id);
CREATE TABLE templates (
  id         BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  name       TEXT COLLATE "C" NOT NULL,
  text       TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX templates_account ON templates (account_id, id);
CREATE TABLE blacklist (
  id         BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  phone      TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL,
  UNIQUE (account_id, phone)
);
CREATE TABLE account_callbacks (
  account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
  dlr_url    TEXT COLLATE "C" NOT NULL DEFAULT '',
  mo_url     TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE TABLE callback_outbox (
  id              BIGSERIAL PRIMARY KEY,
  account_id      BIGINT NOT NULL,
  kind            BIGINT NOT NULL,
  url_template    TEXT COLLATE "C" NOT NULL,
  message_id      TEXT COLLATE "C" NOT NULL,
  unique_id       TEXT COLLATE "C" NOT NULL,
  phone           TEXT COLLATE "C" NOT NULL,
  sender          TEXT COLLATE "C" NOT NULL,
  status          TEXT COLLATE "C" NOT NULL,
  reason          TEXT COLLATE "C" NOT NULL,
  text            TEXT COLLATE "C" NOT NULL,
  event_ms        BIGINT NOT NULL,
  created_ms      BIGINT NOT NULL,
  state           BIGINT NOT NULL DEFAULT 0,
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_ms BIGINT NOT NULL,
  lease_owner     TEXT COLLATE "C" NOT NULL DEFAULT '',
  last_error      TEXT COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX callback_outbox_due ON callback_outbox (next_attempt_ms, id) WHERE state = 0;
CREATE INDEX callback_outbox_account ON callback_outbox (account_id, id);
CREATE INDEX accounts_parent ON accounts (parent_id, id) WHERE parent_id <> 0;
CREATE TABLE account_messages (
  id         BIGSERIAL PRIMARY KEY,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  text       TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL,
  read_ms    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX account_messages_account ON account_messages (account_id, id);
CREATE TABLE signups (
  id           BIGSERIAL PRIMARY KEY,
  requested_by BIGINT NOT NULL,
  phone        TEXT COLLATE "C" NOT NULL,
  email        TEXT COLLATE "C" NOT NULL,
  first_name   TEXT COLLATE "C" NOT NULL,
  last_name    TEXT COLLATE "C" NOT NULL,
  company      TEXT COLLATE "C" NOT NULL,
  status       BIGINT NOT NULL DEFAULT 0,
  account_id   BIGINT NOT NULL DEFAULT 0,
  created_ms   BIGINT NOT NULL
);
CREATE TABLE media_files (
  id         TEXT COLLATE "C" NOT NULL UNIQUE,  -- 10 lowercase hex characters
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  type       BIGINT NOT NULL,      -- store::MessageType: 2 voice, 3 mms
  name       TEXT COLLATE "C" NOT NULL,
  content_type TEXT COLLATE "C" NOT NULL,
  size       BIGINT NOT NULL,
  data       BYTEA NOT NULL,
  created_ms BIGINT NOT NULL
);
CREATE INDEX media_files_account ON media_files (account_id, created_ms);
CREATE TABLE payments (
  id           BIGSERIAL PRIMARY KEY,
  account_id   BIGINT NOT NULL REFERENCES accounts (id),
  period       TEXT COLLATE "C" NOT NULL,
  seq          BIGINT NOT NULL,
  number       TEXT COLLATE "C" NOT NULL UNIQUE,
  type         BIGINT NOT NULL,
  units        BIGINT NOT NULL,
  net_grosze   BIGINT NOT NULL,
  vat_percent  BIGINT NOT NULL,
  total_grosze BIGINT NOT NULL,
  paid_grosze  BIGINT NOT NULL,
  issued_ms    BIGINT NOT NULL,
  due_ms       BIGINT NOT NULL,
  paid_ms      BIGINT NOT NULL,
  note         TEXT COLLATE "C" NOT NULL,
  UNIQUE (period, seq)
);
CREATE INDEX payments_account ON payments (account_id, id);
CREATE TABLE inbound_numbers (
  id           BIGSERIAL PRIMARY KEY,
  account_id   BIGINT NOT NULL,  -- 0 for pool numbers
  kind         BIGINT NOT NULL,  -- store::InboundKind
  number       TEXT COLLATE "C" NOT NULL,
  keyword      TEXT COLLATE "C" NOT NULL,     -- upper case; '' = the whole number
  price_grosze BIGINT NOT NULL,
  answer_limit BIGINT NOT NULL,
  created_ms   BIGINT NOT NULL,
  UNIQUE (number, keyword)
);
CREATE TABLE inbox (
  id           BIGSERIAL PRIMARY KEY,
  account_id   BIGINT NOT NULL,  -- 0 = the operator inbox (unmatched)
  type         TEXT COLLATE "C" NOT NULL,
  phone        TEXT COLLATE "C" NOT NULL,
  to_number    TEXT COLLATE "C" NOT NULL,
  keyword      TEXT COLLATE "C" NOT NULL,
  text         TEXT COLLATE "C" NOT NULL,
  message_id   TEXT COLLATE "C" NOT NULL,
  number_id    BIGINT NOT NULL,
  answers_left BIGINT NOT NULL,
  read         BIGINT NOT NULL DEFAULT 0,
  received_ms  BIGINT NOT NULL,
  connector    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX inbox_account ON inbox (account_id, id);
CREATE TABLE quizzes (
  id          BIGSERIAL PRIMARY KEY,
  account_id  BIGINT NOT NULL REFERENCES accounts (id),
  name        TEXT COLLATE "C" NOT NULL,
  number      TEXT COLLATE "C" NOT NULL,
  keyword     TEXT COLLATE "C" NOT NULL,
  options     TEXT COLLATE "C" NOT NULL,  -- '\n'-separated
  created_ms  BIGINT NOT NULL
);
CREATE TABLE injected_mo (
  id          BIGSERIAL PRIMARY KEY,
  from_number TEXT COLLATE "C" NOT NULL,
  to_number   TEXT COLLATE "C" NOT NULL,
  text        TEXT COLLATE "C" NOT NULL,
  created_ms  BIGINT NOT NULL
);
CREATE TABLE incoming_parts (
  key         TEXT COLLATE "C" NOT NULL,
  number      BIGINT NOT NULL,
  total       BIGINT NOT NULL,
  connector   TEXT COLLATE "C" NOT NULL,
  from_number TEXT COLLATE "C" NOT NULL,
  to_number   TEXT COLLATE "C" NOT NULL,
  text        TEXT COLLATE "C" NOT NULL,
  received_ms BIGINT NOT NULL,
  PRIMARY KEY (key, number)
);
CREATE INDEX messages_reply ON messages (phone, sender, queued_ms);
CREATE TABLE ftp_sources (
  id              BIGSERIAL PRIMARY KEY,
  account_id      BIGINT NOT NULL REFERENCES accounts (id),
  host            TEXT COLLATE "C" NOT NULL,
  port            BIGINT NOT NULL,
  username        TEXT COLLATE "C" NOT NULL,
  password_sealed TEXT COLLATE "C" NOT NULL,
  directory       TEXT COLLATE "C" NOT NULL,
  tls             BIGINT NOT NULL,
  ca_file         TEXT COLLATE "C" NOT NULL,
  interval_s      BIGINT NOT NULL,
  text            TEXT COLLATE "C" NOT NULL,
  sender          TEXT COLLATE "C" NOT NULL,
  after           BIGINT NOT NULL,
  move_dir        TEXT COLLATE "C" NOT NULL,
  created_ms      BIGINT NOT NULL,
  last_poll_ms    BIGINT NOT NULL DEFAULT 0,
  last_error      TEXT COLLATE "C" NOT NULL DEFAULT '',
  files_processed BIGINT NOT NULL DEFAULT 0,
  lines_processed BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX ftp_sources_account ON ftp_sources (account_id, id);
CREATE TABLE ftp_files (
  source_id  BIGINT NOT NULL,
  name       TEXT COLLATE "C" NOT NULL,
  done       BIGINT NOT NULL DEFAULT 0,
  started_ms BIGINT NOT NULL,
  PRIMARY KEY (source_id, name)
);
CREATE TABLE ftp_lines (
  source_id  BIGINT NOT NULL,
  name       TEXT COLLATE "C" NOT NULL,
  line       BIGINT NOT NULL,
  col        BIGINT NOT NULL,
  phone      TEXT COLLATE "C" NOT NULL,
  message_id TEXT COLLATE "C" NOT NULL,
  error      TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (source_id, name, line, col)
);
CREATE TABLE sql_sources (
  id           BIGSERIAL PRIMARY KEY,
  account_id   BIGINT NOT NULL REFERENCES accounts (id),
  engine       TEXT COLLATE "C" NOT NULL,
  host         TEXT COLLATE "C" NOT NULL,
  port         BIGINT NOT NULL,
  database     TEXT COLLATE "C" NOT NULL,
  user_name    TEXT COLLATE "C" NOT NULL,
  password_enc TEXT COLLATE "C" NOT NULL,
  tls          TEXT COLLATE "C" NOT NULL,
  structure    TEXT COLLATE "C" NOT NULL,
  columns      TEXT COLLATE "C" NOT NULL,
  interval_s   BIGINT NOT NULL,
  created_ms   BIGINT NOT NULL,
  state        TEXT COLLATE "C" NOT NULL DEFAULT 'new',
  last_error   TEXT COLLATE "C" NOT NULL DEFAULT '',
  last_ok_ms   BIGINT NOT NULL DEFAULT 0,
  failures     BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX sql_sources_account ON sql_sources (account_id, id);
CREATE TABLE sql_claims (
  source_id           BIGINT NOT NULL,
  row_id              BIGINT NOT NULL,
  message_seq         BIGINT NOT NULL,
  message_id          TEXT COLLATE "C" NOT NULL,
  parts               BIGINT NOT NULL,
  invalid_code        BIGINT NOT NULL,
  invalid_description TEXT COLLATE "C" NOT NULL,
  claimed_ms          BIGINT NOT NULL,
  reported            BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, row_id)
);
CREATE INDEX sql_claims_pending ON sql_claims (source_id, reported, row_id);
CREATE TABLE sql_mo_outbox (
  id          BIGSERIAL PRIMARY KEY,
  source_id   BIGINT NOT NULL,
  account_id  BIGINT NOT NULL,
  message_id  TEXT COLLATE "C" NOT NULL,
  phone_from  TEXT COLLATE "C" NOT NULL,
  phone_to    TEXT COLLATE "C" NOT NULL,
  text        TEXT COLLATE "C" NOT NULL,
  received_ms BIGINT NOT NULL,
  UNIQUE (source_id, message_id)
);
CREATE INDEX messages_cancelled ON messages (account_id, queued_ms) WHERE status = 6;
)sql"},
    // ---- web panel (src/panel, docs/adr/0017; SQLite migration 12) ----
    {2, "web panel: sessions and settings", R"sql(
CREATE TABLE panel_sessions (
  id_hash    TEXT COLLATE "C" PRIMARY KEY,
  account_id BIGINT NOT NULL,
  csrf_token TEXT COLLATE "C" NOT NULL,
  created_ms BIGINT NOT NULL,
  expires_ms BIGINT NOT NULL
);
CREATE INDEX panel_sessions_expiry ON panel_sessions (expires_ms);
CREATE TABLE panel_settings (
  key   TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);
)sql"},
    // ---- cluster: several nodes on one database (issue 13, docs/adr/0023) ----
    {3, "cluster: nodes, named leases, route hints, SMPP outbox leases", R"sql(
CREATE TABLE cluster_nodes (
  id           TEXT COLLATE "C" PRIMARY KEY,
  info         TEXT COLLATE "C" NOT NULL DEFAULT '',
  started_ms   BIGINT NOT NULL,
  heartbeat_ms BIGINT NOT NULL
);
CREATE TABLE cluster_leases (
  name     TEXT COLLATE "C" PRIMARY KEY,
  owner    TEXT COLLATE "C" NOT NULL,
  until_ms BIGINT NOT NULL,
  ready    BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX cluster_leases_owner ON cluster_leases (owner);
ALTER TABLE messages ADD COLUMN route_hint TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE smpp_outbox ADD COLUMN lease_owner TEXT COLLATE "C" NOT NULL DEFAULT '',
                        ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
)sql"},
    // ---- parts (docs/adr/0028; SQLite migration 19) ----
    {4, "parts of long messages: every part's upstream id and status", R"sql(
CREATE TABLE message_parts (
  message_seq BIGINT NOT NULL,
  part        BIGINT NOT NULL,
  connector   TEXT COLLATE "C" NOT NULL,
  upstream_id TEXT COLLATE "C" NOT NULL,
  status      BIGINT NOT NULL DEFAULT 2,
  reason      TEXT COLLATE "C" NOT NULL DEFAULT '',
  done_ms     BIGINT NOT NULL DEFAULT 0,
  sent_ms     BIGINT NOT NULL,
  PRIMARY KEY (message_seq, part)
);
CREATE INDEX message_parts_upstream ON message_parts (connector, upstream_id);
CREATE INDEX message_parts_sent ON message_parts (sent_ms);
)sql"},
    // ---- s5-writer (docs/adr/0029) ----
    {5, "messages_reply: only messages whose sender is a number", BRAMKA_REPLY_INDEX_MIGRATION},
    // ---- s6-delivery (docs/adr/0033) ----
    {7, "messages_sent_via dropped: ListSentVia reads messages_upstream",
     BRAMKA_DELIVERY_INDEX_MIGRATION},
    // ---- s7-writer (docs/adr/0036) ----
    {8, "accept charges on the message row, one ledger row per batch",
     BRAMKA_ACCEPT_LEDGER_MIGRATION},
    // ---- s10-pg (docs/adr/0050; SQLite's migration 26, docs/adr/0046) ----
    {9, "messages_claim without leased messages; messages_leased for expired leases", R"sql(
-- ClaimDue: due messages that nobody holds, in (due time, acceptance) order. A claimed
-- message leaves this index while it is leased (in flight), so a claim no longer walks
-- past every message still being sent.
DROP INDEX messages_claim;
CREATE INDEX messages_claim ON messages (due_ms, seq) WHERE status IN (0, 1) AND lease_until_ms = 0;
-- ClaimDue: leases that ran out (their node died), by expiry; ReleaseLeases and the
-- reaper: the leased messages of one node.
CREATE INDEX messages_leased ON messages (lease_until_ms, seq)
  WHERE status IN (0, 1) AND lease_until_ms > 0;
)sql"},
    {10, "messages_account_queued ends with seq, the reports' tie-breaker", R"sql(
-- QueryMessages orders an account's messages by (queued_ms, seq) (ADR 0054): with seq in
-- the index a page after a 100,000-recipient request (one queued_ms) reads its rows in
-- index order instead of sorting all 100,000. The counts use the same index.
CREATE INDEX messages_account_queued_seq ON messages (account_id, queued_ms, seq);
DROP INDEX messages_account_queued;
)sql"},
    // ---- reportcount (docs/adr/0061; SQLite's migration 27) ----
    {11, "reports: message rows counted per account and hour",
     BRAMKA_MESSAGE_COUNTS_MIGRATION(
         "",
         "CREATE FUNCTION message_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$\n"
         "BEGIN\n"
         "  UPDATE message_counts SET n = n - 1\n"
         "  WHERE account_id = OLD.account_id AND hour = OLD.queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT
         ";\n"
         "  IF TG_OP = 'UPDATE' THEN\n"
         "    INSERT INTO message_counts (account_id, hour, n)\n"
         "    VALUES (NEW.account_id, NEW.queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT ", 1)\n"
         "    ON CONFLICT (account_id, hour) DO UPDATE SET n = message_counts.n + 1;\n"
         "  END IF;\n"
         "  RETURN NULL;\n"
         "END $$;\n"
         "CREATE TRIGGER message_counts_delete AFTER DELETE ON messages\n"
         "  FOR EACH ROW EXECUTE FUNCTION message_counts_remove();\n"
         "CREATE TRIGGER message_counts_move AFTER UPDATE OF account_id, queued_ms ON messages\n"
         "  FOR EACH ROW EXECUTE FUNCTION message_counts_remove();\n")},
};

constexpr long long kMigrationLock = 0x6272616d6b61;  // pg_advisory_xact_lock key

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> SchemaVersion(Connection& conn) {
  BRAMKA_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)"));
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn.Prepare("SELECT MAX(version) FROM schema_version"));
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  int version = row ? static_cast<int>(stmt.Int(0)) : 0;
  stmt.Reset();
  return version;
}

Result<void> Migrate(Connection& conn) { return MigrateTo(conn, LatestSchemaVersion()); }

Result<void> MigrateTo(Connection& conn, int target_version) {
  BRAMKA_RETURN_IF_ERROR(conn.Exec("BEGIN"));
  auto result = [&]() -> Result<void> {
    BRAMKA_RETURN_IF_ERROR(
        conn.Exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")"));
    BRAMKA_ASSIGN_OR_RETURN(int version, SchemaVersion(conn));
    if (version > LatestSchemaVersion()) {
      return Fail(ErrorCode::kCorrupt, "database schema version " + std::to_string(version) +
                                           " is newer than this bramka supports (" +
                                           std::to_string(LatestSchemaVersion()) +
                                           "); run the newer bramka or restore a backup");
    }
    const int found = version;
    for (const Migration& m : kMigrations) {
      if (m.version <= version || m.version > target_version) continue;
      auto applied = conn.Exec(m.sql);
      if (!applied.ok()) {
        Error e = applied.take_error();
        e.message = "migration " + std::to_string(m.version) + " (" + m.summary + "): " + e.message;
        return e;
      }
      version = m.version;
    }
    if (version == found) return Ok();
    BRAMKA_RETURN_IF_ERROR(conn.Exec("DELETE FROM schema_version"));
    return conn.Exec("INSERT INTO schema_version VALUES (" + std::to_string(version) + ")");
  }();
  if (!result.ok()) {
    if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    return result;
  }
  return conn.Exec("COMMIT");
}

}  // namespace bramka::store::postgres
