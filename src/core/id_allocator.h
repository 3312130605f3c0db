#pragma once
// IdAllocator hands out message ids (10 lowercase hex chars) that never repeat:
// sequence numbers are reserved from the Store in blocks (durably, before any
// is used) and permuted by MessageIdCodec. Thread-safe.

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "common/ids.h"
#include "common/result.h"
#include "store/store.h"

namespace bramka::core {

class IdAllocator {
 public:
  IdAllocator(store::Store& store, uint64_t codec_key, uint64_t block_size = kDefaultBlock);
  // perf (docs/adr/0024): a block is one synchronous commit on a submitting I/O thread,
  // so blocks are large; a restart skips at most this many sequence numbers.
  static constexpr uint64_t kDefaultBlock = 65536;
  // `count` new ids, and the sequence number of the first (a batch's stat_id).
  Result<std::vector<std::string>> Allocate(size_t count, uint64_t* first_sequence = nullptr);

 private:
  store::Store& store_;
  MessageIdCodec codec_;
  uint64_t block_size_;
  std::mutex mu_;
  uint64_t next_ = 0;
  uint64_t end_ = 0;
};

}  // namespace bramka::core
