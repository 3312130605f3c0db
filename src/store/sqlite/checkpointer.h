#pragma once
// Checkpointer: copies the WAL into the database file on a thread of its own, beside the
// writer (docs/adr/0037).
//
// SQLite's automatic checkpoint runs inside the COMMIT that crosses 1,000 WAL frames, on
// the writer thread: it syncs the WAL, copies every frame into the database file and
// syncs that (8-18 ms on the loaded 2-vCPU VM, ten times a second at 20,000 submit_sm/s),
// and every accept of that batch and every one queued behind it waits. Here the writer
// (writer.h) starts a PASSIVE checkpoint on this thread instead, and goes on committing.
// A checkpoint that ran beside the writer cannot leave the WAL empty (the writer appended
// frames meanwhile), and SQLite rewinds the WAL only when it is empty when a write
// starts; so after each background round the writer copies the few frames written
// meanwhile itself (a small checkpoint) and the WAL starts over at the next batch, as
// before. Durability is SQLite's: a checkpoint syncs the WAL before copying and the
// database file before it marks the frames copied, and the WAL is rewound only after
// every frame is copied and synced, whichever connection copied it.
//
// Thread-safety: Start and state may be called from any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/metrics.h"
#include "common/result.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class Checkpointer {
 public:
  // Opens its own connection to `db_path` (a database in WAL mode).
  static Result<std::unique_ptr<Checkpointer>> Open(const std::string& db_path);
  // Waits for the round in progress, then closes the connection.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  struct State {
    bool running = false;
    uint64_t rounds = 0;  // rounds finished so far
  };
  State state() const;
  // Starts a PASSIVE checkpoint round unless one runs.
  void Start();
  // Waits until no round runs; the state then.
  State WaitIdle();
  // Each later round's duration goes to `seconds`.
  void Observe(Histogram* seconds);

 private:
  explicit Checkpointer(std::unique_ptr<Connection> conn);
  void Loop();

  std::unique_ptr<Connection> conn_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  bool requested_ = false;        // guarded by mu_
  bool running_ = false;          // guarded by mu_: requested or in progress
  bool stopping_ = false;         // guarded by mu_
  uint64_t rounds_ = 0;           // guarded by mu_
  Histogram* seconds_ = nullptr;  // guarded by mu_
  std::thread thread_;
};

}  // namespace bramka::store::sqlite
