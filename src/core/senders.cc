// GatewayService: sender names (spec §4.13) — senders/add requests that wait
// for the operator (`bramka admin sender approve|reject`), senders/index, and
// the check every FULL send makes (SenderUsable). docs/adr/0008.

#include <algorithm>
#include <cctype>

#include "core/gateway_service.h"

namespace bramka::core {
namespace {

// Spec §4.13 `agreement`: the operator needs a signed agreement for a
// customer's own name; bramka keeps no documents, so it reads the state off
// the approval: approved names have it "delivered", the others still
// "required"; the system's predefined names need none.
std::string_view AgreementOf(store::SenderStatus s) {
  return s == store::SenderStatus::kAuthorized || s == store::SenderStatus::kDeactivated
             ? "delivered"
             : "required";
}

}  // namespace

bool IsValidSenderName(const std::string& name) {
  if (name.empty()) return false;
  // A number: optional '+', then up to 15 digits (E.164).
  const size_t digits_from = name[0] == '+' ? 1 : 0;
  const bool number = name.size() > digits_from &&
                      std::all_of(name.begin() + static_cast<std::ptrdiff_t>(digits_from),
                                  name.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (number) return name.size() - digits_from <= 15;
  if (name.size() > 11) return false;
  for (char c : name) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == ' ' || c == '.' || c == '-' || c == '_' || c == '&')) {
      return false;
    }
  }
  return true;
}

Result<bool> GatewayService::SenderUsable(const Caller& caller, const std::string& sender) {
  BRAMKA_ASSIGN_OR_RETURN(auto own, store_.GetSender(caller.account_id, sender));
  return SenderUsable(caller, sender, own);
}

Result<bool> GatewayService::SenderUsable(const Caller& caller, const std::string& sender,
                                          const std::optional<store::Sender>& own) {
  if (own) return own->status == store::SenderStatus::kAuthorized;
  const auto& predefined = options_.predefined_senders;
  if (std::find(predefined.begin(), predefined.end(), sender) != predefined.end()) return true;
  // A subaccount sends with its parent's approved names too (ADR 0008).
  BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(caller.account_id));
  if (account.parent_id == 0) return false;
  BRAMKA_ASSIGN_OR_RETURN(auto parents, store_.GetSender(account.parent_id, sender));
  return parents && parents->status == store::SenderStatus::kAuthorized;
}

Result<void> GatewayService::AddSender(const Caller& caller, const std::string& name) {
  if (name.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "name");
  }
  if (!IsValidSenderName(name)) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "sender name '" + name +
                      "' must be 1 to 11 letters, digits, spaces or . - _ &, or a number of up "
                      "to 15 digits");
  }
  const auto& predefined = options_.predefined_senders;
  if (std::find(predefined.begin(), predefined.end(), name) != predefined.end()) {
    return Refuse(ErrorCode::kAlreadyExists, Failure::kSenderExists,
                  "'" + name + "' is a predefined sender name");
  }
  auto added = store_.AddSender(caller.account_id, name, ToUnixMillis(clock_.Now()));
  if (!added.ok() && added.error().code == ErrorCode::kAlreadyExists) {
    return Refuse(ErrorCode::kAlreadyExists, Failure::kSenderExists,
                  "the account has the sender name '" + name + "' already");
  }
  return added;
}

Result<std::vector<SenderView>> GatewayService::ListSenders(const Caller& caller,
                                                            const SenderListQuery& query) {
  if (!query.type.empty() && query.type != "ndi" && query.type != "mms") {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  "type must be ndi or mms, not '" + query.type + "'");
  }
  std::vector<SenderView> out;
  // bramka has no sender names of its own for NDI or MMS sends: those lists are empty.
  if (!query.type.empty()) return out;
  if (query.predefined) {
    for (const auto& name : options_.predefined_senders) {
      out.push_back(SenderView{name, "not_required", "authorized"});
    }
  } else {
    BRAMKA_ASSIGN_OR_RETURN(auto own, store_.ListSenders(caller.account_id));
    for (const auto& s : own) {
      out.push_back(SenderView{s.name, std::string(AgreementOf(s.status)),
                               std::string(store::SenderStatusName(s.status))});
    }
    // A subaccount also sees the names of its parent it may use.
    BRAMKA_ASSIGN_OR_RETURN(store::Account account, store_.GetAccount(caller.account_id));
    if (account.parent_id != 0) {
      BRAMKA_ASSIGN_OR_RETURN(auto parents, store_.ListSenders(account.parent_id));
      for (const auto& s : parents) {
        if (s.status != store::SenderStatus::kAuthorized) continue;
        auto same = [&](const SenderView& v) { return v.name == s.name; };
        if (std::none_of(out.begin(), out.end(), same)) {
          out.push_back(SenderView{s.name, "delivered", "authorized"});
        }
      }
    }
  }
  std::sort(out.begin(), out.end(), [&](const SenderView& a, const SenderView& b) {
    return query.descending ? b.name < a.name : a.name < b.name;
  });
  return out;
}

}  // namespace bramka::core
