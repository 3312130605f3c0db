#pragma once
// SmppConnectorOptions: one `[[connector]]` table of bramka.toml, as a plain struct with
// documented defaults. Validated by ValidateSmppConnectorOptions; passed to SmppConnector.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace bramka::smpp_client {

// How a long message travels (SMPP 3.4 §5.3.2.22-24, §5.3.2.32; TS 23.040 §9.2.3.24.1).
enum class LongMessages : uint8_t {
  kUdh,      // one submit_sm per part, esm_class UDHI + 8-bit concatenation UDH (default)
  kSar,      // one submit_sm per part, sar_msg_ref_num / sar_total_segments / sar_segment_seqnum
  kPayload,  // one submit_sm, the whole text in message_payload
};

// How the SMSC spells message ids in the receipt text, relative to its submit_sm_resp.
enum class ReceiptIdFormat : uint8_t {
  kAsIs,     // the same spelling (compared ignoring case and leading zeros)
  kHex,      // receipts give the decimal submit_sm_resp id in hexadecimal
  kDecimal,  // receipts give the hexadecimal submit_sm_resp id in decimal
};

// kPair: a bind_transmitter for submits and a bind_receiver for deliver_sm (receipts, MO)
// to the same SMSC, each reconnecting on its own (docs/adr/0015). kReceiver is the
// receiving half of a pair, not a configurable mode.
enum class BindMode : uint8_t { kTransceiver, kTransmitter, kPair, kReceiver };

struct SmppConnectorOptions {
  std::string name;  // Connector::name(): unique, what routes name
  std::string host = "127.0.0.1";
  uint16_t port = 2775;
  bool tls = false;  // SMPP over TLS (1.2+); the server certificate is not verified yet
  std::string system_id;
  std::string password;  // never logged
  std::string system_type;
  BindMode bind_mode = BindMode::kTransceiver;
  double tps = 0;        // submit_sm per second, 0 = unlimited
  uint32_t window = 10;  // outstanding submit_sm
  LongMessages long_messages = LongMessages::kUdh;
  uint8_t gsm7_data_coding = 0;  // 0 (SMSC default alphabet) or 1 (IA5) for GSM-7 texts
  ReceiptIdFormat receipt_id_format = ReceiptIdFormat::kAsIs;
  int enquire_link_s = 10;  // + response_timeout_s: a stalled link is dropped (ADR 0025)
  int reconnect_s = 1;      // first reconnect delay; doubles up to reconnect_max_s
  int reconnect_max_s = 30;
  int response_timeout_s = 10;  // submit_sm without a response -> kTemporary
  size_t max_queue = 10000;     // messages taken, not answered; Ready() false beyond (the
                                // dispatcher keeps up to 10,000 in flight)
  std::string eco_sender;       // source_addr for ECO messages (no sender name); "" = none

  bool operator==(const SmppConnectorOptions&) const = default;  // a reload changed it?
};

// kInvalidArgument naming the option.
Result<void> ValidateSmppConnectorOptions(const SmppConnectorOptions& o);

// "udh" | "sar" | "payload"; "as_is" | "hex" | "decimal";
// "transceiver" | "transmitter" | "pair" (also "trx", "tx", "tx+rx").
Result<LongMessages> ParseLongMessages(const std::string& s);
Result<ReceiptIdFormat> ParseReceiptIdFormat(const std::string& s);
Result<BindMode> ParseBindMode(const std::string& s);

}  // namespace bramka::smpp_client
