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
                                        const MessageReplacement& replacement,
                                        int64_t now_ms) = 0;

  // ---- delivery ------------------------------------------------------------------
  // Leases up to `limit` messages that are kSaved or kQueued, due (due_ms <=
  // now) and not leased (lease expired), oldest due first; sets them kQueued,
  // leased to `owner` until `lease_until_ms`, attempts + 1. Returns them as
  // updated. Ties of due_ms come in an order of the implementation's choosing.
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
  // limit < 0 means no limit.
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
  virtual Result<int64_t> AddSmppOutbox(const SmppOutboxEntry& entry) = 0;
  // Up to `limit` entries of the user, oldest (lowest id) first; limit < 0 = all.
  virtual Result<std::vector<SmppOutboxEntry>> ListSmppOutbox(int64_t smpp_user_id,
                                                              int limit) = 0;
  // Removes an entry; deleting one that is gone succeeds (acks may repeat).
  virtual Result<void> DeleteSmppOutbox(int64_t entry_id) = 0;

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
};

}  // namespace bramka::store
