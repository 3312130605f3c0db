#pragma once
// SqliteStore: the embedded default Store, one SQLite file in the data
// directory. Passes the conformance suite (store/testing/conformance.h).
//
// Durability: WAL; a write is acknowledged (returns, or its callback runs) only
// after the COMMIT that contains it and an fsync of the WAL that covers it
// (synchronous=FULL, or the pipelined commit of writer.h, docs/adr/0029).
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
#include "common/metrics.h"
#include "common/result.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/backend.h"
#include "store/store.h"

namespace bramka::store {

namespace sqlite {
class ClaimLeases;
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
  // ---- s5-writer (docs/adr/0029) ----
  // true: COMMIT does not wait for its fsync; a syncer thread fdatasyncs the WAL
  // and only then completes the batch (writer.h, "Pipelined commit"). false:
  // synchronous=FULL, every COMMIT syncs on the writer thread.
  bool pipelined_commit = true;
  // ---- s6-latency (docs/adr/0035) ----
  // > 0: while the pipelined commit's fdatasync is in flight, a thread naps in steps of
  // this many microseconds so that an idle VM takes the disk's completion at once
  // (store/sqlite/sync_waker.h). 0: off (the default, docs/adr/0035).
  int sync_wake_us = 0;
};

extern template class sql::SqlStore<sqlite::Backend>;

class SqliteStore final : public sql::SqlStore<sqlite::Backend> {
 public:
  // Opens or creates the file and migrates it to the latest schema.
  // kUnavailable: cannot open or write the file; kCorrupt: not a database, or
  // a schema newer than this binary knows; kInvalidArgument: no file path.
  static Result<std::unique_ptr<SqliteStore>> Open(const SqliteOptions& options);
  // Waits for every queued write to commit and every callback to run.
  ~SqliteStore() override;

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

  // ---- callbacks (sqlite_store_callbacks.cc; ADR 0007) ----
  Result<std::vector<CallbackEntry>> ClaimCallbacks(int64_t now_ms, int limit,
                                                    const std::string& owner,
                                                    int64_t lease_until_ms) override;

  // Transactions committed since Open (tests and metrics: group commit shows
  // as far fewer commits than writes).
  uint64_t commit_count() const;

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

  // ---- delivery (sqlite_store_messages.cc, docs/adr/0031) ----
  Result<DeliveryWrites> WriteDeliveries(const std::vector<SentUpdate>& sent,
                                         const std::vector<ReceiptUpdate>& receipts) override;

  // ---- accept (sqlite_store_perf.cc, docs/adr/0032) ----
  std::vector<SubmitReads> ReadForSubmits(AccountId id,
                                          const std::vector<SubmitReadQuery>& queries) override;

  // ---- s6-latency (sqlite_store_latency.cc, docs/adr/0035) ----
  // Counts each later write's time per stage in `metrics` (store/sqlite/write_stages.h:
  // bramka_store_write_stage_seconds). `metrics` must outlive the store.
  void AttachMetrics(MetricsRegistry& metrics);

  // ---- e2e (sqlite_store_messages.cc, docs/adr/0039) ----
  // WriteDeliveries as a CallAsync write job: completed on the writer's completion
  // thread after the fdatasync that covers its commit.
  void WriteDeliveriesAsync(const std::vector<SentUpdate>& sent,
                            const std::vector<ReceiptUpdate>& receipts,
                            std::function<void(Result<DeliveryWrites>)> done) override;

  // ---- http (sqlite_store_http.cc, docs/adr/0038) ----
  TokenSubmitReads ReadForTokenSubmit(const std::string& token_hash, const std::string& sender,
                                      const std::vector<std::string>& phones) override;
  // ---- writerread (sqlite_store_messages.cc, docs/adr/0057) ----
  // The reads, the decision and the accept as one writer job (store.h).
  void AcceptWithTokenAsync(std::string token_hash, std::string sender,
                            std::vector<std::string> phones, TokenAcceptDecide decide,
                            AcceptCallback done) override;

 private:
  SqliteStore(std::unique_ptr<sqlite::ReaderPool> readers,
              std::unique_ptr<sqlite::ClaimLeases> leases, std::unique_ptr<sqlite::Writer> writer,
              uint64_t message_id_key);
  std::unique_ptr<sqlite::ReaderPool> readers_;
  // s10-claim (docs/adr/0047): the claims' leases, in memory; used by the writer's jobs,
  // so it outlives writer_ (declared before it).
  std::unique_ptr<sqlite::ClaimLeases> leases_;
  std::unique_ptr<sqlite::Writer> writer_;
};

}  // namespace bramka::store
