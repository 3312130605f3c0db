// API v2 account-level actions: subaccounts/* (spec §4.17), senders/add and
// senders/index (§4.13), account/add, account/help and account/messages
// (§4.12). Parameters in, documents out; the rules are core::GatewayService's
// (core/accounts.cc, core/senders.cc; docs/adr/0008).

#include <string>
#include <string_view>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::api::http {
namespace {

constexpr std::string_view kAccountsActions[] = {
    "subaccounts/add",    "subaccounts/index", "subaccounts/view", "subaccounts/limit",
    "subaccounts/delete", "senders/add",       "senders/index",    "account/add",
    "account/help",       "account/messages",
};

Document TextOrNull(const std::string& s) { return s.empty() ? Document() : Document(s); }

}  // namespace

bool ActionHandler::IsAccountsAction(std::string_view action) {
  for (std::string_view a : kAccountsActions) {
    if (a == action) return true;
  }
  return false;
}

ApiAnswer ActionHandler::Accounts(std::string_view action, const core::Caller& caller,
                                  const Params& p) {
  auto answer = [&]() -> Result<ApiAnswer> {
    // ---- subaccounts (spec §4.17) ----
    if (action == "subaccounts/add") {
      core::SubaccountRequest r;
      // The password is taken as it is (spaces are characters too).
      BRAMKA_ASSIGN_OR_RETURN(r.username, TrimmedText(p, "subaccount_username"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> password,
                              p.GetString("subaccount_password"));
      r.password = password.value_or("");
      BRAMKA_ASSIGN_OR_RETURN(r.template_id, p.GetInt("subaccount_id"));
      BRAMKA_ASSIGN_OR_RETURN(r.full_name, TrimmedText(p, "name"));
      BRAMKA_ASSIGN_OR_RETURN(r.phone, TrimmedText(p, "phone"));
      BRAMKA_ASSIGN_OR_RETURN(r.email, TrimmedText(p, "email"));
      BRAMKA_ASSIGN_OR_RETURN(store::AccountId id, service_.CreateSubaccount(caller, r));
      Document doc = Success(true);
      doc["id"] = id;
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "subaccounts/index") {
      BRAMKA_ASSIGN_OR_RETURN(auto subs, service_.ListSubaccounts(caller));
      Document items = Document::array();
      for (const auto& a : subs) items.push_back(Document{{"id", a.id}, {"username", a.name}});
      return ApiAnswer{Document{{"items", std::move(items)}}, 0};
    }
    if (action == "subaccounts/view") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(store::Account a, service_.ViewSubaccount(caller, id));
      Document doc = Document::object();
      doc["id"] = a.id;
      doc["username"] = a.name;
      doc["name"] = TextOrNull(a.full_name);
      doc["phone"] = TextOrNull(a.phone);
      doc["email"] = TextOrNull(a.email);
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "subaccounts/limit") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(std::string type_name, TrimmedText(p, "type"));
      if (type_name.empty()) return Fail(Missing("type"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<int64_t> value, p.GetInt("value"));
      if (!value) return Fail(Missing("value"));
      const auto type = store::ParseMessageType(AsciiLower(type_name));
      if (!type || *type == store::MessageType::kLookup) {
        return Fail(
            InvalidData("type must be eco, full, voice, mms or hlr, not '" + type_name + "'"));
      }
      auto set = service_.SetSubaccountLimit(caller, id, *type, *value);
      // Spec §2.3: another account's (or an unknown) id is a soft failure.
      if (!set.ok() && set.error().code == ErrorCode::kNotFound) {
        return ApiAnswer{Success(false), 0};
      }
      BRAMKA_RETURN_IF_ERROR(set);
      Document doc = Success(true);
      doc["id"] = id;
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "subaccounts/delete") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      auto deleted = service_.DeleteSubaccount(caller, id);
      if (!deleted.ok() && deleted.error().code == ErrorCode::kNotFound) {
        return ApiAnswer{Success(false), 0};
      }
      BRAMKA_RETURN_IF_ERROR(deleted);
      return ApiAnswer{Success(true), 0};
    }

    // ---- senders (spec §4.13) ----
    if (action == "senders/add") {
      BRAMKA_ASSIGN_OR_RETURN(std::string name, TrimmedText(p, "name"));
      if (name.empty()) return Fail(Missing("name"));
      BRAMKA_RETURN_IF_ERROR(service_.AddSender(caller, name));
      return ApiAnswer{Success(true), 0};
    }
    if (action == "senders/index") {
      core::SenderListQuery q;
      BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> predefined, p.GetBool("predefined"));
      q.predefined = predefined.value_or(false);
      BRAMKA_ASSIGN_OR_RETURN(std::string type, TrimmedText(p, "type"));
      q.type = AsciiLower(type);
      BRAMKA_ASSIGN_OR_RETURN(std::string sort, TrimmedText(p, "sort"));
      if (!sort.empty() && AsciiLower(sort) != "name") {
        return Fail(InvalidData("sort must be name, not '" + sort + "'"));
      }
      BRAMKA_ASSIGN_OR_RETURN(std::string order, TrimmedText(p, "order"));
      order = AsciiLower(order);
      if (!order.empty() && order != "asc" && order != "desc") {
        return Fail(InvalidData("order must be asc or desc, not '" + order + "'"));
      }
      q.descending = order == "desc";
      BRAMKA_ASSIGN_OR_RETURN(auto senders, service_.ListSenders(caller, q));
      Document items = Document::array();
      for (const auto& s : senders) {
        items.push_back(
            Document{{"name", s.name}, {"agreement", s.agreement}, {"status", s.status}});
      }
      return ApiAnswer{Document{{"items", std::move(items)}}, 0};
    }

    // ---- account (spec §4.12) ----
    if (action == "account/add") {
      core::SignupRequest r;
      BRAMKA_ASSIGN_OR_RETURN(r.phone, TrimmedText(p, "phone"));
      BRAMKA_ASSIGN_OR_RETURN(r.email, TrimmedText(p, "email"));
      BRAMKA_ASSIGN_OR_RETURN(r.first_name, TrimmedText(p, "first_name"));
      BRAMKA_ASSIGN_OR_RETURN(r.last_name, TrimmedText(p, "last_name"));
      BRAMKA_ASSIGN_OR_RETURN(r.company, TrimmedText(p, "company"));
      BRAMKA_RETURN_IF_ERROR(service_.RequestAccount(caller, r));
      return ApiAnswer{Success(true), 0};
    }
    if (action == "account/help") {
      const core::OperatorContact& c = service_.OperatorContactData();
      Document doc = Document::object();
      doc["telephone"] = TextOrNull(c.telephone);
      doc["email"] = TextOrNull(c.email);
      doc["form"] = TextOrNull(c.form);
      doc["faq"] = TextOrNull(c.faq);
      Document maintainer = Document::object();
      maintainer["name"] = TextOrNull(c.maintainer_name);
      maintainer["email"] = TextOrNull(c.maintainer_email);
      maintainer["telephone"] = TextOrNull(c.maintainer_telephone);
      maintainer["photo"] = TextOrNull(c.maintainer_photo);
      doc["account_maintainer"] = std::move(maintainer);
      return ApiAnswer{std::move(doc), 0};
    }
    if (action == "account/messages") {
      BRAMKA_ASSIGN_OR_RETURN(auto messages, service_.AccountMessages(caller));
      Document items = Document::array();
      for (const auto& m : messages) {
        Document item = Document::object();
        item["new"] = m.is_new;
        item["message"] = m.text;
        item["id"] = m.id;
        item["date"] = FormatApiTimeMs(m.created_ms);
        items.push_back(std::move(item));
      }
      return ApiAnswer{Document{{"items", std::move(items)}}, 0};
    }
    return ErrorAnswer(api_code::kInvalidAction);
  }();
  if (!answer.ok()) return ErrorAnswer(answer.error());
  return std::move(*answer);
}

}  // namespace bramka::api::http
