#pragma once
// Writer: SqliteStore's single writer thread, with group commit.
//
// Every write is a WriteJob. The writer thread takes every queued job (up to
// max_batch), runs them in ONE transaction with a SAVEPOINT per job (a job
// that fails is rolled back alone and keeps its error), COMMITs once, and only
// then completes the jobs. (Savepoints are taken only when needed: a batch
// runs without them first and, if a job fails, again with them; so a job's
// Run must give the same answer when run twice over the same state.) If BEGIN or COMMIT fails (a
// full disk, an I/O error), or SQLite rolls the whole transaction back, every job of the batch
// fails with that error: nothing was acknowledged, nothing was written.
//
// Accepts (CallAsync with kCachedBalances) charge balances in a BalanceCache
// that the writer writes back once per batch (balance_cache.h, docs/adr/0029).
// In a batch's first attempt their new message rows go to AcceptRows, INSERTed
// together before any other job and before COMMIT (accept_rows.h, docs/adr/0041).
//
// Completion: synchronous calls (Call) are completed on the writer thread
// (fulfilling a promise is cheap); asynchronous ones (CallAsync) on a second,
// completion thread, so that callers' callbacks never delay the next batch
// and may even make synchronous store calls. hops (docs/adr/0067): an asynchronous job
// submitted by a thread with a CompletionHome (store/completion_home.h: serve's I/O threads
// for HTTP and SMPP answers) is completed by that home instead: the jobs of one release
// (a batch, or an fdatasync round's batches) go to it as one task, in commit order.
//
// Pipelined commit (kSyncThread, docs/adr/0029): the writer COMMITs with
// synchronous=NORMAL (the WAL frames are written, not synced) and goes on with
// the next batch at once, while a third thread, the syncer, fdatasyncs the WAL
// file and only then releases the committed batches, in commit order: every
// completion still comes after an fsync that covers its commit. Batches that
// commit while one fdatasync runs share the next one; Call jobs are then
// completed on the syncer thread. If fdatasync fails, the batches it covered
// fail and so does every later one (kUnavailable, until the store is reopened):
// after a failed fsync nothing that follows can be promised durable.
//
// Waking the syncer (docs/adr/0035): with `sync_wake` > 0 a SyncWaker naps in steps of
// that length while each fdatasync is in flight, so that an idle VM's halted vCPU takes
// the disk's completion at once instead of at its next tick (sync_waker.h).
//
// Stage metrics: after AttachMetrics every committed job's time is counted per stage
// (queued, batch, sync_wait, fsync, handoff, total; write_stages.h).
//
// WAL checkpoints (docs/adr/0037): the writer's WAL hook does what SQLite's automatic
// checkpoint does (a PASSIVE checkpoint inside the COMMIT that leaves kCheckpointFrames or
// more frames in the WAL; 4,000, not SQLite's 1,000: docs/adr/0040) and times it
// (`bramka_store_checkpoint_seconds`): every write queued meanwhile waits for it. Moving it beside
// the writer was measured and rejected (the ADR) -- in that form.
//
// Checkpoints beside the writer (docs/adr/0044), with the pipelined commit: a Checkpointer
// thread copies the WAL into the database file every kBackgroundCheckpointFrames frames and
// starts that file's write-back, so the writer's own checkpoint (at kCatchUpFrames, docs/adr/0049;
// after the batch is handed to the syncer, not inside the COMMIT) is short: it copies only what the
// last round left, waits for the readers of an older snapshot, and lets the WAL start over.
// Durability is SQLite's: every checkpoint syncs the WAL before copying and the one that copies the
// last frame syncs the database file before the WAL may start over (checkpointer.h).
//
// Thread-safety: Submit, Call and CallAsync may be called from any thread
// except the writer thread itself (a job cannot wait for another job).

#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include "common/check.h"
#include "common/result.h"
#include "store/completion_home.h"
#include "store/model.h"
#include "store/sqlite/accept_rows.h"
#include "store/sqlite/balance_cache.h"
#include "store/sqlite/checkpointer.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sync_waker.h"
#include "store/sqlite/write_stages.h"

