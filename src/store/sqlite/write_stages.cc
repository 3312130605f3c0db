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
constexpr char kPartName[] = "bramka_store_write_batch_part_seconds";
constexpr char kPartHelp[] =
    "Of a write's batch stage: the time its batch spent in jobs other than accepts "
    "(part=\"others\") and in COMMIT (part=\"commit\"), counted once per write";

double Seconds(WriteTime from, WriteTime to) {
  return to > from ? std::chrono::duration<double>(to - from).count() : 0.0;
}

}  // namespace

WriteStages::WriteStages(MetricsRegistry& metrics) {
  for (size_t i = 0; i < kStages; ++i) {
    const std::string stage = std::string("stage=\"") + kStageNames[i] + "\"";
    all_[i] = &metrics.GetHistogram(kName, kHelp, stage, FineLatencyBuckets());
    slow_[i] = &metrics.GetHistogram(kName, kHelp, stage + ",slow=\"1\"", FineLatencyBuckets());
  }
  others_ = &metrics.GetHistogram(kPartName, kPartHelp, "part=\"others\"", FineLatencyBuckets());
  commit_ = &metrics.GetHistogram(kPartName, kPartHelp, "part=\"commit\"", FineLatencyBuckets());
}

void WriteStages::ObserveBatch(const BatchTimes& b, int64_t jobs) {
  if (jobs <= 0) return;
  all_[1]->Observe(Seconds(b.started, b.committed), jobs);
  all_[2]->Observe(Seconds(b.committed, b.sync_started), jobs);
  all_[3]->Observe(Seconds(b.sync_started, b.synced), jobs);
  others_->Observe(std::chrono::duration<double>(b.others).count(), jobs);
  commit_->Observe(std::chrono::duration<double>(b.commit).count(), jobs);
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
