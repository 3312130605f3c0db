#pragma once
// InMemoryStore: a complete Store kept in process memory, for tests of the
// layers above store/ (core, delivery, adapters). It passes the same
// conformance suite as SqliteStore (store/testing/conformance.h).
//
// Thread-safety: every method takes one mutex. AcceptAsync runs `done`
// inline, on the calling thread, after releasing the mutex.
// Durability: none; "committed" means visible to every later call.
// Tests may derive from it to intercept a method (api/http's server_test gates
// AcceptAsync) without forwarding all the others.

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/store.h"

namespace bramka::store {

class InMemoryStore : public Store {
 public:
  InMemoryStore() = default;

  Result<AccountId> CreateAccount(const std::string& name, const std::string& password_hash,
                                  AccountId parent_id, int64_t now_ms) override;
  Result<Account> GetAccount(AccountId id) override;
  Result<Account> FindAccountByName(const std::string& name) override;
  Result<std::vector<Account>> ListAccounts() override;
  Result<void> SetPasswordHash(AccountId id, const std::string& password_hash) override;
  Result<void> AddApiToken(AccountId id, const std::string& token_hash, const std::string& label,
                           int64_t now_ms) override;
  Result<AccountId> FindAccountByTokenHash(const std::string& token_hash) override;

  Result<std::vector<Balance>> GetBalances(AccountId id) override;
  Result<void> AdjustBalance(AccountId id, MessageType type, int64_t delta, const std::string& note,
                             int64_t now_ms) override;
  Result<void> SetBalanceMode(AccountId id, MessageType type, bool available,
                              bool unlimited) override;
  Result<int64_t> LedgerSumForMessage(const std::string& message_id) override;

  Result<void> SetSender(AccountId id, const std::string& name, SenderStatus status,
                         int64_t now_ms) override;
  Result<std::optional<Sender>> GetSender(AccountId id, const std::string& name) override;
  Result<std::vector<Sender>> ListSenders(AccountId id) override;
  Result<void> AddToBlacklist(AccountId id, const std::string& phone, int64_t now_ms) override;
  Result<bool> IsBlacklisted(AccountId id, const std::string& phone) override;

  Result<uint64_t> ReserveIdBlock(uint64_t count) override;

  void AcceptAsync(AcceptRequest request, AcceptCallback done) override;

  Result<Message> GetMessage(AccountId id, const std::string& message_id) override;
  Result<Message> FindMessageByUniqueId(AccountId id, const std::string& unique_id) override;
  Result<MessagePage> QueryMessages(const MessageQuery& query) override;
  Result<bool> CancelScheduled(AccountId id, const std::string& message_id,
                               int64_t now_ms) override;

  Result<std::vector<Message>> ClaimDue(int64_t now_ms, int limit, const std::string& owner,
                                        int64_t lease_until_ms) override;
  Result<void> MarkSent(const std::string& message_id, const std::string& connector,
                        const std::string& upstream_id, int64_t now_ms) override;
  Result<void> MarkRetry(const std::string& message_id, int64_t next_due_ms,
                         const std::string& error) override;
  Result<void> MarkUnsent(const std::string& message_id, const std::string& reason,
                          int64_t now_ms) override;
  Result<std::optional<Message>> ApplyReceipt(const ReceiptUpdate& receipt) override;
  Result<int64_t> ReleaseLeases(const std::string& owner) override;
  Result<std::vector<Message>> ListSentVia(const std::string& connector, int limit) override;
  Result<std::vector<std::pair<MessageStatus, int64_t>>> CountByStatus() override;
  Result<bool> ReplaceScheduled(AccountId id, const std::string& message_id,
                                const MessageReplacement& replacement, int64_t now_ms) override;

  Result<int64_t> CreateSmppUser(const SmppUser& user) override;
  Result<SmppUser> FindSmppUser(const std::string& system_id) override;
  Result<std::vector<SmppUser>> ListSmppUsers() override;
  Result<int64_t> AddSmppOutbox(const SmppOutboxEntry& entry) override;
  Result<std::vector<SmppOutboxEntry>> ListSmppOutbox(int64_t smpp_user_id, int limit) override;
  Result<void> DeleteSmppOutbox(int64_t entry_id) override;

