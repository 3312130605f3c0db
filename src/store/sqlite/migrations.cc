#include "store/sqlite/migrations.h"

#include <filesystem>
#include <string>

#include "store/accept_ledger.h"  // s7-writer (docs/adr/0036)
#include "store/delivery_indexes.h"
#include "store/message_counts.h"  // reportcount (docs/adr/0061)
#include "store/reply_sender.h"

namespace bramka::store::sqlite {
namespace {

// The tables and columns, defined once. Statuses and types are the integer
// values of store::MessageStatus and store::MessageType; times are Unix ms.
constexpr Migration kMigrations[] = {
    {1, "initial schema", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
-- The message-id sequence (ReserveIdBlock).
INSERT INTO meta (key, value) VALUES ('next_id_sequence', 1);

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  name          TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  parent_id     INTEGER NOT NULL DEFAULT 0,
  active        INTEGER NOT NULL DEFAULT 1,
  created_ms    INTEGER NOT NULL
);

CREATE TABLE api_tokens (
  token_hash TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  label      TEXT NOT NULL,
  created_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX api_tokens_account ON api_tokens (account_id);

CREATE TABLE balances (
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  type       INTEGER NOT NULL,
  available  INTEGER NOT NULL DEFAULT 1,
  unlimited  INTEGER NOT NULL DEFAULT 0,
  units      INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (account_id, type)
) WITHOUT ROWID;

-- Every balance change, in the same transaction as the change (store.h rule 5).
CREATE TABLE ledger (
  id         INTEGER PRIMARY KEY,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  type       INTEGER NOT NULL,
  delta       INTEGER NOT NULL,
  message_seq INTEGER,  -- messages.seq; NULL for top-ups and corrections
  message_id  TEXT,
  note        TEXT NOT NULL,
  at_ms       INTEGER NOT NULL
);
-- By sequence, not by id: new charges append to this index instead of
-- touching a random page each.
CREATE INDEX ledger_message ON ledger (message_seq) WHERE message_seq IS NOT NULL;

CREATE TABLE senders (
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  status     INTEGER NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, name)
) WITHOUT ROWID;

CREATE TABLE blacklist (
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  phone      TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  PRIMARY KEY (account_id, phone)
) WITHOUT ROWID;

-- seq (the rowid) is the message-id sequence number, the inverse of the
-- MessageIdCodec permutation of `id` (common/ids.h). Sequences come from
-- ReserveIdBlock in increasing order, so inserts append to the table and no
-- index over the random-looking ids is needed: the bijection makes seq
-- unique exactly when id is, and a lookup by id is a rowid lookup.
CREATE TABLE messages (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL,
  account_id     INTEGER NOT NULL REFERENCES accounts (id),
  phone          TEXT NOT NULL,
  sender         TEXT NOT NULL,
  type           INTEGER NOT NULL,
  text           TEXT NOT NULL,
  unicode        INTEGER NOT NULL,
  flash          INTEGER NOT NULL,
  speed          INTEGER NOT NULL,
  parts          INTEGER NOT NULL,
  cost_units     INTEGER NOT NULL,
  charged_units  INTEGER NOT NULL,  -- taken from the balance, not yet refunded
  status         INTEGER NOT NULL,
  reason         TEXT NOT NULL DEFAULT '',
  unique_id      TEXT NOT NULL,
  stat_id        INTEGER NOT NULL,
  source         TEXT NOT NULL,
  dlr_url        TEXT NOT NULL,
  queued_ms      INTEGER NOT NULL,
  due_ms         INTEGER NOT NULL,
  sent_ms        INTEGER NOT NULL DEFAULT 0,
  done_ms        INTEGER NOT NULL DEFAULT 0,
  attempts       INTEGER NOT NULL DEFAULT 0,
  connector      TEXT NOT NULL DEFAULT '',
  upstream_id    TEXT NOT NULL DEFAULT '',
  lease_owner    TEXT NOT NULL DEFAULT '',
  lease_until_ms INTEGER NOT NULL DEFAULT 0,
  last_error     TEXT NOT NULL DEFAULT ''
);
-- ClaimDue: saved/queued messages in (due time, acceptance) order with the
-- lease beside it, so leased rows are skipped inside the index. Partial, so
-- sent and final messages cost nothing here.
CREATE INDEX messages_claim ON messages (due_ms, seq, lease_until_ms) WHERE status IN (0, 1);
-- ApplyReceipt: (connector, upstream id).
CREATE INDEX messages_upstream ON messages (connector, upstream_id) WHERE upstream_id <> '';
-- unique_id of live messages: at most one per account (cancelled ones free it).
CREATE UNIQUE INDEX messages_unique_id ON messages (account_id, unique_id)
  WHERE unique_id <> '' AND status <> 6;
-- Reports: an account's messages by queued time.
CREATE INDEX messages_account_queued ON messages (account_id, queued_ms);
-- ListSentVia: messages waiting for a receipt, per connector.
CREATE INDEX messages_sent_via ON messages (connector, sent_ms) WHERE status = 2;
)sql"},
    {2, "SMPP users, deliver_sm outbox, SMPP origin of messages", R"sql(
CREATE TABLE smpp_users (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id    INTEGER NOT NULL REFERENCES accounts (id),
  system_id     TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  allowed_cidrs TEXT NOT NULL,  -- comma-separated; '' = any address
  max_binds     INTEGER NOT NULL,
  tps           INTEGER NOT NULL,
  created_ms    INTEGER NOT NULL
);

-- deliver_sm PDUs (hex) waiting for a bind and a deliver_sm_resp, in id order.
CREATE TABLE smpp_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  smpp_user_id INTEGER NOT NULL,
  message_id   TEXT NOT NULL,
  pdu_hex      TEXT NOT NULL,
  created_ms   INTEGER NOT NULL
);
CREATE INDEX smpp_outbox_user ON smpp_outbox (smpp_user_id, id);

ALTER TABLE messages ADD COLUMN smpp_user_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN smpp_registered_delivery INTEGER NOT NULL DEFAULT 0;
)sql"},
    // ---- address book (issue 3): groups, contacts, templates, blacklist ids ----
    {3, "address book: groups, contacts, templates; blacklist entries get ids", R"sql(
CREATE TABLE address_groups (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX address_groups_account ON address_groups (account_id, id);

CREATE TABLE contacts (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  phone       TEXT NOT NULL,
  email       TEXT NOT NULL,
  company     TEXT NOT NULL,
  first_name  TEXT NOT NULL,
  last_name   TEXT NOT NULL,
  tax_id      TEXT NOT NULL,
  address     TEXT NOT NULL,
  city        TEXT NOT NULL,
  description TEXT NOT NULL,
  created_ms  INTEGER NOT NULL
);
CREATE INDEX contacts_account ON contacts (account_id, id);
-- groups/check and the blacklist flag: an account's contacts by number.
CREATE INDEX contacts_phone ON contacts (account_id, phone);

-- A contact may be in several groups (contacts/add takes a group_id list).
CREATE TABLE contact_memberships (
  group_id   INTEGER NOT NULL REFERENCES address_groups (id) ON DELETE CASCADE,
  contact_id INTEGER NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, contact_id)
) WITHOUT ROWID;
CREATE INDEX contact_memberships_contact ON contact_memberships (contact_id, group_id);

CREATE TABLE templates (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  name       TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX templates_account ON templates (account_id, id);

-- blacklist/add answers an integer id (spec §4.18): the table gets one,
-- keeping every listed number (ids in the order they were added).
CREATE TABLE blacklist_entries (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  phone      TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  UNIQUE (account_id, phone)
);
INSERT INTO blacklist_entries (account_id, phone, created_ms)
  SELECT account_id, phone, created_ms FROM blacklist ORDER BY created_ms, account_id, phone;
DROP TABLE blacklist;
ALTER TABLE blacklist_entries RENAME TO blacklist;
)sql"},
    // ---- callbacks (webhooks out; ADR 0007) ----
    {4, "callback URL templates per account, durable callback outbox", R"sql(
CREATE TABLE account_callbacks (
  account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
  dlr_url    TEXT NOT NULL DEFAULT '',
  mo_url     TEXT NOT NULL DEFAULT ''
);

-- HTTP callbacks to make (store.h "callbacks"): a snapshot of the facts the
-- URL template needs, queued in the transaction that changed the status.
-- kind: store::CallbackKind; state: store::CallbackState. A leased entry has
-- lease_owner set and next_attempt_ms = the end of its lease.
CREATE TABLE callback_outbox (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      INTEGER NOT NULL,
  kind            INTEGER NOT NULL,
  url_template    TEXT NOT NULL,
  message_id      TEXT NOT NULL,
  unique_id       TEXT NOT NULL,
  phone           TEXT NOT NULL,
  sender          TEXT NOT NULL,
  status          TEXT NOT NULL,
  reason          TEXT NOT NULL,
  text            TEXT NOT NULL,
  event_ms        INTEGER NOT NULL,
  created_ms      INTEGER NOT NULL,
  state           INTEGER NOT NULL DEFAULT 0,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER NOT NULL,
  lease_owner     TEXT NOT NULL DEFAULT '',
  last_error      TEXT NOT NULL DEFAULT ''
);
-- ClaimCallbacks: pending entries by due time.
CREATE INDEX callback_outbox_due ON callback_outbox (next_attempt_ms, id) WHERE state = 0;
CREATE INDEX callback_outbox_account ON callback_outbox (account_id, id);
)sql"},
    // ---- accounts area (docs/adr/0008) ----
    {5, "accounts: subaccount contact data, API allowlists, deletion; operator messages; signups",
     R"sql(
ALTER TABLE accounts ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN allowed_cidrs TEXT NOT NULL DEFAULT '';  -- comma-separated; '' = any
ALTER TABLE accounts ADD COLUMN deleted_ms INTEGER NOT NULL DEFAULT 0;   -- deleted subaccount
CREATE INDEX accounts_parent ON accounts (parent_id, id) WHERE parent_id <> 0;

-- Operator messages to an account (account/messages); read_ms 0 = new.
CREATE TABLE account_messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  text       TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  read_ms    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX account_messages_account ON account_messages (account_id, id);

-- account/add requests waiting for the operator (status: store::SignupStatus).
CREATE TABLE signups (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  requested_by INTEGER NOT NULL,
  phone        TEXT NOT NULL,
  email        TEXT NOT NULL,
  first_name   TEXT NOT NULL,
  last_name    TEXT NOT NULL,
  company      TEXT NOT NULL,
  status       INTEGER NOT NULL DEFAULT 0,
  account_id   INTEGER NOT NULL DEFAULT 0,
  created_ms   INTEGER NOT NULL
);
)sql"},
    // ---- media (files/*, send_mms, send_voice with a file; ADR 0009) ----
    {6, "media files, message attachments", R"sql(
-- MMS and voice files with their bytes (ADR 0009: in the store, not in files
-- beside it, so that every node of a shared database sees them). A rowid table
-- (not WITHOUT ROWID): the blobs stay out of the id index.
CREATE TABLE media_files (
  id         TEXT NOT NULL UNIQUE,  -- 10 lowercase hex characters
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  type       INTEGER NOT NULL,      -- store::MessageType: 2 voice, 3 mms
  name       TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size       INTEGER NOT NULL,
  data       BLOB NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE INDEX media_files_account ON media_files (account_id, created_ms);

-- The media files a message carries: ids joined with ',' ('' for SMS).
ALTER TABLE messages ADD COLUMN attachments TEXT NOT NULL DEFAULT '';
)sql"},
    {7, "payments: top-up invoices", R"sql(
-- One row per invoice; `seq` numbers the invoices of a period ("MM/YYYY") from 1,
-- and `number` is "FV <seq>/<period>". Money in grosze.
CREATE TABLE payments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id   INTEGER NOT NULL REFERENCES accounts (id),
  period       TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  number       TEXT NOT NULL UNIQUE,
  type         INTEGER NOT NULL,
  units        INTEGER NOT NULL,
  net_grosze   INTEGER NOT NULL,
  vat_percent  INTEGER NOT NULL,
  total_grosze INTEGER NOT NULL,
  paid_grosze  INTEGER NOT NULL,
  issued_ms    INTEGER NOT NULL,
  due_ms       INTEGER NOT NULL,
  paid_ms      INTEGER NOT NULL,
  note         TEXT NOT NULL,
  UNIQUE (period, seq)
);
CREATE INDEX payments_account ON payments (account_id, id);
)sql"},
    {8, "inbound: numbering plan, inbox, quizzes, injected MO, reply lookup", R"sql(
CREATE TABLE inbound_numbers (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id   INTEGER NOT NULL,  -- 0 for pool numbers
  kind         INTEGER NOT NULL,  -- store::InboundKind
  number       TEXT NOT NULL,
  keyword      TEXT NOT NULL,     -- upper case; '' = the whole number
  price_grosze INTEGER NOT NULL,
  answer_limit INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  UNIQUE (number, keyword)
);
CREATE TABLE inbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id   INTEGER NOT NULL,  -- 0 = the operator inbox (unmatched)
  type         TEXT NOT NULL,
  phone        TEXT NOT NULL,
  to_number    TEXT NOT NULL,
  keyword      TEXT NOT NULL,
  text         TEXT NOT NULL,
  message_id   TEXT NOT NULL,
  number_id    INTEGER NOT NULL,
  answers_left INTEGER NOT NULL,
  read         INTEGER NOT NULL DEFAULT 0,
  received_ms  INTEGER NOT NULL,
  connector    TEXT NOT NULL
);
CREATE INDEX inbox_account ON inbox (account_id, id);
CREATE TABLE quizzes (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id  INTEGER NOT NULL REFERENCES accounts (id),
  name        TEXT NOT NULL,
  number      TEXT NOT NULL,
  keyword     TEXT NOT NULL,
  options     TEXT NOT NULL,  -- '\n'-separated
  created_ms  INTEGER NOT NULL
);
CREATE TABLE injected_mo (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  from_number TEXT NOT NULL,
  to_number   TEXT NOT NULL,
  text        TEXT NOT NULL,
  created_ms  INTEGER NOT NULL
);
CREATE TABLE incoming_parts (
  key         TEXT NOT NULL,
  number      INTEGER NOT NULL,
  total       INTEGER NOT NULL,
  connector   TEXT NOT NULL,
  from_number TEXT NOT NULL,
  to_number   TEXT NOT NULL,
  text        TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  PRIMARY KEY (key, number)
);
-- FindReplyTarget: the latest message to a phone from a pool number.
CREATE INDEX messages_reply ON messages (phone, sender, queued_ms);
)sql"},
    {9, "SMS via FTP: sources, file and line progress", R"sql(
-- A customer's FTP directory (ADR 0012); the password is sealed, never plain.
CREATE TABLE ftp_sources (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  account_id      INTEGER NOT NULL REFERENCES accounts (id),
  host            TEXT NOT NULL,
  port            INTEGER NOT NULL,
  username        TEXT NOT NULL,
  password_sealed TEXT NOT NULL,
  directory       TEXT NOT NULL,
  tls             INTEGER NOT NULL,
  ca_file         TEXT NOT NULL,
  interval_s      INTEGER NOT NULL,
  text            TEXT NOT NULL,
  sender          TEXT NOT NULL,
  after           INTEGER NOT NULL,
  move_dir        TEXT NOT NULL,
  created_ms      INTEGER NOT NULL,
  last_poll_ms    INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT NOT NULL DEFAULT '',
  files_processed INTEGER NOT NULL DEFAULT 0,
  lines_processed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ftp_sources_account ON ftp_sources (account_id, id);
-- A file name of a source is processed once (spec §8); done = its result is written.
CREATE TABLE ftp_files (
  source_id  INTEGER NOT NULL,
  name       TEXT NOT NULL,
  done       INTEGER NOT NULL DEFAULT 0,
  started_ms INTEGER NOT NULL,
  PRIMARY KEY (source_id, name)
) WITHOUT ROWID;
-- What became of each line, recorded after the message is committed and before
-- anything is written back: a restart resumes after the last recorded line.
CREATE TABLE ftp_lines (
  source_id  INTEGER NOT NULL,
  name       TEXT NOT NULL,
  line       INTEGER NOT NULL,
  col        INTEGER NOT NULL,
  phone      TEXT NOT NULL,
  message_id TEXT NOT NULL,
  error      TEXT NOT NULL,
  PRIMARY KEY (source_id, name, line, col)
) WITHOUT ROWID;
)sql"},
    // ---- SQL API sources (src/ingest/sql, docs/adr/0013) ----
    {10, "SQL API: sources, MT row claims, MO queue", R"sql(
CREATE TABLE sql_sources (
  id           INTEGER PRIMARY KEY,
  account_id   INTEGER NOT NULL REFERENCES accounts (id),
  engine       TEXT NOT NULL,
  host         TEXT NOT NULL,
  port         INTEGER NOT NULL,
  database     TEXT NOT NULL,
  user         TEXT NOT NULL,
  password_enc TEXT NOT NULL,
  tls          TEXT NOT NULL,
  structure    TEXT NOT NULL,
  columns      TEXT NOT NULL,
  interval_s   INTEGER NOT NULL,
  created_ms   INTEGER NOT NULL,
  state        TEXT NOT NULL DEFAULT 'new',
  last_error   TEXT NOT NULL DEFAULT '',
  last_ok_ms   INTEGER NOT NULL DEFAULT 0,
  failures     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sql_sources_account ON sql_sources (account_id, id);
CREATE TABLE sql_claims (
  source_id           INTEGER NOT NULL,
  row_id              INTEGER NOT NULL,
  message_seq         INTEGER NOT NULL,
  message_id          TEXT NOT NULL,
  parts               INTEGER NOT NULL,
  invalid_code        INTEGER NOT NULL,
  invalid_description TEXT NOT NULL,
  claimed_ms          INTEGER NOT NULL,
  reported            INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, row_id)
) WITHOUT ROWID;
CREATE INDEX sql_claims_pending ON sql_claims (source_id, reported, row_id);
CREATE TABLE sql_mo_outbox (
  id          INTEGER PRIMARY KEY,
  source_id   INTEGER NOT NULL,
  account_id  INTEGER NOT NULL,
  message_id  TEXT NOT NULL,
  phone_from  TEXT NOT NULL,
  phone_to    TEXT NOT NULL,
  text        TEXT NOT NULL,
  received_ms INTEGER NOT NULL,
  UNIQUE (source_id, message_id)
);
)sql"},
    {11, "reports: cancelled messages indexed apart", R"sql(
-- QueryMessages counts an account's messages from messages_account_queued alone and
-- subtracts the cancelled ones found here, instead of reading every row's status.
-- Only cancelling touches it: the delivery path does not pay for it.
CREATE INDEX messages_cancelled ON messages (account_id, queued_ms) WHERE status = 6;
)sql"},
    // ---- web panel (src/panel, docs/adr/0017) ----
    {12, "web panel: sessions and settings", R"sql(
CREATE TABLE panel_sessions (
  id_hash    TEXT PRIMARY KEY,
  account_id INTEGER NOT NULL,
  csrf_token TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  expires_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX panel_sessions_expiry ON panel_sessions (expires_ms);
CREATE TABLE panel_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql"},
    {14, "SMPP outbox: entries queued with the change they report", R"sql(
-- The store queues receipts and incoming messages for SMPP users in the transaction
-- that records them, with an empty pdu_hex; the SMPP server builds the deliver_sm
-- from the message (message_id) or from the inbox row (inbox_id) when it sends it.
ALTER TABLE smpp_outbox ADD COLUMN inbox_id INTEGER NOT NULL DEFAULT 0;
)sql"},
    {18, "SQL API sources: the user column named as in PostgreSQL", R"sql(
-- One SQL text for both engines (store/sql, docs/adr/0027): `user` is reserved in
-- PostgreSQL, whose schema calls the column user_name.
ALTER TABLE sql_sources RENAME COLUMN user TO user_name;
)sql"},
    // ---- parts (docs/adr/0028) ----
    {19, "parts of long messages: every part's upstream id and status", R"sql(
-- Written with the message's kSent (MarkSentBatch); a part's receipt sets its status
-- (3 delivered, 4 undelivered; 2 until then) and decides the message (store/sql/
-- message_parts_tx.h). Rows older than Store::kMessagePartsKeepMs are deleted.
CREATE TABLE message_parts (
  message_seq INTEGER NOT NULL,
  part        INTEGER NOT NULL,
  connector   TEXT NOT NULL,
  upstream_id TEXT NOT NULL,
  status      INTEGER NOT NULL DEFAULT 2,
  reason      TEXT NOT NULL DEFAULT '',
  done_ms     INTEGER NOT NULL DEFAULT 0,
  sent_ms     INTEGER NOT NULL,
  PRIMARY KEY (message_seq, part)
) WITHOUT ROWID;
CREATE INDEX message_parts_upstream ON message_parts (connector, upstream_id);
CREATE INDEX message_parts_sent ON message_parts (sent_ms);
)sql"},
    // ---- s5-writer (docs/adr/0029) ----
    {20, "messages_reply: only messages whose sender is a number", BRAMKA_REPLY_INDEX_MIGRATION},
    // ---- s6-delivery (docs/adr/0033) ----
    {22, "messages_sent_via dropped: ListSentVia reads messages_upstream",
     BRAMKA_DELIVERY_INDEX_MIGRATION},
    // ---- s7-writer (docs/adr/0036) ----
    {23, "accept charges on the message row, one ledger row per batch",
     BRAMKA_ACCEPT_LEDGER_MIGRATION},
    // ---- s9-writer (docs/adr/0046) ----
    {26, "messages_claim without leased messages; messages_leased for expired leases", R"sql(
-- ClaimDue: due messages that nobody holds, in (due time, acceptance) order. A claimed
-- message leaves this index while it is leased (in flight), so a claim no longer walks
-- past every message still being sent.
DROP INDEX messages_claim;
CREATE INDEX messages_claim ON messages (due_ms, seq) WHERE status IN (0, 1) AND lease_until_ms = 0;
-- ClaimDue: leases that ran out (their owner died), by expiry.
CREATE INDEX messages_leased ON messages (lease_until_ms, seq)
  WHERE status IN (0, 1) AND lease_until_ms > 0;
)sql"},
    // ---- reportcount (docs/adr/0061) ----
    {27, "reports: message rows counted per account and hour",
     BRAMKA_MESSAGE_COUNTS_MIGRATION(
         "WITHOUT ROWID",
         "CREATE TRIGGER message_counts_delete AFTER DELETE ON messages BEGIN\n"
         "  UPDATE message_counts SET n = n - 1\n"
         "  WHERE account_id = old.account_id AND hour = old.queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT
         ";\n"
         "END;\n"
         "CREATE TRIGGER message_counts_move AFTER UPDATE OF account_id, queued_ms ON messages\n"
         "BEGIN\n"
         "  UPDATE message_counts SET n = n - 1\n"
         "  WHERE account_id = old.account_id AND hour = old.queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT
         ";\n"
         "  INSERT INTO message_counts (account_id, hour, n)\n"
         "  VALUES (new.account_id, new.queued_ms / " BRAMKA_COUNT_HOUR_MS_TEXT ", 1)\n"
         "  ON CONFLICT (account_id, hour) DO UPDATE SET n = n + 1;\n"
         "END;\n")},
};

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestSchemaVersion() { return kMigrations[std::size(kMigrations) - 1].version; }

Result<int> SchemaVersion(Connection& conn) {
  BRAMKA_RETURN_IF_ERROR(
      conn.Exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"));
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn.Prepare("SELECT MAX(version) FROM schema_version"));
  BRAMKA_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? static_cast<int>(stmt.Int(0)) : 0;
}

namespace {

Error NewerSchema(int version) {
  return MakeError(ErrorCode::kCorrupt, "database schema version " + std::to_string(version) +
                                            " is newer than this bramka supports (" +
                                            std::to_string(LatestSchemaVersion()) +
                                            "); run the newer bramka or restore a backup");
}

}  // namespace

Result<void> Migrate(Connection& conn) { return MigrateTo(conn, LatestSchemaVersion()); }

Result<void> MigrateTo(Connection& conn, int target_version) {
  BRAMKA_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  auto result = [&]() -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(int version, SchemaVersion(conn));
    if (version > LatestSchemaVersion()) return NewerSchema(version);
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
    BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn.Prepare("INSERT INTO schema_version VALUES (?)"));
    stmt.BindInt(1, version);
    return stmt.Run();
  }();
  if (!result.ok()) {
    if (conn.InTransaction()) (void)conn.Exec("ROLLBACK");
    return result;
  }
  return conn.Exec("COMMIT");
}

// ---- upgrades (docs/adr/0018) ----

std::string UpgradeBackupPath(const std::string& db_path, int to_version) {
  const std::string base = db_path + ".pre-v" + std::to_string(to_version) + ".bak";
  std::string path = base;
  std::error_code ec;
  for (int i = 1; std::filesystem::exists(path, ec); ++i) path = base + "." + std::to_string(i);
  return path;
}

Result<std::string> BackupBeforeUpgrade(Connection& conn, const std::string& db_path) {
  BRAMKA_ASSIGN_OR_RETURN(int version, SchemaVersion(conn));
  if (version > LatestSchemaVersion()) return NewerSchema(version);
  if (version == 0 || version == LatestSchemaVersion()) return std::string();
  // VACUUM INTO writes a consistent, compact copy from a read snapshot (WAL
  // content included) without blocking other readers.
  std::string backup = UpgradeBackupPath(db_path, LatestSchemaVersion());
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn.PrepareDynamic("VACUUM INTO ?1"));
  stmt.BindText(1, backup);
  auto copied = stmt.Run();
  if (!copied.ok()) {
    Error e = copied.take_error();
    if (e.code != ErrorCode::kCorrupt) e.code = ErrorCode::kUnavailable;
    e.message = "cannot copy the database to " + backup + " before upgrading it from schema " +
                std::to_string(version) + ": " + e.message;
    return e;
  }
  return backup;
}

}  // namespace bramka::store::sqlite
