#include "smpp/pdu/framer.h"

#include <cstring>

#include "common/check.h"

namespace bramka::smpp {

Framer::Framer(uint32_t max_command_length) : max_command_length_(max_command_length) {
  BRAMKA_CHECK(max_command_length_ >= kHeaderLength);
}

void Framer::Compact() {
  if (start_ == 0) return;
  // Move the tail to the front once it is at least half the buffer, so each byte is
  // moved O(1) times on average.
  if (start_ == end_ || start_ >= buf_.size() / 2) {
    std::memmove(buf_.data(), buf_.data() + start_, end_ - start_);
    end_ -= start_;
    start_ = 0;
  }
}

void Framer::Feed(std::string_view bytes) {
  std::span<char> space = Prepare(bytes.size());
  if (!bytes.empty()) std::memcpy(space.data(), bytes.data(), bytes.size());
  Commit(bytes.size());
}

std::span<char> Framer::Prepare(size_t n) {
  Compact();
  if (buf_.size() < end_ + n) buf_.resize(end_ + n);
  return std::span<char>(buf_.data() + end_, n);
}

void Framer::Commit(size_t n) {
  BRAMKA_CHECK(end_ + n <= buf_.size());
  end_ += n;
}

FrameResult Framer::Next() {
  if (failed_) return FrameResult{FrameResult::kError, {}, error_};
  const size_t avail = end_ - start_;
  if (avail < 4) return FrameResult{};
  const auto* p = reinterpret_cast<const uint8_t*>(buf_.data() + start_);
  const uint32_t length =
      (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
  if (length < kHeaderLength || length > max_command_length_) {
    failed_ = true;
    error_ = DecodeError{};
    error_.kind = length < kHeaderLength ? DecodeErrorKind::kCommandLengthTooShort
                                         : DecodeErrorKind::kCommandLengthTooLong;
    error_.command_status = kEsmeRinvcmdlen;
    error_.command_length = length;
    return FrameResult{FrameResult::kError, {}, error_};
  }
  if (avail < length) return FrameResult{};
  FrameResult r;
  r.status = FrameResult::kFrame;
  r.frame = std::string_view(buf_.data() + start_, length);
  start_ += length;
  return r;
}

}  // namespace bramka::smpp
