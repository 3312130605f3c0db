#pragma once
// The records bramka stores: accounts, balances, senders, messages and their
// delivery state. Plain structs shared by store/, core/, delivery/ and the
// adapters; no behaviour beyond naming enum values.
//
// Times are Unix milliseconds (int64) so that every engine stores them alike.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bramka::store {

using AccountId = int64_t;

// What a balance counts and what a message is billed as (spec §4.12, §5).
enum class MessageType : uint8_t {
  kEco = 0,
  kFull = 1,
  kVoice = 2,
  kMms = 3,
  kHlr = 4,
  kLookup = 5
};
inline constexpr MessageType kAllBalanceTypes[] = {MessageType::kEco,    MessageType::kFull,
                                                   MessageType::kVoice,  MessageType::kMms,
                                                   MessageType::kLookup, MessageType::kHlr};
std::string_view MessageTypeName(MessageType t);  // "eco", "full", ...
std::optional<MessageType> ParseMessageType(std::string_view name);

// Message life cycle. The names are the spec's report statuses (§5) except
// kCancelled (deleted while scheduled: hidden from reports, unique_id freed).
enum class MessageStatus : uint8_t {
  kSaved = 0,        // scheduled for later ("saved")
  kQueued = 1,       // accepted, waiting for dispatch ("in_progress")
  kSent = 2,         // handed to a connector, waiting for a receipt ("sent")
  kDelivered = 3,    // "delivered"
  kUndelivered = 4,  // sent, not delivered ("undelivered")
  kUnsent = 5,       // never sent ("unsent")
  kCancelled = 6,    // deleted by the customer before it was due
};
std::string_view MessageStatusName(MessageStatus s);  // API names: "in_progress" for kQueued
std::optional<MessageStatus> ParseMessageStatus(std::string_view api_name);
inline bool IsFinal(MessageStatus s) {
  return s == MessageStatus::kDelivered || s == MessageStatus::kUndelivered ||
         s == MessageStatus::kUnsent || s == MessageStatus::kCancelled;
}

enum class SenderStatus : uint8_t {
  kPending = 0,
  kAuthorized = 1,
  kRejected = 2,
  kDeactivated = 3
};
std::string_view SenderStatusName(SenderStatus s);  // "pending_authorization", "authorized", ...
std::optional<SenderStatus> ParseSenderStatus(std::string_view name);

struct Account {
  AccountId id = 0;
  std::string name;
  std::string password_hash;  // argon2id, libsodium's crypto_pwhash_str format
  AccountId parent_id = 0;    // 0 for a main account; else the owner of this subaccount
  bool active = true;
  int64_t created_ms = 0;
  // ---- accounts area (migration 5) ----
  // Contact data of a subaccount (subaccounts/add: name, phone, email).
  std::string full_name;
  std::string phone;
  std::string email;
  // API v2 allowlist: IPv4/IPv6 CIDRs (core/ip_allowlist.h); empty = any address.
  std::vector<std::string> allowed_cidrs;
  // Non-zero: a deleted subaccount. Kept (with its messages and ledger) but
  // invisible to its parent and unable to log in (docs/adr/0008).
  int64_t deleted_ms = 0;
};

// A balance in message units (one unit = one SMS part, one voice call, one MMS).
struct Balance {
  MessageType type = MessageType::kEco;
  bool available = true;   // false: "not_available" (the account may not send this type)
  bool unlimited = false;  // true: "no_limit"
  int64_t units = 0;
};

struct Sender {
  std::string name;
  SenderStatus status = SenderStatus::kPending;
  int64_t created_ms = 0;
};

