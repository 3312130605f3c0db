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
#include "store/postgres/backend.h"
#include "store/sql/sql_store.h"
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

extern template class sql::SqlStore<postgres::Backend>;

class PostgresStore final : public sql::SqlStore<postgres::Backend>, public ClusterCoordinator {
 public:
  // Connects and migrates the database to the latest schema.
  // kUnavailable: cannot connect; kCorrupt: a schema newer than this binary
  // knows; kInvalidArgument: no connection string.
  static Result<std::unique_ptr<PostgresStore>> Open(const PostgresOptions& options);
  // Waits for every queued AcceptAsync to commit and its callback to run.
  ~PostgresStore() override;

  // Accounts, tokens, balances, senders, the blacklist, the address book, the accounts area,
  // inbound, callbacks (but ClaimCallbacks), reading messages, media, payments and
  // statistics, FTP and SQL API sources and the web panel are sql::SqlStore's (store/sql/,
  // docs/adr/0027).

  Result<uint64_t> ReserveIdBlock(uint64_t count) override;

  void AcceptAsync(AcceptRequest request, AcceptCallback done) override;

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

  // ---- callbacks (postgres_store_callbacks.cc; ADR 0007) ----
  Result<std::vector<CallbackEntry>> ClaimCallbacks(int64_t now_ms, int limit,
                                                    const std::string& owner,
                                                    int64_t lease_until_ms) override;

  // ---- cluster (postgres_store_cluster.cc; docs/adr/0023) ----
  // ClaimDue (postgres_store_messages.cc) skips messages whose route hint names a
  // connector leased to another live node.
  Result<void> HandOverMessages(const std::vector<std::string>& message_ids,
                                const std::string& connector, int64_t now_ms) override;
  Result<std::vector<SmppOutboxEntry>> ClaimSmppOutbox(int64_t smpp_user_id, int limit,
                                                       int64_t now_ms) override;
  Result<ClusterView> Heartbeat(const std::string& node, const std::string& info,
                                int64_t node_timeout_ms) override;
  Result<ClusterView> ReadClusterView(int64_t node_timeout_ms) override;
  Result<bool> AcquireLease(const std::string& name, const std::string& node, int64_t lease_ms,
                            bool ready) override;
  Result<void> ReleaseLease(const std::string& name, const std::string& node) override;
  Result<std::vector<std::string>> ReapDeadNodes(const std::string& self,
                                                 int64_t node_timeout_ms) override;
  Result<void> LeaveCluster(const std::string& node) override;

  // Transactions committed and retried (serialization failures) since Open.
  uint64_t commit_count() const;
  uint64_t retry_count() const;

  // ---- delivery (postgres_store_messages.cc, docs/adr/0031) ----
  Result<DeliveryWrites> WriteDeliveries(const std::vector<SentUpdate>& sent,
                                         const std::vector<ReceiptUpdate>& receipts) override;

 private:
  PostgresStore(std::unique_ptr<postgres::Pool> pool, uint64_t message_id_key);
  // Reads (readers_->With) and writes (writer_->Call) share one pool; the two
  // names keep the queries' code shaped like SqliteStore's.
  std::unique_ptr<postgres::Pool> pool_;
  postgres::Pool* readers_;
  postgres::Pool* writer_;
  std::string node_id_;          // cluster: set by Open
  int64_t outbox_lease_ms_ = 0;  // cluster: set by Open
};

}  // namespace bramka::store
