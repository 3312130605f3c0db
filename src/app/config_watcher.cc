#include "app/config_watcher.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include "app/connectors_wiring.h"

namespace bramka::app {

ConfigWatcher::ConfigWatcher(const config::Config& started, LiveConnectors& live,
                             delivery::Dispatcher& dispatcher, MetricsRegistry& metrics)
    : path_(started.path),
      simnet_enabled_(started.simnet.enabled),
      live_(live),
      dispatcher_(dispatcher),
      metrics_(metrics) {}

ConfigWatcher::~ConfigWatcher() {
  Stop();
  Join();
}

void ConfigWatcher::Start() {
  std::error_code ec;
  mtime_ = std::filesystem::last_write_time(path_, ec);
  size_ = std::filesystem::file_size(path_, ec);
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) {
      lock.unlock();
      Check();
      lock.lock();
    }
  });
}

void ConfigWatcher::Stop() {
  std::lock_guard lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

void ConfigWatcher::Join() {
  if (thread_.joinable()) thread_.join();
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
    spdlog::error("config changed but does not load; keeping the connectors and routes in use: {}",
                  cfg.error().message);
    return count("error");
  }
  auto changes = live_.Apply(*cfg, simnet_enabled_, dispatcher_);
  if (!changes.ok()) {
    spdlog::error("config changed but cannot be applied; keeping what is in use: {}",
                  changes.error().message);
    return count("error");
  }
  spdlog::info("config reloaded: {} route(s); connectors added [{}], removed [{}], changed [{}]",
               cfg->routes.size(), fmt::join(changes->added, ", "),
               fmt::join(changes->removed, ", "), fmt::join(changes->changed, ", "));
  count("ok");
}

}  // namespace bramka::app