namespace bramka::store::sqlite {

inline constexpr size_t kStatusCount = 7;
using StatusCounts = std::array<int64_t, kStatusCount>;

// What a job sees while it runs inside the batch transaction.
struct WriteContext {
  Connection& conn;
  StatusCounts status_delta{};  // how many messages entered (+) or left (-) each status
  // The batch's balance cache; only jobs submitted with kCachedBalances use it.
  BalanceCache* balances = nullptr;
  // smpp (docs/adr/0041): where accept jobs put their new message rows in the
  // batch's first attempt (the writer INSERTs them together); null: insert them.
  AcceptRows* accept_rows = nullptr;
  // memo (docs/adr/0063): the account a Bearer token named when a token accept of this
  // batch last read it, for the next token accept of the same token. It is as current as
  // a fresh read: the writer drops it before every job that is not an accept (any of which
  // may change accounts or tokens) and after every job that fails, and it dies with this
  // context, i.e. with the batch's attempt (COMMIT, ROLLBACK, or the run again with
  // savepoints, which gets a new context). No other process writes meanwhile: the batch
  // holds SQLite's write lock from BEGIN IMMEDIATE to COMMIT.
  struct TokenAccount {
    std::string token_hash;
    Account account;
  };
  std::optional<TokenAccount> token_account{};

  void Count(MessageStatus status, int64_t n) { status_delta[static_cast<size_t>(status)] += n; }
  void Move(MessageStatus from, MessageStatus to) {
    Count(from, -1);
    Count(to, 1);
  }
};

class WriteJob {
 public:
  virtual ~WriteJob() = default;
  // Runs inside the batch transaction, under the job's savepoint. May run
  // more than once (after a rollback): it must not keep state between runs
  // other than its latest result.
  virtual Result<void> Run(WriteContext& ctx) = 0;
  // After the batch: `batch_failure` is null when the batch committed.
  virtual void Complete(const Error* batch_failure) = 0;
  // true: complete on the writer thread; false: on the completion thread.
  virtual bool CompletesOnWriter() const = 0;
  // true: an accept, which reads and charges balances only through WriteContext::balances
  // and writes neither accounts nor api_tokens (nor balances but through the cache).
  // Before any other job the writer writes the cache back and empties it, and drops
  // WriteContext::token_account (docs/adr/0063).
  virtual bool UsesBalanceCache() const { return false; }

  // Set by Writer::Submit (stage metrics).
  WriteTime queued_at{};
  // Set by Writer::Submit for jobs that complete off the writer: the submitting thread's
  // CompletionHome (docs/adr/0067), null for the completion thread.
  CompletionHome* home = nullptr;
};

// How a job reaches the balances table.
enum class BalanceAccess { kDirect, kCachedBalances };

// Where a commit's fsync happens.
enum class CommitSync {
  kInCommit,    // synchronous=FULL: COMMIT syncs the WAL on the writer thread
  kSyncThread,  // synchronous=NORMAL + the syncer thread (pipelined commit)
};

class Writer {
 public:
  // Takes the migrated writer connection; `initial_counts` are the messages
  // per status found at open (kept current from each job's status_delta).
  // `sync_wake` > 0 (kSyncThread only): a SyncWaker naps in steps of it during each sync.
  Writer(std::unique_ptr<Connection> conn, int max_batch, StatusCounts initial_counts,
         CommitSync sync = CommitSync::kInCommit,
         std::chrono::microseconds sync_wake = std::chrono::microseconds(0));

  // The WAL size in frames (pages) at which a commit checkpoints (docs/adr/0037). SQLite's
  // default is 1,000; 4,000 (16 MiB of WAL at 4 KiB pages) since docs/adr/0040: most
  // frames rewrite the same few hot pages (a table's or index's last page, balances, the
  // ledger's tail), so a checkpoint of 4,000 frames copies ~470 distinct pages, not 4
  // times ~150, and costs about what one of 1,000 does (its fsyncs): a quarter as many
  // stalls of the writer.
  static constexpr int kCheckpointFrames = 4000;
  // docs/adr/0044: with the pipelined commit a Checkpointer copies frames into the database
  // file beside the writer every kBackgroundCheckpointFrames new frames; the writer's own
  // checkpoint at kCatchUpFrames (a FULL one, after the hand-over to the syncer) then
  // only copies what the last round left and lets the WAL start over.
  static constexpr int kBackgroundCheckpointFrames = 1000;
  // docs/adr/0049: the catch-up's threshold with the pipelined commit. It costs three
  // device flushes on the writer's path (the WAL's, the database file's, and the restarted
  // WAL header's in the next COMMIT) whatever the WAL's size, since the rounds copied all
  // but the last ~1,000 frames: 8,000 frames (33 MB of WAL) halves how often every queued
  // write waits for them. At twice this the writer waits for a round in progress.
  static constexpr int kCatchUpFrames = 8000;
  // Runs every job already queued, then stops both threads. The jobs handed to a
  // CompletionHome complete when the home runs its task (possibly after this returns).
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  void Submit(std::unique_ptr<WriteJob> job);

