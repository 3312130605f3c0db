// `bramka admin --config FILE account callbacks NAME [--dlr-url T] [--mo-url T]
// [--retry-failed]`: an account's callback URL templates and its callback
// outbox, over core (the panel calls the same GatewayService methods).
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"

namespace bramka::app {

int RunCallbacksAdmin(const std::string& config_path, const CallbacksAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;
  if (o.dlr_url || o.mo_url) {
    auto set = gw.SetCallbackUrls(o.account, o.dlr_url, o.mo_url);
    if (!set.ok()) return Die(set.error());
  }
  if (o.retry_failed) {
    auto n = gw.RetryFailedCallbacks(o.account);
    if (!n.ok()) return Die(n.error());
    std::cout << n.value() << " failed callbacks of " << o.account
              << " queued again (a running bramka serve sends them within its poll interval)\n";
  }
  auto urls = gw.GetCallbackUrls(o.account);
  if (!urls.ok()) return Die(urls.error());
  std::cout << "dlr_url: " << (urls->dlr_url.empty() ? "(none)" : urls->dlr_url) << "\n";
  std::cout << "mo_url: " << (urls->mo_url.empty() ? "(none)" : urls->mo_url) << "\n";
  auto entries = gw.ListCallbacks(o.account, -1);
  if (!entries.ok()) return Die(entries.error());
  int64_t pending = 0;
  int64_t failed = 0;
  for (const auto& e : *entries) {
    (e.state == store::CallbackState::kFailed ? failed : pending) += 1;
  }
  std::cout << "outbox: " << pending << " pending, " << failed << " failed\n";
  for (const auto& e : *entries) {
    if (e.state != store::CallbackState::kFailed && e.attempts == 0) continue;
    std::cout << fmt::format("  #{} {} {} {} attempts={} queued={} last_error={}\n", e.id,
                             e.state == store::CallbackState::kFailed ? "FAILED" : "retrying",
                             e.kind == store::CallbackKind::kMo ? "mo" : "dlr", e.message_id,
                             e.attempts, FormatApiTimeMs(e.created_ms), e.last_error);
  }
  return 0;
}

}  // namespace bramka::app
