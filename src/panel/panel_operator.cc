// The operator's panel pages: accounts and top-ups, sender approval, the inbox of
// unmatched incoming messages, health (docs/adr/0017). The same core calls as
// `bramka admin`.
#include "common/time_format.h"
#include "panel/panel_impl.h"

namespace bramka::panel {

RawHttpResponse Panel::Impl::Operator(const Who&, const RawHttpRequest& request,
                                      std::string_view path) {
  const bool post = request.method == "POST";
  store::Store& store = service_.store();
  auto body_or = JsonBody(request);
  if (!body_or) return ErrorAnswer(400, "body", "the body must be a JSON object");
  const Json& body = *body_or;

  if (path == "accounts" && !post) {
    auto accounts = service_.ListAccounts();
    if (!accounts.ok()) return CoreErrorAnswer(accounts.error(), {}, "");
    Json out = Json::array();
    for (const auto& a : *accounts) {
      Json balances = Json::object();
      if (auto limits = service_.Limits(core::Caller{a.id, a.name}); limits.ok()) {
        for (const auto& b : *limits) {
          balances[std::string(store::MessageTypeName(b.type))] =
              b.unlimited ? Json("no_limit") : (b.available ? Json(b.units) : Json(nullptr));
        }
      }
      out.push_back({{"id", a.id},
                     {"name", a.name},
                     {"parent_id", a.parent_id},
                     {"active", a.active && a.deleted_ms == 0},
                     {"created", FormatApiTimeMs(a.created_ms)},
                     {"balances", balances}});
    }
    return JsonAnswer(200, Json{{"items", out}});
  }
  if (path == "senders" && !post) {
    auto accounts = service_.ListAccounts();
    if (!accounts.ok()) return CoreErrorAnswer(accounts.error(), {}, "");
    Json out = Json::array();
    for (const auto& a : *accounts) {
      auto senders = store.ListSenders(a.id);
      if (!senders.ok()) continue;
      for (const auto& s : *senders) {
        out.push_back({{"account", a.name},
                       {"name", s.name},
                       {"status", store::SenderStatusName(s.status)},
                       {"created", FormatApiTimeMs(s.created_ms)}});
      }
    }
    return JsonAnswer(200, Json{{"items", out}});
  }
  if (path == "inbox" && !post) {
    auto page = service_.OperatorInbox(200);
    if (!page.ok()) return CoreErrorAnswer(page.error(), {}, "");
    Json out = Json::array();
    for (const auto& m : page->items) {
      out.push_back({{"id", m.id},
                     {"phone", m.phone},
                     {"to", m.to_number},
                     {"text", m.text},
                     {"connector", m.connector},
                     {"received", FormatApiTimeMs(m.received_ms)}});
    }
    return JsonAnswer(200, Json{{"items", out}});
  }
  if (path == "health" && !post) {
    Json out = Json::object();
    if (options_.health_json) {
      Json h = Json::parse(options_.health_json(), nullptr, false);
      if (!h.is_discarded()) out = h;
    }
    if (auto accounts = service_.ListAccounts(); accounts.ok()) out["accounts"] = accounts->size();
    if (auto users = service_.ListSmppUsers(); users.ok()) out["smpp_users"] = users->size();
    if (auto numbers = service_.ListInboundNumbers(); numbers.ok()) {
      Json list = Json::array();
      for (const auto& n : *numbers) {
        list.push_back({{"id", n.id},
                        {"number", n.number},
                        {"keyword", n.keyword},
                        {"account_id", n.account_id}});
      }
      out["inbound_numbers"] = list;
    }
    out["time"] = FormatApiTimeMs(ToUnixMillis(clock_.Now()));
    return JsonAnswer(200, out);
  }
  if (!post) return ErrorAnswer(404, "path", "no such panel endpoint");

  if (path == "accounts") {
    const std::string name = Str(body, "name");
    const std::string password = Str(body, "password");
    if (name.empty()) return ErrorAnswer(400, "missing", "enter the account name", "name");
    if (password.size() < 8) {
      return ErrorAnswer(400, "password", "the password needs at least 8 characters", "password");
    }
    auto id = service_.CreateAccount(name, password);
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kAlreadyExists) {
        return ErrorAnswer(409, "taken", "this name is taken", "name");
      }
      return CoreErrorAnswer(id.error(), {{"password", "password"}}, "name");
    }
    return JsonAnswer(200, Json{{"id", *id}, {"name", name}});
  }
  if (path == "topup") {
    const std::string account = Str(body, "account");
    auto type = store::ParseMessageType(Str(body, "type"));
    const int64_t units = Int(body, "units", 0);
    if (account.empty()) return ErrorAnswer(400, "missing", "choose an account", "account");
    if (!type) return ErrorAnswer(400, "type", "choose a message type", "type");
    if (units <= 0) return ErrorAnswer(400, "units", "enter a positive number of units", "units");
    auto r = service_.TopUp(account, *type, units, Str(body, "note"));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "account");
    return JsonAnswer(200, Json{{"success", true}});
  }
  if (path == "senders") {
    auto status = store::ParseSenderStatus(Str(body, "status"));
    if (!status) return ErrorAnswer(400, "status", "unknown sender status", "status");
    auto r = service_.SetSenderStatus(Str(body, "account"), Str(body, "sender"), *status);
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "sender");
    return JsonAnswer(200, Json{{"success", true}});
  }
  return ErrorAnswer(404, "path", "no such panel endpoint");
}

}  // namespace bramka::panel
