#pragma once
// Test helper for the Writer's checkpoint tests (writer_test.cc, writer_latency_test.cc).

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "store/sqlite/writer.h"

namespace bramka::store::sqlite::testing_util {

// `jobs` inserts into t (n, pad) of a 12 KiB row each (about four WAL frames per row),
// numbered from `first`, submitted at once; waits up to 60 s for every completion. Returns
// how many failed, or -1 when they did not all complete in time.
inline int WriteTestRows(Writer& writer, int first, int jobs) {
  struct Done {
    std::mutex mu;
    std::condition_variable cv;
    int left = 0;
    int failed = 0;
  };
  auto done = std::make_shared<Done>();
  done->left = jobs;
  for (int i = first; i < first + jobs; ++i) {
    writer.CallAsync<int64_t>(
        [i](WriteContext& ctx) -> Result<int64_t> {
          BRAMKA_ASSIGN_OR_RETURN(
              Stmt stmt, ctx.conn.Prepare("INSERT INTO t (n, pad) VALUES (?1, zeroblob(12288))"));
          stmt.BindInt(1, i);
          BRAMKA_RETURN_IF_ERROR(stmt.Run());
          return i;
        },
        [done](Result<int64_t> r) {
          std::lock_guard lock(done->mu);
          if (!r.ok()) ++done->failed;
          if (--done->left == 0) done->cv.notify_all();
        });
  }
  std::unique_lock lock(done->mu);
  if (!done->cv.wait_for(lock, std::chrono::seconds(60), [&] { return done->left == 0; })) {
    return -1;
  }
  return done->failed;
}

}  // namespace bramka::store::sqlite::testing_util
