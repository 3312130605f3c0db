// SqliteStore: the writer's stage metrics (docs/adr/0035).
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/writer.h"

namespace bramka::store {

void SqliteStore::AttachMetrics(MetricsRegistry& metrics) { writer_->AttachMetrics(metrics); }

}  // namespace bramka::store
