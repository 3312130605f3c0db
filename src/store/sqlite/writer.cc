#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {

Writer::Writer(std::unique_ptr<Connection> conn, int max_batch, StatusCounts initial_counts)
    : conn_(std::move(conn)),
      max_batch_(static_cast<size_t>(max_batch > 0 ? max_batch : 1)),
      counts_(initial_counts) {
  writer_ = std::thread([this] { WriterLoop(); });
  completer_ = std::thread([this] { CompletionLoop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  completer_.join();
}

void Writer::Submit(std::unique_ptr<WriteJob> job) {
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
    std::optional<Error> failure = RunBatch(batch);

    Completed later;
    later.failure = failure;
    for (auto& job : batch) {
      if (job->CompletesOnWriter()) {
        job->Complete(failure ? &*failure : nullptr);
      } else {
        later.jobs.push_back(std::move(job));
      }
    }
    batch.clear();
    if (!later.jobs.empty()) {
      {
        std::lock_guard lock(done_mu_);
        completed_.push_back(std::move(later));
      }
      done_wake_.notify_one();
    }
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
    const Error* failure = next.failure ? &*next.failure : nullptr;
    for (auto& job : next.jobs) job->Complete(failure);
  }
}

Result<void> Writer::Step(const char* static_sql) {
  BRAMKA_ASSIGN_OR_RETURN(Stmt stmt, conn_->Prepare(static_sql));
  return stmt.Run();
}

std::optional<Error> Writer::RunBatch(std::vector<std::unique_ptr<WriteJob>>& batch) {
  // A SAVEPOINT per job is what lets one job fail alone, but it is not free:
  // SQLite copies every page the job touches into a statement journal. Jobs
  // rarely fail, so a batch first runs without savepoints; only when a job
  // fails is everything rolled back and the batch run again with them. Jobs
  // are deterministic over the same database state, so the second run gives
  // the same answers, and the retry is paid only by batches with a failure.
  std::optional<Error> failure;
  if (batch.size() > 1 && TryBatch(batch, /*savepoints=*/false, failure)) return failure;
  // With one job the transaction is its savepoint.
  TryBatch(batch, /*savepoints=*/batch.size() > 1, failure);
  return failure;
}

bool Writer::TryBatch(std::vector<std::unique_ptr<WriteJob>>& batch, bool savepoints,
                      std::optional<Error>& failure) {
  static constexpr char kBegin[] = "BEGIN IMMEDIATE";
  static constexpr char kCommit[] = "COMMIT";
  static constexpr char kRollback[] = "ROLLBACK";
  static constexpr char kSavepoint[] = "SAVEPOINT job";
  static constexpr char kRelease[] = "RELEASE job";
  static constexpr char kRollbackTo[] = "ROLLBACK TO job";

  failure.reset();
  balance_cache_.Clear();
  auto begun = Step(kBegin);
  if (!begun.ok()) {
    failure = begun.take_error();
    return true;
  }
  WriteContext ctx{*conn_};
  ctx.balances = &balance_cache_;
  StatusCounts batch_delta{};
  bool any_ok = false;
  for (auto& job : batch) {
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
    Result<void> ran = job->Run(ctx);
    if (!conn_->InTransaction()) {
      // SQLite rolled the whole transaction back (SQLITE_FULL, SQLITE_IOERR...):
      // the earlier jobs of the batch are gone too.
      failure =
          ran.ok() ? MakeError(ErrorCode::kUnavailable, "transaction rolled back") : ran.error();
      break;
    }
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
      (void)Step(kRollback);
      return false;  // run again with savepoints
    }
  }

  if (!failure && any_ok) {
    auto flushed = balance_cache_.Flush(*conn_);
    if (!flushed.ok()) failure = flushed.take_error();
  }
  if (!failure && any_ok) {
    auto committed = Step(kCommit);
    if (!committed.ok()) failure = committed.take_error();
  }
  if (failure || !any_ok) {  // nothing to keep
    balance_cache_.Clear();
    if (conn_->InTransaction()) (void)Step(kRollback);
    return true;
  }
  commits_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(counts_mu_);
  for (size_t i = 0; i < kStatusCount; ++i) counts_[i] += batch_delta[i];
  return true;
}

}  // namespace bramka::store::sqlite
