// latency (docs/adr/0044): the Writer's WAL checkpoints beside it (checkpointer.h).
#include <time.h>

#include <cstdlib>
#include <string>

#include <spdlog/spdlog.h>

#include "store/sqlite/writer.h"

namespace bramka::store::sqlite {

void Writer::StartCheckpointer() {
  // EXPERIMENT: BRAMKA_EXP_CKPT_BG="round:restart" (frames).
  const char* env = std::getenv("BRAMKA_EXP_CKPT_BG");
  if (env == nullptr || *env == '\0') return;
  const std::string spec(env);
  const size_t colon = spec.find(':');
  const int round = std::atoi(spec.substr(0, colon).c_str());
  const int restart = colon == std::string::npos ? 16000 : std::atoi(spec.substr(colon + 1).c_str());
  const char* db = sqlite3_db_filename(conn_->db(), "main");
  if (db == nullptr || *db == '\0') return;
  auto conn = Connection::Open(db, Connection::Mode::kWriter, 5000);
  if (!conn.ok()) {
    spdlog::warn("store: checkpoints stay on the writer: {}", conn.error().message);
    return;
  }
  if (std::getenv("BRAMKA_EXP_PASSIVE_CATCHUP")) catch_up_mode_ = SQLITE_CHECKPOINT_PASSIVE;
  checkpointer_ = std::make_unique<Checkpointer>(std::move(*conn), round, restart);
  spdlog::info("store: WAL checkpoints beside the writer every {} frames, restart at {}", round,
               restart);
}

}  // namespace bramka::store::sqlite

namespace bramka::store::sqlite {
namespace {

// The catch-up's busy handler: readers' transactions are short (a snapshot older than the
// last commit ends within a millisecond or so), so nap 20 µs at a time rather than
// SQLite's first 1 ms sleep; give up after ~5 ms (the next catch-up tries again).
int NapWhileBusy(void*, int count) {
  if (count >= 250) return 0;
  timespec nap{0, 20'000};
  nanosleep(&nap, nullptr);
  return 1;
}

}  // namespace

void Writer::CatchUpCheckpoint() {
  const auto started = std::chrono::steady_clock::now();
  sqlite3_busy_handler(conn_->db(), &NapWhileBusy, nullptr);
  (void)sqlite3_wal_checkpoint_v2(conn_->db(), nullptr, catch_up_mode_, nullptr, nullptr);
  sqlite3_busy_timeout(conn_->db(), conn_->busy_timeout_ms());
  checkpoints_.fetch_add(1, std::memory_order_relaxed);
  if (Histogram* h = checkpoint_seconds_.load(std::memory_order_acquire)) {
    h->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
}

}  // namespace bramka::store::sqlite
