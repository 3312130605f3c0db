// Store micro-benchmarks on SqliteStore with its default options: WAL, group commit and
// the pipelined commit (synchronous=NORMAL, a syncer thread fdatasyncs the WAL before any
// answer of a commit; docs/adr/0029).
//
//   build/release/bench/store_bench --benchmark_min_time=2
//
// The database lives in $BRAMKA_BENCH_DIR (default: the system temp dir); its
// disk's fsync latency bounds the commit rate, group commit the message rate.

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include <benchmark/benchmark.h>

#include "common/ids.h"
#include "store/sqlite/sqlite_store.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;

fs::path BenchDir() {
  const char* dir = std::getenv("BRAMKA_BENCH_DIR");
  return dir != nullptr ? fs::path(dir) : fs::temp_directory_path();
}

// One store per benchmark run, shared by its threads.
struct Fixture {
  std::string path;
  std::unique_ptr<SqliteStore> store;
  AccountId account = 0;
  std::atomic<uint64_t> next_sequence{1};
  MessageIdCodec codec;

  Fixture() {
    path = (BenchDir() / ("bramka-store-bench-" + std::to_string(getpid()) + ".db")).string();
    Remove();
    SqliteOptions options;
    options.path = path;
    if (const char* b = std::getenv("BRAMKA_BENCH_MAX_BATCH")) options.max_batch = std::atoi(b);
    auto opened = SqliteStore::Open(options);
    if (!opened.ok()) {
      std::fprintf(stderr, "open: %s\n", opened.error().ToString().c_str());
      std::abort();
    }
    store = std::move(opened).value();
    account = *store->CreateAccount("bench", "hash", 0, 1);
    (void)store->AdjustBalance(account, MessageType::kEco, int64_t{1} << 40, "bench", 1);
  }
  ~Fixture() {
    store.reset();
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
  }

  AcceptRequest Request(int count) {
    AcceptRequest request{account, {}};
    request.messages.reserve(static_cast<size_t>(count));
    uint64_t first = next_sequence.fetch_add(static_cast<uint64_t>(count));
    for (int i = 0; i < count; ++i) {
      Message& m = request.messages.emplace_back();
      m.id = codec.Encode(first + static_cast<uint64_t>(i));
      m.phone = "+48500100200";
      m.type = MessageType::kEco;
      m.text = "Your code is 123456. It expires in 5 minutes.";
      m.cost_units = 1;
      m.status = MessageStatus::kQueued;
      m.source = "http";
      m.stat_id = static_cast<int64_t>(first);
      m.queued_ms = 1'700'000'000'000 + static_cast<int64_t>(first);
      m.due_ms = m.queued_ms;
    }
    return request;
  }
};

Fixture* fixture = nullptr;

void SetUpShared(const benchmark::State& state) {
  if (state.thread_index() == 0) fixture = new Fixture;
}
void TearDownShared(const benchmark::State& state) {
  if (state.thread_index() == 0) {
    delete fixture;
    fixture = nullptr;
  }
}

// Synchronous Accept from every benchmark thread: each call waits for its
// commit, so concurrency comes only from the threads.
void BM_AcceptSync(benchmark::State& state) {
  SetUpShared(state);
  const int per_call = static_cast<int>(state.range(0));
  for (auto _ : state) {
    auto r = fixture->store->Accept(fixture->Request(per_call));
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * per_call);
  if (state.thread_index() == 0) {
    state.counters["commits"] = static_cast<double>(fixture->store->commit_count());
  }
  TearDownShared(state);
}
BENCHMARK(BM_AcceptSync)
    ->ArgName("msgs_per_call")
    ->Arg(1)
    ->Arg(100)
    ->Threads(1)
    ->Threads(8)
    ->Threads(64)
    ->UseRealTime();

// AcceptAsync with up to `window` calls in flight (an HTTP or SMPP front end
// with many clients), one message per call.
void BM_AcceptAsyncWindow(benchmark::State& state) {
  Fixture local;
  const int64_t window = state.range(0);
  std::mutex mu;
  std::condition_variable cv;
  int64_t in_flight = 0;
  std::atomic<int64_t> failures{0};
  for (auto _ : state) {
    {
      std::unique_lock lock(mu);
      cv.wait(lock, [&] { return in_flight < window; });
      ++in_flight;
    }
    local.store->AcceptAsync(local.Request(1), [&](Result<AcceptResult> r) {
      if (!r.ok()) failures++;
      std::lock_guard lock(mu);
      --in_flight;
      cv.notify_one();
    });
  }
  {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return in_flight == 0; });
  }
  if (failures.load() != 0) state.SkipWithError("accept failed");
  state.SetItemsProcessed(state.iterations());
  state.counters["commits"] = static_cast<double>(local.store->commit_count());
}
BENCHMARK(BM_AcceptAsyncWindow)->ArgName("window")->Arg(64)->Arg(1024)->Arg(8192)->UseRealTime();

