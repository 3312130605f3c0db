#pragma once
// SmscSimulator: an SMSC speaking SMPP 3.4 with simnet's network behind it — what
// `bramka smsc` serves, and what the SMPP connector's tests bind to. Each submit_sm gets
// the fate simnet gives its destination (connectors/simnet DecideFate: delivered,
// undelivered with a reason, refused for good or for now); accepted messages get a
// delivery receipt (deliver_sm, esm_class 0x04) with Appendix B text and the
// receipted_message_id / message_state TLVs after `receipt_delay_ms`.
//
// Scripted misbehaviours (Misbehaviour) make it the family of bad SMSCs the tests need.
//
// Threads: runs on the caller's io_context (any number of threads); connections are
// independent. Start/Stop from one thread. Transport: smpp/net (Listener, Connection).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/result.h"
#include "connectors/simnet/simnet.h"

namespace boost::asio {
class io_context;
}

namespace bramka::smsc {

struct Misbehaviour {
  bool refuse_bind = false;            // every bind answered ESME_RBINDFAIL
  bool no_response = false;            // submit_sm never answered
  bool generic_nack = false;           // submit_sm answered with generic_nack(ESME_RSYSERR)
  int throttle_tps = 0;                // > 0: ESME_RTHROTTLED above this many submit_sm/s
  int unbind_after = 0;                // > 0: send unbind after this many submit_sm (mid-window)
  int slow_ms = 0;                     // answer submit_sm after this delay
  bool duplicate_receipts = false;     // every receipt sent twice
  bool out_of_order_receipts = false;  // receipts of later messages may come first
  bool receipt_ids_decimal = false;    // resp ids in hex, receipt text ids in decimal
  bool no_receipt_tlvs = false;        // receipts carry only the text
  // parts (docs/adr/0028): the receipt of the last part of a concatenated message is
  // held until a receiver of the system_id binds again (the ESME reconnected or was
  // restarted), the other parts' receipts come as usual.
  bool hold_last_part = false;
  // A concatenated message whose destination's fate is undelivered: only its last part
  // is undelivered, the others delivered (one part fails).
  bool last_part_fails = false;
};

// Parses one --misbehave MODE: refuse_bind, no_response, generic_nack, throttle=N,
// unbind_after=N, slow=MS, duplicate_receipts, out_of_order_receipts, decimal_receipt_ids,
// no_receipt_tlvs, hold_last_part, last_part_fails. kInvalidArgument for anything else.
Result<void> ParseMisbehaviour(const std::string& mode, Misbehaviour& into);

struct SmscOptions {
  std::string bind_address = "127.0.0.1";
  uint16_t port = 0;      // 0 = any free port
  int tls_port = -1;      // -1 = no TLS listener; 0 = any free port
  std::string cert_file;  // PEM, for the TLS listener
  std::string key_file;
  std::string system_id;  // empty: any system_id / password binds
  std::string password;
  int receipt_delay_ms = 200;
  // deliver_sm (receipts) sent and not yet answered, per bind; more wait for an answer.
  // A gateway that answers a receipt only after storing it (bramka, ADR 0019) gets at
  // most window receipts per commit round trip (docs/adr/0031).
  int window = 100;
  simnet::SimnetOptions network;  // fate rules (test numbers by default)
  Misbehaviour misbehave;
  // Called with one JSON object per event ({"event":"submit",...}, {"event":"receipt",...},
  // {"event":"receipt_ack","id":...,"status":N} when the ESME answered a receipt,
  // {"event":"bind",...}), from io threads, serialised. May be empty.
  std::function<void(const std::string&)> on_event;
};

class SmscSimulator {
 public:
  SmscSimulator(boost::asio::io_context& io, SmscOptions options);
  ~SmscSimulator();
  SmscSimulator(const SmscSimulator&) = delete;
  SmscSimulator& operator=(const SmscSimulator&) = delete;

  // Binds the listener(s). kUnavailable if a port cannot be bound, kInvalidArgument for
  // bad TLS files.
  Result<void> Start();
  // Stops accepting and closes every connection. Idempotent.
  void Stop();

  uint16_t port() const;
  int tls_port() const;  // -1 without TLS

  // Counters, for tests and the JSON event lines.
  uint64_t submits_received() const;
  uint64_t receipts_sent() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace bramka::smsc
