#pragma once
// Store: bramka's durable state behind one interface, with one conformance
// suite (store/testing/conformance.h) run against every implementation:
// InMemoryStore (tests), SqliteStore (the embedded default), later PostgreSQL.
//
// Contract:
//  1. Every method is thread-safe.
//  2. A write that returned success (or whose callback got success) is
//     durable: it survives a crash of the process or the machine at any later
//     instant. Nothing is acknowledged before it is committed.
//  3. Every query is scoped by account where the record belongs to one; a
//     record of another account is kNotFound, never visible.
//  4. Errors: kNotFound (no such record for this account), kAlreadyExists
//     (unique name taken), kRejected (a business rule in the same transaction,
//     for example an insufficient balance: detail = the MessageType + 1),
//     kUnavailable (disk full, database locked or gone; nothing was written),
//     kCorrupt (stored data failed a check), kInternal.
//  5. Balance changes are written to a ledger in the same transaction as the
//     change itself, so a message is charged exactly once and a refund returns
//     exactly what was charged.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "store/model.h"

namespace bramka::store {

class Store {
 public:
  virtual ~Store() = default;

  // ---- accounts ------------------------------------------------------------
  // kAlreadyExists if the name is taken. New accounts start with every balance
  // available and at zero units.
  virtual Result<AccountId> CreateAccount(const std::string& name, const std::string& password_hash,
                                          AccountId parent_id, int64_t now_ms) = 0;
  virtual Result<Account> GetAccount(AccountId id) = 0;
  virtual Result<Account> FindAccountByName(const std::string& name) = 0;
  // Ordered by id.
  virtual Result<std::vector<Account>> ListAccounts() = 0;
  virtual Result<void> SetPasswordHash(AccountId id, const std::string& password_hash) = 0;

  // API tokens are stored as hashes only (SHA-256 hex of the token).
  // kNotFound for an unknown account, kAlreadyExists for a hash already stored.
  virtual Result<void> AddApiToken(AccountId id, const std::string& token_hash,
                                   const std::string& label, int64_t now_ms) = 0;
  // kNotFound when no account has that token.
  virtual Result<AccountId> FindAccountByTokenHash(const std::string& token_hash) = 0;

  // ---- balances --------------------------------------------------------------
  // One Balance per MessageType, in kAllBalanceTypes order.
  virtual Result<std::vector<Balance>> GetBalances(AccountId id) = 0;
  // Adds `delta` units (may be negative, the result too) and writes a ledger
  // entry with `note`.
  virtual Result<void> AdjustBalance(AccountId id, MessageType type, int64_t delta,
                                     const std::string& note, int64_t now_ms) = 0;
  // Sets whether the type is available and unlimited; units are kept.
  virtual Result<void> SetBalanceMode(AccountId id, MessageType type, bool available,
                                      bool unlimited) = 0;
  // Sum of ledger deltas for one message (negative = charged; 0 for an
  // unknown message or one sent on an unlimited balance). For audits and tests.
  virtual Result<int64_t> LedgerSumForMessage(const std::string& message_id) = 0;

  // ---- senders and blacklist -----------------------------------------------
  // Creates or updates the sender's status (an update keeps created_ms).
  virtual Result<void> SetSender(AccountId id, const std::string& name, SenderStatus status,
                                 int64_t now_ms) = 0;
  virtual Result<std::optional<Sender>> GetSender(AccountId id, const std::string& name) = 0;
  // Ordered by name.
  virtual Result<std::vector<Sender>> ListSenders(AccountId id) = 0;
  virtual Result<void> AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) = 0;
  virtual Result<bool> IsBlacklisted(AccountId id, const std::string& phone) = 0;

  // ---- ids --------------------------------------------------------------------
  // Durably reserves `count` consecutive values of the message-id sequence and
  // returns the first. A crash wastes the unused rest; values never repeat.
  // kInvalidArgument for count 0; kUnavailable when the 40-bit space is used up.
  virtual Result<uint64_t> ReserveIdBlock(uint64_t count) = 0;

  // ---- accepting messages ---------------------------------------------------------
  // Atomically: for each message whose unique_id is non-empty and already used
  // by a live (not cancelled) message of the account, report that message's id
  // as a duplicate and skip it; charge the rest (cost_units from the balance of
  // their type, unless unlimited) and insert them. If any balance would go
  // below zero nothing is written and the result is kRejected with detail =
  // static_cast<int>(type) + 1. Many concurrent calls share one commit.
  // The caller fills every message: `id` (10 lowercase hex characters made
  // from ReserveIdBlock values, else kInvalidArgument; kAlreadyExists and
  // nothing written if an id is already stored), status kSaved or kQueued,
  // queued_ms and due_ms; account_id is taken from the request, and the
  // delivery fields (attempts, sent_ms, done_ms, connector, upstream_id,
  // reason) start empty. A type whose balance is unlimited is not charged and
  // writes no ledger entry. kNotFound for an unknown account.
  // `done` runs once, on a store thread, after the commit (or failure); it
  // must not block.
  using AcceptCallback = std::function<void(Result<AcceptResult>)>;
  virtual void AcceptAsync(AcceptRequest request, AcceptCallback done) = 0;
  // The same, waiting for the commit.
  Result<AcceptResult> Accept(AcceptRequest request);

