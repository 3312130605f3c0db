#include "store/sqlite/writer.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <spdlog/spdlog.h>

#include "store/sqlite/io_priority.h"

namespace bramka::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> conn, int max_batch, StatusCounts initial_counts,
               CommitSync sync, std::chrono::microseconds sync_wake)
    : conn_(std::move(conn)),
      max_batch_(static_cast<size_t>(max_batch > 0 ? max_batch : 1)),
      sync_(sync),
      counts_(initial_counts) {
  if (sync_ == CommitSync::kSyncThread) {
    std::string error;
    if (!OpenWal(error)) {
      spdlog::warn("store: pipelined commit off ({}); every COMMIT syncs on the writer", error);
      sync_ = CommitSync::kInCommit;
    }
  }
  // SQLite's automatic checkpoint, timed (docs/adr/0037).
  sqlite3_wal_hook(conn_->db(), &Writer::WalHook, this);
  StartCheckpointer();  // docs/adr/0044
  if (sync_ == CommitSync::kSyncThread && sync_wake.count() > 0) {
    waker_ = std::make_unique<SyncWaker>(sync_wake);
  }
  // Named for per-thread figures (top -H, /proc/PID/task/*/schedstat).
  writer_ = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-writer");
    (void)RaiseThreadIoPriority();  // docs/adr/0053
    WriterLoop();
  });
  completer_ = std::thread([this] {
    (void)pthread_setname_np(pthread_self(), "bramka-done");
    CompletionLoop();
  });
  if (sync_ == CommitSync::kSyncThread) {
    syncer_ = std::thread([this] {
      (void)pthread_setname_np(pthread_self(), "bramka-sync");
      (void)RaiseThreadIoPriority();  // docs/adr/0053
      SyncLoop();
    });
  }
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (syncer_.joinable()) syncer_.join();
  completer_.join();
  if (wal_fd_ >= 0) ::close(wal_fd_);
}

bool Writer::OpenWal(std::string& error) {
  // The WAL file exists from the connection's first read in WAL mode on, and
  // stays (same inode) while this connection is open: SQLite deletes it only
  // when the last connection closes, and journal_size_limit truncates it.
  const char* db = sqlite3_db_filename(conn_->db(), "main");
  const char* wal = db != nullptr ? sqlite3_filename_wal(db) : nullptr;
  if (wal == nullptr || *wal == '\0') {
    error = "no WAL file name";
    return false;
  }
  wal_fd_ = ::open(wal, O_RDWR | O_CLOEXEC);
  if (wal_fd_ < 0) {
    error = std::string("cannot open ") + wal + ": " + std::strerror(errno);
    return false;
  }
  // Its directory entry too, once (SQLite syncs it only at its first own sync).
  const std::string dir = std::filesystem::path(wal).parent_path().string();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    (void)::fsync(dir_fd);
    ::close(dir_fd);
  }
  // COMMIT writes the WAL frames without syncing them; SyncLoop syncs. Checkpoints
  // and WAL restarts still sync on their own (synchronous=NORMAL does).
  auto normal = conn_->Exec("PRAGMA synchronous=NORMAL");
  if (!normal.ok()) {
    error = normal.error().message;
    ::close(wal_fd_);
    wal_fd_ = -1;
    return false;
  }
  return true;
}

// ---- checkpoints (docs/adr/0037) ----

int Writer::WalHook(void* self, sqlite3*, const char*, int frames) {
  auto* w = static_cast<Writer*>(self);
  w->wal_frames_.store(frames, std::memory_order_relaxed);
  if (w->checkpointer_) {
    w->checkpointer_->Notify(frames);  // docs/adr/0044
  } else {
    w->Checkpoint();  // what SQLite's own hook does, at a higher threshold (docs/adr/0040)
  }
  return SQLITE_OK;
}

void Writer::Checkpoint() {
  if (wal_frames_.load(std::memory_order_relaxed) < kCheckpointFrames) return;
  const auto started = std::chrono::steady_clock::now();
  (void)sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr);
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
  if (Histogram* h = checkpoint_seconds_.load(std::memory_order_acquire)) {
    h->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
}