  // Runs fn(WriteContext&) -> Result<T> in the next batch and waits for the commit.
  template <typename T, typename Fn>
  Result<T> Call(Fn&& fn);
  // The same without waiting: `done` gets the result after the commit.
  template <typename T, typename Fn>
  void CallAsync(Fn&& fn, std::function<void(Result<T>)> done,
                 BalanceAccess balances = BalanceAccess::kDirect);

  uint64_t commit_count() const { return commits_.load(std::memory_order_relaxed); }
  // Tests: jobs queued and not yet taken into a batch.
  size_t queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
  }
  bool pipelined() const { return sync_ == CommitSync::kSyncThread; }
  // Tests: the syncer's next fdatasync fails as with EIO.
  void FailNextSyncForTest() { fail_next_sync_.store(true); }
  StatusCounts status_counts() const;
  // Counts every later committed job's stages in `metrics` (write_stages.h); once.
  void AttachMetrics(MetricsRegistry& metrics);
  // Naps the SyncWaker took (0 without one).
  uint64_t sync_wake_naps() const { return waker_ ? waker_->naps() : 0; }
  // Tests: checkpoints run so far, and the WAL's size in frames after the last commit.
  uint64_t checkpoints() const { return checkpoints_.load(); }
  // docs/adr/0044: the Checkpointer's rounds so far (0 without one).
  uint64_t background_checkpoints() const { return checkpointer_ ? checkpointer_->rounds() : 0; }
  int wal_frames() const { return wal_frames_.load(); }

 private:
  template <typename T, typename Fn, typename Done>
  class FnJob;
  struct Completed {
    std::vector<std::unique_ptr<WriteJob>> jobs;
    std::optional<Error> failure;
    bool committed = false;  // needs the syncer's fdatasync before completing
    BatchTimes times;
  };

  // The jobs of released batches that complete off the writer and syncer, sorted by
  // where they complete (docs/adr/0067).
  struct Handoff {
    std::vector<Completed> to_completer;  // the completion thread's
    std::vector<std::pair<CompletionHome*, std::vector<Completed>>> to_homes;
  };

  void WriterLoop();
  void CompletionLoop();
  void SyncLoop();
  // Completes the writer-completed jobs of `done` here and sorts the rest into `out`.
  void Release(Completed done, Handoff& out);
  // Hands `out` over: one queueing (and wake-up) of the completion thread, one task per home.
  void HandOff(Handoff& out);
  // Completes every job of `batch` (the completion thread's or a home's task).
  static void CompleteAll(Completed& batch, WriteStages* stages);
  // Stage metrics (write_stages.h), when attached and `batch` committed: the stages `jobs`
  // of its jobs share, and one job's own.
  WriteStages* StagesFor(const Completed& batch) const;
  // kSyncThread: opens the WAL file for the syncer; false with `error` set.
  bool OpenWal(std::string& error);
  // Runs the jobs in one transaction; returns the batch failure, if any.
  std::optional<Error> RunBatch(std::vector<std::unique_ptr<WriteJob>>& batch, BatchTimes& times);
  // One attempt at it. false: a job failed with no savepoint to undo it
  // alone, the transaction was rolled back, try again with savepoints.
  bool TryBatch(std::vector<std::unique_ptr<WriteJob>>& batch, bool savepoints,
                std::optional<Error>& failure, BatchTimes& times);
  // ---- checkpoints (docs/adr/0037) ----
  // SQLite's WAL hook: after each commit, with the WAL's size in frames.
  static int WalHook(void* self, sqlite3* db, const char* name, int frames);
  // A PASSIVE checkpoint on the writer's connection (writer thread).
  void Checkpoint();
  // docs/adr/0044: starts checkpointer_ (writer_latency.cc) with the pipelined commit.
  void StartCheckpointer();
  // docs/adr/0044: the checkpoint that lets the WAL start over (writer_latency.cc): FULL,
  // waiting in short naps for the readers of an older snapshot, then copying the frames
  // the background rounds left.
  void CatchUpCheckpoint();
  Result<void> Step(const char* static_sql);

