#pragma once
// WriteStages: where a write job's time goes between Writer::Submit and its completion
// (docs/adr/0035, docs/performance/session6.md "Session 6: latency"), as Prometheus histograms
// `bramka_store_write_stage_seconds{stage=...}`:
//
//   queued     Submit -> the writer takes the job into a batch
//   batch      the batch's start -> its COMMIT returned (every job of the batch, and with
//              synchronous=FULL the COMMIT's fsync)
//   sync_wait  COMMIT returned -> the syncer's fdatasync that covers it starts (the
//              previous one was still running); 0 without the pipelined commit
//   fsync      that fdatasync, start to return
//   handoff    fdatasync returned -> the job's completion starts (the completion thread's
//              wake-up, and the completions queued before it)
//   total      Submit -> completion
//
// Each also with `slow="1"` for the jobs whose total was over 5 ms: which stage the slow
// answers spent their time in. Only batches that committed are counted.
//
// Thread-safety: Observe may be called from any thread (histograms are atomic).

#include <array>
#include <chrono>

#include "common/metrics.h"

namespace bramka::store::sqlite {

using WriteTime = std::chrono::steady_clock::time_point;

// When a batch went through each step (the writer and the syncer fill it in).
struct BatchTimes {
  WriteTime started{};
  WriteTime committed{};
  WriteTime sync_started{};
  WriteTime synced{};
  // Inside `batch`: the time the batch's jobs other than accepts took (delivery writes,
  // claims...), and the COMMIT's (with a WAL checkpoint when SQLite runs one there).
  std::chrono::nanoseconds others{0};
  std::chrono::nanoseconds commit{0};
};

class WriteStages {
 public:
  // Registers the histograms (so /metrics shows them from the start).
  explicit WriteStages(MetricsRegistry& metrics);

  // The stages every job of a committed batch shares (batch, sync_wait, fsync), once for
  // `jobs` of them: a bucket search per stage and batch, not per job.
  void ObserveBatch(const BatchTimes& batch, int64_t jobs);
  // One job's own stages (queued, handoff, total), and all six when it was slow.
  void ObserveJob(WriteTime queued, const BatchTimes& batch, WriteTime completing);

 private:
  static constexpr size_t kStages = 6;
  std::array<Histogram*, kStages> all_{};
  std::array<Histogram*, kStages> slow_{};
  Histogram* others_ = nullptr;
  Histogram* commit_ = nullptr;
};

}  // namespace bramka::store::sqlite
