#include "app/config_watcher.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/connectors_wiring.h"

namespace bramka::app {

namespace {

// The [[connector]] tables as comparable text (what a restart would change).
std::string ConnectorsText(const config::Config& c) {
  std::string out;
  for (const auto& k : c.connectors) {
    out += fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{};", k.name, k.host, k.port, k.tls,
                       k.system_id, k.password, k.system_type, k.bind_mode, k.tps, k.window);
  }
  return out;
}

}  // namespace

ConfigWatcher::ConfigWatcher(boost::asio::io_context& io, const config::Config& started,
                             std::set<std::string> connectors, delivery::Dispatcher& dispatcher,
                             MetricsRegistry& metrics)
    : timer_(io),
      path_(started.path),
      simnet_enabled_(started.simnet.enabled),
      connectors_text_(ConnectorsText(started)),
      connectors_(std::move(connectors)),
      dispatcher_(dispatcher),
      metrics_(metrics) {}

void ConfigWatcher::Start() {
  std::error_code ec;
  mtime_ = std::filesystem::last_write_time(path_, ec);
  size_ = std::filesystem::file_size(path_, ec);
  Arm();
}

void ConfigWatcher::Stop() {
  boost::asio::post(timer_.get_executor(), [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void ConfigWatcher::Arm() {
  if (stopped_) return;
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    Check();
    Arm();
  });
}

void ConfigWatcher::Check() {
  std::error_code ec;
  const auto mtime = std::filesystem::last_write_time(path_, ec);
  if (ec) return;  // being replaced: look again next time
  const uintmax_t size = std::filesystem::file_size(path_, ec);
  if (ec || (mtime == mtime_ && size == size_)) return;
  mtime_ = mtime;
  size_ = size;
  Reload();
}

void ConfigWatcher::Reload() {
  auto count = [this](const char* result) {
    metrics_
        .GetCounter("bramka_config_reloads_total",
                    "Re-reads of bramka.toml by a running serve, by result.",
                    fmt::format("result=\"{}\"", result))
        .Inc();
  };
  auto cfg = config::LoadConfig(path_);
  if (!cfg.ok()) {
    spdlog::error("config changed but does not load; keeping the routes in use: {}",
                  cfg.error().message);
    return count("error");
  }
  auto options = RoutingOptionsFrom(*cfg, simnet_enabled_);
  auto table = options.ok() ? delivery::RoutingTable::Create(std::move(*options))
                            : Result<delivery::RoutingTable>(options.take_error());
  if (table.ok()) {
    if (auto r = table->CheckConnectors(connectors_); !r.ok()) table = r.take_error();
  }
  if (!table.ok()) {
    spdlog::error("config changed but its routes cannot be used; keeping the routes in use: {}",
                  table.error().message);
    return count("error");
  }
  dispatcher_.SetRouting(std::move(*table));
  spdlog::info("config reloaded: {} route(s) in use", cfg->routes.size());
  if (ConnectorsText(*cfg) != connectors_text_) {
    spdlog::warn("config reloaded: [[connector]] changes take effect after a restart");
  }
  count("ok");
}

}  // namespace bramka::app
