// `bramka admin --config FILE smpp-user add|list`: SMPP server logins over core.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"

namespace bramka::app {

int RunSmppUserAdmin(const std::string& config_path, const SmppUserAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;
  if (o.verb == "add") {
    auto id =
        gw.CreateSmppUser(o.account, o.system_id, o.password, o.allow_ips, o.max_binds, o.tps);
    if (!id.ok()) return Die(id.error());
    std::cout << "smpp user " << o.system_id << " of " << o.account << " created (id " << *id
              << ")\n";
    return 0;
  }
  auto users = gw.ListSmppUsers();
  if (!users.ok()) return Die(users.error());
  auto accounts = gw.ListAccounts();
  if (!accounts.ok()) return Die(accounts.error());
  std::cout << fmt::format("{:<6} {:<16} {:<20} {:<9} {:<6} {}\n", "id", "system_id", "account",
                           "max_binds", "tps", "allow_ip");
  for (const auto& u : *users) {
    std::string account = std::to_string(u.account_id);
    for (const auto& a : *accounts) {
      if (a.id == u.account_id) account = a.name;
    }
    std::string ips;
    for (const auto& c : u.allowed_cidrs) ips += (ips.empty() ? "" : ",") + c;
    std::cout << fmt::format("{:<6} {:<16} {:<20} {:<9} {:<6} {}\n", u.id, u.system_id, account,
                             u.max_binds, u.tps, ips.empty() ? "any" : ips);
  }
  return 0;
}

}  // namespace bramka::app
