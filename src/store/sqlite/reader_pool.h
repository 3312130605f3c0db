#pragma once
// A small pool of read-only connections. WAL lets them read the last
// committed state while the writer thread writes the next batch.
// Thread-safe; a connection serves one caller at a time.

#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class ReaderPool {
 public:
  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
      : free_(std::move(connections)) {}

  // Runs fn(Connection&) on a free connection, waiting for one if all are busy.
  template <typename Fn>
  auto With(Fn&& fn) {
    std::unique_ptr<Connection> conn;
    {
      std::unique_lock lock(mu_);
      available_.wait(lock, [&] { return !free_.empty(); });
      conn = std::move(free_.back());
      free_.pop_back();
    }
    struct Return {
      ReaderPool* pool;
      std::unique_ptr<Connection>& conn;
      ~Return() {
        {
          std::lock_guard lock(pool->mu_);
          pool->free_.push_back(std::move(conn));
        }
        pool->available_.notify_one();
      }
    } give_back{this, conn};
    return fn(*conn);
  }

 private:
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace bramka::store::sqlite
