// `bramka admin --config FILE payment add|paid|list`: top-ups sold with an invoice.
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "app/commands.h"
#include "app/runtime.h"
#include "common/time_format.h"
#include "invoice/invoice.h"

namespace bramka::app {

namespace {

void PrintPayment(const store::Payment& p) {
  std::cout << fmt::format(
      "{:<6} {:<16} {:<7} {:>8} {:>12} {:<9} {}\n", p.id, p.number, store::MessageTypeName(p.type),
      p.units, invoice::FormatMoney(p.total_grosze), p.paid_ms > 0 ? "paid" : "not_paid",
      FormatApiTimeMs(p.due_ms).substr(0, 10));
}

}  // namespace

int RunPaymentAdmin(const std::string& config_path, const PaymentAdminOptions& o) {
  auto rt_or = OpenRuntime(config_path);
  if (!rt_or.ok()) return Die(rt_or.error());
  core::GatewayService& gw = *(*rt_or)->gateway;
  if (o.verb == "add") {
    auto type = store::ParseMessageType(o.type);
    if (!type) return Die("unknown balance type '" + o.type + "'");
    auto price = ParseGrosze(o.price);
    if (!price)
      return Die("--price must be an amount in PLN such as 123.00, not '" + o.price + "'");
    core::TopUpOrder order;
    order.account = o.account;
    order.type = *type;
    order.units = o.units;
    order.gross_grosze = *price;
    order.paid = !o.unpaid;
    order.due_days = o.due_days;
    order.note = o.note;
    auto p = gw.SellTopUp(order);
    if (!p.ok()) return Die(p.error());
    std::cout << fmt::format("invoice {} (id {}) for {}: {} {} units, {} PLN, {}\n", p->number,
                             p->id, o.account, p->units, store::MessageTypeName(p->type),
                             invoice::FormatMoney(p->total_grosze),
                             p->paid_ms > 0 ? "paid" : "not paid");
    return 0;
  }
  if (o.verb == "paid") {
    auto p = gw.MarkPaymentPaid(o.id);
    if (!p.ok()) return Die(p.error());
    std::cout << "invoice " << p->number << " paid\n";
    return 0;
  }
  auto accounts = gw.ListAccounts();
  if (!accounts.ok()) return Die(accounts.error());
  for (const auto& a : *accounts) {
    if (a.name != o.account) continue;
    auto page = gw.Payments(core::Caller{a.id, a.name}, 1, 0);
    if (!page.ok()) return Die(page.error());
    std::cout << fmt::format("{:<6} {:<16} {:<7} {:>8} {:>12} {:<9} {}\n", "id", "number", "type",
                             "units", "total PLN", "state", "due");
    for (const auto& p : page->items) PrintPayment(p);
    return 0;
  }
  return Die("no account named '" + o.account + "'");
}

}  // namespace bramka::app
