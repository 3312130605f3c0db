#include "store/sqlite/io_priority.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

namespace bramka::store::sqlite {
namespace {

constexpr int kWhoProcess = 1;  // IOPRIO_WHO_PROCESS: with id 0, the calling thread

std::atomic<bool> logged{false};

}  // namespace

bool RaiseThreadIoPriority() {
#if defined(SYS_ioprio_set)
  const long rc = ::syscall(SYS_ioprio_set, kWhoProcess, 0, kRealtimeIoPriority);
  const int err = errno;
  if (!logged.exchange(true)) {
    if (rc == 0) {
      spdlog::debug("store: the writer's, syncer's and checkpointer's I/O in the realtime class");
    } else {
      spdlog::debug("store: realtime I/O class not set ({}); the default class",
                    std::strerror(err));
    }
  }
  return rc == 0;
#else
  return false;
#endif
}

int ThreadIoPriorityForTest() {
#if defined(SYS_ioprio_get)
  return static_cast<int>(::syscall(SYS_ioprio_get, kWhoProcess, 0));
#else
  return -1;
#endif
}

}  // namespace bramka::store::sqlite