void Writer::AttachMetrics(MetricsRegistry& metrics) {
  std::lock_guard lock(stages_mu_);
  if (stages_owner_) return;
  checkpoint_seconds_.store(
      &metrics.GetHistogram("bramka_store_checkpoint_seconds",
                            "WAL checkpoints of the SQLite writer thread (every write queued "
                            "meanwhile waits; with the pipelined commit the catch-up after a "
                            "batch's hand-over, docs/adr/0044, otherwise inside a COMMIT, "
                            "docs/adr/0037)",
                            "", FineLatencyBuckets()),
      std::memory_order_release);
  if (checkpointer_) {  // docs/adr/0044
    checkpointer_->AttachMetrics(&metrics.GetHistogram(
        "bramka_store_background_checkpoint_seconds",
        "WAL checkpoints beside the SQLite writer (docs/adr/0044)", "", FineLatencyBuckets()));
  }
  stages_owner_ = std::make_shared<WriteStages>(metrics);
  stages_.store(stages_owner_.get(), std::memory_order_release);
}

WriteStages* Writer::StagesFor(const Completed& batch) const {
  if (batch.failure || !batch.committed) return nullptr;
  return stages_.load(std::memory_order_acquire);
}

void Writer::Submit(std::unique_ptr<WriteJob> job) {
  job->queued_at = std::chrono::steady_clock::now();
  if (!job->CompletesOnWriter()) job->home = CompletionHome::Current();  // docs/adr/0067
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(job));
      if (queue_.size() == 1) wake_.notify_one();
      return;
    }
  }
  Error closed = MakeError(ErrorCode::kUnavailable, "the store is closed");
  job->Complete(&closed);
}

StatusCounts Writer::status_counts() const {
  std::lock_guard lock(counts_mu_);
  return counts_;
}

void Writer::WriterLoop() {
  std::vector<std::unique_ptr<WriteJob>> batch;
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) break;  // stopping, and everything queued has run
      // Group commit: whatever queued up while the last batch was committing
      // goes into this one.
      size_t n = std::min(queue_.size(), max_batch_);
      batch.reserve(n);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Completed done;
    done.times.started = std::chrono::steady_clock::now();
    if (sync_failed_.load()) {
      std::lock_guard lock(sync_mu_);
      done.failure = sync_error_;
    } else {
      const uint64_t commits = commit_count();
      done.failure = RunBatch(batch, done.times);
      done.committed = commit_count() != commits;
    }
    done.times.committed = std::chrono::steady_clock::now();
    done.jobs = std::move(batch);
    batch.clear();
    if (sync_ == CommitSync::kInCommit) {
      done.times.sync_started = done.times.synced = done.times.committed;
      Handoff out;
      Release(std::move(done), out);
      HandOff(out);
      continue;
    }
    {
      std::lock_guard lock(sync_mu_);
      to_sync_.push_back(std::move(done));
    }
    sync_wake_.notify_one();
    // docs/adr/0044: the WAL starts over once a checkpoint of the writer's copied the
    // frames a background round could not.
    if (checkpointer_ && checkpointer_->TakeCatchUp(wal_frames_.load())) CatchUpCheckpoint();
  }
  if (sync_ == CommitSync::kSyncThread) {
    {
      std::lock_guard lock(sync_mu_);
      writer_stopped_ = true;
    }
    sync_wake_.notify_one();
    return;  // the syncer finishes the completion thread
  }
  {
    std::lock_guard lock(done_mu_);
    writer_finished_ = true;
  }
  done_wake_.notify_one();
}

void Writer::Release(Completed done, Handoff& out) {
  const Error* failure = done.failure ? &*done.failure : nullptr;
  WriteStages* stages = StagesFor(done);
  int64_t here = 0;
  // The jobs completed elsewhere, by where (docs/adr/0067: a home, or null for the
  // completion thread), in the order of each one's first job. Rarely more than two.
  std::vector<std::pair<CompletionHome*, Completed>> later;
  for (auto& job : done.jobs) {
    if (job->CompletesOnWriter()) {
      if (stages) stages->ObserveJob(job->queued_at, done.times, std::chrono::steady_clock::now());
      ++here;
      job->Complete(failure);
      continue;
    }
    auto it = std::find_if(later.begin(), later.end(),
                           [&](const auto& l) { return l.first == job->home; });
    if (it == later.end()) {
      Completed& c = later.emplace_back(job->home, Completed()).second;
      c.failure = done.failure;
      c.committed = done.committed;
      c.times = done.times;
      it = later.end() - 1;
    }
    it->second.jobs.push_back(std::move(job));
  }
  if (stages) stages->ObserveBatch(done.times, here);
  for (auto& [home, c] : later) {
    if (home == nullptr) {
      out.to_completer.push_back(std::move(c));
      continue;
    }
    auto it = std::find_if(out.to_homes.begin(), out.to_homes.end(),
                           [&](const auto& h) { return h.first == home; });
    if (it == out.to_homes.end()) {
      out.to_homes.emplace_back(home, std::vector<Completed>());
      it = out.to_homes.end() - 1;
    }
    it->second.push_back(std::move(c));
  }
}