// Everything a user can see about one outgoing message.
struct Message {
  std::string id;  // 10 lowercase hex characters
  AccountId account_id = 0;
  std::string phone;   // E.164 with '+'
  std::string sender;  // empty for ECO
  MessageType type = MessageType::kEco;
  std::string text;      // the text as it will be sent (after transliteration)
  bool unicode = false;  // UCS-2 (true) or GSM 03.38 (false)
  bool flash = false;
  bool speed = false;
  int parts = 1;
  int64_t cost_units = 0;  // units reserved from the balance of `type`
  MessageStatus status = MessageStatus::kQueued;
  std::string reason;     // spec §5 failure reason, empty unless failed
  std::string unique_id;  // the client's own id, may be empty
  int64_t stat_id = 0;    // the batch (request) the message came in
  std::string source;     // "http", "smpp", "ftp", "sql", "soap", "panel"
  std::string dlr_url;    // per-message callback URL, may be empty
  int64_t queued_ms = 0;  // accepted
  int64_t due_ms = 0;     // not to be dispatched before this (schedule or retry)
  int64_t sent_ms = 0;    // 0 when not sent
  int64_t done_ms = 0;    // delivered/undelivered/unsent time, 0 when not final
  int attempts = 0;
  std::string connector;    // the connector it went out through
  std::string upstream_id;  // the id that connector's SMSC gave it
  // Submitted over SMPP: the SmppUser (0 otherwise) and the submit_sm's
  // registered_delivery (SMPP 3.4 §5.2.17), which decide whether and where a
  // deliver_sm receipt goes.
  int64_t smpp_user_id = 0;
  uint8_t smpp_registered_delivery = 0;
  // ---- media (files/*) ----
  // MMS: the files it carries; voice: the WAV to play instead of text-to-speech
  // (at most one). Ids of MediaFile records of the same account. Empty for SMS.
  std::vector<std::string> attachments;
  // ---- not stored: what the call that returned this message did (docs/adr/0058) ----
  // ApplyReceipt / ApplyReceipts / WriteDeliveries: true when THIS call made the message
  // final and queued its DLR callback entry in that transaction (it has a dlr_url or its
  // account a DLR template); false otherwise (no URL, not final yet, final already). The
  // dispatcher's receipt listener wakes the callback sender only then. False from reads
  // (the dispatcher sets it on a message that ended unsent: MarkUnsent does not say).
  bool callback_queued = false;
};

struct AcceptRequest {
  AccountId account_id = 0;
  std::vector<Message> messages;
};

// Per input message, in the same order: the stored id, and whether the
// message was a retry of an earlier one with the same unique_id (then nothing
// was inserted or charged and `id` is the earlier message's id).
struct AcceptedItem {
  std::string id;
  bool duplicate = false;
};
struct AcceptResult {
  std::vector<AcceptedItem> items;
};

struct MessageQuery {
  AccountId account_id = 0;
  std::vector<std::string> ids;
  std::vector<std::string> unique_ids;
  std::vector<std::string> phones;
  std::optional<MessageStatus> status;
  bool pending_only = false;  // the "pending" filter: kSaved, kQueued or kSent
  std::optional<MessageType> type;
  int64_t stat_id = 0;
  int64_t from_ms = 0;  // on queued_ms, inclusive; 0 = unbounded
  int64_t to_ms = 0;    // inclusive; 0 = unbounded
  int page = 1;         // 1-based
  int limit = 50;
  bool descending = false;
};

struct MessagePage {
  std::vector<Message> items;
  int64_t total = 0;  // matches across all pages
};

// What a connector said became of a message.
struct ReceiptUpdate {
  std::string connector;
  std::string upstream_id;
  MessageStatus status = MessageStatus::kDelivered;  // kDelivered or kUndelivered
  std::string reason;
  int64_t at_ms = 0;
};

// The new content of a scheduled message (SMPP replace_sm; Store::ReplaceScheduled).
struct MessageReplacement {
  std::string text;  // as it will be sent
  bool unicode = false;
  int parts = 1;
  int64_t cost_units = 0;
  int64_t due_ms = 0;  // 0 = keep the schedule
};

