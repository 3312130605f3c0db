#include "connectors/smpp/options.h"

#include <fmt/format.h>

namespace bramka::smpp_client {

Result<void> ValidateSmppConnectorOptions(const SmppConnectorOptions& o) {
  auto bad = [&o](std::string what) {
    return Fail(ErrorCode::kInvalidArgument, fmt::format("connector '{}': {}", o.name, what));
  };
  if (o.name.empty()) return bad("name is required");
  if (o.name == "simnet") return bad("the name 'simnet' is taken by the built-in network");
  if (o.host.empty()) return bad("host is required");
  if (o.port == 0) return bad("port must be 1..65535");
  if (o.system_id.empty() || o.system_id.size() > 15)
    return bad("system_id must be 1..15 characters");
  if (o.password.size() > 8) return bad("password must be at most 8 characters (SMPP 3.4)");
  if (o.system_type.size() > 12) return bad("system_type must be at most 12 characters");
  if (o.tps < 0) return bad("tps must be >= 0");
  if (o.window < 1 || o.window > 1000) return bad("window must be 1..1000");
  if (o.gsm7_data_coding > 1) return bad("data_coding must be 0 or 1");
  if (o.enquire_link_s < 0) return bad("enquire_link_s must be >= 0");
  if (o.reconnect_s < 1 || o.reconnect_max_s < o.reconnect_s) {
    return bad("reconnect_s must be >= 1 and reconnect_max_s >= reconnect_s");
  }
  if (o.response_timeout_s < 1) return bad("response_timeout_s must be >= 1");
  if (o.max_queue < 1) return bad("max_queue must be >= 1");
  return {};
}

Result<LongMessages> ParseLongMessages(const std::string& s) {
  if (s == "udh") return LongMessages::kUdh;
  if (s == "sar") return LongMessages::kSar;
  if (s == "payload") return LongMessages::kPayload;
  return Fail(ErrorCode::kInvalidArgument, "long_messages must be udh, sar or payload");
}

Result<ReceiptIdFormat> ParseReceiptIdFormat(const std::string& s) {
  if (s == "as_is") return ReceiptIdFormat::kAsIs;
  if (s == "hex") return ReceiptIdFormat::kHex;
  if (s == "decimal") return ReceiptIdFormat::kDecimal;
  return Fail(ErrorCode::kInvalidArgument, "receipt_id_format must be as_is, hex or decimal");
}

Result<BindMode> ParseBindMode(const std::string& s) {
  if (s == "transceiver" || s == "trx") return BindMode::kTransceiver;
  if (s == "transmitter" || s == "tx") return BindMode::kTransmitter;
  if (s == "pair" || s == "tx+rx") return BindMode::kPair;
  return Fail(ErrorCode::kInvalidArgument, "bind_mode must be transceiver, transmitter or pair");
}

}  // namespace bramka::smpp_client
