#pragma once
// PostgresStore: the Store on a PostgreSQL server (libpq), for installations
// that outgrow one SQLite file and, later, for several bramka nodes sharing
// one database (issue 13, docs/adr/0022). Passes the conformance suite
// (store/testing/conformance.h).
//
// Durability: a write is acknowledged (returns, or its callback runs) only
// after the COMMIT that contains it (with the server's synchronous_commit).
//
// Concurrency: a pool of connections (postgres/pool.h). A write method runs
// in one SERIALIZABLE transaction, retried on serialization failures, so the
// same read-check-write jobs as SqliteStore's stay correct with several
// writers and several nodes; the hot paths use READ COMMITTED with row locks
// instead (docs/adr/0022): the delivery methods lock the message they change,
// accepts lock their account's balance rows, and ClaimDue / ClaimCallbacks
// lease rows with FOR UPDATE SKIP LOCKED (nodes skip each other's rows
// instead of waiting). Reads run in autocommit on pooled connections.
// AcceptAsync has group commit: queued accepts share one transaction (a
// savepoint each) and one COMMIT; `done` runs on a batch thread after it and
// may call the store. Accept inserts all of a request's messages (and their
// ledger rows) with multi-row INSERTs: a few round trips whatever the number
// of messages.
//
// Errors: store.h's, plus: an unreachable server, a lost connection, a full
// disk, or too many conflicting retries are kUnavailable (nothing of the failed
// transaction was written); a database migrated by a newer bramka is kCorrupt
// at Open.
//
// Schema: versioned migrations in postgres/migrations.cc, applied at Open
// under an advisory lock.

#include <cstdint>
#include <memory>
#include <string>

#include "common/ids.h"
#include "common/result.h"
#include "store/cluster.h"
#include "store/store.h"

namespace bramka::store {

namespace postgres {
class Pool;
}  // namespace postgres

struct PostgresOptions {
  // libpq connection string or URL: postgres://user[:password]@host:port/db
  // (also ?host=/socket/dir&sslmode=...). The password may come from PGPASSWORD
  // or ~/.pgpass instead.
  std::string conninfo;
  int connections = 8;    // pooled connections
  int async_workers = 4;  // threads running AcceptAsync
  // The key of the MessageIdCodec that makes the ids accepted (core's);
  // messages are stored under the sequence decoded from their id.
  uint64_t message_id_key = 0x6272616d6b61ULL;
  // ---- cluster (docs/adr/0023) ----
  // This node's id: the owner of the SMPP outbox entries it claims (ClaimSmppOutbox),
  // the same id its dispatcher and callback sender lease under.
  std::string node_id = "node-1";
  int64_t outbox_lease_ms = 60'000;  // how long a claimed outbox entry is this node's
};

class PostgresStore final : public Store, public ClusterCoordinator {
 public:
  // Connects and migrates the database to the latest schema.
  // kUnavailable: cannot connect; kCorrupt: a schema newer than this binary
  // knows; kInvalidArgument: no connection string.
  static Result<std::unique_ptr<PostgresStore>> Open(const PostgresOptions& options);
  // Waits for every queued AcceptAsync to commit and its callback to run.
  ~PostgresStore() override;

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
  // One transaction per batch (ADR 0019), not the Store defaults' one per item.
  Result<std::vector<bool>> MarkSentBatch(const std::vector<SentUpdate>& sent) override;
  Result<std::vector<std::optional<Message>>> ApplyReceipts(
      const std::vector<ReceiptUpdate>& receipts) override;
  Result<int64_t> ReleaseLeases(const std::string& owner) override;
  Result<std::vector<Message>> ListSentVia(const std::string& connector, int limit) override;
  // One GROUP BY over the messages (PostgreSQL keeps no counters for us).
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
  // ---- media files and metered charges (postgres_store_media.cc) ----
  Result<void> AddMediaFile(const MediaFile& file) override;
  Result<MediaFile> GetMediaFile(AccountId id, const std::string& file_id, bool with_data) override;
  Result<std::vector<MediaFile>> ListMediaFiles(AccountId id,
                                                std::optional<MessageType> type) override;
  Result<void> DeleteMediaFile(AccountId id, const std::string& file_id) override;
  Result<void> ChargeBalance(AccountId id, MessageType type, int64_t units, const std::string& note,
                             int64_t now_ms) override;