// ---- perf-delivery (docs/adr/0019) ----
// A connector accepted a message (Store::MarkSentBatch; MarkSent's arguments).
struct SentUpdate {
  std::string message_id;
  std::string connector;
  std::string upstream_id;
  int64_t at_ms = 0;
  // parts (docs/adr/0028): a message sent in N >= 2 submits, every part's upstream id in
  // part order (the first is upstream_id); empty or one id for a single-part message.
  std::vector<std::string> part_ids = {};
};

// A login of the SMPP server (api/smpp), owned by an account.
struct SmppUser {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string system_id;      // unique across accounts
  std::string password_hash;  // argon2id (core/credentials.h)
  // IPv4/IPv6 CIDRs ("10.0.0.0/8", "127.0.0.1/32"); empty = any address.
  std::vector<std::string> allowed_cidrs;
  int max_binds = 10;  // concurrent binds; 0 = unlimited
  int tps = 50;        // submits per second over all binds; 0 = unlimited
  int64_t created_ms = 0;
};

// A deliver_sm waiting for a receiver/transceiver bind of an SMPP user and its
// deliver_sm_resp (receipts and incoming messages). `pdu` is opaque to the
// store (the SMPP server's encoding); entries are kept until deleted.
//
// The store itself queues entries with an EMPTY pdu in the transaction that
// makes a message final or records an incoming message (so a crash cannot
// separate the two): the SMPP server builds the deliver_sm when it sends it,
// from the message (`message_id`: a receipt) or the inbox row (`inbox_id`).
struct SmppOutboxEntry {
  int64_t id = 0;  // increasing: the delivery order
  int64_t smpp_user_id = 0;
  std::string message_id;  // the message a receipt is about; may be empty
  std::string pdu;         // empty: to be built when sent (see above)
  int64_t created_ms = 0;
  int64_t inbox_id = 0;  // the incoming message an MO is; 0 for receipts
};

// ---- billing: payments (invoices for top-ups) and sending statistics --------------

// A top-up sold to an account and its invoice (spec §4.19). Money is in grosze
// (1/100 PLN) so that sums are exact.
struct Payment {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string number;  // "FV <n>/<MM>/<YYYY>": n counts the invoices of that month from 1
  MessageType type = MessageType::kFull;
  int64_t units = 0;       // credited to the balance of `type` when the invoice was issued
  int64_t net_grosze = 0;  // price before VAT
  int vat_percent = 23;
  int64_t total_grosze = 0;  // price with VAT
  int64_t paid_grosze = 0;   // 0 while not paid, total_grosze once paid
  int64_t issued_ms = 0;
  int64_t due_ms = 0;   // payment term
  int64_t paid_ms = 0;  // 0 while not paid
  std::string note;     // free text for the operator, printed on the invoice when set
};

// What Store::RecordTopUp needs; the store numbers the invoice.
struct PaymentDraft {
  AccountId account_id = 0;
  std::string period;  // "MM/YYYY" of the issue date, local time; the number's suffix
  MessageType type = MessageType::kFull;
  int64_t units = 0;
  int64_t net_grosze = 0;
  int vat_percent = 23;
  int64_t total_grosze = 0;
  bool paid = false;
  int64_t due_ms = 0;
  std::string note;
};

struct PaymentPage {
  std::vector<Payment> items;  // newest first
  int64_t total = 0;
};

// stats/index: the account's messages grouped by the request (stat_id) that sent them.
struct StatQuery {
  AccountId account_id = 0;
  std::optional<MessageType> type;
  int64_t from_ms = 0;  // on queued_ms, inclusive; 0 = unbounded
  int64_t to_ms = 0;    // inclusive; 0 = unbounded
};

struct StatRow {
  int64_t stat_id = 0;
  MessageType type = MessageType::kEco;  // of the request's first message
  int64_t first_ms = 0;                  // queued time of the first and last message
  int64_t last_ms = 0;
  int64_t delivered = 0;
  int64_t pending = 0;  // saved, queued or sent
  int64_t undelivered = 0;
  int64_t unsent = 0;
  std::string text;    // the first message's text
  std::string source;  // "http", "smpp", ...
};