  // ---- reading messages -----------------------------------------------------------
  // kNotFound also for a malformed id.
  virtual Result<Message> GetMessage(AccountId id, const std::string& message_id) = 0;
  // kNotFound unless a live message of the account has that unique_id.
  virtual Result<Message> FindMessageByUniqueId(AccountId id, const std::string& unique_id) = 0;
  // GetMessage returns a cancelled message too (status kCancelled).
  // Cancelled messages are never returned. Ordered by queued time then id
  // (both reversed when descending). limit <= 0 returns every match.
  virtual Result<MessagePage> QueryMessages(const MessageQuery& query) = 0;

  // kSaved -> kCancelled with the charge refunded. Returns false (and changes
  // nothing) when the message exists but is not scheduled any more; the
  // unique_id is free again afterwards.
  virtual Result<bool> CancelScheduled(AccountId id, const std::string& message_id,
                                       int64_t now_ms) = 0;

  // kSaved only, in one transaction: replaces the text, encoding, parts and cost (and
  // due_ms when non-zero), refunds the old charge and charges the new cost (ledger note
  // "replace"; an unlimited balance is not charged). Returns false (changing nothing)
  // when the message exists but is not scheduled any more. kNotFound for another
  // account's or an unknown message; kRejected (detail = type + 1) when the balance
  // cannot pay the new cost.
  virtual Result<bool> ReplaceScheduled(AccountId id, const std::string& message_id,
                                        const MessageReplacement& replacement, int64_t now_ms) = 0;

  // ---- delivery ------------------------------------------------------------------
  // Leases up to `limit` messages that are kSaved or kQueued, due (due_ms <=
  // now) and not leased (lease expired), oldest due first; sets them kQueued,
  // leased to `owner` until `lease_until_ms`, attempts + 1. Returns them as
  // updated. Ties of due_ms come in an order of the implementation's choosing.
  // A store that is the only process on its data may keep a claim in memory until the
  // message's next write (SqliteStore, docs/adr/0047): the stored row then shows the claim's
  // attempt from MarkSent, MarkRetry, MarkUnsent or ReleaseLeases on, and a claim that dies
  // with the process is neither a lease nor a counted attempt after the restart.
  //
  // MarkSent, MarkRetry and MarkUnsent: kNotFound for an unknown id; on a
  // message that is already final they change nothing and succeed.
  virtual Result<std::vector<Message>> ClaimDue(int64_t now_ms, int limit, const std::string& owner,
                                                int64_t lease_until_ms) = 0;
  // The connector accepted the message: kSent, lease released, and
  // (connector, upstream_id) remembered for receipts.
  virtual Result<void> MarkSent(const std::string& message_id, const std::string& connector,
                                const std::string& upstream_id, int64_t now_ms) = 0;
  // A temporary failure: back to kQueued, due again at `next_due_ms`, lease released.
  virtual Result<void> MarkRetry(const std::string& message_id, int64_t next_due_ms,
                                 const std::string& error) = 0;
  // A permanent failure before sending: kUnsent with `reason`, charge refunded
  // (exactly what was charged, once).
  virtual Result<void> MarkUnsent(const std::string& message_id, const std::string& reason,
                                  int64_t now_ms) = 0;
  // Applies a receipt to the message the connector knows as upstream_id.
  // Returns the updated message, or nullopt when no message matches (an
  // unknown or late receipt). A message already final is left unchanged and
  // returned as it is (receipts may repeat). receipt.status must be
  // kDelivered or kUndelivered (else kInvalidArgument); done_ms = at_ms.
  virtual Result<std::optional<Message>> ApplyReceipt(const ReceiptUpdate& receipt) = 0;
  // Releases every lease held by `owner` (kQueued messages become claimable
  // at once) and returns how many. A node calls it at start-up: whatever its
  // previous incarnation had claimed died with it, so there is no need to
  // wait for the leases to expire.
  virtual Result<int64_t> ReleaseLeases(const std::string& owner) = 0;
  // Messages in kSent through `connector`, for connectors whose peer keeps
  // receipts across a restart of bramka (simnet). Oldest sent first;
  // limit < 0 means no limit. Reads every message still stored that was ever sent
  // through `connector` (docs/adr/0033: kSent has no index of its own): start-up only.
  virtual Result<std::vector<Message>> ListSentVia(const std::string& connector, int limit) = 0;
  // Counts for /metrics: one entry per MessageStatus, in enum order, zeros included.
  virtual Result<std::vector<std::pair<MessageStatus, int64_t>>> CountByStatus() = 0;

  // ---- SMPP users and their deliver_sm outbox ----------------------------------
  // Stores a new user (user.id is ignored) and returns its id. kAlreadyExists
  // when the system_id is taken, kNotFound for an unknown account.
  virtual Result<int64_t> CreateSmppUser(const SmppUser& user) = 0;
  // kNotFound for an unknown system_id.
  virtual Result<SmppUser> FindSmppUser(const std::string& system_id) = 0;
  // Ordered by id.
  virtual Result<std::vector<SmppUser>> ListSmppUsers() = 0;
  // Durably appends an entry (entry.id is ignored) and returns its id.
  //
  // The store also queues entries itself, with an empty pdu, IN THE SAME
  // TRANSACTION as the change they report: MarkUnsent and ApplyReceipt, when
  // they make a message final (not when it was final already) and it has an
  // smpp_user_id and a non-zero smpp_registered_delivery, queue one entry for
  // that user with its message_id; RecordIncoming of an account's message
  // queues one entry per SMPP user of the account with inbox_id.
  virtual Result<int64_t> AddSmppOutbox(const SmppOutboxEntry& entry) = 0;
  // Up to `limit` entries of the user, oldest (lowest id) first; limit < 0 = all.
  virtual Result<std::vector<SmppOutboxEntry>> ListSmppOutbox(int64_t smpp_user_id, int limit) = 0;
  // Removes an entry; deleting one that is gone succeeds (acks may repeat).
  virtual Result<void> DeleteSmppOutbox(int64_t entry_id) = 0;

