#pragma once
// Config -> ways out: a [[connector]] table becomes SmppConnectorOptions and the [[route]]
// tables delivery::RoutingOptions. Used by `bramka serve` (live_connectors.h builds and
// reloads the connectors).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/metrics.h"
#include "common/result.h"
#include "config/config.h"
#include "connectors/smpp/options.h"
#include "delivery/connector.h"
#include "delivery/routing.h"

namespace bramka::app {

// kInvalidArgument for values the config layer could not check.
Result<smpp_client::SmppConnectorOptions> SmppOptionsFrom(const config::ConnectorConfig& c);

// Routes in file order. The default route is simnet when `simnet_enabled`, else every
// configured connector in file order. kInvalidArgument for an unknown message type.
Result<delivery::RoutingOptions> RoutingOptionsFrom(const config::Config& c, bool simnet_enabled);

}  // namespace bramka::app