// ClaimDue of `limit` messages from a backlog of 100k due messages. Leases
// last 1 ms of the fake time, so the backlog never runs dry.
void BM_ClaimDue(benchmark::State& state) {
  Fixture local;
  for (int i = 0; i < 1000; ++i) (void)local.store->Accept(local.Request(100));
  const int limit = static_cast<int>(state.range(0));
  int64_t now = 1'800'000'000'000;
  int64_t claimed = 0;
  for (auto _ : state) {
    auto r = local.store->ClaimDue(now, limit, "bench", now + 1);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    claimed += static_cast<int64_t>(r->size());
    now += 2;
  }
  state.SetItemsProcessed(claimed);
}
BENCHMARK(BM_ClaimDue)->ArgName("limit")->Arg(100)->Arg(1000)->UseRealTime();

// e2e (docs/adr/0043): the delivery writes of one message, as the dispatcher makes them
// end to end: claimed in batches of 512, then cycles of 64 acceptances and the 64
// receipts of the cycle before (WriteDeliveries). Process CPU per message (the writer
// and syncer threads do the work).
void BM_DeliveryWrites(benchmark::State& state) {
  Fixture local;
  for (int i = 0; i < 2000; ++i) (void)local.store->Accept(local.Request(100));
  int64_t now = 1'800'000'000'000;
  std::vector<Message> claimed;
  size_t next = 0;
  int64_t up = 0;
  std::vector<ReceiptUpdate> receipts;
  int64_t done = 0;
  for (auto _ : state) {
    if (next + 64 > claimed.size()) {
      auto r = local.store->ClaimDue(now, 512, "bench", now + 3'600'000);
      if (!r.ok() || r->size() < 64) {
        state.SkipWithError("backlog ran dry");
        break;
      }
      claimed = std::move(*r);
      next = 0;
    }
    std::vector<SentUpdate> sent;
    for (int i = 0; i < 64; ++i) {
      sent.push_back({claimed[next++].id, "c", "u" + std::to_string(++up), now});
    }
    auto w = local.store->WriteDeliveries(sent, receipts);
    if (!w.ok()) state.SkipWithError(w.error().message.c_str());
    receipts.clear();
    for (const SentUpdate& s : sent) {
      receipts.push_back({"c", s.upstream_id, MessageStatus::kDelivered, "", now});
    }
    done += 64;
    ++now;
  }
  state.SetItemsProcessed(done);
}
BENCHMARK(BM_DeliveryWrites)->MeasureProcessCPUTime()->UseRealTime();

// This thread's CPU time: the machine the benchmarks run on is shared, wall time is not.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// readpath (docs/performance/session12-readpath.md): one API send_sms's store read
// (ReadForTokenSubmit: the token's account, its balances, the sender when asked and one
// recipient's blacklist entry), on the calling thread. With
// `changed` = 1 another connection commits between two reads (as the writer does under
// load), so every read starts a new WAL snapshot and refetches the pages it needs. The time
// is the reading thread's CPU time in the read alone.
void BM_ReadForTokenSubmit(benchmark::State& state) {
  Fixture local;
  (void)local.store->AddApiToken(local.account, "token-hash", "bench", 1);
  AccountId other = *local.store->CreateAccount("other", "hash", 0, 1);
  const bool changed = state.range(0) != 0;
  const std::string sender = state.range(1) != 0 ? "Firma" : "";
  if (!sender.empty()) {
    (void)local.store->SetSender(local.account, sender, SenderStatus::kAuthorized, 1);
  }
  sqlite3* db = nullptr;
  sqlite3_open(local.path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA synchronous=OFF", nullptr, nullptr, nullptr);
  sqlite3_stmt* write = nullptr;
  sqlite3_prepare_v2(db, "UPDATE balances SET units = units + 1 WHERE account_id = ?1", -1, &write,
                     nullptr);
  sqlite3_bind_int64(write, 1, other);
  const std::vector<std::string> phones = {"+48500100200"};
  for (auto _ : state) {
    if (changed) {
      sqlite3_step(write);
      sqlite3_reset(write);
    }
    const double t0 = ThreadCpuSeconds();
    Store::TokenSubmitReads r = local.store->ReadForTokenSubmit("token-hash", sender, phones);
    const double t1 = ThreadCpuSeconds();
    if (!r.account.ok() || !r.reads.balances.ok()) state.SkipWithError("read failed");
    state.SetIterationTime(t1 - t0);
  }
  sqlite3_finalize(write);
  sqlite3_close(db);
}
BENCHMARK(BM_ReadForTokenSubmit)
    ->ArgNames({"changed", "sender"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({1, 1})
    ->UseManualTime();

}  // namespace
}  // namespace bramka::store
