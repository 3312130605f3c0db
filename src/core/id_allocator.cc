#include "core/id_allocator.h"

#include <algorithm>

namespace bramka::core {

IdAllocator::IdAllocator(store::Store& store, uint64_t codec_key, uint64_t block_size)
    : store_(store), codec_(codec_key), block_size_(block_size) {}

Result<std::vector<std::string>> IdAllocator::Allocate(size_t count, uint64_t* first_sequence) {
  std::vector<std::string> out;
  out.reserve(count);
  std::lock_guard lock(mu_);
  while (out.size() < count) {
    if (next_ == end_) {
      uint64_t want = std::max<uint64_t>(block_size_, count - out.size());
      BRAMKA_ASSIGN_OR_RETURN(uint64_t first, store_.ReserveIdBlock(want));
      if (first + want > kMessageIdSpace) {
        return Fail(ErrorCode::kInternal, "message id space exhausted");
      }
      next_ = first;
      end_ = first + want;
    }
    if (out.empty() && first_sequence) *first_sequence = next_;
    out.push_back(codec_.Encode(next_++));
  }
  return out;
}

}  // namespace bramka::core
