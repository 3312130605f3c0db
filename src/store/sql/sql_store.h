#pragma once
// SqlStore<B>: the parts of the Store that SqliteStore and PostgresStore run
// with the same SQL, written once (docs/adr/0027). Both stores derive from it
// and implement the rest themselves, where their engines differ: accepting and
// delivering messages, the SMPP outbox, ClaimCallbacks.
//
// B, the backend, names the engine's types and is all the shared code may use:
//   Connection    Prepare(static const char*), PrepareDynamic(std::string),
//                 Changes(), LastInsertId()
//   Stmt          Bind*/Step/Run/Int/Text (store/sqlite/connection.h's shape)
//   WriteContext  has `Connection& conn`
//   Reads         With(fn(Connection&)) -> fn's Result, a read outside a write
//   Writes        Call<T>(fn(WriteContext&)) -> Result<T>, one committed
//                 transaction (retried by the engine where it must be)
//   kGroupIdList  SQL: the comma-separated ids of contacts.id's groups
// The SQL is written in SQLite's dialect (`?N` parameters) with the syntax both
// engines accept; postgres::Connection translates the parameters. A member that
// needs an engine's own helper calls it unqualified (RecordIncoming's
// QueueSmppMoInTx): argument-dependent lookup on the engine's Connection finds it
// at the instantiation.
//
// The definitions of the members are in sql_store_<area>.h; each engine
// instantiates them once (sqlite/sqlite_store_shared.cc,
// postgres/postgres_store_shared.cc) and declares `extern template` beside its
// store, so no other file compiles them again.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "store/store.h"

namespace bramka::store::sql {

template <class B>
class SqlStore : public Store {
 public:
  // ---- accounts, tokens, balances, senders, blacklist (sql_store_basics.h) ----
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
  // ---- address book (sql_store_addressbook.h) ----
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

  // ---- accounts area (sql_store_accounts.h; docs/adr/0008) ----
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

  // ---- FTP sources and their file progress (sql_store_ftp.h) ----
  Result<int64_t> AddFtpSource(const FtpSource& s) override;
  Result<std::vector<FtpSource>> ListFtpSources(AccountId id) override;
  Result<void> RemoveFtpSource(AccountId id, int64_t source_id) override;
  Result<void> SetFtpSourceStatus(int64_t source_id, int64_t poll_ms,
                                  const std::string& error) override;
  Result<FtpFileState> GetFtpFile(int64_t source_id, const std::string& name) override;
  Result<void> RecordFtpLines(int64_t source_id, const std::string& name,
                              const std::vector<FtpLineResult>& lines, int64_t now_ms) override;
  Result<void> FinishFtpFile(int64_t source_id, const std::string& name, int64_t now_ms) override;
  // ---- SQL API sources, their row claims and MO queue (sql_store_sql.h) ----
  Result<int64_t> CreateSqlSource(const SqlSource& o) override;
  Result<std::vector<SqlSource>> ListSqlSources(AccountId account_id) override;
  Result<void> DeleteSqlSource(AccountId account_id, int64_t source_id) override;
  Result<void> SetSqlSourceStatus(int64_t source_id, const std::string& state,
                                  const std::string& last_error, int64_t last_ok_ms,
                                  int failures) override;
  Result<std::vector<SqlRowClaim>> ClaimSqlRows(const std::vector<SqlRowClaim>& claims) override;
  Result<std::vector<SqlPendingReport>> PendingSqlReports(int64_t source_id, int limit) override;
  Result<void> MarkSqlReported(int64_t source_id, const std::vector<int64_t>& row_ids) override;
  Result<int> QueueSqlMo(const SqlMoEntry& e) override;
  Result<std::vector<SqlMoEntry>> PendingSqlMo(int64_t source_id, int limit) override;
  Result<void> AckSqlMo(const std::vector<int64_t>& entry_ids) override;
  // ---- web panel sessions and settings (sql_store_panel.h) ----
  Result<void> PutPanelSession(const PanelSession& s, int64_t now_ms) override;
  Result<PanelSession> GetPanelSession(const std::string& id_hash, int64_t now_ms) override;
  Result<void> DeletePanelSession(const std::string& id_hash) override;
  Result<void> SetPanelSetting(const std::string& key, const std::string& value) override;
  Result<std::string> GetPanelSetting(const std::string& key) override;
  // ---- media files (sql_store_media.h) ----
  Result<void> AddMediaFile(const MediaFile& file) override;
  Result<MediaFile> GetMediaFile(AccountId id, const std::string& file_id, bool with_data) override;
  Result<std::vector<MediaFile>> ListMediaFiles(AccountId id,
                                                std::optional<MessageType> type) override;
  Result<void> DeleteMediaFile(AccountId id, const std::string& file_id) override;
  Result<void> ChargeBalance(AccountId id, MessageType type, int64_t units, const std::string& note,
                             int64_t now_ms) override;
  // ---- payments (sql_store_billing.h) ----
  Result<Payment> RecordTopUp(const PaymentDraft& d, int64_t now_ms) override;
  Result<PaymentPage> ListPayments(AccountId id, int page, int limit) override;
  Result<Payment> GetPayment(AccountId id, int64_t payment_id) override;
  Result<Payment> MarkPaymentPaid(int64_t payment_id, int64_t now_ms) override;
  Result<std::vector<StatRow>> QueryStats(const StatQuery& q) override;

