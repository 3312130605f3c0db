#pragma once
// Checkpointer: WAL checkpoints beside the writer thread (docs/adr/0044).
//
// The writer's COMMIT used to run SQLite's PASSIVE checkpoint itself every
// Writer::kCheckpointFrames frames (docs/adr/0037, 0040): copy the WAL's pages into the
// database file and fdatasync it, 5-25 ms during which every queued write waits. Here a
// thread with its own connection does that copy every `round_frames` new frames, while the
// writer goes on committing. SQLite's own rules keep it durable: the checkpoint syncs the
// WAL before it copies a frame and the database file before it records the frames as
// copied (nBackfill), and the WAL starts over only once every frame is copied.
//
// That last step is the writer's: a background round can never copy the frames committed
// while it ran, so the WAL would grow for ever. When the WAL holds `restart_frames` or
// more, the writer runs one PASSIVE checkpoint itself right after a background round has
// ended (TakeCatchUp), so that only the frames committed during that round are left to
// copy; its next COMMIT then starts the WAL over. Should the background thread fall
// behind, the writer checkpoints anyway at twice `restart_frames`.
//
// Thread-safety: Notify and TakeCatchUp are called by the writer thread; the rest is the
// checkpointer's own thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "common/metrics.h"
#include "store/sqlite/connection.h"

namespace bramka::store::sqlite {

class Checkpointer {
 public:
  // `conn`: a connection of its own to the writer's database (it only checkpoints).
  Checkpointer(std::unique_ptr<Connection> conn, int round_frames, int restart_frames);
  // Stops the thread (after the round in progress).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // The writer's WAL hook: the WAL now holds `frames`. Wakes the thread when
  // `round_frames` more than at its last round's start were written.
  void Notify(int frames);
  // After the writer handed a batch to the syncer: true when the writer should run its
  // own (catch-up) checkpoint now: the WAL holds restart_frames or more and a background
  // round has ended since the last catch-up, or the WAL holds twice that.
  bool TakeCatchUp(int frames);

  uint64_t rounds() const { return rounds_.load(); }
  // Times each background round in `h` (bramka_store_checkpoint_seconds{where="beside"}).
  void AttachMetrics(Histogram* h) { seconds_.store(h, std::memory_order_release); }

 private:
  void Loop();

  std::unique_ptr<Connection> conn_;
  int db_fd_ = -1;  // the database file, for the early fdatasync
  int last_copied_ = -1;
  const int round_frames_;
  const int restart_frames_;

  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int wanted_frames_ = 0;  // the WAL's size that asked for a round; 0: none asked

  int last_round_start_ = 0;  // writer thread: the frames at the last wake-up
  std::atomic<bool> round_ended_{false};  // a round ended since the last TakeCatchUp
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> rounds_{0};
  std::atomic<Histogram*> seconds_{nullptr};
  std::thread thread_;
};

}  // namespace bramka::store::sqlite
