// `bramka admin --config FILE ...`: operator commands over core.
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"

namespace bramka::app {
namespace {

int TopUpAll(core::GatewayService& gw, const std::string& name,
             const std::map<std::string, int64_t>& units) {
  for (const auto& [type_name, n] : units) {
    auto type = store::ParseMessageType(type_name);
    if (!type) return Die("unknown balance type " + type_name);
    if (auto r = gw.TopUp(name, *type, n, "bramka admin"); !r.ok()) return Die(r.error());
  }
  return 0;
}

std::string BalanceText(const store::Balance& b) {
  if (!b.available) return "not_available";
  if (b.unlimited) return "no_limit";
  return std::to_string(b.units);
}

}  // namespace

int RunAdmin(const AdminOptions& o) {
  auto rt_or = OpenRuntime(o.config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;
  const auto& w = o.words;
  auto is = [&w](const char* a, const char* b) { return w.size() >= 2 && w[0] == a && w[1] == b; };

  if (is("account", "add") && w.size() == 3) {
    auto id = gw.CreateAccount(w[2], o.password);
    if (!id.ok()) return Die(id.error());
    if (int rc = TopUpAll(gw, w[2], o.units); rc != 0) return rc;
    std::cout << "account " << w[2] << " created (id " << *id << ")\n";
    return 0;
  }
  if (is("account", "list")) {
    auto accounts = gw.ListAccounts();
    if (!accounts.ok()) return Die(accounts.error());
    std::cout << fmt::format("{:<6} {:<20} {:<7} {}\n", "id", "name", "active", "balances");
    for (const auto& a : *accounts) {
      std::string balances;
      if (auto b = gw.store().GetBalances(a.id); b.ok()) {
        for (const auto& x : *b) {
          balances += fmt::format("{}={} ", store::MessageTypeName(x.type), BalanceText(x));
        }
      }
      std::cout << fmt::format("{:<6} {:<20} {:<7} {}\n", a.id, a.name, a.active ? "yes" : "no",
                               balances);
    }
    return 0;
  }
  if (is("account", "passwd") && w.size() == 3) {
    if (auto r = gw.SetPassword(w[2], o.password); !r.ok()) return Die(r.error());
    std::cout << "password of " << w[2] << " changed\n";
    return 0;
  }
  if (is("account", "topup") && w.size() == 3) {
    if (o.units.empty()) return Die("say what to add, e.g. --eco 100 --full 50");
    if (int rc = TopUpAll(gw, w[2], o.units); rc != 0) return rc;
    std::cout << "balances of " << w[2] << " topped up\n";
    return 0;
  }
  if (is("token", "add") && w.size() == 3) {
    auto token = gw.CreateToken(w[2], o.label);
    if (!token.ok()) return Die(token.error());
    std::cout << *token << "\n";
    return 0;
  }
  if ((is("sender", "approve") || is("sender", "reject")) && w.size() == 4) {
    auto status =
        w[1] == "approve" ? store::SenderStatus::kAuthorized : store::SenderStatus::kRejected;
    if (auto r = gw.SetSenderStatus(w[2], w[3], status); !r.ok()) return Die(r.error());
    std::cout << "sender " << w[3] << " of " << w[2] << " "
              << (status == store::SenderStatus::kAuthorized ? "approved" : "rejected") << "\n";
    return 0;
  }
  return Die("unknown admin command; see bramka admin --help");
}

}  // namespace bramka::app
