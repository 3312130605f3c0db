#pragma once
// Connection: one SMPP session on one TCP or TLS socket — the thin Asio loop around the
// sans-I/O smpp::Session (session/session.h):
//
//   read  -> Session::OnBytes(now)      timer at Session::NextDeadline() -> OnTimer(now)
//   drain Session::NextAction():  Send -> write queue (coalesced, one write in flight)
//                                 RequestReceived / ResponseReceived / RequestFailed /
//                                 StateChanged / Warning -> the Handlers below
//                                 Close -> flush the write queue, then close the socket
//   socket error -> Session::OnDisconnected(now)
//
// Make one with Listener (server side, listener.h) or Connect() (client side), set the
// handlers with Start(), then talk through SendRequest / Respond / Unbind / Close.
//
// Threads: every handler runs on the connection's strand (never two at once for one
// connection, possibly on different io_context threads over time). The command methods
// are thread-safe: they are dispatched to the strand (run inline when already on it, so a
// handler may call Respond() directly). After on_closed the connection does nothing more
// and drops its handlers (so handlers may hold a shared_ptr to their own connection).
//
// Ownership: the connection keeps itself alive while its socket is open; hold a
// shared_ptr (or weak_ptr) to talk to it. Asio stays out of this header.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "smpp/pdu/pdu.h"
#include "smpp/session/session.h"

namespace boost::asio {
class io_context;
}

namespace bramka::smpp::net {

class TlsContext;

struct ConnectionInfo {
  uint64_t id = 0;             // unique in this process, for logs
  std::string remote_address;  // "127.0.0.1" / "::1" (no port)
  uint16_t remote_port = 0;
  std::string local_address;
  uint16_t local_port = 0;
  bool tls = false;
};

class Connection {
 public:
  struct Handlers {
    // A request from the peer (bind on the server side, submit_sm, deliver_sm, ...).
    // Answer it with Respond(MakeResponse(pdu, status)), now or later, from any thread.
    std::function<void(Pdu request)> on_request;
    // The response to one of our SendRequest()s; `context` is the one given there.
    std::function<void(Pdu response, uint64_t context)> on_response;
    // One of our requests ended without a response (timeout, session closed, garbled
    // response); each request ends exactly once, by on_response or on_request_failed.
    std::function<void(const action::RequestFailed& failed)> on_request_failed;
    std::function<void(SessionState from, SessionState to)> on_state;
    // Something the peer did wrong that the session handled itself; for logs.
    std::function<void(const std::string& message)> on_warning;
    // Exactly once, last: the socket is closed. `reason` is for logs ("peer unbound",
    // "eof", "session init timeout", ...).
    std::function<void(const std::string& reason)> on_closed;
    // accept (docs/adr/0032): after one or more on_request calls, once the session has
    // no further action queued (the end of the PDUs one read delivered). Optional; lets
    // a server handle the requests of one burst together.
    std::function<void()> on_requests_drained;
  };

  virtual ~Connection() = default;

  // Starts reading and the session timers. Call once. Before Start() nothing is read
  // (the server may check the peer's address first and just Close()).
  virtual void Start(Handlers handlers) = 0;

  // Sends a request (submit_sm, deliver_sm, bind_*, enquire_link, ...). `sent`, when
  // given, runs on the strand with Session::SendRequest's result: the sequence_number,
  // or kThrottled (window full), kRejected (not allowed in this state), kUnavailable
  // (closing), kInvalidArgument (not encodable). After a success the request ends in
  // on_response or on_request_failed.
  virtual void SendRequest(Pdu request, uint64_t context = 0,
                           std::function<void(Result<uint32_t>)> sent = nullptr) = 0;
  // Answers an on_request (see Session::Respond); errors are logged and dropped (the
  // usual one is "closed meanwhile").
  virtual void Respond(Pdu response) = 0;
  // Graceful: unbind, wait for unbind_resp (or the response timer), close.
  virtual void Unbind() = 0;
  // Abrupt: outstanding requests fail, queued writes are flushed (bounded), socket closed.
  virtual void Close(std::string detail = {}) = 0;
  // Runs `fn` on the connection's strand (to serialise a caller's own state with the
  // handlers, e.g. a connector's window bookkeeping).
  virtual void Post(std::function<void()> fn) = 0;

  // Immutable after creation; any thread.
  virtual const ConnectionInfo& info() const = 0;

  // Only on the strand (inside a handler or Post): the session's view.
  virtual SessionState state() const = 0;
  virtual uint32_t WindowAvailable() const = 0;
};

// Outbound (client side): resolve, connect, TLS handshake when `tls` is set, then hand
// over a connection in kOpen (not yet bound: send a bind_* yourself after Start()).
struct ConnectOptions {
  std::string host;
  uint16_t port = 0;
  std::shared_ptr<TlsContext> tls;  // null: plain TCP
  // Connect plus TLS handshake must finish within this.
  Duration connect_timeout = std::chrono::seconds(10);
  SessionOptions session;  // role defaults to kEsme
};

// `done` runs once, on an io_context thread: the connection, or kUnavailable (cannot
// resolve, refused, timeout, TLS handshake failed).
void Connect(boost::asio::io_context& io, ConnectOptions options,
             std::function<void(Result<std::shared_ptr<Connection>>)> done);

}  // namespace bramka::smpp::net
