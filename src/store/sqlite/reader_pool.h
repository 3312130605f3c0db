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

class ReaderPool;

// The connection WithPinned lent to this thread (perf, docs/adr/0024).
struct ReaderPin {
  const ReaderPool* pool = nullptr;
  Connection* conn = nullptr;
};
inline thread_local ReaderPin t_reader_pin;

class ReaderPool {
 public:
  explicit ReaderPool(std::vector<std::unique_ptr<Connection>> connections)
      : free_(std::move(connections)) {}

  // Runs fn(Connection&) on a free connection, waiting for one if all are busy. Inside
  // WithPinned on the same thread: on the pinned connection (its read transaction).
  template <typename Fn>
  auto With(Fn&& fn) {
    if (t_reader_pin.pool == this) return fn(*t_reader_pin.conn);
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

  // perf (docs/adr/0024): runs fn(Connection&) with that connection pinned to this thread,
  // so that every With() that fn makes (directly or through the store's own methods) reads
  // on it: several reads in one read transaction when fn opened one.
  template <typename Fn>
  auto WithPinned(Fn&& fn) {
    return With([&](Connection& c) {
      struct Unpin {
        ReaderPin saved;
        ~Unpin() { t_reader_pin = saved; }
      } unpin{t_reader_pin};
      t_reader_pin = ReaderPin{this, &c};
      return fn(c);
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> free_;
};

}  // namespace bramka::store::sqlite