void Writer::HandOff(Handoff& out) {
  if (!out.to_homes.empty()) {
    std::shared_ptr<WriteStages> stages;
    {
      std::lock_guard lock(stages_mu_);
      stages = stages_owner_;
    }
    for (auto& [home, batches] : out.to_homes) {
      // std::function needs a copyable task; the jobs are not.
      auto owned = std::make_shared<std::vector<Completed>>(std::move(batches));
      home->Post([owned, stages] {
        for (Completed& c : *owned) {
          CompleteAll(c, c.failure || !c.committed ? nullptr : stages.get());
        }
      });
    }
    out.to_homes.clear();
  }
  if (out.to_completer.empty()) return;
  {
    std::lock_guard lock(done_mu_);
    for (Completed& c : out.to_completer) completed_.push_back(std::move(c));
  }
  out.to_completer.clear();
  done_wake_.notify_one();
}

void Writer::CompleteAll(Completed& batch, WriteStages* stages) {
  const Error* failure = batch.failure ? &*batch.failure : nullptr;
  if (stages) stages->ObserveBatch(batch.times, static_cast<int64_t>(batch.jobs.size()));
  for (auto& job : batch.jobs) {
    if (stages) stages->ObserveJob(job->queued_at, batch.times, std::chrono::steady_clock::now());
    job->Complete(failure);
  }
}

void Writer::SyncLoop() {
  std::deque<Completed> round;
  while (true) {
    {
      std::unique_lock lock(sync_mu_);
      sync_wake_.wait(lock, [&] { return writer_stopped_ || !to_sync_.empty(); });
      if (to_sync_.empty()) break;  // the writer stopped and everything is released
      round.swap(to_sync_);
    }
    // Every batch of this round committed before it was queued, so one
    // fdatasync started now covers all of them.
    bool needs_sync = false;
    for (const Completed& c : round) needs_sync |= c.committed;
    const auto sync_started = std::chrono::steady_clock::now();
    if (needs_sync && !sync_failed_.load()) {
      int rc = 0;
      if (waker_) waker_->Begin();
      do {
        rc = ::fdatasync(wal_fd_);
      } while (rc != 0 && errno == EINTR);
      if (waker_) waker_->End();
      if (fail_next_sync_.exchange(false)) {
        rc = -1;
        errno = EIO;
      }
      if (rc != 0) {
        Error e = MakeError(ErrorCode::kUnavailable,
                            std::string("cannot sync the WAL file: ") + std::strerror(errno));
        spdlog::error("store: {}; every write fails until bramka restarts", e.message);
        std::lock_guard lock(sync_mu_);
        sync_error_ = std::move(e);
        sync_failed_.store(true);
      }
    }
    const auto synced = std::chrono::steady_clock::now();
    for (Completed& c : round) {
      c.times.sync_started = sync_started;
      c.times.synced = synced;
    }
    if (sync_failed_.load()) {
      std::lock_guard lock(sync_mu_);
      for (Completed& c : round) {
        if (c.committed) c.failure = sync_error_;
      }
    }
    Handoff out;
    for (Completed& c : round) Release(std::move(c), out);
    HandOff(out);
    round.clear();
  }
  {
    std::lock_guard lock(done_mu_);
    writer_finished_ = true;
  }
  done_wake_.notify_one();
}

void Writer::CompletionLoop() {
  while (true) {
    Completed next;
    {
      std::unique_lock lock(done_mu_);
      done_wake_.wait(lock, [&] { return writer_finished_ || !completed_.empty(); });
      if (completed_.empty()) return;
      next = std::move(completed_.front());
      completed_.pop_front();
    }
    CompleteAll(next, StagesFor(next));
  }
}

Result<void> Writer::Step(const char* static_sql) {
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn_->Prepare(static_sql));
  return stmt.Run();
}

std::optional<Error> Writer::RunBatch(std::vector<std::unique_ptr<WriteJob>>& batch,
                                      BatchTimes& times) {
  // A SAVEPOINT per job is what lets one job fail alone, but it is not free:
  // SQLite copies every page the job touches into a statement journal. Jobs
  // rarely fail, so a batch first runs without savepoints; only when a job
  // fails is everything rolled back and the batch run again with them. Jobs
  // are deterministic over the same database state, so the second run gives
  // the same answers, and the retry is paid only by batches with a failure.
  std::optional<Error> failure;
  if (batch.size() > 1 && TryBatch(batch, /*savepoints=*/false, failure, times)) return failure;
  // With one job the transaction is its savepoint.
  TryBatch(batch, /*savepoints=*/batch.size() > 1, failure, times);
  return failure;
}