// ---- address book (spec §4.14 groups, §4.15 contacts, §4.18 blacklist, §4.21 templates) ----
// Integer ids (spec §3), one sequence per kind, unique across accounts; every
// record belongs to one account and is invisible to the others.

struct Group {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string name;
  int64_t count = 0;  // contacts in the group (filled by reads)
  int64_t created_ms = 0;
};

struct Contact {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string phone;  // E.164 with '+' (core normalises it)
  std::string email;
  std::string company;
  std::string first_name;
  std::string last_name;
  std::string tax_id;
  std::string address;
  std::string city;
  std::string description;
  std::vector<int64_t> group_ids;  // the groups it is in, ascending
  int64_t created_ms = 0;
};

// A contact's membership in a group (groups/check).
struct ContactInGroup {
  int64_t contact_id = 0;
  int64_t group_id = 0;
  std::string group_name;
};

enum class ContactSort : uint8_t {
  kId = 0,  // creation order
  kFirstName,
  kLastName,
  kPhone,
  kCompany,
  kTaxId,
  kEmail,
  kAddress,
  kCity,
  kDescription,
};

struct GroupQuery {
  AccountId account_id = 0;
  std::string search;    // case-insensitive (ASCII) substring of the name; empty = all
  bool by_name = false;  // order by name (then id) instead of id
  bool descending = false;
  int page = 1;    // 1-based
  int limit = 50;  // <= 0: every match
};

struct GroupPage {
  std::vector<Group> items;
  int64_t total = 0;
};

struct ContactQuery {
  AccountId account_id = 0;
  enum class Filter : uint8_t { kAll, kInGroup, kNoGroup } filter = Filter::kAll;
  int64_t group_id = 0;  // for kInGroup
  // Case-insensitive (ASCII) substring of any text field (phone, names,
  // email, company, tax_id, address, city, description); empty = all.
  std::string search;
  ContactSort sort = ContactSort::kId;
  bool descending = false;
  int page = 1;
  int limit = 50;  // <= 0: every match
};

struct ContactPage {
  std::vector<Contact> items;
  int64_t total = 0;
};

struct Template {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string name;
  std::string text;
  int64_t created_ms = 0;
};

struct BlacklistEntry {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string phone;
  int64_t created_ms = 0;
};

struct BlacklistQuery {
  AccountId account_id = 0;
  std::string phone;  // exact (normalised) number; empty = all
  int page = 1;
  int limit = 50;  // <= 0: every match
};

struct BlacklistPage {
  std::vector<BlacklistEntry> items;  // by id (the order they were added)
  int64_t total = 0;
};

// ---- callbacks (webhooks out: src/notify, ADR 0007) ------------------------------
// An account's callback URL templates (spec §6 placeholders, notify/template.h);
// empty = no callback of that kind.
struct AccountCallbacks {
  std::string dlr_url;  // delivery reports
  std::string mo_url;   // incoming messages (MO)
};

enum class CallbackKind : uint8_t { kDlr = 0, kMo = 1 };
enum class CallbackState : uint8_t {
  kPending = 0,  // waiting to be (re)tried
  kFailed = 1,   // given up (too old); kept for the operator
};

