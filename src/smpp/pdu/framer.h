#pragma once
// Framer: cuts an SMPP byte stream into frames (one PDU each), whatever the chunking of
// the reads. Model: Beast's basic_parser — "need more" is a normal answer, not an error.
//
//   framer.Feed(bytes_from_socket);
//   for (;;) {
//     FrameResult r = framer.Next();
//     if (r.status == FrameResult::kNeedMore) break;
//     if (r.status == FrameResult::kError) { /* answer generic_nack, close */ break; }
//     Decode(r.frame) ...
//   }
//
// Only command_length is interpreted: below 16 or above the maximum is a fatal error
// (kCommandLengthTooShort / kCommandLengthTooLong, ESME_RINVCMDLEN); after it, the framer
// stays failed, since the stream cannot be resynchronised. Everything else about a frame
// is Decode()'s business. Memory: the unconsumed bytes, bounded by one maximal PDU plus
// the last chunk fed. Not thread-safe; one framer per connection.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "smpp/pdu/codec.h"

namespace bramka::smpp {

struct FrameResult {
  enum Status : uint8_t { kFrame, kNeedMore, kError };
  Status status = kNeedMore;
  // kFrame: one complete PDU (command_length octets). It points into the framer's
  // buffer and stays valid until the next Feed() or Prepare().
  std::string_view frame;
  // kError: why the stream is broken (always fatal). command_length is set.
  DecodeError error;
};

class Framer {
 public:
  explicit Framer(uint32_t max_command_length = kDefaultMaxCommandLength);

  // Appends received bytes.
  void Feed(std::string_view bytes);
  // Zero-copy alternative to Feed for a socket read: space for up to `n` octets; then
  // Commit(k) with the k <= n octets actually written there.
  std::span<char> Prepare(size_t n);
  void Commit(size_t n);

  // The next complete frame, kNeedMore, or the (sticky) fatal error.
  FrameResult Next();

  size_t buffered() const { return end_ - start_; }
  bool failed() const { return failed_; }
  uint32_t max_command_length() const { return max_command_length_; }

 private:
  void Compact();

  uint32_t max_command_length_;
  std::string buf_;  // [start_, end_) holds unconsumed bytes
  size_t start_ = 0;
  size_t end_ = 0;
  bool failed_ = false;
  DecodeError error_;
};

}  // namespace bramka::smpp
