#pragma once
// SmppServer: bramka's SMPP 3.4 server for customers (spec §7; DESIGN.md "Client-facing
// interfaces"). A thin adapter: SMPP users bind (bind_transmitter / _receiver /
// _transceiver, checked by core: password, IP allowlist), submit_sm / submit_multi /
// data_sm become core::GatewayService::SubmitAsync calls (translate.h), query_sm /
// cancel_sm / replace_sm go to core, and delivery receipts leave as deliver_sm from a durable
// per-user outbox.
//
// Limits enforced here per SMPP user (values from core): max_binds (ESME_RBINDFAIL),
// tps over all its binds (ESME_RTHROTTLED). Parts of a long message are answered
// together, with the one message id, once the last part is stored (ADR 0005).
//
// Receipts and incoming messages: the store queues them in the user's outbox in the
// transaction that records them (store.h, AddSmppOutbox), with an empty pdu that
// OutboxPdu builds when sending; NotifyOutbox (called by the dispatcher's receipt
// listener and the inbound router's listener) wakes the server, which sends the user's
// entries on its
// receiver/transceiver binds (round robin, at most the session window in flight) and
// deletes each once its deliver_sm_resp is ESME_ROK. Errors and timeouts are retried
// after `redelivery_delay`; entries wait while the user has no such bind and go out
// when it binds again, also after a restart.
//
// Thread-safety: every public method may be called from any thread. Start/Stop once.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/metrics.h"
#include "common/result.h"
#include "core/gateway_service.h"
#include "smpp/session/session.h"
#include "store/model.h"

namespace boost::asio {
class io_context;
}
namespace bramka::smpp::net {
class TlsContext;
}

namespace bramka::api::smpp {

struct SmppServerOptions {
  std::string bind_address = "127.0.0.1";
  bool plain_enabled = true;
  uint16_t port = 2775;  // 0 = any free port
  // TLS listener when set (null: none).
  std::shared_ptr<bramka::smpp::net::TlsContext> tls;
  uint16_t tls_port = 3550;
  std::string system_id = "bramka";      // in bind_*_resp
  bramka::smpp::SessionOptions session;  // role is forced to SMSC
  // Requests of one bind not answered yet (submits waiting for the commit, parts of long
  // messages); beyond it the session answers ESME_RTHROTTLED. Overrides
  // session.max_pending_inbound.
  uint32_t max_pending_requests = 100;
  std::chrono::milliseconds reassembly_timeout{60'000};
  std::chrono::milliseconds redelivery_delay{10'000};
  int outbox_batch = 100;
  // ---- s6-latency (docs/adr/0035) ----
  // Set: submit_sm's time in the server by stage (bramka_smpp_submit_stage_seconds:
  // to_store = PDU decoded -> handed to the store's writer queue, answered = PDU decoded
  // -> its answer queued for the connection). Must outlive the server.
  MetricsRegistry* metrics = nullptr;
};

class SmppServer {
 public:
  SmppServer(boost::asio::io_context& io, core::GatewayService& core, SmppServerOptions options);
  ~SmppServer();
  SmppServer(const SmppServer&) = delete;
  SmppServer& operator=(const SmppServer&) = delete;

  // Opens the listeners. kUnavailable (port taken), kInvalidArgument (bad address).
  Result<void> Start();
  // Stops accepting and unbinds every session (they close when answered or timed out).
  void Stop();
  uint16_t port() const;      // 0 when not listening
  uint16_t tls_port() const;  // 0 when not listening

  // The outbox of this SMPP user has new entries: deliver them if it is bound.
  void NotifyOutbox(int64_t smpp_user_id);
  // Binds currently open (for tests and metrics).
  size_t bound_sessions() const;

  class Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

// The bytes of the deliver_sm for an outbox entry of one of `account`'s SMPP users:
// entry.pdu when set, else built from what it reports (MakeReceipt, MakeMoDeliver).
// nullopt: nothing to send (registered_delivery asked only for failures, or the record
// is gone); the entry can be removed. Errors from the store.
Result<std::optional<std::string>> OutboxPdu(core::GatewayService& core, store::AccountId account,
                                             const store::SmppOutboxEntry& entry);

}  // namespace bramka::api::smpp