// One HTTP callback in the durable outbox. The facts the placeholders need
// are a snapshot taken when the entry was queued (in the same transaction as
// the status change); notify expands `url_template` when it calls.
struct CallbackEntry {
  int64_t id = 0;  // increasing
  AccountId account_id = 0;
  CallbackKind kind = CallbackKind::kDlr;
  std::string url_template;  // the message's dlr_url, else the account's template
  std::string message_id;    // DLR: the outgoing message; MO: the incoming message
  std::string unique_id;     // DLR: the client's unique_id; MO: empty
  std::string phone;         // DLR: the recipient; MO: who sent it (E.164 with '+')
  std::string sender;        // DLR: the sender name; MO: the number it was sent to
  std::string status;        // DLR: "delivered", "undelivered" or "unsent"; MO: "received"
  std::string reason;        // spec §5 failure reason, may be empty
  std::string text;          // the message text
  int64_t event_ms = 0;      // when it happened (done_ms, or the MO's arrival)
  int64_t created_ms = 0;    // when queued (maximum age counts from here)
  CallbackState state = CallbackState::kPending;
  int attempts = 0;  // calls started (ClaimCallbacks counts them)
  int64_t next_attempt_ms = 0;
  std::string last_error;
};

struct CallbackCounts {
  int64_t pending = 0;
  int64_t failed = 0;
};

// ---- accounts area (docs/adr/0008) --------------------------------------------

// A new subaccount (Store::CreateSubaccount): the login, contact data, the
// allowlist, and its starting balances (one entry per type it may use; types
// not listed start not available). Units are moved from the parent.
struct NewSubaccount {
  AccountId parent_id = 0;
  std::string name;
  std::string password_hash;
  std::string full_name;
  std::string phone;
  std::string email;
  std::vector<std::string> allowed_cidrs;
  std::vector<Balance> balances;  // `unlimited` is ignored: subaccounts have units
  int64_t now_ms = 0;
};

// A message from the operator to an account (account/messages).
struct AccountMessage {
  int64_t id = 0;
  std::string text;
  int64_t created_ms = 0;
  bool is_new = true;  // not read before the call that returned it
};

// A request for a new account made through account/add, waiting for the operator.
enum class SignupStatus : uint8_t { kPending = 0, kApproved = 1, kRejected = 2 };
std::string_view SignupStatusName(SignupStatus s);  // "pending", "approved", "rejected"

struct Signup {
  int64_t id = 0;
  AccountId requested_by = 0;  // the account that called account/add
  std::string phone;
  std::string email;
  std::string first_name;
  std::string last_name;
  std::string company;
  SignupStatus status = SignupStatus::kPending;
  AccountId account_id = 0;  // the account created on approval
  int64_t created_ms = 0;
};

// ---- media files (files/*, spec §4.10) -------------------------------------------

// An uploaded or fetched MMS or voice file of an account. Ids are 10 lowercase hex
// characters like message ids (spec §3). Content is checked by core before it is stored.
struct MediaFile {
  std::string id;
  AccountId account_id = 0;
  MessageType type = MessageType::kMms;  // kMms or kVoice
  std::string name;          // the client's name for it (or the URL's/upload's file name)
  std::string content_type;  // "image/png", "audio/wav", "text/plain", ...
  int64_t size = 0;          // bytes
  std::string data;          // the bytes; empty when read without data
  int64_t created_ms = 0;
};

// ---- FTP sources (SMS via FTP, spec §8; src/ingest/ftp, ADR 0012) -------------------

enum class FtpTls : int { kNone = 0, kExplicit = 1, kImplicit = 2 };
enum class FtpAfter : int { kDelete = 0, kMove = 1, kKeep = 2 };

// A customer's FTP/FTPS directory that bramka polls for files of messages.
struct FtpSource {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string host;
  int port = 21;
  std::string username;
  std::string password_sealed;  // encrypted (ingest/ftp/secret_box.h), never the password
  std::string directory;        // "" = the login directory
  FtpTls tls = FtpTls::kNone;
  std::string ca_file;  // PEM to verify the server with ("" = the system's CAs)
  int interval_s = 60;
  std::string text;    // for numbers-only files
  std::string sender;  // for numbers-only files ("" = ECO)
  FtpAfter after = FtpAfter::kDelete;
  std::string move_dir;  // kMove: the folder processed files go to
  int64_t created_ms = 0;
  // Status, written by the poller.
  int64_t last_poll_ms = 0;
  std::string last_error;  // "" after a clean poll
  int64_t files_processed = 0;
  int64_t lines_processed = 0;
};

