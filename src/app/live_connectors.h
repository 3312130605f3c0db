#pragma once
// LiveConnectors: the [[connector]] tables of a running `bramka serve`, kept in step with
// bramka.toml (docs/adr/0015). Owns the SMPP connectors; the Dispatcher borrows them.
//
// Apply(new config) checks everything first — every connector's options, the routes
// naming only known connectors — and changes nothing when something is wrong. Then, in
// this order:
//   1. new connectors are added to the Dispatcher (started: they connect and bind);
//   2. the routing table is switched (Dispatcher::SetRouting);
//   3. removed connectors are taken out (Dispatcher::RemoveConnector: no new work, their
//      window drained or handed back, graceful unbind) and destroyed;
//   4. changed connectors (any option: host, port, credentials, tps, window, bind mode…)
//      are replaced the same way: the old one is drained and unbound first, then the new
//      one (same name) starts — never two binds of one connector at once, which SMSCs
//      limiting binds per account would refuse. Receipts of long messages' parts sent
//      by the old one resolve through the store (docs/adr/0028).
// Receipt aliases: connectors to the same SMSC account (host, port, system_id), including
// those removed while serve runs, match each other's receipts (a removed connector's
// receipts that the SMSC delivers to its successor; Dispatcher::SetReceiptAliases).
//
// Thread-safety: Build before the Dispatcher starts; Apply from one thread at a time (the
// ConfigWatcher's); the accessors from that thread too. Destroy after the Dispatcher has
// stopped (it borrows the connectors until then).

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "config/config.h"
#include "connectors/smpp/options.h"
#include "delivery/connector.h"
#include "delivery/dispatcher.h"

namespace bramka::app {

class LiveConnectors {
 public:
  // Makes one connector; the default builds a smpp_client::SmppConnector.
  using Factory =
      std::function<std::unique_ptr<delivery::Connector>(const smpp_client::SmppConnectorOptions&)>;

  // `builtin`: connectors routes may name that are not [[connector]] tables ("simnet").
  LiveConnectors(Clock& clock, MetricsRegistry& metrics, std::set<std::string> builtin,
                 Factory factory = nullptr);
  ~LiveConnectors();
  LiveConnectors(const LiveConnectors&) = delete;
  LiveConnectors& operator=(const LiveConnectors&) = delete;

  // The connectors of `cfg`, not started (the Dispatcher starts them). kInvalidArgument
  // for bad options. Call once, before the Dispatcher exists.
  Result<void> Build(const config::Config& cfg);
  // name -> connector, for the Dispatcher's constructor.
  std::map<std::string, delivery::Connector*> connectors() const;
  // The [[connector]] names and the built-in ones.
  std::set<std::string> names() const;
  // For Dispatcher::SetReceiptAliases.
  std::map<std::string, std::vector<std::string>> ReceiptAliases() const;

  struct Changes {
    std::vector<std::string> added, removed, changed;
    bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
  };
  // Brings the connectors and routes of `dispatcher` to `cfg` (see above); blocks while
  // removed or changed connectors drain. kInvalidArgument (nothing changed) for bad
  // connector options or routes; an error starting a new connector leaves the ones
  // already applied in place and is returned.
  Result<Changes> Apply(const config::Config& cfg, bool simnet_enabled,
                        delivery::Dispatcher& dispatcher);

 private:
  struct Entry {
    smpp_client::SmppConnectorOptions options;
    std::unique_ptr<delivery::Connector> connector;
  };
  Result<std::map<std::string, smpp_client::SmppConnectorOptions>> OptionsOf(
      const config::Config& cfg) const;
  std::unique_ptr<Entry> Make(const smpp_client::SmppConnectorOptions& options);

  Clock& clock_;
  MetricsRegistry& metrics_;
  const std::set<std::string> builtin_;
  Factory factory_;
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  // Every connector this process ran: name -> "host:port/system_id" (receipt aliases).
  std::map<std::string, std::string> accounts_;
};

}  // namespace bramka::app
