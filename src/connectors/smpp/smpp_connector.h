#pragma once
// SmppConnector: delivery::Connector to an operator's SMSC over SMPP 3.4 (bramka is the
// ESME). The protocol work is ClientCore's (client_core.h: bind, window, TPS, long
// messages, receipts, error classes); this class is the Asio loop around it: one
// io_context thread per connector, TCP connect, reads and writes, the session timer, and
// reconnect with exponential backoff (reconnect_s doubling up to reconnect_max_s; reset
// when a bind succeeds).
//
// Contract (delivery/connector.h): Send never blocks (it posts to the thread); every Send
// is answered once — kTemporary at once when not bound; on a disconnect every unanswered
// Send is answered kTemporary; Stop() unbinds gracefully (bounded by
// response_timeout_s), answers everything and joins the thread. Callbacks and events run
// on the connector's thread with no lock held.
//
// bind_mode = pair opens two binds to the SMSC, a transmitter for submits and a receiver
// for deliver_sm (receipts, MO), each connecting and reconnecting on its own; Ready()
// follows the transmitter (docs/adr/0015).
//
// Live state goes to MetricsRegistry gauges labelled connector="<name>":
// bramka_connector_bound (every bind up), bramka_connector_bind_up (per bind, label
// bind="transceiver|transmitter|receiver"), bramka_connector_window_in_use,
// bramka_connector_tps (the current limit), bramka_connector_queue, and the counters
// bramka_connector_throttled_total and bramka_connector_submits_total (its rate is the
// TPS achieved). A stopped connector sets the gauges to 0.
//
// Thread-safety: all public methods are thread-safe.

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "connectors/smpp/options.h"
#include "delivery/connector.h"

namespace bramka::smpp_client {

class SmppConnector final : public delivery::Connector {
 public:
  // Borrows `clock` (receipt timestamps) and `metrics`; both outlive the connector.
  SmppConnector(SmppConnectorOptions options, Clock& clock, MetricsRegistry& metrics);
  ~SmppConnector() override;  // Stop()
  SmppConnector(const SmppConnector&) = delete;
  SmppConnector& operator=(const SmppConnector&) = delete;

  const std::string& name() const override;
  // kInvalidArgument for bad options. Connecting happens in the background: an
  // unreachable SMSC is retried, not a start-up failure.
  Result<void> Start(delivery::ConnectorEvents& events) override;
  bool Ready() const override;
  void Send(const store::Message& message, delivery::SendCallback done) override;
  void Stop() override;

  // Whether every bind of the connector is up now.
  bool bound() const;
  const SmppConnectorOptions& options() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace bramka::smpp_client
