#pragma once
// Checkpointer: WAL checkpoints beside the writer thread (docs/adr/0044).
//
// The writer's COMMIT used to run SQLite's PASSIVE checkpoint itself every
// Writer::kCheckpointFrames frames (docs/adr/0037, 0040): copy the WAL's pages into the
// database file and fdatasync it, 5-25 ms during which every queued write waits. Here a
// thread with its own connection does that copy every `round_frames` new frames, while the
// writer goes on committing, and starts the write-back of the pages it copied
// (sync_file_range, no wait). SQLite's own rules keep it durable: every checkpoint syncs
// the WAL before it copies a frame; the WAL starts over only after a checkpoint copied every
// frame, and that one fdatasyncs the database file first (the frames a partial checkpoint
// copied stay in the WAL, which remains the authority for them until then).
//
// With the pipelined commit the writer passes Writer::kCatchUpFrames (8,000, docs/adr/0049)
// as `restart_frames`.
//
// That last step is the writer's: a background round can never copy the frames committed
// while it ran, so the WAL would grow for ever. From `restart_frames` on no round starts,
// and once the last one has ended the writer runs a FULL checkpoint itself (TakeCatchUp),
// which only has the frames committed since that round began left to copy, and syncs the
// database file (whose write-back each round started, so that sync has little to write);
// its next COMMIT then starts the WAL over. At twice `restart_frames` the writer waits for
// a round in progress rather than let the WAL grow.
//
// Thread-safety: Notify, TakeCatchUp and CatchUpBusy are called by the writer thread; the rest is
// the checkpointer's own thread.

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
  // own (catch-up) checkpoint now: the WAL holds restart_frames or more (no round starts
  // from there) and no round runs. At twice restart_frames it waits for the round in
  // progress. Not before `frames` + restart_frames after a catch-up that could not copy
  // every frame (CatchUpBusy: a reader held an older snapshot past the wait), so that a
  // long read does not stall the writer at every commit.
  bool TakeCatchUp(int frames);
  void CatchUpBusy(int frames) { retry_at_ = frames + restart_frames_; }

  uint64_t rounds() const { return rounds_.load(); }
  // Times each background round in `h` (bramka_store_background_checkpoint_seconds).
  void AttachMetrics(Histogram* h) { seconds_.store(h, std::memory_order_release); }

 private:
  void Loop();

  std::unique_ptr<Connection> conn_;
  int db_fd_ = -1;  // the database file, for the early write-back
  int last_copied_ = -1;
  const int round_frames_;
  const int restart_frames_;

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;  // a round ended
  bool stopping_ = false;
  int wanted_frames_ = 0;  // the WAL's size that asked for a round; 0: none asked

  int last_round_start_ = 0;  // writer thread: the frames at the last wake-up
  int retry_at_ = 0;          // writer thread: no catch-up below this many frames
  int last_frames_ = 0;       // writer thread: the WAL's size at the last Notify
  std::atomic<bool> running_{false};
  std::atomic<uint64_t> rounds_{0};
  std::atomic<Histogram*> seconds_{nullptr};
  std::thread thread_;
};

}  // namespace bramka::store::sqlite
