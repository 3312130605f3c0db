#pragma once
// ConfigWatcher: `bramka serve` re-reads bramka.toml when it changes (checked every
// second, by modification time and size) and applies the [[route]] tables at once
// (Dispatcher::SetRouting), so `bramka admin route add` needs no restart. A file that
// does not load or routes naming an unknown connector are logged and counted
// (bramka_config_reloads_total{result="error"}); the routes in use stay. Changes to
// [[connector]] tables are reported as needing a restart.
//
// Thread-safety: runs on the io_context it is given; Stop() from any thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <filesystem>
#include <set>
#include <string>

#include "common/metrics.h"
#include "config/config.h"
#include "delivery/dispatcher.h"

namespace bramka::app {

class ConfigWatcher {
 public:
  // `started` is the config serve started with; `connectors` the names routes may use.
  ConfigWatcher(boost::asio::io_context& io, const config::Config& started,
                std::set<std::string> connectors, delivery::Dispatcher& dispatcher,
                MetricsRegistry& metrics);
  void Start();
  void Stop();

 private:
  void Arm();
  void Check();
  void Reload();

  boost::asio::steady_timer timer_;
  const std::string path_;
  const bool simnet_enabled_;
  const std::string connectors_text_;  // the [[connector]] tables serve started with
  const std::set<std::string> connectors_;
  delivery::Dispatcher& dispatcher_;
  MetricsRegistry& metrics_;
  std::filesystem::file_time_type mtime_{};
  uintmax_t size_ = 0;
  bool stopped_ = false;
};

}  // namespace bramka::app
