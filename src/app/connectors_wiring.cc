#include "app/connectors_wiring.h"

#include "store/model.h"

namespace bramka::app {

Result<smpp_client::SmppConnectorOptions> SmppOptionsFrom(const config::ConnectorConfig& c) {
  smpp_client::SmppConnectorOptions o;
  o.name = c.name;
  o.host = c.host;
  o.port = static_cast<uint16_t>(c.port);
  o.tls = c.tls;
  o.system_id = c.system_id;
  o.password = c.password;
  o.system_type = c.system_type;
  auto bind = smpp_client::ParseBindMode(c.bind_mode);
  if (!bind.ok()) return bind.error();
  o.bind_mode = *bind;
  o.tps = c.tps;
  o.window = static_cast<uint32_t>(c.window);
  auto lm = smpp_client::ParseLongMessages(c.long_messages);
  if (!lm.ok()) return lm.error();
  o.long_messages = *lm;
  o.gsm7_data_coding = static_cast<uint8_t>(c.data_coding);
  auto rf = smpp_client::ParseReceiptIdFormat(c.receipt_id_format);
  if (!rf.ok()) return rf.error();
  o.receipt_id_format = *rf;
  o.enquire_link_s = c.enquire_link_s;
  o.reconnect_s = c.reconnect_s;
  o.reconnect_max_s = c.reconnect_max_s;
  o.response_timeout_s = c.response_timeout_s;
  o.max_queue = static_cast<size_t>(c.max_queue);
  o.eco_sender = c.eco_sender;
  if (auto r = smpp_client::ValidateSmppConnectorOptions(o); !r.ok()) return r.error();
  return o;
}

Result<delivery::RoutingOptions> RoutingOptionsFrom(const config::Config& c, bool simnet_enabled) {
  delivery::RoutingOptions ro;
  for (const auto& r : c.routes) {
    delivery::RouteRule rule;
    rule.name = r.name;
    for (const auto& t : r.types) {
      auto type = store::ParseMessageType(t);
      if (!type) return Fail(ErrorCode::kInvalidArgument, "route: unknown message type " + t);
      rule.types.push_back(*type);
    }
    rule.prefixes = r.prefixes;
    for (int64_t a : r.accounts) rule.accounts.push_back(static_cast<store::AccountId>(a));
    rule.connectors = r.connectors;
    rule.round_robin = r.round_robin;
    rule.senders = r.senders;
    for (int64_t w : r.weights) rule.weights.push_back(static_cast<uint32_t>(w));
    rule.price_micro_pln = static_cast<int64_t>(r.price * 1'000'000 + 0.5);
    ro.rules.push_back(std::move(rule));
  }
  // Voice and MMS go to simnet unless a [[route]] names their type (routing.h).
  if (!simnet_enabled) ro.media_route.clear();
  if (!simnet_enabled && !c.connectors.empty()) {
    ro.default_route.clear();
    for (const auto& k : c.connectors) ro.default_route.push_back(k.name);
  }
  return ro;
}

}  // namespace bramka::app