// What became of one line (one number of a numbers-only line: `column`) of a file.
struct FtpLineResult {
  int line = 0;
  int column = 0;
  std::string phone;
  std::string message_id;  // "" when it failed
  std::string error;       // "" when it was accepted
};

struct FtpFileState {
  bool done = false;                 // processed and its result written; never again
  std::vector<FtpLineResult> lines;  // recorded so far, by (line, column)
};

// ---- inbound: numbering plan, incoming messages, injections (docs/adr/0011) --------

// The operator's numbering plan (spec §5 incoming types). A number (with a
// keyword for the shared kinds) belongs to one account; pool numbers belong to
// none: ECO and `2waySMS` messages go out from them so that replies come back.
enum class InboundKind {
  kNd = 0,       // shared access number: routed by number + keyword
  kNdi = 1,      // dedicated access number: every message to it
  kSc = 2,       // shared short code: number + keyword
  kSci = 3,      // dedicated short code
  kPremium = 4,  // premium number: number (+ keyword); price and answer limit
  kPool = 5,     // reply-capable sender number of the ECO / 2waySMS pool
};
inline constexpr InboundKind kAllInboundKinds[] = {InboundKind::kNd,      InboundKind::kNdi,
                                                   InboundKind::kSc,      InboundKind::kSci,
                                                   InboundKind::kPremium, InboundKind::kPool};

struct InboundNumber {
  int64_t id = 0;
  AccountId account_id = 0;  // 0 for pool numbers
  InboundKind kind = InboundKind::kNdi;
  std::string number;        // E.164 with '+' ("+48500000001") or a short code ("71200")
  std::string keyword;       // upper case; empty = the whole number (ndi, sci, pool; catch-all)
  int64_t price_grosze = 0;  // premium: what the sender pays (net)
  int answer_limit = 0;      // premium: answers allowed per incoming message
  int64_t created_ms = 0;
};

// An incoming message as stored. account_id 0 = the operator inbox (no route
// matched; nothing incoming is ever dropped).
struct InboxMessage {
  int64_t id = 0;  // increasing
  AccountId account_id = 0;
  std::string type;       // "eco", "nd", "ndi", "sc", "sci", "pre"; "" when unmatched
  std::string phone;      // who sent it (E.164 with '+')
  std::string to_number;  // the number it was sent to
  std::string keyword;    // the keyword that routed it, may be empty
  std::string text;
  std::string message_id;  // a reply: the outgoing message it answers
  int64_t number_id = 0;   // the InboundNumber that routed it, 0 for replies/unmatched
  int answers_left = 0;    // premium: answers still allowed (premium/send)
  bool read = false;
  int64_t received_ms = 0;
  std::string connector;  // where it came in ("simnet", an SMPP connector)
  // Not stored: RecordIncoming deletes the held parts of this key (IncomingPart)
  // in the same transaction, so a reassembled message replaces its parts atomically.
  std::string parts_key;
};

// One held part of a multipart incoming message, stored before the upstream
// is acknowledged so that a crash loses none.
struct IncomingPart {
  std::string key;  // connector, sender, recipient and reference of the message
  int number = 1;   // 1-based
  int total = 1;
  std::string connector;
  std::string from;
  std::string to;
  std::string text;
  int64_t received_ms = 0;
};

// ---- SQL API sources (src/ingest/sql, spec §9, docs/adr/0013) -----------------------

