// s10-receipts (docs/performance/session10-receipts.md): the writer's CPU per delivery
// receipt in sql::ApplyReceiptInTx, on a migrated database without fsyncs
// (synchronous=OFF): only SQLite's and the binding's CPU, in transactions of 64 receipts
// as the dispatcher's cycles write them (WriteDeliveriesInTx).
//
//   build/release/bench/receipt_bench --benchmark_repetitions=3
//
// Arg dlr: 0 = the account has no DLR template (send_sms without dlr_url, the end-to-end
// benchmark's messages: no callback entry), 1 = it has one (one callback_outbox row per
// receipt). The database holds kMessages sent messages, each with its upstream id; every
// iteration applies the receipts of the next 64 (each once). BRAMKA_BENCH_SQL: SQL run
// on the connection first (e.g. "DROP INDEX messages_unique_id", to price an index).

#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/ids.h"
#include "store/sql/receipt_tx.h"
#include "store/sqlite/callbacks_tx.h"
#include "store/sqlite/connection.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

namespace bramka::store {
namespace {

namespace fs = std::filesystem;

constexpr int kMessages = 200'000;
constexpr int kPerTx = 64;

template <class T>
void Check(const Result<T>& r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().ToString().c_str());
    std::abort();
  }
}

// A fresh database file "bramka-<name>-<pid>.db" (in BRAMKA_BENCH_DIR, else the temp
// directory) with one account "bench" of 2^40 ECO units.
struct BenchStore {
  std::string path;
  Result<std::unique_ptr<SqliteStore>> store = Fail(ErrorCode::kInternal, "not opened");
  Result<AccountId> account = Fail(ErrorCode::kInternal, "not created");
};

BenchStore OpenBenchStore(const std::string& name) {
  BenchStore b;
  const char* dir = std::getenv("BRAMKA_BENCH_DIR");
  b.path = ((dir != nullptr ? fs::path(dir) : fs::temp_directory_path()) /
            ("bramka-" + name + "-" + std::to_string(getpid()) + ".db"))
               .string();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(b.path + suffix);
  SqliteOptions options;
  options.path = b.path;
  b.store = SqliteStore::Open(options);
  Check(b.store, "open");
  b.account = (*b.store)->CreateAccount("bench", "hash", 0, 1);
  Check(b.account, "account");
  Check((*b.store)->AdjustBalance(*b.account, MessageType::kEco, int64_t{1} << 40, "bench", 1),
        "balance");
  return b;
}

// One queued ECO message of one unit, "bench", due at `now`, added to `request`.
void AddBenchMessage(AcceptRequest& request, std::string id, std::string phone, int64_t now) {
  Message& m = request.messages.emplace_back();
  m.id = std::move(id);
  m.phone = std::move(phone);
  m.type = MessageType::kEco;
  m.text = "bench";
  m.cost_units = 1;
  m.status = MessageStatus::kQueued;
  m.source = "http";
  m.queued_ms = now;
  m.due_ms = now;
}

// A database with kMessages messages sent through connector "c" as "u<n>".
std::string MakeDatabase(bool dlr) {
  BenchStore b = OpenBenchStore("receipt-bench");
  const std::string& path = b.path;
  auto& store = b.store;
  auto& account = b.account;
  if (dlr) {
    AccountCallbacks callbacks;
    callbacks.dlr_url = "https://example.com/dlr?id={message_id}&status={status}";
    Check((*store)->SetAccountCallbacks(*account, callbacks), "callbacks");
  }
  MessageIdCodec codec;
  const int64_t now = 1'700'000'000'000;
  uint64_t seq = 1;
  for (int done = 0; done < kMessages; done += 1000) {
    AcceptRequest request{*account, {}};
    for (int i = 0; i < 1000; ++i) {
      AddBenchMessage(request, codec.Encode(seq++), "+48500" + std::to_string(100000 + done + i),
                      now);
    }
    Check((*store)->Accept(request), "accept");
    auto claimed = (*store)->ClaimDue(now, 1000, "bench", now + 3'600'000);
    Check(claimed, "claim");
    std::vector<SentUpdate> sent;
    for (const Message& m : *claimed) {
      sent.push_back({m.id, "c", "u" + std::to_string(codec.Decode(m.id)), now});
    }
    Check((*store)->WriteDeliveries(sent, {}), "sent");
  }
  return path;
}