  // ---- callbacks (postgres_store_callbacks.cc; ADR 0007) ----
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
  // ---- accounts area (in_memory_store_accounts.cc / postgres_store_accounts.cc) ----
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

  // ---- SQL API sources (postgres_store_sql.cc; docs/adr/0013) ----
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

  // ---- web panel (postgres_store_panel.cc; docs/adr/0017) ----
  Result<void> PutPanelSession(const PanelSession& session, int64_t now_ms) override;
  Result<PanelSession> GetPanelSession(const std::string& id_hash, int64_t now_ms) override;
  Result<void> DeletePanelSession(const std::string& id_hash) override;
  Result<void> SetPanelSetting(const std::string& key, const std::string& value) override;
  Result<std::string> GetPanelSetting(const std::string& key) override;

  // ---- cluster (postgres_store_cluster.cc; docs/adr/0023) ----
  // ClaimDue (postgres_store_messages.cc) skips messages whose route hint names a
  // connector leased to another live node.
  Result<void> HandOverMessages(const std::vector<std::string>& message_ids,
                                const std::string& connector, int64_t now_ms) override;
  Result<std::vector<SmppOutboxEntry>> ClaimSmppOutbox(int64_t smpp_user_id, int limit,
                                                       int64_t now_ms) override;
  Result<ClusterView> Heartbeat(const std::string& node, const std::string& info,
                                int64_t node_timeout_ms) override;
  Result<bool> AcquireLease(const std::string& name, const std::string& node, int64_t lease_ms,
                            bool ready) override;
  Result<void> ReleaseLease(const std::string& name, const std::string& node) override;
  Result<std::vector<std::string>> ReapDeadNodes(const std::string& self,
                                                 int64_t node_timeout_ms) override;
  Result<void> LeaveCluster(const std::string& node) override;

  // Transactions committed and retried (serialization failures) since Open.
  uint64_t commit_count() const;
  uint64_t retry_count() const;

  // ---- FTP sources and file progress (postgres_store_ftp.cc) ----
  Result<int64_t> AddFtpSource(const FtpSource& source) override;
  Result<std::vector<FtpSource>> ListFtpSources(AccountId id) override;
  Result<void> RemoveFtpSource(AccountId id, int64_t source_id) override;
  Result<void> SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                  const std::string& error) override;
  Result<FtpFileState> GetFtpFile(int64_t source_id, const std::string& name) override;
  Result<void> RecordFtpLines(int64_t source_id, const std::string& name,
                              const std::vector<FtpLineResult>& lines, int64_t now_ms) override;
  Result<void> FinishFtpFile(int64_t source_id, const std::string& name, int64_t now_ms) override;

 private:
  PostgresStore(std::unique_ptr<postgres::Pool> pool, uint64_t message_id_key);
  // The row key of a message id; nullopt for an id that is not 10 lowercase
  // hex characters (no such message).
  std::optional<int64_t> SeqOf(const std::string& message_id) const;

  const MessageIdCodec codec_;
  // Reads (readers_->With) and writes (writer_->Call) share one pool; the two
  // names keep the queries' code shaped like SqliteStore's.
  std::unique_ptr<postgres::Pool> pool_;
  postgres::Pool* readers_;
  postgres::Pool* writer_;
  std::string node_id_;           // cluster: set by Open
  int64_t outbox_lease_ms_ = 0;   // cluster: set by Open
};

}  // namespace bramka::store
