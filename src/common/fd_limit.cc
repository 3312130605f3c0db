#include "common/fd_limit.h"

#include <sys/resource.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>

namespace bramka {

Result<FdLimit> RaiseFdLimit(uint64_t cap) {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) {
    return Fail(ErrorCode::kInternal,
                std::string("getrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  const rlim_t want = lim.rlim_max == RLIM_INFINITY
                          ? static_cast<rlim_t>(cap)
                          : std::min<rlim_t>(lim.rlim_max, static_cast<rlim_t>(cap));
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= want) {
    return FdLimit{static_cast<uint64_t>(lim.rlim_cur), static_cast<uint64_t>(lim.rlim_max)};
  }
  lim.rlim_cur = want;
  if (::setrlimit(RLIMIT_NOFILE, &lim) != 0) {
    return Fail(ErrorCode::kInternal,
                std::string("setrlimit(RLIMIT_NOFILE): ") + std::strerror(errno));
  }
  return FdLimit{static_cast<uint64_t>(lim.rlim_cur), static_cast<uint64_t>(lim.rlim_max)};
}

}  // namespace bramka
