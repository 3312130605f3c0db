// `bramka admin --config FILE inbound|quiz|simnet ...`: the numbering plan,
// quizzes and simulated incoming messages, over core (docs/adr/0011).
#include <cstdio>
#include <iostream>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"
#include "delivery/inbound.h"

namespace bramka::app {
namespace {

std::optional<store::InboundKind> KindOf(const std::string& s) {
  if (s == "nd") return store::InboundKind::kNd;
  if (s == "ndi") return store::InboundKind::kNdi;
  if (s == "sc") return store::InboundKind::kSc;
  if (s == "sci") return store::InboundKind::kSci;
  if (s == "premium" || s == "pre") return store::InboundKind::kPremium;
  if (s == "pool") return store::InboundKind::kPool;
  return std::nullopt;
}

std::string KindName(store::InboundKind k) {
  return k == store::InboundKind::kPremium ? "premium"
         : k == store::InboundKind::kPool  ? "pool"
                                           : delivery::InboxTypeOf(k);
}

}  // namespace

int RunInboundAdmin(const std::string& config_path, const InboundAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;
  if (o.verb == "add") {
    auto kind = KindOf(o.kind);
    if (!kind) return Die("--kind must be nd, ndi, sc, sci, premium or pool, not '" + o.kind + "'");
    if (*kind != store::InboundKind::kPool && o.account.empty()) {
      return Die("--account is required for --kind " + o.kind);
    }
    auto price = ParseGrosze(o.price);
    if (!price) return Die("--price must be an amount in PLN such as 2.46, not '" + o.price + "'");
    auto id = gw.AddInboundNumber(o.account, *kind, o.number, o.keyword, *price, o.answers);
    if (!id.ok()) return Die(id.error());
    std::cout << *id << "\n";
    return 0;
  }
  if (o.verb == "list") {
    auto plan = gw.ListInboundNumbers();
    if (!plan.ok()) return Die(plan.error());
    auto accounts = gw.ListAccounts();
    for (const auto& n : *plan) {
      std::string account = "-";
      if (accounts.ok()) {
        for (const auto& a : *accounts) {
          if (a.id == n.account_id) account = a.name;
        }
      }
      std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\tprice={}.{:02}\tanswers={}\n", n.id,
                               KindName(n.kind), n.number, n.keyword.empty() ? "-" : n.keyword,
                               account, n.price_grosze / 100, n.price_grosze % 100, n.answer_limit);
    }
    return 0;
  }
  if (o.verb == "remove") {
    if (auto r = gw.RemoveInboundNumber(o.id); !r.ok()) return Die(r.error());
    return 0;
  }
  if (o.verb == "inbox") {
    auto page = gw.OperatorInbox(o.limit);
    if (!page.ok()) return Die(page.error());
    std::cout << page->total << " unmatched incoming messages\n";
    for (const auto& m : page->items) {
      std::cout << fmt::format("{}\t{}\t{} -> {}\t{}\n", m.id, FormatApiTimeMs(m.received_ms),
                               m.phone, m.to_number, m.text);
    }
    return 0;
  }
  if (o.verb == "quiz add") {
    auto id = gw.AddQuiz(o.account, o.name, o.number, o.keyword, o.options);
    if (!id.ok()) return Die(id.error());
    std::cout << *id << "\n";
    return 0;
  }
  if (o.verb == "simnet mo") {
    auto id = gw.InjectIncoming(o.from, o.to, o.text);
    if (!id.ok()) return Die(id.error());
    std::cout << "queued " << *id << " (the running bramka serve's simnet delivers it)\n";
    return 0;
  }
  return Die("unknown inbound command");
}

}  // namespace bramka::app
