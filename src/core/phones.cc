// GatewayService::CheckNumbers: phones/check (HLR) and phones/lookup (spec §4.16).
#include <spdlog/spdlog.h>

#include "core/gateway_service.h"

namespace bramka::core {
namespace {

using store::MessageType;

constexpr size_t kMaxNumbers = 50'000;  // spec §4.16

}  // namespace

Result<std::vector<NumberCheckItem>> GatewayService::CheckNumbers(
    const Caller& caller, const std::vector<std::string>& phones, NumberCheck kind) {
  const bool hlr = kind == NumberCheck::kHlr;
  const MessageType type = hlr ? MessageType::kHlr : MessageType::kLookup;
  const char* what = hlr ? "hlr" : "lookup";
  if (phones.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "phone");
  }
  if (phones.size() > kMaxNumbers) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kTooManyRecipients,
                  "at most 50000 numbers per check");
  }
  BRAMKA_ASSIGN_OR_RETURN(auto balances, store_.GetBalances(caller.account_id));
  const store::Balance* balance = nullptr;
  for (const auto& b : balances) {
    if (b.type == type) balance = &b;
  }
  if (balance == nullptr || !balance->available) {
    return Refuse(ErrorCode::kPermissionDenied,
                  hlr ? Failure::kNoPermissionHlr : Failure::kNoPermissionLookup,
                  std::string("this account may not use ") + what + " checks");
  }
  const bool unlimited = balance->unlimited;

  std::vector<NumberCheckItem> items(phones.size());
  int64_t valid = 0;
  for (size_t i = 0; i < phones.size(); ++i) {
    NumberCheckItem& item = items[i];
    auto normal = phones_.Normalize(phones[i]);
    if (!normal.ok()) {
      if (phones.size() == 1) {
        return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone, normal.error().message);
      }
      item.phone = phones[i];
      item.answer.status = delivery::HlrAnswer::Status::kErr;
      item.answer.description = "INVALID_NUMBER";
      continue;
    }
    item.phone = *normal;
    item.valid = true;
    ++valid;
  }
  if (valid == 0) return items;
  if (hlr_ == nullptr) {
    return Refuse(ErrorCode::kUnavailable, Failure::kUnavailable,
                  std::string("no ") + what + " provider is configured");
  }
  const int64_t now_ms = ToUnixMillis(clock_.Now());
  auto charged = store_.ChargeBalance(caller.account_id, type, valid, what, now_ms);
  if (!charged.ok()) {
    if (charged.error().code == ErrorCode::kRejected) {
      return Refuse(ErrorCode::kRejected,
                    hlr ? Failure::kHlrLimitExhausted : Failure::kLookupLimitExhausted,
                    std::string("the ") + what + " balance is too low for " +
                        std::to_string(valid) + " numbers");
    }
    return charged.take_error();
  }
  int64_t failed = 0;
  Error last_error;
  for (NumberCheckItem& item : items) {
    if (!item.valid) continue;
    auto answer = hlr_->Lookup(item.phone, !hlr);
    if (answer.ok()) {
      item.answer = std::move(*answer);
      continue;
    }
    ++failed;
    last_error = answer.take_error();
    item.answer.status = delivery::HlrAnswer::Status::kErr;
    item.answer.description = "SYSTEM_FAILURE";
  }
  if (failed > 0) {
    spdlog::warn("{} provider {} failed for {} of {} numbers: {}", what, hlr_->name(), failed,
                 valid, last_error.ToString());
    if (!unlimited) {
      auto refund = store_.AdjustBalance(caller.account_id, type, failed,
                                         std::string(what) + " refund", now_ms);
      if (!refund.ok()) spdlog::error("{} refund failed: {}", what, refund.error().ToString());
    }
    if (failed == valid) {
      return Refuse(ErrorCode::kUnavailable, Failure::kUnavailable,
                    std::string("the ") + what + " provider did not answer: " + last_error.message);
    }
  }
  return items;
}

}  // namespace bramka::core
