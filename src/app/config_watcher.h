#pragma once
// ConfigWatcher: `bramka serve` re-reads bramka.toml when it changes (checked every
// second, by modification time and size) and applies it at once (docs/adr/0015): the
// [[connector]] tables through LiveConnectors (new ones start and bind, removed ones
// drain and unbind, changed ones are replaced) and the [[route]] tables
// (Dispatcher::SetRouting). So `bramka admin connector add|remove|set` and
// `route add|remove` need no restart. A file that does not load, bad connector options or
// routes naming an unknown connector are logged and counted
// (bramka_config_reloads_total{result="error"}); the connectors and routes in use stay.
//
// Threads: one thread of its own (applying may block while connectors drain). Stop()
// from any thread asks it to end; Join() waits for it (call before Dispatcher::Stop).

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include "app/live_connectors.h"
#include "common/metrics.h"
#include "config/config.h"
#include "delivery/dispatcher.h"

namespace bramka::app {

class ConfigWatcher {
 public:
  // `started` is the config serve started with. Borrows everything.
  ConfigWatcher(const config::Config& started, LiveConnectors& live,
                delivery::Dispatcher& dispatcher, MetricsRegistry& metrics);
  ~ConfigWatcher();  // Stop(); Join()
  void Start();
  void Stop();
  void Join();

  // One check now (tests): reloads if the file changed since the last look.
  void Check();

 private:
  void Reload();

  const std::string path_;
  const bool simnet_enabled_;
  LiveConnectors& live_;
  delivery::Dispatcher& dispatcher_;
  MetricsRegistry& metrics_;
  std::filesystem::file_time_type mtime_{};
  uintmax_t size_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bramka::app