void BM_ApplyReceipts(benchmark::State& state) {
  const std::string path = MakeDatabase(state.range(0) != 0);
  auto opened = sqlite::Connection::Open(path, sqlite::Connection::Mode::kWriter, 1000);
  Check(opened, "connection");
  sqlite::Connection& conn = **opened;
  Check(conn.Exec("PRAGMA synchronous=OFF"), "pragma");
  if (const char* sql = std::getenv("BRAMKA_BENCH_SQL")) Check(conn.Exec(sql), "BRAMKA_BENCH_SQL");
  uint64_t next = 1;
  int64_t applied = 0;
  std::vector<ReceiptUpdate> receipts;
  for (auto _ : state) {
    if (next + kPerTx > static_cast<uint64_t>(kMessages)) {
      state.SkipWithError("ran out of sent messages");
      break;
    }
    receipts.clear();
    for (int i = 0; i < kPerTx; ++i) {
      receipts.push_back(
          {"c", "u" + std::to_string(next++), MessageStatus::kDelivered, "", 1'700'000'001'000});
    }
    Check(conn.Exec("BEGIN"), "begin");
    sqlite::WriteContext ctx{conn};
    for (const ReceiptUpdate& r : receipts) {
      auto m = sql::ApplyReceiptInTx<sqlite::Backend>(ctx, r);
      Check(m, "receipt");
      if (!*m || (*m)->status != MessageStatus::kDelivered) std::abort();
    }
    Check(conn.Exec("COMMIT"), "commit");
    applied += kPerTx;
  }
  state.SetItemsProcessed(applied);
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}
// 3,000 iterations: 192,000 receipts, within kMessages.
BENCHMARK(BM_ApplyReceipts)->ArgName("dlr")->Arg(0)->Arg(1)->Iterations(3000);

// The process's CPU time: the store's work is on the writer thread.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// One WriteDeliveries call per iteration, timed alone (process CPU): kPerCycle accepted and
// claimed messages marked sent, with their own receipts (the same cycle: ADR 0059's pair) or
// the previous call's (a cycle later, the bulk shape: docs/adr/0069). Per message: one
// acceptance and one receipt.
void RunDeliveryCycles(benchmark::State& state, const char* name, bool receipts_a_cycle_later) {
  constexpr int kPerCycle = 32;
  BenchStore b = OpenBenchStore(name);
  const std::string& path = b.path;
  auto& store = b.store;
  auto& account = b.account;
  MessageIdCodec codec;
  const int64_t now = 1'700'000'000'000;
  uint64_t seq = 1;
  int64_t done = 0;
  std::vector<ReceiptUpdate> receipts;
  for (auto _ : state) {
    state.PauseTiming();
    AcceptRequest request{*account, {}};
    for (int i = 0; i < kPerCycle; ++i) {
      const std::string id = codec.Encode(seq++);
      AddBenchMessage(request, id, "+48500" + std::to_string(100000 + seq % 800000), now);
    }
    Check((*store)->Accept(request), "accept");
    auto claimed = (*store)->ClaimDue(now, kPerCycle, "bench", now + 3'600'000);
    Check(claimed, "claim");
    std::vector<SentUpdate> sent;
    std::vector<ReceiptUpdate> next;
    for (const Message& m : *claimed) {
      const std::string upstream = "u" + std::to_string(codec.Decode(m.id));
      sent.push_back({m.id, "c", upstream, now});
      next.push_back({"c", upstream, MessageStatus::kDelivered, "", now + 1});
    }
    if (!receipts_a_cycle_later) receipts = std::move(next);
    state.ResumeTiming();
    const double cpu0 = ProcessCpuSeconds();
    auto out = (*store)->WriteDeliveries(sent, receipts);
    state.SetIterationTime(ProcessCpuSeconds() - cpu0);
    Check(out, "write");
    for (const auto& m : out->applied) {
      if (!m || m->status != MessageStatus::kDelivered) std::abort();
    }
    if (receipts_a_cycle_later) receipts = std::move(next);
    done += static_cast<int64_t>(sent.size());
  }
  state.SetItemsProcessed(done);
  store->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path + suffix);
}

// trickle (docs/adr/0059): one delivery cycle whose receipts are for the messages it marks
// sent (an SMSC that reports the delivery at once, the one-message-per-request end-to-end
// shape). Each iteration accepts and claims its messages first, untimed. BRAMKA_BENCH_DIR
// on a tmpfs (/dev/shm) keeps the commit's fdatasync out of it.
void BM_SentWithReceipts(benchmark::State& state) {
  RunDeliveryCycles(state, "pair-bench", /*receipts_a_cycle_later=*/false);
}
BENCHMARK(BM_SentWithReceipts)->UseManualTime()->Iterations(3000);

void BM_ReceiptsACycleLater(benchmark::State& state) {
  RunDeliveryCycles(state, "later-bench", /*receipts_a_cycle_later=*/true);
}
BENCHMARK(BM_ReceiptsACycleLater)->UseManualTime()->Iterations(3000);

}  // namespace
}  // namespace bramka::store
