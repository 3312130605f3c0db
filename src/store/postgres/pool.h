#pragma once
// Pool: PostgresStore's connections, and how reads and writes use them.
//
// Reads (With) borrow a connection in autocommit mode. Writes (Call) borrow
// one and run the job in ONE transaction (SubmitBatched: many jobs in one,
// group commit): SERIALIZABLE by default, so that a
// job written as "read, check, write" (as the SqliteStore's are, behind their
// single writer) stays correct with any number of concurrent writers and
// nodes; a job that hits a serialization failure or a deadlock is rolled back
// and run again (up to kMaxAttempts), so a job must give the same answer when
// run twice over the same state (the SQLite writer asks the same). Lease
// claims use READ COMMITTED with FOR UPDATE SKIP LOCKED instead (no retries
// needed, nodes never wait for each other).
//
// CallAsync runs the job on one of a few worker threads and then calls `done`
// there, after the connection went back to the pool (so `done` may call the
// store, even synchronously).
//
// A connection that broke (server restart, network) is reset before its next
// use; the call that saw it break fails with kUnavailable and nothing of its
// transaction was acknowledged.
//
// Thread-safety: every method may be called from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.h"
#include "store/model.h"
#include "store/postgres/connection.h"

namespace bramka::store::postgres {

// What a write job sees while it runs inside its transaction (shaped like
// sqlite::WriteContext; status counts are read from the table instead).
struct WriteContext {
  Connection& conn;
  void Count(MessageStatus, int64_t) {}
  void Move(MessageStatus, MessageStatus) {}
};

enum class Isolation { kSerializable, kReadCommitted };

class Pool {
 public:
  static constexpr int kMaxAttempts = 50;

  // Opens `size` connections (at least 2) and `async_workers` threads.
  static Result<std::unique_ptr<Pool>> Open(const std::string& conninfo, int size,
                                            int async_workers);
  // Runs every queued async job, then stops the workers.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  // fn(Connection&) -> Result<X>, in autocommit mode.
  template <typename Fn>
  auto With(Fn&& fn) -> decltype(fn(std::declval<Connection&>()));

  // fn(WriteContext&) -> Result<T> in one transaction, retried on conflicts.
  template <typename T, typename Fn>
  Result<T> Call(Fn&& fn, Isolation isolation = Isolation::kSerializable);

  // The same in READ COMMITTED, for jobs that lock what they read (SELECT ...
  // FOR UPDATE) or change rows with single statements: the delivery path,
  // where SERIALIZABLE's predicate locks made concurrent MarkSent/ApplyReceipt
  // of different messages fail and retry (docs/adr/0022).
  template <typename T, typename Fn>
  Result<T> CallReadCommitted(Fn&& fn) {
    return Call<T>(std::forward<Fn>(fn), Isolation::kReadCommitted);
  }

  template <typename T, typename Fn>
  void CallAsync(Fn&& fn, std::function<void(Result<T>)> done,
                 Isolation isolation = Isolation::kSerializable);

  // Group commit (as SqliteStore's writer): a job queued here runs with the
  // other queued jobs (up to kMaxBatch) in ONE READ COMMITTED transaction, a
  // SAVEPOINT each (a job that fails is rolled back alone and keeps its error;
  // one that hits a deadlock is run again), ordered by `order_key` (accepts
  // lock their account's balance rows: one order means no deadlocks between
  // batches), then one COMMIT, then `complete` for each (null: committed; else
  // the batch's failure). Many concurrent accepts share one fsync instead of
  // queueing one commit each behind their account's balance lock.
  struct BatchJob {
    int64_t order_key = 0;
    std::function<Result<void>(WriteContext&)> run;
    std::function<void(const Error* batch_failure)> complete;
  };
  static constexpr size_t kMaxBatch = 512;
  void SubmitBatched(BatchJob job);

  uint64_t commit_count() const { return commits_.load(std::memory_order_relaxed); }
  uint64_t retry_count() const { return retries_.load(std::memory_order_relaxed); }

 private:
  Pool(std::string conninfo, std::vector<std::unique_ptr<Connection>> connections);
  // Takes a free connection (waiting for one), reconnecting a broken one.
  Result<std::unique_ptr<Connection>> Acquire();
  void Release(std::unique_ptr<Connection> conn);
  void Submit(std::function<void()> task);
  void WorkerLoop();
  void BatchLoop();
  // Runs the jobs in one transaction; the batch failure, if any.
  std::optional<Error> RunBatch(std::vector<BatchJob>& jobs);
  static bool Retryable(const std::string& sqlstate) {
    return sqlstate == "40001" || sqlstate == "40P01";
  }
  static void Backoff(int attempt);

  const std::string conninfo_;
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;

  std::mutex tasks_mu_;
  std::condition_variable tasks_wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::deque<BatchJob> batch_queue_;  // under tasks_mu_
  std::vector<std::thread> batchers_;

  std::atomic<uint64_t> commits_{0};
  std::atomic<uint64_t> retries_{0};
};

template <typename Fn>
auto Pool::With(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
  using R = decltype(fn(std::declval<Connection&>()));
  auto acquired = Acquire();
  if (!acquired.ok()) return R(acquired.take_error());
  std::unique_ptr<Connection> conn = std::move(*acquired);
  R r = fn(*conn);
  if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
  Release(std::move(conn));
  return r;
}

template <typename T, typename Fn>
Result<T> Pool::Call(Fn&& fn, Isolation isolation) {
  const char* begin = isolation == Isolation::kSerializable
                          ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                          : "BEGIN ISOLATION LEVEL READ COMMITTED";
  for (int attempt = 1;; ++attempt) {
    BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire());
    auto begun = conn->Exec(begin);
    if (!begun.ok()) {
      Release(std::move(conn));
      return begun.take_error();
    }
    WriteContext ctx{*conn};
    Result<T> r = fn(ctx);
    std::string sqlstate;
    if (r.ok()) {
      auto committed = conn->Exec("COMMIT");
      if (committed.ok()) {
        commits_.fetch_add(1, std::memory_order_relaxed);
        Release(std::move(conn));
        return r;
      }
      sqlstate = conn->last_sqlstate();
      if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
      Release(std::move(conn));
      if (!Retryable(sqlstate) || attempt >= kMaxAttempts) return committed.take_error();
    } else {
      sqlstate = conn->last_sqlstate();
      (void)conn->Exec("ROLLBACK");
      Release(std::move(conn));
      if (!Retryable(sqlstate) || attempt >= kMaxAttempts) return r;
    }
    retries_.fetch_add(1, std::memory_order_relaxed);
    Backoff(attempt);
  }
}

template <typename T, typename Fn>
void Pool::CallAsync(Fn&& fn, std::function<void(Result<T>)> done, Isolation isolation) {
  Submit([this, fn = std::forward<Fn>(fn), done = std::move(done), isolation]() mutable {
    Result<T> r = Call<T>(fn, isolation);
    done(std::move(r));
  });
}

}  // namespace bramka::store::postgres
