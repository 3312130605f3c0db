#include "store/postgres/pool.h"

#include <algorithm>
#include <random>

namespace bramka::store::postgres {

Result<std::unique_ptr<Pool>> Pool::Open(const std::string& conninfo, int size,
                                         int async_workers) {
  std::vector<std::unique_ptr<Connection>> connections;
  for (int i = 0; i < std::max(2, size); ++i) {
    BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> c, Connection::Open(conninfo));
    connections.push_back(std::move(c));
  }
  std::unique_ptr<Pool> pool(new Pool(conninfo, std::move(connections)));
  for (int i = 0; i < std::max(1, async_workers); ++i) {
    pool->workers_.emplace_back([p = pool.get()] { p->WorkerLoop(); });
  }
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

void Pool::Backoff(int attempt) {
  // Conflicting transactions that retry in lock-step conflict again: jitter.
  thread_local std::minstd_rand rng(std::random_device{}());
  int cap_us = std::min(20'000, 200 * attempt * attempt);
  std::uniform_int_distribution<int> d(0, cap_us);
  std::this_thread::sleep_for(std::chrono::microseconds(d(rng)));
}

}  // namespace bramka::store::postgres
