#pragma once
// Operator metrics that belong to no single component (docs/adr/0018):
// messages in per interface and result (through GatewayService's submit
// observer), queue depth, build and schema information. Registered once by
// `bramka serve`.

#include "common/metrics.h"
#include "core/gateway_service.h"
#include "store/store.h"

namespace bramka::app {

// The ways in counted from the start, so that their series exist at 0.
inline constexpr const char* kInterfaces[] = {"http", "smpp", "ftp", "sql", "soap", "panel"};

// The registry, gateway and store must outlive the serve loop.
void RegisterObservability(MetricsRegistry& metrics, core::GatewayService& gateway,
                           store::Store& store);

}  // namespace bramka::app