  Result<Payment> RecordTopUp(const PaymentDraft& draft, int64_t now_ms) override;
  Result<PaymentPage> ListPayments(AccountId id, int page, int limit) override;
  Result<Payment> GetPayment(AccountId id, int64_t payment_id) override;
  Result<Payment> MarkPaymentPaid(int64_t payment_id, int64_t now_ms) override;
  Result<std::vector<StatRow>> QueryStats(const StatQuery& query) override;
  // ---- address book (store.h) ----
  Result<int64_t> CreateGroup(AccountId id, const std::string& name, int64_t now_ms) override;
  Result<Group> GetGroup(AccountId id, int64_t group_id) override;
  Result<GroupPage> ListGroups(const GroupQuery& query) override;
  Result<void> RenameGroup(AccountId id, int64_t group_id, const std::string& name) override;
  Result<void> DeleteGroup(AccountId id, int64_t group_id, bool delete_contacts) override;
  Result<std::vector<ContactInGroup>> FindGroupsOfPhone(AccountId id,
                                                        const std::string& phone) override;
  Result<int64_t> CreateContact(const Contact& contact, int64_t now_ms) override;
  Result<Contact> GetContact(AccountId id, int64_t contact_id) override;
  Result<void> UpdateContact(const Contact& contact) override;
  Result<void> DeleteContact(AccountId id, int64_t contact_id) override;
  Result<ContactPage> ListContacts(const ContactQuery& query) override;
  Result<int64_t> ImportContacts(AccountId id, const std::string& group_name,
                                 const std::vector<Contact>& contacts, int64_t now_ms) override;
  Result<std::vector<std::string>> RecipientPhones(
      AccountId id, const std::vector<int64_t>& group_ids,
      const std::vector<int64_t>& contact_ids) override;
  Result<int64_t> CreateTemplate(AccountId id, const std::string& name, const std::string& text,
                                 int64_t now_ms) override;
  Result<Template> GetTemplate(AccountId id, int64_t template_id) override;
  Result<std::vector<Template>> ListTemplates(AccountId id, bool by_name, bool descending) override;
  Result<void> UpdateTemplate(AccountId id, int64_t template_id, const std::string& name,
                              const std::string& text) override;
  Result<void> DeleteTemplate(AccountId id, int64_t template_id) override;
  Result<int64_t> AddBlacklistEntry(AccountId id, const std::string& phone,
                                    int64_t now_ms) override;
  Result<BlacklistPage> ListBlacklist(const BlacklistQuery& query) override;
  Result<bool> RemoveFromBlacklist(AccountId id, const std::string& phone) override;
  Result<void> DeleteBlacklistEntry(AccountId id, int64_t entry_id) override;
  // ---- media files and metered charges (in_memory_store_media.cc) ----
  Result<void> AddMediaFile(const MediaFile& file) override;
  Result<MediaFile> GetMediaFile(AccountId id, const std::string& file_id, bool with_data) override;
  Result<std::vector<MediaFile>> ListMediaFiles(AccountId id,
                                                std::optional<MessageType> type) override;
  Result<void> DeleteMediaFile(AccountId id, const std::string& file_id) override;
  Result<void> ChargeBalance(AccountId id, MessageType type, int64_t units, const std::string& note,
                             int64_t now_ms) override;