  std::unique_ptr<Connection> conn_;
  BalanceCache balance_cache_;
  AcceptRows accept_rows_;  // docs/adr/0041
  const size_t max_batch_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::unique_ptr<WriteJob>> queue_;
  bool stopping_ = false;

  std::mutex done_mu_;
  std::condition_variable done_wake_;
  std::deque<Completed> completed_;
  bool writer_finished_ = false;

  // ---- pipelined commit (kSyncThread) ----
  CommitSync sync_;
  int wal_fd_ = -1;
  std::mutex sync_mu_;
  std::condition_variable sync_wake_;
  std::deque<Completed> to_sync_;
  bool writer_stopped_ = false;  // no more to_sync_ entries will come
  // Set by the syncer after a failed fdatasync; the writer then fails every batch.
  std::atomic<bool> sync_failed_{false};
  std::optional<Error> sync_error_;  // guarded by sync_mu_
  std::atomic<bool> fail_next_sync_{false};
  std::unique_ptr<SyncWaker> waker_;  // docs/adr/0035; null: none

  // ---- checkpoints (docs/adr/0037) ----
  std::atomic<int> wal_frames_{0};  // written by the writer thread only
  std::atomic<uint64_t> checkpoints_{0};
  std::atomic<Histogram*> checkpoint_seconds_{nullptr};
  // ---- latency (docs/adr/0044): checkpoints beside the writer; null: in the COMMIT ----
  std::unique_ptr<Checkpointer> checkpointer_;

  // ---- stage metrics (docs/adr/0035) ----
  std::mutex stages_mu_;
  // Shared with the homes' tasks, which may run after the writer is gone.
  std::shared_ptr<WriteStages> stages_owner_;  // guarded by stages_mu_
  std::atomic<WriteStages*> stages_{nullptr};

  mutable std::mutex counts_mu_;
  StatusCounts counts_;
  std::atomic<uint64_t> commits_{0};

  std::thread writer_;
  std::thread completer_;
  std::thread syncer_;
};

template <typename T, typename Fn, typename Done>
class Writer::FnJob final : public WriteJob {
 public:
  FnJob(Fn fn, Done done, bool on_writer, BalanceAccess balances = BalanceAccess::kDirect)
      : fn_(std::move(fn)), done_(std::move(done)), on_writer_(on_writer), balances_(balances) {}
  Result<void> Run(WriteContext& ctx) override {
    result_.emplace(fn_(ctx));
    if (result_->ok()) return Ok();
    return result_->error();
  }
  void Complete(const Error* batch_failure) override {
    if (batch_failure != nullptr) {
      done_(Result<T>(*batch_failure));
    } else if (!result_) {
      done_(Result<T>(MakeError(ErrorCode::kInternal, "write job did not run")));
    } else {
      done_(std::move(*result_));
    }
  }
  bool CompletesOnWriter() const override { return on_writer_; }
  bool UsesBalanceCache() const override { return balances_ == BalanceAccess::kCachedBalances; }

 private:
  Fn fn_;
  Done done_;
  bool on_writer_;
  BalanceAccess balances_;
  std::optional<Result<T>> result_;
};

template <typename T, typename Fn>
Result<T> Writer::Call(Fn&& fn) {
  // A job waiting for a later batch would wait forever.
  BRAMKA_CHECK(std::this_thread::get_id() != writer_.get_id());
  std::promise<Result<T>> promise;
  std::future<Result<T>> future = promise.get_future();
  auto done = [&promise](Result<T> r) { promise.set_value(std::move(r)); };
  Submit(std::make_unique<FnJob<T, std::decay_t<Fn>, decltype(done)>>(std::forward<Fn>(fn),
                                                                      std::move(done), true));
  return future.get();
}

template <typename T, typename Fn>
void Writer::CallAsync(Fn&& fn, std::function<void(Result<T>)> done, BalanceAccess balances) {
  Submit(std::make_unique<FnJob<T, std::decay_t<Fn>, std::function<void(Result<T>)>>>(
      std::forward<Fn>(fn), std::move(done), false, balances));
}

}  // namespace bramka::store::sqlite
