#include "store/sqlite/checkpointer.h"

#include <utility>

#include <spdlog/spdlog.h>

namespace bramka::store::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Open(const std::string& db_path) {
  // A writer-mode connection (WAL, synchronous=FULL: a checkpoint syncs the WAL before it
  // copies and the database file after). It never writes a transaction; a PASSIVE
  // checkpoint takes no write lock and waits for nobody.
  BRAMKA_ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                          Connection::Open(db_path, Connection::Mode::kWriter, 0));
  // Its own commits would checkpoint; it makes none, but keep it explicit.
  BRAMKA_RETURN_IF_ERROR(conn->Exec("PRAGMA wal_autocheckpoint=0"));
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(conn)));
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

Checkpointer::State Checkpointer::state() const {
  std::lock_guard lock(mu_);
  return State{running_, rounds_};
}

void Checkpointer::Start() {
  {
    std::lock_guard lock(mu_);
    if (running_ || stopping_) return;
    running_ = requested_ = true;
  }
  wake_.notify_one();
}

Checkpointer::State Checkpointer::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return !running_; });
  return State{running_, rounds_};
}

void Checkpointer::Observe(Histogram* seconds) {
  std::lock_guard lock(mu_);
  seconds_ = seconds;
}

void Checkpointer::Loop() {
  std::unique_lock lock(mu_);
  while (true) {
    wake_.wait(lock, [&] { return stopping_ || requested_; });
    if (stopping_) {
      running_ = false;  // a requested round that will not run
      idle_.notify_all();
      return;
    }
    requested_ = false;
    Histogram* seconds = seconds_;
    lock.unlock();
    const auto started = std::chrono::steady_clock::now();
    const int rc = sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             nullptr, nullptr);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: background checkpoint: {}", sqlite3_errmsg(conn_->db()));
    }
    if (seconds != nullptr) {
      seconds->Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    lock.lock();
    running_ = false;
    ++rounds_;
    idle_.notify_all();
  }
}

}  // namespace bramka::store::sqlite