  // ---- billing: payments and statistics -------------------------------------------
  // In one transaction: numbers the invoice "FV <n>/<period>" (n = 1 + the invoices
  // already issued in that period), stores the payment, and credits `units` to the
  // balance of `type` with a ledger entry noting the invoice number. Returns the stored
  // payment. kNotFound for an unknown account; kInvalidArgument for units <= 0, a
  // negative price or an empty period.
  virtual Result<Payment> RecordTopUp(const PaymentDraft& draft, int64_t now_ms) = 0;
  // The account's payments, newest first; limit <= 0 returns all.
  virtual Result<PaymentPage> ListPayments(AccountId id, int page, int limit) = 0;
  // kNotFound for another account's or an unknown payment.
  virtual Result<Payment> GetPayment(AccountId id, int64_t payment_id) = 0;
  // Operator: the payment is paid in full at now_ms; paying a paid one changes nothing.
  // kNotFound for an unknown payment.
  virtual Result<Payment> MarkPaymentPaid(int64_t payment_id, int64_t now_ms) = 0;
  // Per stat_id (one send request), ordered by stat_id: counts by outcome over the
  // account's messages queued in the range (cancelled messages are not counted).
  virtual Result<std::vector<StatRow>> QueryStats(const StatQuery& query) = 0;

  // ---- address book: groups, contacts, templates, blacklist entries -------------------
  // Spec §4.14, §4.15, §4.18, §4.21. Ids are integers, one sequence per kind.
  // An id that is unknown or another account's is kNotFound whose message
  // names it ("group 17 not found"); creating for an unknown account is
  // kNotFound too. Names and texts are stored as given (core validates).

  // Groups. Reads fill Group::count (contacts in the group).
  virtual Result<int64_t> CreateGroup(AccountId id, const std::string& name, int64_t now_ms) = 0;
  virtual Result<Group> GetGroup(AccountId id, int64_t group_id) = 0;
  // Matches of query.search, ordered by id or by name then id (both reversed
  // when descending); `total` counts every match.
  virtual Result<GroupPage> ListGroups(const GroupQuery& query) = 0;
  virtual Result<void> RenameGroup(AccountId id, int64_t group_id, const std::string& name) = 0;
  // Removes the group and its memberships; with delete_contacts also every
  // contact that was in it (out of all its groups).
  virtual Result<void> DeleteGroup(AccountId id, int64_t group_id, bool delete_contacts) = 0;
  // Every (contact, group) pair of the account whose contact's phone equals
  // `phone`, by contact id then group id; contacts in no group are left out.
  virtual Result<std::vector<ContactInGroup>> FindGroupsOfPhone(AccountId id,
                                                                const std::string& phone) = 0;

  // Contacts. Stores `contact` (id and created_ms ignored) for
  // contact.account_id as a member of contact.group_ids (repeats ignored).
  // kNotFound naming the first group that is not the account's; then
  // nothing is written.
  virtual Result<int64_t> CreateContact(const Contact& contact, int64_t now_ms) = 0;
  // group_ids ascending.
  virtual Result<Contact> GetContact(AccountId id, int64_t contact_id) = 0;
  // Replaces every field and the memberships of contact.id (created_ms is
  // kept). kNotFound for an unknown contact or group (nothing written).
  virtual Result<void> UpdateContact(const Contact& contact) = 0;
  virtual Result<void> DeleteContact(AccountId id, int64_t contact_id) = 0;
  // Ordered by query.sort then id (both reversed when descending).
  virtual Result<ContactPage> ListContacts(const ContactQuery& query) = 0;
  // contacts/import: a NEW group named `group_name` with the contacts in it
  // (their group_ids ignored), in one transaction. Returns the group's id.
  virtual Result<int64_t> ImportContacts(AccountId id, const std::string& group_name,
                                         const std::vector<Contact>& contacts, int64_t now_ms) = 0;
  // Sending to groups and contacts: the phones of every contact of each
  // group (groups as listed, each group's contacts by id), then those of the
  // contacts as listed; repeats are kept. kNotFound naming the first group or
  // contact that is not the account's.
  virtual Result<std::vector<std::string>> RecipientPhones(
      AccountId id, const std::vector<int64_t>& group_ids,
      const std::vector<int64_t>& contact_ids) = 0;

  // Templates.
  virtual Result<int64_t> CreateTemplate(AccountId id, const std::string& name,
                                         const std::string& text, int64_t now_ms) = 0;
  virtual Result<Template> GetTemplate(AccountId id, int64_t template_id) = 0;
  // By id, or by name then id when by_name; reversed when descending.
  virtual Result<std::vector<Template>> ListTemplates(AccountId id, bool by_name,
                                                      bool descending) = 0;
  virtual Result<void> UpdateTemplate(AccountId id, int64_t template_id, const std::string& name,
                                      const std::string& text) = 0;
  virtual Result<void> DeleteTemplate(AccountId id, int64_t template_id) = 0;

  // Blacklist entries: the same list AddToBlacklist and IsBlacklisted use.
  // Lists the phone (idempotent) and returns its entry's id (the existing
  // entry's when it was listed already).
  virtual Result<int64_t> AddBlacklistEntry(AccountId id, const std::string& phone,
                                            int64_t now_ms) = 0;
  virtual Result<BlacklistPage> ListBlacklist(const BlacklistQuery& query) = 0;
  // false (nothing changed) when the phone was not listed.
  virtual Result<bool> RemoveFromBlacklist(AccountId id, const std::string& phone) = 0;
  virtual Result<void> DeleteBlacklistEntry(AccountId id, int64_t entry_id) = 0;