  // ---- inbound (sql_store_inbound.h; docs/adr/0011) ----
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

  // ---- callbacks (sql_store_callbacks.h; ADR 0007; ClaimCallbacks is the engine's) ----
  Result<void> SetAccountCallbacks(AccountId id, const AccountCallbacks& callbacks) override;
  Result<AccountCallbacks> GetAccountCallbacks(AccountId id) override;
  Result<bool> QueueMoCallback(const CallbackEntry& entry) override;
  Result<void> AckCallback(int64_t entry_id) override;
  Result<void> RetryCallback(int64_t entry_id, int64_t next_attempt_ms,
                             const std::string& error) override;
  Result<void> FailCallback(int64_t entry_id, const std::string& error) override;
  Result<int64_t> ReleaseCallbackLeases(const std::string& owner, int64_t now_ms) override;
  Result<std::vector<CallbackEntry>> ListCallbacks(AccountId id, int limit) override;
  Result<int64_t> RetryFailedCallbacks(AccountId id, int64_t now_ms) override;
  Result<CallbackCounts> CountCallbacks() override;

  // ---- reading messages (sql_store_messages.h) ----
  Result<Message> GetMessage(AccountId id, const std::string& message_id) override;
  Result<Message> FindMessageByUniqueId(AccountId id, const std::string& unique_id) override;
  Result<MessagePage> QueryMessages(const MessageQuery& query) override;

  // ---- ingest: an API token's account in one read (sql_store_basics.h, docs/adr/0030) ----
  Result<Account> FindAccountByToken(const std::string& token_hash) override;

 protected:
  using Connection = typename B::Connection;
  using Stmt = typename B::Stmt;
  using WriteContext = typename B::WriteContext;

  explicit SqlStore(uint64_t message_id_key) : codec_(message_id_key) {}
  // The engine's read pool and writer; set once by the derived constructor and
  // outliving every call.
  void AttachSql(typename B::Reads* reads, typename B::Writes* writes) {
    reads_ = reads;
    writes_ = writes;
  }

  // The row key of a message id (messages are stored under the sequence number
  // their id encodes); nullopt for an id that is not 10 lowercase hex
  // characters (no such message).
  std::optional<int64_t> SeqOf(const std::string& message_id) const {
    if (!MessageIdCodec::IsWellFormed(message_id)) return std::nullopt;
    return static_cast<int64_t>(codec_.Decode(message_id));
  }

  template <class Fn>
  auto Read(Fn&& fn) {
    return reads_->With(std::forward<Fn>(fn));
  }
  template <class T, class Fn>
  Result<T> Write(Fn&& fn) {
    return writes_->template Call<T>(std::forward<Fn>(fn));
  }

  const MessageIdCodec codec_;

 private:
  typename B::Reads* reads_ = nullptr;
  typename B::Writes* writes_ = nullptr;
};

}  // namespace bramka::store::sql
