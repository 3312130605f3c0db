// s9-writer (docs/adr/0046): the writer's CPU per accepted row in AcceptRows::Insert,
// the multi-row INSERT of a writer batch's accepts (docs/adr/0041), on a migrated
// database without fsyncs (synchronous=OFF): only SQLite's and the binding's CPU.
//
//   build/release/bench/accept_rows_bench --benchmark_min_time=2
//   BRAMKA_BENCH_SQL="PRAGMA foreign_keys=OFF" build/release/bench/accept_rows_bench
//
// Arg: rows per AcceptRows::Insert call (under `bench smpp --binds 8 --window 64` at
// ~110,000 submit_sm/s a call held 136 rows on average, in 5.3 statements).
// BRAMKA_BENCH_SQL: SQL run on the connection first, to price a schema or pragma
// variant (an index dropped, foreign keys off...) against the same rows.

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/ids.h"
#include "store/sqlite/accept_rows.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;

void Check(const Result<void>& r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().ToString().c_str());
    std::abort();
  }
}

void BM_AcceptRowsInsert(benchmark::State& state) {
  const char* dir = std::getenv("BRAMKA_BENCH_DIR");
  const std::string path = ((dir != nullptr ? fs::path(dir) : fs::temp_directory_path()) /
                            ("bramka-accept-rows-bench-" + std::to_string(getpid()) + ".db"))
                               .string();
  auto remove = [&] {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  };
  remove();
  AccountId account = 0;
  {
    SqliteOptions options;
    options.path = path;
    auto store = SqliteStore::Open(options);
    if (!store.ok()) std::abort();
    account = *(*store)->CreateAccount("bench", "hash", 0, 1);
  }
  auto opened = sqlite::Connection::Open(path, sqlite::Connection::Mode::kWriter, 1000);
  if (!opened.ok()) std::abort();
  sqlite::Connection& conn = **opened;
  Check(conn.Exec("PRAGMA synchronous=OFF"), "pragma");
  // Experiments: SQL run first (e.g. "DROP INDEX messages_account_queued").
  if (const char* sql = std::getenv("BRAMKA_BENCH_SQL")) Check(conn.Exec(sql), "BRAMKA_BENCH_SQL");

  const size_t batch = static_cast<size_t>(state.range(0));
  MessageIdCodec codec;
  uint64_t seq = 1;
  std::vector<Message> messages(batch);
  sqlite::AcceptRows rows;
  size_t in_tx = 0;
  Check(conn.Exec("BEGIN"), "begin");
  for (auto _ : state) {
    state.PauseTiming();
    for (Message& m : messages) {
      m.id = codec.Encode(seq++);
      m.phone = "+48500100200";
      m.sender = "Bench";
      m.type = MessageType::kEco;
      m.text = "Your code is 123456. It expires in 5 minutes.";
      m.cost_units = 1;
      m.status = MessageStatus::kQueued;
      m.source = "smpp";
      m.queued_ms = 1'700'000'000'000 + static_cast<int64_t>(seq);
      m.due_ms = m.queued_ms;
      m.smpp_user_id = 1;
    }
    state.ResumeTiming();
    for (const Message& m : messages) {
      rows.Add(m, static_cast<int64_t>(codec.Decode(m.id)), account, 1, 1);
    }
    Check(rows.Insert(conn), "insert");
    in_tx += batch;
    if (in_tx >= 2000) {  // a transaction of a few writer batches, as the serve's
      Check(conn.Exec("COMMIT"), "commit");
      Check(conn.Exec("BEGIN"), "begin");
      in_tx = 0;
    }
  }
  Check(conn.Exec("COMMIT"), "commit");
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
  opened->reset();
  remove();
}
BENCHMARK(BM_AcceptRowsInsert)->ArgName("rows")->Arg(1)->Arg(10)->Arg(50)->Arg(63)->Arg(200);

}  // namespace
}  // namespace bramka::store