  // ---- callbacks (webhooks out; ADR 0007) --------------------------------------------
  // Durable outbox of HTTP callbacks. MarkUnsent and ApplyReceipt, when they
  // move a message to kUnsent / kDelivered / kUndelivered (not when it was
  // final already), queue a kDlr entry IN THE SAME TRANSACTION if the message
  // has a dlr_url (used as the template) or else its account a DLR template;
  // so a status change and its callback are committed together or not at all.
  //
  // kNotFound for an unknown account.
  virtual Result<void> SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) = 0;
  // Empty templates when never set; kNotFound for an unknown account.
  virtual Result<AccountCallbacks> GetAccountCallbacks(AccountId id) = 0;
  // Queues an MO callback (entry.kind kMo; id, state, attempts, url_template
  // are ignored; next_attempt_ms = created_ms) with the account's MO template.
  // Returns false (nothing queued) when the account has none. kNotFound for an
  // unknown account. A store that records incoming messages queues the same
  // entry in that transaction instead (see the implementation's helper).
  virtual Result<bool> QueueMoCallback(const CallbackEntry& entry) = 0;
  // Leases up to `limit` kPending entries due at `now_ms` (next_attempt_ms <=
  // now), earliest due first (then id): attempts + 1 and next_attempt_ms =
  // lease_until_ms, so an entry whose caller died is due again when the lease
  // ends. Returns them as updated.
  virtual Result<std::vector<CallbackEntry>> ClaimCallbacks(int64_t now_ms, int limit,
                                                            const std::string& owner,
                                                            int64_t lease_until_ms) = 0;
  // Acknowledged by the receiver: the entry is deleted (a gone entry is fine).
  virtual Result<void> AckCallback(int64_t entry_id) = 0;
  // Not acknowledged: due again at next_attempt_ms, lease released. An entry
  // that is gone or kFailed is left alone (success).
  virtual Result<void> RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                                     const std::string& error) = 0;
  // Given up: kFailed with `error`, kept (never claimed again). Gone: success.
  virtual Result<void> FailCallback(int64_t entry_id, const std::string& error) = 0;
  // Entries leased by `owner` are due at once (`now_ms`); returns how many.
  // A node calls it at start-up, like ReleaseLeases.
  virtual Result<int64_t> ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) = 0;
  // The account's entries (pending and failed), oldest first; limit < 0 = all.
  virtual Result<std::vector<CallbackEntry>> ListCallbacks(AccountId id, int limit) = 0;
  // Every kFailed entry of the account becomes kPending, due at `now_ms`, with
  // its age counted from now (created_ms = now). Returns how many.
  virtual Result<int64_t> RetryFailedCallbacks(AccountId id, int64_t now_ms) = 0;
  // For /metrics.
  virtual Result<CallbackCounts> CountCallbacks() = 0;
  // ---- accounts area: subaccounts, allowlists, senders, operator messages,
  //      signups (docs/adr/0008) ----------------------------------------------------
  // Atomically creates a subaccount of `s.parent_id` (its Account has
  // parent_id set and the contact data and allowlist given) with the balances
  // listed in `s.balances`: each listed type becomes available with that many
  // units, which are taken from the parent's balance of the type (unless the
  // parent's is unlimited) with a ledger entry on both; unlisted types are not
  // available. kNotFound: the parent is unknown or deleted; kAlreadyExists: the
  // name is taken (by any account, deleted ones included); kRejected (detail =
  // type + 1, nothing written): the parent's balance cannot cover the units;
  // kInvalidArgument: negative units.
  virtual Result<AccountId> CreateSubaccount(const NewSubaccount& s) = 0;
  // The parent's subaccounts that are not deleted, ordered by id.
  virtual Result<std::vector<Account>> ListSubaccounts(AccountId parent_id) = 0;
  // kNotFound unless `id` is a subaccount of `parent_id` that is not deleted.
  virtual Result<Account> GetSubaccount(AccountId parent_id, AccountId id) = 0;
  // Sets the subaccount's balance of `type` to `units` (and makes the type
  // available), moving the difference from (or back to) the parent's balance
  // of the type in one transaction, with ledger entries on both; a parent with
  // an unlimited balance gives without being charged and takes nothing back.
  // kNotFound as for GetSubaccount; kRejected (detail = type + 1, nothing
  // written): the parent's balance cannot cover the increase;
  // kInvalidArgument: units < 0.
  virtual Result<void> SetSubaccountLimit(AccountId parent_id, AccountId id, MessageType type,
                                          int64_t units, int64_t now_ms) = 0;
  // Marks the subaccount deleted (deleted_ms, not active) and returns its
  // remaining positive units to the parent (ledger entries on both). Its
  // messages, ledger and name stay. kNotFound as for GetSubaccount.
  virtual Result<void> DeleteSubaccount(AccountId parent_id, AccountId id, int64_t now_ms) = 0;
  // Replaces the account's API allowlist (empty = any address). kNotFound.
  virtual Result<void> SetAllowedCidrs(AccountId id, const std::vector<std::string>& cidrs) = 0;
  // A new sender name in status kPending. kAlreadyExists when the account
  // has the name already (in any status); kNotFound for an unknown account.
  virtual Result<void> AddSender(AccountId id, const std::string& name, int64_t now_ms) = 0;
  // An operator message to the account; returns its id. kNotFound.
  virtual Result<int64_t> AddAccountMessage(AccountId id, const std::string& text,
                                            int64_t now_ms) = 0;
  // Every message of the account, newest first, with is_new telling whether
  // it was unread before this call; marks them all read in the same
  // transaction. kNotFound for an unknown account.
  virtual Result<std::vector<AccountMessage>> TakeAccountMessages(AccountId id, int64_t now_ms) = 0;
  // Stores a signup (signup.id and status are ignored: a new one is pending)
  // and returns its id.
  virtual Result<int64_t> AddSignup(const Signup& signup) = 0;
  // Every signup, ordered by id.
  virtual Result<std::vector<Signup>> ListSignups() = 0;
  // Pending -> kApproved (with the account created for it) or kRejected.
  // kNotFound for an unknown id; kRejected when it is not pending any more.
  virtual Result<void> ResolveSignup(int64_t id, SignupStatus status, AccountId account_id) = 0;
  // ---- media files (files/*) and metered lookups (phones/check, phones/lookup) -------
  // Stores a new file with its bytes (file.size must equal file.data.size()).
  // kAlreadyExists if the id is taken (by any account), kNotFound for an unknown
  // account, kInvalidArgument for a type other than kMms/kVoice, a malformed id or a
  // size mismatch.
  virtual Result<void> AddMediaFile(const MediaFile& file) = 0;
  // One file of the account; `data` is filled only when `with_data`. kNotFound for an
  // unknown id or another account's file.
  virtual Result<MediaFile> GetMediaFile(AccountId id, const std::string& file_id,
                                         bool with_data) = 0;
  // The account's files (without data), of `type` when given, oldest first (created_ms,
  // then id).
  virtual Result<std::vector<MediaFile>> ListMediaFiles(AccountId id,
                                                        std::optional<MessageType> type) = 0;
  // Removes a file. kNotFound for an unknown id or another account's file. Messages
  // that already name it keep the id (their connector finds the file gone).
  virtual Result<void> DeleteMediaFile(AccountId id, const std::string& file_id) = 0;
  // Takes `units` (> 0, else kInvalidArgument) from the balance of `type` with a ledger
  // entry `note`, atomically: kRejected with detail = type + 1 when the balance holds
  // fewer units (nothing written). An unlimited balance is not charged and gets no
  // ledger entry. kNotFound for an unknown account. (Availability is core's rule.)
  virtual Result<void> ChargeBalance(AccountId id, MessageType type, int64_t units,
                                     const std::string& note, int64_t now_ms) = 0;
  // ---- FTP sources and file progress (SMS via FTP; ADR 0012) -------------------------
  // A new source of `source.account_id` (id, status fields ignored); returns its id.
  // kNotFound for an unknown account.
  virtual Result<int64_t> AddFtpSource(const FtpSource& source) = 0;
  // The sources of account `id` (0: every account's, for the poller and the
  // operator), by id, with their status.
  virtual Result<std::vector<FtpSource>> ListFtpSources(AccountId id) = 0;
  // Removes the source and its file history. kNotFound for an unknown id or
  // another account's source.
  virtual Result<void> RemoveFtpSource(AccountId id, int64_t source_id) = 0;
  // The poller's status of a source: when it last polled and what went wrong
  // ("" = nothing). kNotFound for an unknown source.
  virtual Result<void> SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                          const std::string& error) = 0;
  // Progress of one file of a source: done, and the lines recorded so far
  // (ordered by line, column). An unknown file is not done and has no lines.
  virtual Result<FtpFileState> GetFtpFile(int64_t source_id, const std::string& name) = 0;
  // Durably records what became of these lines (a line already recorded keeps
  // its first result) and adds the new ones to the source's lines_processed.
  // kNotFound for an unknown source.
  virtual Result<void> RecordFtpLines(int64_t source_id, const std::string& name,
                                      const std::vector<FtpLineResult>& lines, int64_t now_ms) = 0;
  // Marks the file done (its result file is written) and counts it in the
  // source's files_processed, once. kNotFound for an unknown source.
  virtual Result<void> FinishFtpFile(int64_t source_id, const std::string& name,
                                     int64_t now_ms) = 0;
  // ---- inbound: numbering plan, inbox, premium answers, quizzes, injected MO
  //      (docs/adr/0011) ---------------------------------------------------------------
  // Adds a number of the plan (id ignored; keyword stored upper case) and returns its
  // id. kAlreadyExists when (number, keyword) is taken (a pool number: the number);
  // kNotFound for an unknown account (pool numbers have none); kInvalidArgument for an
  // empty number, a pool number with an account or another kind without one.
  virtual Result<int64_t> AddInboundNumber(const InboundNumber& number) = 0;
  // Every number of the plan, ordered by id.
  virtual Result<std::vector<InboundNumber>> ListInboundNumbers() = 0;
  // kNotFound for an unknown id.
  virtual Result<void> DeleteInboundNumber(int64_t id) = 0;
  // The latest live outgoing message to `phone` whose sender is `from_number` (a number:
  // store/reply_sender.h) queued at or after `since_ms` (any account); nullopt when none.
  virtual Result<std::optional<ReplyTarget>> FindReplyTarget(const std::string& phone,
                                                             const std::string& from_number,
                                                             int64_t since_ms) = 0;
  // Stores an incoming message (id and read ignored) and returns it as stored. When
  // it belongs to an account (account_id != 0) the account's MO callback, its SQL
  // sources' MO rows (as QueueSqlMo, message_id = the inbox id) and its SMPP users'
  // deliver_sm (AddSmppOutbox) are queued IN THE SAME TRANSACTION (ADR 0007), and the
  // held parts of message.parts_key (if any) are deleted in it too. kNotFound for an
  // unknown account.
  virtual Result<InboxMessage> RecordIncoming(const InboxMessage& message) = 0;
  // The account's incoming messages matching the query (account 0: the operator
  // inbox), by id (newest first when descending); marks the returned page read in
  // the same transaction when query.mark_read.
  virtual Result<InboxPage> QueryInbox(const InboxQuery& query) = 0;
  // kNotFound for an unknown id or another account's message.
  virtual Result<InboxMessage> GetInboxMessage(AccountId id, int64_t inbox_id) = 0;
  // Premium answers: takes one answer of the premium message and returns how many
  // are left. kNotFound: unknown, another account's, or not a premium message;
  // kRejected: no answer left (nothing changed).
  virtual Result<int> TakePremiumAnswer(AccountId id, int64_t inbox_id) = 0;
  // Quizzes (id ignored). kNotFound for an unknown account.
  virtual Result<int64_t> AddQuiz(const Quiz& quiz) = 0;
  // kNotFound for an unknown id or another account's quiz.
  virtual Result<Quiz> GetQuiz(AccountId id, int64_t quiz_id) = 0;
  // Multipart incoming messages: stores one part (a repeat of (key, number)
  // replaces it) and returns every held part of its key, by number.
  virtual Result<std::vector<IncomingPart>> AddIncomingPart(const IncomingPart& part) = 0;
  // Every held part, by key then number.
  virtual Result<std::vector<IncomingPart>> ListIncomingParts() = 0;
  // Queued injections for the simulated network, oldest first (limit < 0: all).
  virtual Result<int64_t> QueueInjectedMo(const InjectedMo& mo) = 0;
  virtual Result<std::vector<InjectedMo>> ListInjectedMo(int limit) = 0;
  // Deleting one that is gone succeeds.
  virtual Result<void> DeleteInjectedMo(int64_t id) = 0;

  // ---- SQL API sources (src/ingest/sql, spec §9, docs/adr/0013) ---------------------
  // Sources belong to an account; the poller's calls (by source id) are the
  // server's own. kNotFound for an unknown account.
  virtual Result<int64_t> CreateSqlSource(const SqlSource& source) = 0;
  // Every source, ordered by id; account_id > 0 keeps that account's only.
  virtual Result<std::vector<SqlSource>> ListSqlSources(AccountId account_id) = 0;
  // Removes the source with its claims and queued MO entries. kNotFound for an
  // unknown id or another account's source.
  virtual Result<void> DeleteSqlSource(AccountId account_id, int64_t source_id) = 0;
  // The poller's view of the customer database. Gone source: success.
  virtual Result<void> SetSqlSourceStatus(int64_t source_id, const std::string& state,
                                          const std::string& last_error, int64_t last_ok_ms,
                                          int failures) = 0;
  // In one transaction: records each claim unless its (source_id, row_id) is
  // claimed already (the first claim wins, repeats change nothing), and returns
  // the stored claim of each, in order. A claim is made before anything is
  // written back to the customer's row, so a row is turned into at most one
  // message (the message itself is deduplicated by its unique_id, ADR 0002).
  virtual Result<std::vector<SqlRowClaim>> ClaimSqlRows(const std::vector<SqlRowClaim>& claims) = 0;
  // Up to `limit` claims of the source not yet reported: invalid rows and rows
  // whose message is final (kDelivered, kUndelivered, kUnsent, kCancelled),
  // by row id. A report stays pending until MarkSqlReported; reading it twice
  // is fine (the write-back is idempotent).
  virtual Result<std::vector<SqlPendingReport>> PendingSqlReports(int64_t source_id, int limit) = 0;
  virtual Result<void> MarkSqlReported(int64_t source_id, const std::vector<int64_t>& row_ids) = 0;
  // An incoming message of entry.account_id for its SQL sources: one entry per
  // source of the account (entry.id and source_id ignored); returns how many
  // (0 when the account has none). An entry already queued for a source with
  // the same message_id is not queued again.
  virtual Result<int> QueueSqlMo(const SqlMoEntry& entry) = 0;
  // The source's entries, oldest first; limit < 0 = all.
  virtual Result<std::vector<SqlMoEntry>> PendingSqlMo(int64_t source_id, int limit) = 0;
  // Inserted into the customer's table: the entries are deleted, in one transaction (gone
  // or unknown ids: success).
  virtual Result<void> AckSqlMo(const std::vector<int64_t>& entry_ids) = 0;

  // ---- web panel (src/panel, docs/adr/0017) -------------------------------------------
  // Sessions are looked up by the hash of their cookie id. Put stores a new
  // session (a repeated id_hash replaces it) and drops every session expired
  // at now_ms. kNotFound for an account_id > 0 that does not exist.
  virtual Result<void> PutPanelSession(const PanelSession& session, int64_t now_ms) = 0;
  // kNotFound for an unknown hash and for a session expired at now_ms.
  virtual Result<PanelSession> GetPanelSession(const std::string& id_hash, int64_t now_ms) = 0;
  // Deleting one that is gone succeeds.
  virtual Result<void> DeletePanelSession(const std::string& id_hash) = 0;
  // Panel settings by key (the operator's password hash). Get: kNotFound when unset.
  virtual Result<void> SetPanelSetting(const std::string& key, const std::string& value) = 0;
  virtual Result<std::string> GetPanelSetting(const std::string& key) = 0;

  // ---- ingest fast path (perf-ingest, docs/adr/0020) ------------------------------------
  // Whether each of `phones` (E.164) is on the account's blacklist, in order: the answers
  // IsBlacklisted gives, for all recipients of a submit at once. The default asks
  // IsBlacklisted per phone; a store may answer from one read (SqliteStore: one reader
  // connection, no lookups at all when the account has no entries).
  virtual Result<std::vector<bool>> AreBlacklisted(AccountId id,
                                                   const std::vector<std::string>& phones);

  // ---- perf-delivery: batched delivery writes (docs/adr/0019) ------------------------
  // The dispatcher and the SMPP server's outbox write many small records per second;
  // these take many in one call so that an implementation can write them in ONE
  // transaction (one commit) instead of one each. Each item gets exactly the effect
  // and guarantees of its single-item method (MarkSent, ApplyReceipt with its
  // callback and SMPP outbox entries queued in the same transaction as the status,
  // DeleteSmppOutbox), applied in the order given: a later item sees what an earlier
  // one did. Every item is idempotent, so a caller may retry a failed batch whole.
  // On success every item is durable. On an error (kUnavailable...) no item is
  // acknowledged; an implementation that writes the batch in one transaction (SQLite,
  // in-memory) has written none, the default implementations below (one call per
  // item, for stores that do not override them) may have written a prefix, each item
  // all or nothing.
  //
  // MarkSent for each; found[i] is false for an unknown id (MarkSent's kNotFound),
  // true otherwise (also for a message already final, which is left unchanged).
  // parts (docs/adr/0028): an item with part_ids.size() >= 2 (a message sent in several
  // submits) also records, in the same transaction, every part's (connector, part id)
  // with the part's status kSent, replacing the parts of an earlier send of the
  // message; ApplyReceipt then resolves a receipt for any of them (see there). Part
  // ids recorded more than kMessagePartsKeepMs before the item's at_ms are forgotten
  // then (the table stays bounded); a receipt for one later resolves as for a
  // single-part message (only the first part's id matches). MarkSent records no parts.
  virtual Result<std::vector<bool>> MarkSentBatch(const std::vector<SentUpdate>& sent);
  static constexpr int64_t kMessagePartsKeepMs = 7LL * 24 * 3600 * 1000;
  // ApplyReceipt for each; result[i] is ApplyReceipt's answer for receipts[i].
  // kInvalidArgument, and nothing written, when any status is neither kDelivered
  // nor kUndelivered.
  //
  // parts (docs/adr/0028): ApplyReceipt(s) first look for a recorded part with
  // (connector, upstream_id) (the newest send's when an id repeats). A part's receipt
  // records the part's status (once: a repeated receipt for a part changes nothing) and
  // decides the message, in the same transaction: kUndelivered with the receipt's
  // reason as soon as one part is undelivered, kDelivered once every part is
  // delivered (at_ms of the deciding receipt); until then the message stays kSent and
  // is returned as it is (matched: the receipt is stored). A final message is
  // returned unchanged. Without a recorded part, the message whose upstream_id it is.
  virtual Result<std::vector<std::optional<Message>>> ApplyReceipts(
      const std::vector<ReceiptUpdate>& receipts);
  // DeleteSmppOutbox for each id (ids that are gone are skipped).
  virtual Result<void> DeleteSmppOutboxBatch(const std::vector<int64_t>& entry_ids);

  // ---- cluster: several nodes on one store (issue 13, docs/adr/0023) -------------------
  // A store shared by several `bramka serve` nodes (PostgresStore) overrides these; the
  // defaults give the single-node semantics (SqliteStore, InMemoryStore).
  //
  // Claimed messages this node hands to the node that holds `connector` (the first
  // usable connector of their route is bound there): each one not final becomes kQueued,
  // lease released, due at now_ms. A shared store also gives the claim back (attempts - 1)
  // and remembers `connector` as the message's route hint: ClaimDue leaves a message
  // whose hint names a connector leased to another live node to that node. Unknown ids
  // are skipped. The default is MarkRetry(id, now_ms, "handed over to <connector>").
  virtual Result<void> HandOverMessages(const std::vector<std::string>& message_ids,
                                        const std::string& connector, int64_t now_ms);
  // The outbox entries of the user this node is to deliver now, oldest first, at most
  // `limit` (< 0: all): ListSmppOutbox's, less those another node is delivering. A shared
  // store leases the returned entries to this node for a while (renewed by the next
  // claim), so two nodes holding binds of one user never both send an entry; an entry
  // of a node that died is another's once the lease expired. The default is
  // ListSmppOutbox (one node: the SMPP server keeps its own entries in flight apart).
  virtual Result<std::vector<SmppOutboxEntry>> ClaimSmppOutbox(int64_t smpp_user_id, int limit,
                                                               int64_t now_ms);

  // ---- perf: one read for a submit's checks (issue 11, docs/adr/0024) ------------------
  // What GatewayService::Prepare reads before an accept, in one call: each member is
  // exactly the answer (or error) of GetBalances(id), GetSender(id, sender) (not asked,
  // and nullopt, when `sender` is empty) and AreBlacklisted(id, phones). The default asks
  // the three; SqliteStore reads them on one reader connection in one read transaction.
  struct SubmitReads {
    Result<std::vector<Balance>> balances = std::vector<Balance>();
    Result<std::optional<Sender>> sender = std::optional<Sender>();
    Result<std::vector<bool>> blacklisted = std::vector<bool>();
  };
  virtual SubmitReads ReadForSubmit(AccountId id, const std::string& sender,
                                    const std::vector<std::string>& phones);

  // ---- ingest: an API token's account in one read (issue 11, docs/adr/0030) ----
  // The account FindAccountByTokenHash(token_hash) names, as GetAccount gives it (kNotFound
  // when no account has that token). The default asks the two; the SQL store reads both in
  // one statement.
  virtual Result<Account> FindAccountByToken(const std::string& token_hash);

  // ---- delivery: one write per delivery cycle (issue 11, docs/adr/0031) ---------------
  // MarkSentBatch(sent) then ApplyReceipts(receipts), in that order (a receipt sees the
  // acceptances before it), each item with exactly the effect and guarantees of its
  // batch method; `found` and `applied` are those methods' answers. kInvalidArgument, and
  // nothing written, when a receipt's status is neither kDelivered nor kUndelivered. A
  // store that overrides it writes both in ONE transaction (one commit: SqliteStore,
  // PostgresStore); on an error nothing is acknowledged. The default calls the two (it
  // may have written the acceptances when the receipts fail; every item is idempotent).
  struct DeliveryWrites {
    std::vector<bool> found;
    std::vector<std::optional<Message>> applied;
  };
  virtual Result<DeliveryWrites> WriteDeliveries(const std::vector<SentUpdate>& sent,
                                                 const std::vector<ReceiptUpdate>& receipts);

  // ---- accept: one read for the submits that arrive together (issue 11, docs/adr/0032) --
  // out[i] is exactly what ReadForSubmit(id, queries[i].sender, queries[i].phones) answers
  // (its answers or errors), for every query, all as of one moment: the SQL stores read
  // them in one read transaction, and read the balances once, each distinct sender once
  // and the blacklist once for all the phones. The default does that too (without the
  // transaction, like the default ReadForSubmit).
  struct SubmitReadQuery {
    std::string sender;  // "": not asked
    std::vector<std::string> phones;
  };
  virtual std::vector<SubmitReads> ReadForSubmits(AccountId id,
                                                  const std::vector<SubmitReadQuery>& queries);

  // ---- e2e: delivery writes pipelined (issue 11, docs/adr/0039) ------------------------
  // WriteDeliveries(sent, receipts) whose answer goes to `done` instead of the caller, so
  // that the caller may hand over the next cycle's writes before this one is durable.
  // `done` runs exactly once, after the commit that holds the writes is durable (or with
  // the error), on any thread — possibly inside this call; it must not make synchronous
  // store calls (it may run on the store's own completion thread). `sent` and `receipts`
  // must stay alive and unchanged until `done` runs. Writes handed over one after the
  // other are applied in that order (a later call's receipts see an earlier call's
  // acceptances). The default answers WriteDeliveries at once, in this call; SqliteStore
  // hands the job to its writer (CallAsync).
  virtual void WriteDeliveriesAsync(const std::vector<SentUpdate>& sent,
                                    const std::vector<ReceiptUpdate>& receipts,
                                    std::function<void(Result<DeliveryWrites>)> done) {
    done(WriteDeliveries(sent, receipts));
  }

  // ---- http: a token's login and a submit's reads at once (issue 11, docs/adr/0038) ----
  // `account` is exactly FindAccountByToken(token_hash)'s answer; when it is an account,
  // `reads` is exactly ReadForSubmit(account->id, sender, phones)'s (otherwise not asked:
  // empty). A store that overrides it reads both as of one moment (SqliteStore: one reader
  // connection, one read transaction); the default asks the two in turn.
  struct TokenSubmitReads {
    Result<Account> account = Account();
    SubmitReads reads;
  };
  virtual TokenSubmitReads ReadForTokenSubmit(const std::string& token_hash,
                                              const std::string& sender,
                                              const std::vector<std::string>& phones);

  // ---- writerread: those reads and the accept they lead to as one write (docs/adr/0057) ----
  // ReadForTokenSubmit(token_hash, sender, phones), then decide(those reads): the request
  // to accept (exactly as AcceptAsync would), or nullopt when nothing is to be written.
  // `decide` runs at most once, before `done`; `done` runs exactly once: with the accept's
  // answer (as AcceptAsync's done), with an empty AcceptResult or the store's error after a
  // nullopt (the caller's decision stands), or with the store's error when the store failed
  // before it could read (decide did not run). The default reads and decides on the calling
  // thread, then calls AcceptAsync. SqliteStore makes the reads, decide and the accept one
  // job of its writer: the reads are made on the writer's connection inside its batch
  // transaction (they see every write queued before them, and cost no read snapshot), and
  // decide runs on the writer thread: it may read the store (on that connection: every read
  // method) but must neither write nor wait for a write.
  using TokenAcceptDecide = std::function<std::optional<AcceptRequest>(TokenSubmitReads&)>;
  virtual void AcceptWithTokenAsync(std::string token_hash, std::string sender,
                                    std::vector<std::string> phones, TokenAcceptDecide decide,
                                    AcceptCallback done);
};

// The checks AddInboundNumber makes before it looks at stored numbers, shared by
// the implementations: kInvalidArgument for an empty number, a pool number with an
// account, or another kind without one.
Result<void> CheckInboundNumber(const InboundNumber& number);

// The SQL API MO row RecordIncoming queues for an account's incoming message (its
// message_id is the inbox id), shared by the implementations.
SqlMoEntry SqlMoEntryOf(const InboxMessage& message);

// perf-delivery (docs/adr/0019): kInvalidArgument when a receipt's status is neither
// kDelivered nor kUndelivered (ApplyReceipts' check, shared by the implementations).
Result<void> CheckReceiptStatuses(const std::vector<ReceiptUpdate>& receipts);

}  // namespace bramka::store
