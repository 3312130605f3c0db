// GatewayService: payments (top-ups sold with an invoice) and sending statistics.

#include <string>

#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::core {

namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;

// "MM/YYYY" of a time in the process's time zone (the invoice register is monthly).
std::string Period(int64_t unix_ms) {
  const std::string day = FormatApiTimeMs(unix_ms);  // "YYYY-MM-DD HH:MM:SS"
  return day.substr(5, 2) + "/" + day.substr(0, 4);
}

}  // namespace

Result<store::Payment> GatewayService::SellTopUp(const TopUpOrder& order) {
  if (order.units <= 0) return Fail(ErrorCode::kInvalidArgument, "units must be positive");
  if (order.gross_grosze < 0) return Fail(ErrorCode::kInvalidArgument, "price cannot be negative");
  if (order.due_days < 0) return Fail(ErrorCode::kInvalidArgument, "due days cannot be negative");
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, AccountByName(order.account));
  const int64_t now = ToUnixMillis(clock_.Now());
  store::PaymentDraft draft;
  draft.account_id = account.id;
  draft.period = Period(now);
  draft.type = order.type;
  draft.units = order.units;
  draft.vat_percent = options_.vat_percent;
  draft.total_grosze = order.gross_grosze;
  // Net from gross, rounded half up to a grosz: VAT = gross - net.
  draft.net_grosze = (order.gross_grosze * 100 * 2 + (100 + options_.vat_percent)) /
                     (2 * (100 + options_.vat_percent));
  draft.paid = order.paid;
  draft.due_ms = now + order.due_days * kDayMs;
  draft.note = order.note;
  return store_.RecordTopUp(draft, now);
}

Result<store::Payment> GatewayService::MarkPaymentPaid(int64_t payment_id) {
  return store_.MarkPaymentPaid(payment_id, ToUnixMillis(clock_.Now()));
}

Result<store::PaymentPage> GatewayService::Payments(const Caller& caller, int page, int limit) {
  return store_.ListPayments(caller.account_id, page, limit);
}

Result<store::Payment> GatewayService::Payment(const Caller& caller, int64_t payment_id) {
  auto p = store_.GetPayment(caller.account_id, payment_id);
  if (!p.ok() && p.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "no payment with id " + std::to_string(payment_id),
                static_cast<int>(Failure::kInvalidId));
  }
  return p;
}

Result<store::Account> GatewayService::Account(const Caller& caller) {
  return store_.GetAccount(caller.account_id);
}

Result<std::vector<store::StatRow>> GatewayService::Stats(const Caller& caller,
                                                          store::StatQuery query) {
  query.account_id = caller.account_id;
  return store_.QueryStats(query);
}

}  // namespace bramka::core
