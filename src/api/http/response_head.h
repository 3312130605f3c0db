#pragma once
// The head of an HTTP/1.x answer, rendered by hand (docs/adr/0034).
//
// Every answer of HttpServer goes out as two buffers, this head and the body, in one
// gathered write: no Beast serializer, field list or per-field allocation on the hot path.
// What the head holds is defined here once:
//   status line; Server; the caller's fields (AppendField); Content-Length (always, the
//   body's size); Connection: close (HTTP/1.1 when closing) or Connection: keep-alive
//   (HTTP/1.0 when keeping it open), as Beast's keep_alive() + prepare_payload() did.
// Pure: no I/O, no allocation beyond growing `out`.
#include <cstddef>
#include <string>
#include <string_view>

namespace bramka::api::http {

// Starts `out` (cleared first) with the status line and the Server field.
void BeginResponseHead(std::string& out, unsigned status, unsigned version);

// One "name: value" field. Fields that BeginResponseHead/EndResponseHead write themselves
// (Server, Content-Length, Connection, Transfer-Encoding) are skipped, so that a caller
// copying a handler's fields cannot send them twice.
void AppendField(std::string& out, std::string_view name, std::string_view value);

// Content-Length, Connection as the version and `close` require, and the blank line.
void EndResponseHead(std::string& out, unsigned version, bool close, size_t content_length);

// True for the fields the head writes itself (case-insensitive).
bool IsHeadOwnedField(std::string_view name);

}  // namespace bramka::api::http