bool Writer::TryBatch(std::vector<std::unique_ptr<WriteJob>>& batch, bool savepoints,
                      std::optional<Error>& failure, BatchTimes& times) {
  static constexpr char kBegin[] = "BEGIN IMMEDIATE";
  static constexpr char kCommit[] = "COMMIT";
  static constexpr char kRollback[] = "ROLLBACK";
  static constexpr char kSavepoint[] = "SAVEPOINT job";
  static constexpr char kRelease[] = "RELEASE job";
  static constexpr char kRollbackTo[] = "ROLLBACK TO job";

  failure.reset();
  times.others = times.commit = std::chrono::nanoseconds(0);
  balance_cache_.Clear();
  accept_rows_.Clear();
  auto begun = Step(kBegin);
  if (!begun.ok()) {
    failure = begun.take_error();
    return true;
  }
  WriteContext ctx{*conn_};
  ctx.balances = &balance_cache_;
  // The accepts' rows together (docs/adr/0041): in the first attempt only, so that after
  // a failed INSERT of them the retry with savepoints gives each job its own answer.
  if (!savepoints && batch.size() > 1) ctx.accept_rows = &accept_rows_;
  auto insert_accepts = [&]() -> bool {
    if (accept_rows_.empty() || accept_rows_.Insert(*conn_).ok()) return true;
    balance_cache_.Clear();
    (void)Step(kRollback);
    return false;  // run again with savepoints
  };
  StatusCounts batch_delta{};
  bool any_ok = false;
  for (auto& job : batch) {
    if (!job->UsesBalanceCache()) {
      ctx.token_account.reset();  // docs/adr/0063: the job may change accounts or tokens
      if (!insert_accepts()) return false;
    }
    if (!job->UsesBalanceCache() && !balance_cache_.empty()) {
      // The job may read or change balances itself: write the cache back first.
      auto flushed = balance_cache_.Flush(*conn_);
      if (!flushed.ok()) {
        failure = flushed.take_error();
        break;
      }
    }
    if (savepoints) {
      auto sp = Step(kSavepoint);
      if (!sp.ok()) {
        failure = sp.take_error();
        break;
      }
    }
    ctx.status_delta = {};
    // Stage metrics (docs/adr/0037): the jobs other than accepts (claims, delivery
    // writes...) are few per batch; two clock reads each.
    const bool other = !job->UsesBalanceCache();
    const WriteTime job_started = other ? std::chrono::steady_clock::now() : WriteTime{};
    Result<void> ran = job->Run(ctx);
    if (other) times.others += std::chrono::steady_clock::now() - job_started;
    if (!conn_->InTransaction()) {
      // SQLite rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR...):
      // the earlier jobs of the batch are gone too.
      failure =
          ran.ok() ? MakeError(ErrorCode::kUnavailable, "transaction rolled back") : ran.error();
      break;
    }
    if (!ran.ok()) ctx.token_account.reset();  // docs/adr/0063: belt and braces, rare
    if (ran.ok()) {
      any_ok = true;
      for (size_t i = 0; i < kStatusCount; ++i) batch_delta[i] += ctx.status_delta[i];
      if (savepoints) {
        auto released = Step(kRelease);
        if (!released.ok()) {
          failure = released.take_error();
          break;
        }
      }
    } else if (savepoints) {
      auto undone = Step(kRollbackTo);
      if (undone.ok()) undone = Step(kRelease);
      if (!undone.ok()) {
        failure = undone.take_error();
        break;
      }
    } else if (batch.size() > 1) {
      balance_cache_.Clear();
      accept_rows_.Clear();
      (void)Step(kRollback);
      return false;  // run again with savepoints
    }
  }

  if (!failure && any_ok && !insert_accepts()) return false;
  if (!failure && any_ok) {
    auto flushed = balance_cache_.Flush(*conn_);
    if (!flushed.ok()) failure = flushed.take_error();
  }
  if (!failure && any_ok) {
    const WriteTime commit_started = std::chrono::steady_clock::now();
    auto committed = Step(kCommit);  // with the checkpoint when WalHook runs one
    times.commit = std::chrono::steady_clock::now() - commit_started;
    if (!committed.ok()) failure = committed.take_error();
  }
  if (failure || !any_ok) {  // nothing to keep
    balance_cache_.Clear();
    accept_rows_.Clear();
    if (conn_->InTransaction()) (void)Step(kRollback);
    return true;
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(counts_mu_);
  for (size_t i = 0; i < kStatusCount; ++i) counts_[i] += batch_delta[i];
  return true;
}

}  // namespace bramka::store::sqlite
