// InMemoryStore: payments (top-up invoices) and sending statistics.

#include <algorithm>
#include <map>

#include "store/testing/in_memory_store.h"

namespace bramka::store {

namespace {

Result<void> CheckDraft(const PaymentDraft& d) {
  if (d.units <= 0) return Fail(ErrorCode::kInvalidArgument, "top-up units must be positive");
  if (d.net_grosze < 0 || d.total_grosze < 0) {
    return Fail(ErrorCode::kInvalidArgument, "a price cannot be negative");
  }
  if (d.period.empty()) return Fail(ErrorCode::kInvalidArgument, "invoice period missing");
  if (static_cast<int>(d.type) > static_cast<int>(MessageType::kLookup)) {
    return Fail(ErrorCode::kInvalidArgument, "bad message type");
  }
  return Ok();
}

bool InPeriod(const std::string& number, const std::string& period) {
  const std::string suffix = "/" + period;
  return number.size() > suffix.size() &&
         number.compare(number.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

Result<Payment> InMemoryStore::RecordTopUp(const PaymentDraft& d, int64_t now_ms) {
  BRAMKA_RETURN_IF_ERROR(CheckDraft(d));
  std::lock_guard lock(mu_);
  auto balances = balances_.find(d.account_id);
  if (balances == balances_.end()) return Fail(ErrorCode::kNotFound, "no such account");
  const auto in_period = std::count_if(payments_.begin(), payments_.end(), [&](const Payment& p) {
    return InPeriod(p.number, d.period);
  });
  Payment p;
  p.id = static_cast<int64_t>(payments_.size()) + 1;
  p.account_id = d.account_id;
  p.number = "FV " + std::to_string(in_period + 1) + "/" + d.period;
  p.type = d.type;
  p.units = d.units;
  p.net_grosze = d.net_grosze;
  p.vat_percent = d.vat_percent;
  p.total_grosze = d.total_grosze;
  p.paid_grosze = d.paid ? d.total_grosze : 0;
  p.issued_ms = now_ms;
  p.due_ms = d.due_ms;
  p.paid_ms = d.paid ? now_ms : 0;
  p.note = d.note;
  balances->second[static_cast<size_t>(d.type)].units += d.units;
  ledger_.push_back({d.account_id, d.type, d.units, "", "top-up " + p.number, now_ms});
  payments_.push_back(p);
  return p;
}

Result<PaymentPage> InMemoryStore::ListPayments(AccountId id, int page, int limit) {
  std::lock_guard lock(mu_);
  PaymentPage out;
  std::vector<const Payment*> mine;
  for (auto it = payments_.rbegin(); it != payments_.rend(); ++it) {
    if (it->account_id == id) mine.push_back(&*it);
  }
  out.total = static_cast<int64_t>(mine.size());
  size_t begin = 0;
  size_t end = mine.size();
  if (limit > 0) {
    begin = std::min(mine.size(), static_cast<size_t>(std::max(page, 1) - 1) * limit);
    end = std::min(mine.size(), begin + static_cast<size_t>(limit));
  }
  for (size_t i = begin; i < end; ++i) out.items.push_back(*mine[i]);
  return out;
}

Result<Payment> InMemoryStore::GetPayment(AccountId id, int64_t payment_id) {
  std::lock_guard lock(mu_);
  if (payment_id < 1 || payment_id > static_cast<int64_t>(payments_.size()) ||
      payments_[payment_id - 1].account_id != id) {
    return Fail(ErrorCode::kNotFound, "no such payment");
  }
  return payments_[payment_id - 1];
}

Result<Payment> InMemoryStore::MarkPaymentPaid(int64_t payment_id, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (payment_id < 1 || payment_id > static_cast<int64_t>(payments_.size())) {
    return Fail(ErrorCode::kNotFound, "no such payment");
  }
  Payment& p = payments_[payment_id - 1];
  if (p.paid_ms == 0) {
    p.paid_ms = now_ms;
    p.paid_grosze = p.total_grosze;
  }
  return p;
}

Result<std::vector<StatRow>> InMemoryStore::QueryStats(const StatQuery& q) {
  std::lock_guard lock(mu_);
  std::map<int64_t, StatRow> rows;
  for (const auto& r : messages_) {
    const Message& m = r->message;
    if (m.account_id != q.account_id || m.status == MessageStatus::kCancelled) continue;
    if (q.type && m.type != *q.type) continue;
    if (q.from_ms > 0 && m.queued_ms < q.from_ms) continue;
    if (q.to_ms > 0 && m.queued_ms > q.to_ms) continue;
    auto [it, fresh] = rows.try_emplace(m.stat_id);
    StatRow& row = it->second;
    if (fresh) {
      row.stat_id = m.stat_id;
      row.type = m.type;
      row.first_ms = row.last_ms = m.queued_ms;
      row.text = m.text;
      row.source = m.source;
    }
    row.first_ms = std::min(row.first_ms, m.queued_ms);
    row.last_ms = std::max(row.last_ms, m.queued_ms);
    switch (m.status) {
      case MessageStatus::kDelivered:
        ++row.delivered;
        break;
      case MessageStatus::kUndelivered:
        ++row.undelivered;
        break;
      case MessageStatus::kUnsent:
        ++row.unsent;
        break;
      default:
        ++row.pending;
        break;
    }
  }
  std::vector<StatRow> out;
  out.reserve(rows.size());
  for (auto& [id, row] : rows) out.push_back(std::move(row));
  return out;
}

}  // namespace bramka::store
