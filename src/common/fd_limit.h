#pragma once
// RLIMIT_NOFILE: raise the soft limit of open files to the hard limit, so that a server
// (`bramka serve`, thousands of SMPP binds and HTTP connections) or the load generator
// (`bramka bench`) is not stopped at the usual soft limit of 1,024 descriptors.

#include <cstdint>

#include "common/result.h"

namespace bramka {

struct FdLimit {
  uint64_t soft = 0;  // after the call
  uint64_t hard = 0;
};

// Sets the soft limit to the hard limit (capped at `cap`, 1,048,576 by default, since
// some containers report an unlimited hard limit); returns the limits now in force.
// kInternal when getrlimit/setrlimit fail (the old limit stays).
Result<FdLimit> RaiseFdLimit(uint64_t cap = 1 << 20);

}  // namespace bramka
