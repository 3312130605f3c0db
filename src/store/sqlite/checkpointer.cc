#include "store/sqlite/checkpointer.h"

#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include "store/sqlite/io_priority.h"

namespace bramka::store::sqlite {

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn, int round_frames, int restart_frames)
    : conn_(std::move(conn)),
      round_frames_(round_frames > 0 ? round_frames : 1),
      restart_frames_(restart_frames > 0 ? restart_frames : 1) {
  const char* db = sqlite3_db_filename(conn_->db(), "main");
  if (db != nullptr && *db != '\0') db_fd_ = ::open(db, O_RDONLY | O_CLOEXEC);
  thread_ = std::thread([this] { Loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  idle_.notify_all();
  thread_.join();
  if (db_fd_ >= 0) ::close(db_fd_);
}

void Checkpointer::Notify(int frames) {
  if (frames < last_frames_) last_round_start_ = retry_at_ = 0;  // the WAL started over
  last_frames_ = frames;
  // From restart_frames on the writer's catch-up is due: no new round, so that it finds the
  // checkpoint lock free (unless it just failed on a reader and waits, retry_at_).
  if (frames >= restart_frames_ && frames >= retry_at_) return;
  if (frames - last_round_start_ < round_frames_ || running_.load(std::memory_order_relaxed)) {
    return;
  }
  last_round_start_ = frames;
  {
    std::lock_guard lock(mu_);
    wanted_frames_ = frames;
  }
  wake_.notify_all();
}

bool Checkpointer::TakeCatchUp(int frames) {
  if (frames < restart_frames_ || frames < retry_at_) return false;
  std::unique_lock lock(mu_);
  // A round asked for earlier must not start now: it would hold SQLite's checkpoint lock
  // and the catch-up would fail. (Rounds start under mu_, so none starts after this.)
  wanted_frames_ = 0;
  if (!running_.load()) return true;
  if (frames < 2 * restart_frames_) return false;  // the round ends soon: catch up then
  // The WAL has grown to twice the threshold during one round: wait for it, so that the
  // WAL's size stays bounded however slow the database file's disk is.
  idle_.wait(lock, [&] { return !running_.load() || stopping_; });
  return true;
}

void Checkpointer::Loop() {
  pthread_setname_np(pthread_self(), "bramka-ckpt");
  (void)RaiseThreadIoPriority();  // docs/adr/0053
  while (true) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || wanted_frames_ > 0; });
      if (stopping_) return;
      wanted_frames_ = 0;
      running_.store(true);
    }
    const auto started = std::chrono::steady_clock::now();
    // PASSIVE: copies what no reader still needs, never waits for the writer. SQLITE_BUSY
    // (the writer's own catch-up holds the checkpoint lock) is harmless: the next round
    // copies the rest.
    int log_frames = 0;
    int copied = 0;  // the WAL's frames now in the database file (nBackfill)
    const int rc = sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                             &log_frames, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("store: background checkpoint: {}", sqlite3_errstr(rc));
    }
    // A checkpoint that leaves frames in the WAL does not sync the database file: the one
    // that copies the last frame (the writer's catch-up) fdatasyncs everything written
    // since. Starting the write-back of this round's pages now (without waiting, without a
    // cache flush or a journal commit, unlike an fdatasync here: docs/adr/0044) leaves that
    // sync little to write. Durability does not depend on it: SQLite's own sync follows.
    if (db_fd_ >= 0 && copied != last_copied_) {
      (void)::sync_file_range(db_fd_, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
    last_copied_ = copied;
    if (Histogram* h = seconds_.load(std::memory_order_acquire)) {
      h->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    rounds_.fetch_add(1);
    {
      std::lock_guard lock(mu_);
      running_.store(false);
    }
    idle_.notify_all();
  }
}

}  // namespace bramka::store::sqlite
