#include "store/sqlite/write_stages.h"

#include <string>
#include <vector>

namespace bramka::store::sqlite {
namespace {

constexpr char kName[] = "bramka_store_write_stage_seconds";
constexpr char kHelp[] =
    "A write's time in the SQLite writer by stage: queued, batch (to COMMIT), sync_wait, "
    "fsync, handoff (to its completion), total; slow=\"1\": writes whose total was over 5 ms";
constexpr const char* kStageNames[] = {"queued", "batch", "sync_wait", "fsync", "handoff", "total"};
constexpr std::chrono::microseconds kSlow{5000};

std::vector<double> Bounds() {
  return {0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.0015,
          0.002,   0.003,  0.004,  0.005,  0.006,  0.008,   0.01,  0.015,
          0.02,    0.03,   0.05,   0.1,    0.25,   0.5,     1,     2.5};
}

double Seconds(WriteTime from, WriteTime to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

}  // namespace

WriteStages::WriteStages(MetricsRegistry& metrics) {
  for (size_t i = 0; i < kStages; ++i) {
    const std::string stage = std::string("stage=\"") + kStageNames[i] + "\"";
    all_[i] = &metrics.GetHistogram(kName, kHelp, stage, Bounds());
    slow_[i] = &metrics.GetHistogram(kName, kHelp, stage + ",slow=\"1\"", Bounds());
  }
}

void WriteStages::ObserveBatch(const BatchTimes& b, int64_t jobs) {
  if (jobs <= 0) return;
  all_[1]->Observe(Seconds(b.started, b.committed), jobs);
  all_[2]->Observe(Seconds(b.committed, b.sync_started), jobs);
  all_[3]->Observe(Seconds(b.sync_started, b.synced), jobs);
}

void WriteStages::ObserveJob(WriteTime queued, const BatchTimes& b, WriteTime completing) {
  const double seconds[kStages] = {
      Seconds(queued, b.started),           Seconds(b.started, b.committed),
      Seconds(b.committed, b.sync_started), Seconds(b.sync_started, b.synced),
      Seconds(b.synced, completing),        Seconds(queued, completing)};
  for (size_t i : {0, 4, 5}) all_[i]->Observe(seconds[i]);
  if (completing - queued > kSlow) {
    for (size_t i = 0; i < kStages; ++i) slow_[i]->Observe(seconds[i]);
  }
}

}  // namespace bramka::store::sqlite