  // ---- callbacks (sqlite_store_callbacks.cc; ADR 0007) ----
  Result<void> SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) override;
  Result<AccountCallbacks> GetAccountCallbacks(AccountId id) override;
  Result<bool> QueueMoCallback(const CallbackEntry& entry) override;
  Result<std::vector<CallbackEntry>> ClaimCallbacks(int64_t now_ms, int limit,
                                                    const std::string& owner,
                                                    int64_t lease_until_ms) override;
  Result<void> AckCallback(int64_t entry_id) override;
  Result<void> RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                             const std::string& error) override;
  Result<void> FailCallback(int64_t entry_id, const std::string& error) override;
  Result<int64_t> ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) override;
  Result<std::vector<CallbackEntry>> ListCallbacks(AccountId id, int limit) override;
  Result<int64_t> RetryFailedCallbacks(AccountId id, int64_t now_ms) override;
  Result<CallbackCounts> CountCallbacks() override;
  // ---- accounts area (in_memory_store_accounts.cc / sqlite_store_accounts.cc) ----
  Result<AccountId> CreateSubaccount(const NewSubaccount& s) override;
  Result<std::vector<Account>> ListSubaccounts(AccountId parent_id) override;
  Result<Account> GetSubaccount(AccountId parent_id, AccountId id) override;
  Result<void> SetSubaccountLimit(AccountId parent_id, AccountId id, MessageType type,
                                  int64_t units, int64_t now_ms) override;
  Result<void> DeleteSubaccount(AccountId parent_id, AccountId id, int64_t now_ms) override;
  Result<void> SetAllowedCidrs(AccountId id, const std::vector<std::string>& cidrs) override;
  Result<void> AddSender(AccountId id, const std::string& name, int64_t now_ms) override;
  Result<int64_t> AddAccountMessage(AccountId id, const std::string& text, int64_t now_ms) override;
  Result<std::vector<AccountMessage>> TakeAccountMessages(AccountId id, int64_t now_ms) override;
  Result<int64_t> AddSignup(const Signup& signup) override;
  Result<std::vector<Signup>> ListSignups() override;
  Result<void> ResolveSignup(int64_t id, SignupStatus status, AccountId account_id) override;

  // ---- SQL API sources (in_memory_store_sql.cc; docs/adr/0013) ----
  Result<int64_t> CreateSqlSource(const SqlSource& source) override;
  Result<std::vector<SqlSource>> ListSqlSources(AccountId account_id) override;
  Result<void> DeleteSqlSource(AccountId account_id, int64_t source_id) override;
  Result<void> SetSqlSourceStatus(int64_t source_id, const std::string& state,
                                  const std::string& last_error, int64_t last_ok_ms,
                                  int failures) override;
  Result<std::vector<SqlRowClaim>> ClaimSqlRows(const std::vector<SqlRowClaim>& claims) override;
  Result<std::vector<SqlPendingReport>> PendingSqlReports(int64_t source_id, int limit) override;
  Result<void> MarkSqlReported(int64_t source_id, const std::vector<int64_t>& row_ids) override;
  Result<int> QueueSqlMo(const SqlMoEntry& entry) override;
  Result<std::vector<SqlMoEntry>> PendingSqlMo(int64_t source_id, int limit) override;
  Result<void> AckSqlMo(const std::vector<int64_t>& entry_ids) override;

  // ---- FTP sources and file progress (in_memory_store_ftp.cc) ----
  Result<int64_t> AddFtpSource(const FtpSource& source) override;
  Result<std::vector<FtpSource>> ListFtpSources(AccountId id) override;
  Result<void> RemoveFtpSource(AccountId id, int64_t source_id) override;
  Result<void> SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                  const std::string& error) override;
  Result<FtpFileState> GetFtpFile(int64_t source_id, const std::string& name) override;
  Result<void> RecordFtpLines(int64_t source_id, const std::string& name,
                              const std::vector<FtpLineResult>& lines, int64_t now_ms) override;
  Result<void> FinishFtpFile(int64_t source_id, const std::string& name, int64_t now_ms) override;
  // ---- inbound (docs/adr/0011) ----
  Result<int64_t> AddInboundNumber(const InboundNumber& number) override;
  Result<std::vector<InboundNumber>> ListInboundNumbers() override;
  Result<void> DeleteInboundNumber(int64_t id) override;
  Result<std::optional<ReplyTarget>> FindReplyTarget(const std::string& phone,
                                                     const std::string& from_number,
                                                     int64_t since_ms) override;
  Result<InboxMessage> RecordIncoming(const InboxMessage& message) override;
  Result<InboxPage> QueryInbox(const InboxQuery& query) override;
  Result<InboxMessage> GetInboxMessage(AccountId id, int64_t inbox_id) override;
  Result<int> TakePremiumAnswer(AccountId id, int64_t inbox_id) override;
  Result<int64_t> AddQuiz(const Quiz& quiz) override;
  Result<Quiz> GetQuiz(AccountId id, int64_t quiz_id) override;
  Result<std::vector<IncomingPart>> AddIncomingPart(const IncomingPart& part) override;
  Result<std::vector<IncomingPart>> ListIncomingParts() override;
  Result<int64_t> QueueInjectedMo(const InjectedMo& mo) override;
  Result<std::vector<InjectedMo>> ListInjectedMo(int limit) override;
  Result<void> DeleteInjectedMo(int64_t id) override;
  // ---- web panel (docs/adr/0017) ----
  Result<void> PutPanelSession(const PanelSession& session, int64_t now_ms) override;
  Result<PanelSession> GetPanelSession(const std::string& id_hash, int64_t now_ms) override;
  Result<void> DeletePanelSession(const std::string& id_hash) override;
  Result<void> SetPanelSetting(const std::string& key, const std::string& value) override;
  Result<std::string> GetPanelSetting(const std::string& key) override;

 private:
  static constexpr size_t kTypes = 6;
  struct Record {
    Message message;
    uint64_t seq = 0;  // insertion order, the tie-breaker of ClaimDue
    std::string lease_owner;
    int64_t lease_until_ms = 0;
    int64_t charged = 0;  // units taken from the balance and not refunded
    std::string last_error;
  };
  struct LedgerEntry {
    AccountId account_id;
    MessageType type;
    int64_t delta;
    std::string message_id;
    std::string note;
    int64_t at_ms;
  };

  Result<AcceptResult> AcceptLocked(AcceptRequest& request);
  Record* FindLocked(const std::string& message_id);
  // Returns the charge of the record to its balance and the ledger.
  void RefundLocked(Record& record, const std::string& note, int64_t now_ms);

  std::mutex mu_;
  AccountId next_account_id_ = 1;
  std::map<AccountId, Account> accounts_;
  std::unordered_map<std::string, AccountId> tokens_;
  std::map<AccountId, std::array<Balance, kTypes>> balances_;
  std::vector<LedgerEntry> ledger_;
  std::unordered_map<std::string, int64_t> ledger_by_message_;
  std::map<std::pair<AccountId, std::string>, Sender> senders_;
  std::map<std::pair<AccountId, std::string>, BlacklistEntry> blacklist_;
  uint64_t next_id_sequence_ = 1;
  uint64_t next_seq_ = 1;
  std::vector<std::unique_ptr<Record>> messages_;
  std::unordered_map<std::string, Record*> by_id_;
  std::map<std::pair<AccountId, std::string>, Record*> live_by_unique_id_;
  std::map<std::pair<std::string, std::string>, Record*> by_upstream_;
  std::map<int64_t, SmppUser> smpp_users_;
  std::map<int64_t, SmppOutboxEntry> smpp_outbox_;
  int64_t next_smpp_outbox_id_ = 1;
  std::vector<Payment> payments_;  // billing, in id order (ids from 1)

  // ---- address book (in_memory_store_addressbook.cc) ----
  int64_t AddBlacklistLocked(AccountId id, const std::string& phone, int64_t now_ms);
  int64_t GroupCountLocked(int64_t group_id) const;
  std::map<int64_t, Group> groups_;      // count is computed on read
  std::map<int64_t, Contact> contacts_;  // group_ids ascending
  std::map<int64_t, Template> templates_;
  int64_t next_group_id_ = 1;
  int64_t next_contact_id_ = 1;
  int64_t next_template_id_ = 1;
  int64_t next_blacklist_id_ = 1;

  // ---- callbacks (in_memory_store_callbacks.cc) ----
  // Under mu_: queues the DLR entry of a message that just became final (the
  // same transaction as the status change) / an MO entry with the account's
  // template (false when it has none). For the store's own write paths.
  bool QueueDlrCallbackLocked(const Message& message, int64_t now_ms);  // true: queued
  bool QueueMoCallbackLocked(const CallbackEntry& entry);
  // The SMPP outbox entries the store queues itself (store.h, AddSmppOutbox).
  void QueueSmppReceiptLocked(const Message& message, int64_t now_ms);
  void QueueSmppMoLocked(const InboxMessage& message);
  int QueueSqlMoLocked(const SqlMoEntry& entry);
  struct LeasedCallback {
    CallbackEntry entry;
    std::string lease_owner;
  };
  std::map<AccountId, AccountCallbacks> account_callbacks_;
  std::map<int64_t, LeasedCallback> callbacks_;
  int64_t next_callback_id_ = 1;

  // ---- accounts area ----
  // Moves `units` of `type` between a parent and its subaccount (negative:
  // back to the parent); kRejected when the parent cannot cover it.
  Result<void> TransferLocked(AccountId parent_id, AccountId sub_id, MessageType type,
                              int64_t units, int64_t now_ms);
  Account* LiveSubaccountLocked(AccountId parent_id, AccountId id);
  struct StoredAccountMessage {
    int64_t id;
    AccountId account_id;
    std::string text;
    int64_t created_ms;
    int64_t read_ms;
  };
  std::vector<StoredAccountMessage> account_messages_;
  std::map<int64_t, Signup> signups_;
  // ---- media (in_memory_store_media.cc) ----
  std::map<std::string, MediaFile> media_files_;  // by id
  // ---- FTP sources (in_memory_store_ftp.cc) ----
  std::map<int64_t, FtpSource> ftp_sources_;
  int64_t next_ftp_source_id_ = 1;
  std::map<std::pair<int64_t, std::string>, FtpFileState> ftp_files_;
  // ---- inbound (in_memory_store_inbound.cc) ----
  std::map<int64_t, InboundNumber> inbound_numbers_;
  int64_t next_inbound_number_id_ = 1;
  std::map<int64_t, InboxMessage> inbox_;
  int64_t next_inbox_id_ = 1;
  std::map<int64_t, Quiz> quizzes_;
  int64_t next_quiz_id_ = 1;
  std::map<int64_t, InjectedMo> injected_mo_;
  std::map<std::pair<std::string, int>, IncomingPart> incoming_parts_;
  int64_t next_injected_mo_id_ = 1;
  // ---- SQL API sources (in_memory_store_sql.cc) ----
  std::map<int64_t, SqlSource> sql_sources_;
  int64_t next_sql_source_id_ = 1;
  struct SqlClaimRecord {
    SqlRowClaim claim;
    bool reported = false;
  };
  std::map<std::pair<int64_t, int64_t>, SqlClaimRecord> sql_claims_;
  std::map<int64_t, SqlMoEntry> sql_mo_;
  int64_t next_sql_mo_id_ = 1;
  // ---- web panel (in_memory_store_panel.cc) ----
  std::map<std::string, PanelSession> panel_sessions_;
  std::map<std::string, std::string> panel_settings_;

  // ---- perf-delivery: batched delivery writes (in_memory_store_delivery_batch.cc) ----
 public:
  Result<std::vector<bool>> MarkSentBatch(const std::vector<SentUpdate>& sent) override;
  Result<std::vector<std::optional<Message>>> ApplyReceipts(
      const std::vector<ReceiptUpdate>& receipts) override;
  Result<void> DeleteSmppOutboxBatch(const std::vector<int64_t>& entry_ids) override;

 private:
  // Under mu_: MarkSent (false: unknown id) and ApplyReceipt (status already checked).
  bool MarkSentLocked(const SentUpdate& sent);
  std::optional<Message> ApplyReceiptLocked(const ReceiptUpdate& receipt);

  // ---- parts: the part ids of long messages (in_memory_store_parts.cc, ADR 0028) ----
  // What message_parts holds in the SQL stores, under mu_.
  struct PartRow {
    Record* record = nullptr;
    std::string connector;
    std::string upstream_id;
    MessageStatus status = MessageStatus::kSent;
    std::string reason;
    int64_t sent_ms = 0;
  };
  void RecordPartsLocked(Record& record, const SentUpdate& sent);
  // Forgets the parts of record `seq` (only if recorded at `sent_ms`, when given).
  void ErasePartsLocked(uint64_t seq, std::optional<int64_t> sent_ms);
  // nullopt: the receipt names no recorded part (ApplyReceiptLocked goes on as before).
  std::optional<std::optional<Message>> ApplyPartReceiptLocked(const ReceiptUpdate& receipt);
  // Sets a message final by a receipt (callbacks queued); true when a DLR callback was.
  bool FinishByReceiptLocked(Record& record, MessageStatus status, const std::string& reason,
                             int64_t at_ms);
  std::map<std::pair<uint64_t, int>, PartRow> parts_;  // by (record seq, part number)
  // (connector, upstream id) -> the parts with it, by record seq (newest last).
  std::map<std::pair<std::string, std::string>, std::map<uint64_t, int>> parts_by_upstream_;
  std::deque<std::pair<int64_t, uint64_t>> parts_order_;  // (sent_ms, record seq), oldest first
};

}  // namespace bramka::store
