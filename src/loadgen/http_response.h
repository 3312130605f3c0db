#pragma once
// http (session 8, docs/adr/0042): the load generator's reading of one HTTP/1.1 answer from
// the bytes a connection has received, without Beast's parser and field list. Pure: no I/O.
//
// What it accepts is what RFC 9112 allows a server to send to this client (which sends no
// `Expect` and uses no other methods than POST): a status line `HTTP/1.x NNN reason`,
// header fields `name: value` (names compared without case), then a body of exactly
// `Content-Length` bytes (none for 1xx, 204 and 304). Interim 1xx answers are skipped.
// Keep-alive follows the version and `Connection` (close / keep-alive tokens). A body sent
// with `Transfer-Encoding`, or without a length (read until close), is refused as
// kUnsupported: bramka never sends one, so the generator counts it as an error instead of
// guessing.

#include <cstddef>
#include <string_view>

namespace bramka::loadgen {

struct HttpAnswer {
  enum class State { kNeedMore, kDone, kMalformed, kUnsupported };
  State state = State::kNeedMore;
  unsigned status = 0;
  bool keep_alive = false;
  std::string_view body;  // into the bytes given to ReadHttpAnswer
  size_t consumed = 0;    // bytes of the answer (with skipped interim ones)
};

// Reads the first complete answer from `bytes`. kNeedMore: not all of it arrived yet
// (and, when the head is complete, nothing past `max_head` bytes of head).
HttpAnswer ReadHttpAnswer(std::string_view bytes, size_t max_head = 64 * 1024);

}  // namespace bramka::loadgen
