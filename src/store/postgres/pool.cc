#include "store/postgres/pool.h"

#include <algorithm>
#include <random>

namespace bramka::store::postgres {

Result<std::unique_ptr<Pool>> Pool::Open(const std::string& conninfo, int size, int async_workers) {
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < std::max(2, size); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Connection::Open(conninfo));
    connections.push_back(std::move(c));
  }
  std::unique_ptr<Pool> pool(new Pool(conninfo, std::move(connections)));
  for (int i = 0; i < std::max(1, async_workers); ++i) {
    pool->workers_.emplace_back([p = pool.get()] { p->WorkerLoop(); });
  }
  // Two batchers: one fills its next batch while the other commits.
  for (int i = 0; i < 2; ++i) pool->batchers_.emplace_back([p = pool.get()] { p->BatchLoop(); });
  return pool;
}

Pool::Pool(std::string conninfo, std::vector<std::unique_ptr<Connection>> connections)
    : conninfo_(std::move(conninfo)), free_(std::move(connections)) {}

Pool::~Pool() {
  {
    std::lock_guard lock(tasks_mu_);
    stopping_ = true;
  }
  tasks_wake_.notify_all();
  for (std::thread& t : batchers_) t.join();
  for (std::thread& t : workers_) t.join();
}

Result<std::unique_ptr<Connection>> Pool::Acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mu_);
    available_.wait(lock, [&] { return !free_.empty(); });
    conn = std::move(free_.back());
    free_.pop_back();
  }
  if (conn->Healthy()) return conn;
  // Broken (server restarted, network): a fresh connection, or the slot back.
  auto fresh = Connection::Open(conninfo_);
  if (fresh.ok()) return std::move(*fresh);
  Release(std::move(conn));
  return fresh.take_error();
}

void Pool::Release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(conn));
  }
  available_.notify_one();
}

void Pool::Submit(std::function<void()> task) {
  {
    std::lock_guard lock(tasks_mu_);
    tasks_.push_back(std::move(task));
  }
  tasks_wake_.notify_one();
}

void Pool::WorkerLoop() {
  while (true) {
    std::function<void()> task;
    {
      std::unique_lock lock(tasks_mu_);
      tasks_wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything queued has run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

void Pool::SubmitBatched(BatchJob job) {
  {
    std::lock_guard lock(tasks_mu_);
    batch_queue_.push_back(std::move(job));
  }
  tasks_wake_.notify_all();
}

void Pool::BatchLoop() {
  while (true) {
    std::vector<BatchJob> jobs;
    {
      std::unique_lock lock(tasks_mu_);
      tasks_wake_.wait(lock, [&] { return stopping_ || !batch_queue_.empty(); });
      if (batch_queue_.empty()) return;  // stopping, and everything queued has run
      while (!batch_queue_.empty() && jobs.size() < kMaxBatch) {
        jobs.push_back(std::move(batch_queue_.front()));
        batch_queue_.pop_front();
      }
    }
    std::stable_sort(jobs.begin(), jobs.end(), [](const BatchJob& a, const BatchJob& b) {
      return a.order_key < b.order_key;
    });
    std::optional<Error> failure = RunBatch(jobs);
    for (BatchJob& job : jobs) job.complete(failure ? &*failure : nullptr);
  }
}

std::optional<Error> Pool::RunBatch(std::vector<BatchJob>& jobs) {
  for (int attempt = 1;; ++attempt) {
    auto acquired = Acquire();
    if (!acquired.ok()) return acquired.take_error();
    std::unique_ptr<Connection> conn = std::move(*acquired);
    auto attempt_batch = [&]() -> Result<void> {
      BRAMKA_RETURN_IF_ERROR(conn->Exec("BEGIN ISOLATION LEVEL READ COMMITTED"));
      WriteContext ctx{*conn};
      const bool savepoints = jobs.size() > 1;
      bool alone_failed = false;
      for (BatchJob& job : jobs) {
        for (int tries = 1;; ++tries) {
          if (savepoints) BRAMKA_RETURN_IF_ERROR(conn->Exec("SAVEPOINT job"));
          Result<void> r = job.run(ctx);
          if (r.ok()) {
            if (savepoints) BRAMKA_RETURN_IF_ERROR(conn->Exec("RELEASE SAVEPOINT job"));
            break;
          }
          const std::string sqlstate = conn->last_sqlstate();
          if (!savepoints) {
            if (Retryable(sqlstate)) return r;  // the whole (one-job) batch again
            alone_failed = true;                // the job's own error: nothing of it may commit
            break;
          }
          BRAMKA_RETURN_IF_ERROR(conn->Exec("ROLLBACK TO SAVEPOINT job"));
          BRAMKA_RETURN_IF_ERROR(conn->Exec("RELEASE SAVEPOINT job"));
          if (!Retryable(sqlstate) || tries >= kMaxAttempts) break;  // keeps its error
        }
      }
      if (alone_failed) return conn->Exec("ROLLBACK");
      return conn->Exec("COMMIT");
    };
    Result<void> done = attempt_batch();
    if (done.ok()) {
      commits_.fetch_add(1, std::memory_order_relaxed);
      Release(std::move(conn));
      return std::nullopt;
    }
    const std::string sqlstate = conn->last_sqlstate();
    if (conn->InTransaction()) (void)conn->Exec("ROLLBACK");
    Release(std::move(conn));
    if (!Retryable(sqlstate) || attempt >= kMaxAttempts) return done.take_error();
    retries_.fetch_add(1, std::memory_order_relaxed);
    Backoff(attempt);
  }
}

void Pool::Backoff(int attempt) {
  // Conflicting transactions that retry in lock-step conflict again: jitter.
  thread_local std::minstd_rand rng(std::random_device{}());
  int cap_us = std::min(20'000, 200 * attempt * attempt);
  std::uniform_int_distribution<int> d(0, cap_us);
  std::this_thread::sleep_for(std::chrono::microseconds(d(rng)));
}

}  // namespace bramka::store::postgres