// A customer database bramka polls for outgoing rows (MT) and writes reports and
// incoming messages (MO) to. The password is stored encrypted (ingest/sql/secret_box.h);
// the store never sees it in clear.
struct SqlSource {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string engine;  // "mysql" or "postgres"
  std::string host;
  int port = 0;
  std::string database;
  std::string user;
  std::string password_enc;  // common/secret_box.h: "v1:" + hex(nonce || ciphertext)
  std::string tls;           // "disable", "prefer", "require", "verify"
  std::string structure;     // "standard" or "individual"
  std::string columns;       // individual: "key=name;key=name" (ingest/sql/layout.h)
  int interval_s = 10;
  int64_t created_ms = 0;
  // Written by the poller of `bramka serve` (SetSqlSourceStatus).
  std::string state = "new";  // "new", "ok", "retrying"
  std::string last_error;
  int64_t last_ok_ms = 0;
  int failures = 0;  // consecutive failed polls
};

// Row `row_id` of a source's MT table claimed by bramka: the message made of it, or,
// for a row that could not become one, the report code (2200-2208) and description.
struct SqlRowClaim {
  int64_t source_id = 0;
  int64_t row_id = 0;
  std::string message_id;  // empty for an invalid row
  int parts = 0;
  int invalid_code = 0;
  std::string invalid_description;
  int64_t claimed_ms = 0;
};

// A claimed row whose outcome has not been written back yet: an invalid row, or
// one whose message is final.
struct SqlPendingReport {
  int64_t row_id = 0;
  std::string message_id;  // empty for an invalid row
  MessageStatus status = MessageStatus::kUnsent;
  std::string reason;
  int64_t done_ms = 0;
  int invalid_code = 0;
  std::string invalid_description;
};

// An incoming message waiting to be inserted into one source's MO table.
struct SqlMoEntry {
  int64_t id = 0;
  int64_t source_id = 0;
  AccountId account_id = 0;
  std::string message_id;  // the incoming message's id (unique per source's MO table)
  std::string from;        // the phone that wrote
  std::string to;          // the number it was sent to
  std::string text;
  int64_t received_ms = 0;
};

struct InboxQuery {
  AccountId account_id = 0;         // 0 = the operator inbox
  std::string type;                 // empty = every type
  std::string to_number;            // empty = any
  std::vector<std::string> phones;  // empty = any sender
  int64_t from_ms = 0;              // received_ms >= from_ms (0 = no bound)
  int64_t to_ms = 0;                // received_ms <= to_ms (0 = no bound)
  bool unread_only = false;
  bool mark_read = false;  // the returned messages become read in the same transaction
  int page = 1;            // 1-based
  int limit = 0;           // <= 0: every match
  bool descending = true;  // newest first (by id)
};

struct InboxPage {
  std::vector<InboxMessage> items;  // as they were before mark_read
  int64_t total = 0;                // every match
};

// The outgoing message a reply answers: the latest one sent to the phone from
// the pool number (as its sender) within the reply window.
struct ReplyTarget {
  AccountId account_id = 0;
  std::string message_id;
};

// An incoming message queued for the simulated network to deliver (bramka admin
// simnet mo, messages/send_nd): the running simnet connector takes it.
struct InjectedMo {
  int64_t id = 0;
  std::string from;  // E.164 with '+'
  std::string to;    // the number it is sent to
  std::string text;
  int64_t created_ms = 0;
};

// A quiz on a premium number or short code (quiz/view): answers are the
// first word of the text after the keyword, matched to `options` (case-insensitive).
struct Quiz {
  int64_t id = 0;
  AccountId account_id = 0;
  std::string name;
  std::string number;
  std::string keyword;
  std::vector<std::string> options;  // option i has id i + 1
  int64_t created_ms = 0;
};

// ---- web panel (src/panel, docs/adr/0017) ----
// A panel login session. The cookie carries a random id; only its hash is
// stored, so a copy of the database does not let anyone in.
struct PanelSession {
  std::string id_hash;       // hex SHA-256 of the cookie's session id
  AccountId account_id = 0;  // 0: the operator
  std::string csrf_token;    // sent back in X-CSRF-Token on every state change
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
};

}  // namespace bramka::store
