#pragma once
// SqliteStore: the embedded default Store, one SQLite file in the data
// directory. Passes the conformance suite (store/testing/conformance.h).
//
// Durability: WAL with synchronous=FULL; a write is acknowledged (returns, or
// its callback runs) only after the COMMIT that contains it.
//
// Concurrency: one writer thread with group commit (see sqlite/writer.h):
// every write method enqueues a job; the writer runs all queued jobs in one
// transaction, a SAVEPOINT per job, and commits once. Reads run on a small
// pool of read-only connections beside the writer. Every method is
// thread-safe. AcceptAsync's `done` runs on the store's completion thread; it
// may call the store (even synchronously) but should not block for long.
//
// Errors: store.h's, plus: a full disk or a read-only / unreadable file is
// kUnavailable with SQLite's message (and nothing of the failed batch is
// acknowledged); a file written by a newer bramka is kCorrupt at Open.
//
// Schema: versioned migrations in sqlite/migrations.cc, applied at Open.

#include <cstdint>
#include <memory>
#include <string>

#include "common/ids.h"
#include "common/result.h"
#include "store/store.h"

namespace bramka::store {

namespace sqlite {
class ReaderPool;
class Writer;
}  // namespace sqlite

struct SqliteOptions {
  std::string path;          // the database file; created when missing
  int max_batch = 1024;      // write jobs per transaction at most
  int read_connections = 4;  // size of the read pool
  int busy_timeout_ms = 5000;
  // The key of the MessageIdCodec that makes the ids accepted (core's; it
  // defaults to MessageIdCodec's default). Messages are stored under the
  // sequence number decoded from their id, so that inserts append; with a
  // different key everything still works, only slower (random inserts).
  uint64_t message_id_key = 0x6272616d6b61ULL;
  // Tests: caps the file at this many pages (PRAGMA max_page_count) to play a
  // full disk. 0 = no cap.
  int64_t max_page_count = 0;
};

class SqliteStore final : public Store {
 public:
  // Opens or creates the file and migrates it to the latest schema.
  // kUnavailable: cannot open or write the file; kCorrupt: not a database, or
  // a schema newer than this binary knows; kInvalidArgument: no file path.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);
  // Waits for every queued write to commit and every callback to run.
  ~SqliteStore() override;

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
  // Served from counters the writer keeps (no table scan per scrape).
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
  Result<std::vector<Template>> ListTemplates(AccountId id, bool by_name,
                                              bool descending) override;
  Result<void> UpdateTemplate(AccountId id, int64_t template_id, const std::string& name,
                              const std::string& text) override;
  Result<void> DeleteTemplate(AccountId id, int64_t template_id) override;
  Result<int64_t> AddBlacklistEntry(AccountId id, const std::string& phone,
                                    int64_t now_ms) override;
  Result<BlacklistPage> ListBlacklist(const BlacklistQuery& query) override;
  Result<bool> RemoveFromBlacklist(AccountId id, const std::string& phone) override;
  Result<void> DeleteBlacklistEntry(AccountId id, int64_t entry_id) override;
  // ---- media files and metered charges (sqlite_store_media.cc) ----
  Result<void> AddMediaFile(const MediaFile& file) override;
  Result<MediaFile> GetMediaFile(AccountId id, const std::string& file_id,
                                 bool with_data) override;
  Result<std::vector<MediaFile>> ListMediaFiles(AccountId id,
                                                std::optional<MessageType> type) override;
  Result<void> DeleteMediaFile(AccountId id, const std::string& file_id) override;
  Result<void> ChargeBalance(AccountId id, MessageType type, int64_t units,
                             const std::string& note, int64_t now_ms) override;

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
  Result<int64_t> AddAccountMessage(AccountId id, const std::string& text,
                                    int64_t now_ms) override;
  Result<std::vector<AccountMessage>> TakeAccountMessages(AccountId id, int64_t now_ms) override;
  Result<int64_t> AddSignup(const Signup& signup) override;
  Result<std::vector<Signup>> ListSignups() override;
  Result<void> ResolveSignup(int64_t id, SignupStatus status, AccountId account_id) override;

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


  // ---- SQL API sources (sqlite_store_sql.cc; docs/adr/0013) ----
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
  Result<void> AckSqlMo(int64_t entry_id) override;

  // Transactions committed since Open (tests and metrics: group commit shows
  // as far fewer commits than writes).
  uint64_t commit_count() const;

  // ---- FTP sources and file progress (sqlite_store_ftp.cc) ----
  Result<int64_t> AddFtpSource(const FtpSource& source) override;
  Result<std::vector<FtpSource>> ListFtpSources(AccountId id) override;
  Result<void> RemoveFtpSource(AccountId id, int64_t source_id) override;
  Result<void> SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                  const std::string& error) override;
  Result<FtpFileState> GetFtpFile(int64_t source_id, const std::string& name) override;
  Result<void> RecordFtpLines(int64_t source_id, const std::string& name,
                              const std::vector<FtpLineResult>& lines, int64_t now_ms) override;
  Result<void> FinishFtpFile(int64_t source_id, const std::string& name, int64_t now_ms) override;
  // ---- web panel (docs/adr/0017) ----
  Result<void> PutPanelSession(const PanelSession& session, int64_t now_ms) override;
  Result<PanelSession> GetPanelSession(const std::string& id_hash, int64_t now_ms) override;
  Result<void> DeletePanelSession(const std::string& id_hash) override;
  Result<void> SetPanelSetting(const std::string& key, const std::string& value) override;
  Result<std::string> GetPanelSetting(const std::string& key) override;

  // ---- ingest fast path (sqlite_store_ingest.cc, docs/adr/0020) ----
  Result<std::vector<bool>> AreBlacklisted(AccountId id,
                                           const std::vector<std::string>& phones) override;

  // ---- perf-delivery: batched delivery writes (docs/adr/0019) ----
  // sqlite_store_messages.cc / sqlite_store_smpp.cc: one write job per batch.
  Result<std::vector<bool>> MarkSentBatch(const std::vector<SentUpdate>& sent) override;
  Result<std::vector<std::optional<Message>>> ApplyReceipts(
      const std::vector<ReceiptUpdate>& receipts) override;
  Result<void> DeleteSmppOutboxBatch(const std::vector<int64_t>& entry_ids) override;

  // ---- perf (sqlite_store_perf.cc, docs/adr/0024) ----
  SubmitReads ReadForSubmit(AccountId id, const std::string& sender,
                            const std::vector<std::string>& phones) override;

 private:
  SqliteStore(std::unique_ptr<sqlite::ReaderPool> readers, std::unique_ptr<sqlite::Writer> writer,
              uint64_t message_id_key);
  // The row key of a message id; nullopt for an id that is not 10 lowercase
  // hex characters (no such message).
  std::optional<int64_t> SeqOf(const std::string& message_id) const;

  const MessageIdCodec codec_;
  std::unique_ptr<sqlite::ReaderPool> readers_;
  std::unique_ptr<sqlite::Writer> writer_;
};

}  // namespace bramka::store
