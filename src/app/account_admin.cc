// `bramka admin --config FILE account allow-ip|message` and `signup
// list|approve|reject`: the operator's side of the accounts area over core
// (docs/adr/0008). Changes apply to a running `bramka serve` at once: it reads
// allowlists and messages from the store on every request.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"

namespace bramka::app {

int RunAccountAdmin(const std::string& config_path, const AccountAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;

  if (o.verb == "allow-ip") {
    if (auto r = gw.SetAllowedIps(o.account, o.cidrs); !r.ok()) return Die(r.error());
    std::string list;
    for (const auto& c : o.cidrs) list += (list.empty() ? "" : " ") + c;
    std::cout << "API allowlist of " << o.account << ": " << (list.empty() ? "any address" : list)
              << "\n";
    return 0;
  }
  if (o.verb == "message") {
    auto id = gw.PostAccountMessage(o.account, o.text);
    if (!id.ok()) return Die(id.error());
    std::cout << "message " << *id << " posted to " << o.account << "\n";
    return 0;
  }
  if (o.verb == "signup list") {
    auto signups = gw.ListSignups();
    if (!signups.ok()) return Die(signups.error());
    std::cout << fmt::format("{:<5} {:<9} {:<19} {:<14} {:<28} {}\n", "id", "status", "date",
                             "phone", "email", "name / company (account)");
    for (const auto& g : *signups) {
      std::string who = g.first_name + " " + g.last_name;
      if (!g.company.empty()) who += " / " + g.company;
      if (g.account_id != 0) who += " (account " + std::to_string(g.account_id) + ")";
      std::cout << fmt::format("{:<5} {:<9} {:<19} {:<14} {:<28} {}\n", g.id,
                               store::SignupStatusName(g.status), FormatApiTimeMs(g.created_ms),
                               g.phone, g.email, who);
    }
    return 0;
  }
  if (o.verb == "signup approve") {
    auto id = gw.ApproveSignup(o.signup_id, o.name, o.password);
    if (!id.ok()) return Die(id.error());
    std::cout << "signup " << o.signup_id << " approved: account " << o.name << " (id " << *id
              << ")\n";
    return 0;
  }
  if (o.verb == "signup reject") {
    if (auto r = gw.RejectSignup(o.signup_id); !r.ok()) return Die(r.error());
    std::cout << "signup " << o.signup_id << " rejected\n";
    return 0;
  }
  return Die("unknown admin command; see bramka admin --help");
}

}  // namespace bramka::app
