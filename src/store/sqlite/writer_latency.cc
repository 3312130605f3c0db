// latency (docs/adr/0044): the Writer's WAL checkpoints beside it (checkpointer.h).
#include <time.h>

#include <chrono>

#include <spdlog/spdlog.h>

#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {
namespace {

// The catch-up's busy handler: a reader's transaction is short (a snapshot older than the
// last commit ends within a millisecond or so), so nap 20 µs at a time rather than
// SQLite's first 1 ms sleep; give up at `deadline` (2 ms): the WAL then goes on growing
// and the catch-up is tried again restart_frames later (Checkpointer::CatchUpBusy).
int NapWhileBusy(void* deadline, int) {
  if (std::chrono::steady_clock::now() >=
      *static_cast<std::chrono::steady_clock::time_point*>(deadline)) {
    return 0;
  }
  timespec nap{0, 20'000};
  nanosleep(&nap, nullptr);
  return 1;
}

}  // namespace

void Writer::StartCheckpointer() {
  // Only with the pipelined commit (the default): with synchronous=FULL every COMMIT
  // syncs on the writer anyway, and the tests that use it count the writer's checkpoints.
  if (sync_ != CommitSync::kSyncThread) return;
  const char* db = sqlite3_db_filename(conn_->db(), "main");
  if (db == nullptr || *db == '\0') return;
  auto conn = Connection::Open(db, Connection::Mode::kWriter, conn_->busy_timeout_ms());
  if (!conn.ok()) {
    spdlog::warn("store: WAL checkpoints stay on the writer: {}", conn.error().message);
    return;
  }
  checkpointer_ =
      std::make_unique<Checkpointer>(std::move(*conn), kBackgroundCheckpointFrames, kCatchUpFrames);
}

void Writer::CatchUpCheckpoint() {
  const auto started = std::chrono::steady_clock::now();
  // FULL: waits (NapWhileBusy) for the readers of a snapshot older than the last commit, so
  // that every frame is copied and the next COMMIT starts the WAL over; PASSIVE would stop
  // at the oldest reader's snapshot, and at 20,000 accepts a second some reader nearly
  // always holds one.
  auto deadline = started + std::chrono::milliseconds(2);
  sqlite3_busy_handler(conn_->db(), &NapWhileBusy, &deadline);
  const int rc =
      sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, SQLITE_CHECKPOINT_FULL, nullptr, nullptr);
  sqlite3_busy_timeout(conn_->db(), conn_->busy_timeout_ms());
  if (rc != SQLITE_OK) checkpointer_->CatchUpBusy(wal_frames_.load(std::memory_order_relaxed));
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
  if (Histogram* h = checkpoint_seconds_.load(std::memory_order_acquire)) {
    h->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
}

}  // namespace bramka::store::sqlite
