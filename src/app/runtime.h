#pragma once
// Shared start-up steps of the subcommands: load the config, open the store,
// build core. Errors are printed for the operator; callers exit non-zero.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "config/config.h"
#include "core/gateway_service.h"
#include "core/media_fetcher.h"
#include "store/store.h"

namespace bramka::app {

struct Runtime {
  config::Config config;
  SystemClock clock;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<core::GatewayService> gateway;
  // files/add with a url (libcurl); owned here, lent to the gateway.
  std::unique_ptr<core::MediaFetcher> media_fetcher;
};

// Loads `config_path`, sets the process time zone, opens the store (creating
// the data folder) and builds the gateway service.
Result<std::unique_ptr<Runtime>> OpenRuntime(const std::string& config_path);

// An amount of PLN as the operator types it ("123", "2.46", "2,5") in grosze; nullopt
// for anything else (more than two decimals, signs, letters, over 10^12 PLN).
std::optional<int64_t> ParseGrosze(const std::string& text);

// Prints "bramka: <message>" to stderr and returns exit code 1.
int Die(const Error& error);
int Die(const std::string& message);

}  // namespace bramka::app
