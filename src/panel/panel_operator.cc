// The operator's panel pages: accounts and top-ups, sender approval, the inbox of
// unmatched incoming messages, health (docs/adr/0017). The same core calls as
// `bramka admin`.
#include <algorithm>
#include <map>
#include <optional>

#include "common/time_format.h"
#include "panel/panel_impl.h"

namespace bramka::panel {

namespace {
// The numbering plan's kinds by the names `bramka admin inbound add --kind` uses.
constexpr std::pair<std::string_view, store::InboundKind> kKinds[] = {
    {"nd", store::InboundKind::kNd},           {"ndi", store::InboundKind::kNdi},
    {"sc", store::InboundKind::kSc},           {"sci", store::InboundKind::kSci},
    {"premium", store::InboundKind::kPremium}, {"pool", store::InboundKind::kPool}};

std::string_view KindName(store::InboundKind kind) {
  for (const auto& [name, k] : kKinds) {
    if (k == kind) return name;
  }
  return "?";
}

// "2.46" or "2,46" PLN -> 246 grosze; nullopt for anything else (at most 2 decimals).
std::optional<int64_t> Grosze(std::string text) {
  if (text.empty()) return 0;
  for (char& c : text) {
    if (c == ',') c = '.';
  }
  const size_t dot = text.find('.');
  const std::string whole = text.substr(0, dot);
  std::string frac = dot == std::string::npos ? "" : text.substr(dot + 1);
  if (whole.empty() || frac.size() > 2 || whole.size() > 12) return std::nullopt;
  for (char c : whole + frac) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  while (frac.size() < 2) frac += '0';
  return std::stoll(whole) * 100 + std::stoll(frac);
}
}  // namespace

MountedResponse Panel::Impl::Operator(const Who&, const MountedRequest& request,
                                      std::string_view path) {
  const bool post = request.method == "POST";
  store::Store& store = service_.store();
  auto body_or = JsonBody(request);
  if (!body_or) return ErrorAnswer(400, "body", "the body must be a JSON object");
  const Json& body = *body_or;

  if (path == "accounts" && !post) {
    auto accounts = service_.ListAccounts();
    if (!accounts.ok()) return CoreErrorAnswer(accounts.error(), {}, "");
    std::map<store::AccountId, std::string> names;
    for (const auto& a : *accounts) names[a.id] = a.name;
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
                     {"parent", a.parent_id ? names[a.parent_id] : ""},
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
  if (path == "numbers" && !post) {
    auto numbers = service_.ListInboundNumbers();
    if (!numbers.ok()) return CoreErrorAnswer(numbers.error(), {}, "");
    std::map<store::AccountId, std::string> names;
    if (auto accounts = service_.ListAccounts(); accounts.ok()) {
      for (const auto& a : *accounts) names[a.id] = a.name;
    }
    Json out = Json::array();
    for (const auto& n : *numbers) {
      out.push_back({{"id", n.id},
                     {"kind", KindName(n.kind)},
                     {"number", n.number},
                     {"keyword", n.keyword},
                     {"account", n.account_id ? names[n.account_id] : ""},
                     {"price_grosze", n.price_grosze},
                     {"answer_limit", n.answer_limit}});
    }
    return JsonAnswer(200, Json{{"items", out}});
  }
  if (path == "signups" && !post) {
    auto signups = service_.ListSignups();
    if (!signups.ok()) return CoreErrorAnswer(signups.error(), {}, "");
    Json out = Json::array();
    for (const auto& g : *signups) {
      if (g.status != store::SignupStatus::kPending) continue;
      out.push_back({{"id", g.id},
                     {"name", g.first_name + " " + g.last_name},
                     {"company", g.company},
                     {"phone", g.phone},
                     {"email", g.email},
                     {"created", FormatApiTimeMs(g.created_ms)}});
    }
    return JsonAnswer(200, Json{{"items", out}});
  }
  if (!post) return ErrorAnswer(404, "path", "no such panel endpoint");

  if (path == "numbers") {
    const std::string kind_name = Str(body, "kind");
    auto kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                             [&](const auto& k) { return k.first == kind_name; });
    if (kind == std::end(kKinds)) return ErrorAnswer(400, "kind", "choose a kind", "kind");
    const std::string account = Str(body, "account");
    if (kind->second != store::InboundKind::kPool && account.empty()) {
      return ErrorAnswer(400, "missing", "choose the account the number belongs to", "account");
    }
    if (Str(body, "number").empty()) {
      return ErrorAnswer(400, "missing", "enter the number", "number");
    }
    auto price = Grosze(Str(body, "price"));
    if (!price) return ErrorAnswer(400, "price", "a price in PLN, e.g. 2.46", "price");
    auto id = service_.AddInboundNumber(kind->second == store::InboundKind::kPool ? "" : account,
                                        kind->second, Str(body, "number"), Str(body, "keyword"),
                                        *price, static_cast<int>(Int(body, "answers", 0)));
    if (!id.ok()) {
      return CoreErrorAnswer(id.error(), {{"keyword", "keyword"}, {"account", "account"}},
                             "number");
    }
    return JsonAnswer(200, Json{{"id", *id}});
  }
  if (path == "signups/approve") {
    const std::string name = Str(body, "name");
    const std::string password = Str(body, "password");
    if (name.empty()) return ErrorAnswer(400, "missing", "enter the new account's login", "name");
    if (password.size() < 8) {
      return ErrorAnswer(400, "password", "the password needs at least 8 characters", "password");
    }
    auto id = service_.ApproveSignup(Int(body, "id", 0), name, password);
    if (!id.ok()) {
      if (id.error().code == ErrorCode::kAlreadyExists) {
        return ErrorAnswer(409, "taken", "this name is taken", "name");
      }
      return CoreErrorAnswer(id.error(), {{"password", "password"}}, "id");
    }
    return JsonAnswer(200, Json{{"id", *id}});
  }
  if (path == "messages") {
    // A notice for the account's panel and its account/messages (spec §4.12).
    const std::string text = Str(body, "text");
    if (text.empty()) return ErrorAnswer(400, "missing", "enter the message", "text");
    auto id = service_.PostAccountMessage(Str(body, "account"), text);
    if (!id.ok()) return CoreErrorAnswer(id.error(), {}, "account");
    return JsonAnswer(200, Json{{"id", *id}});
  }
  if (path == "signups/reject") {
    auto r = service_.RejectSignup(Int(body, "id", 0));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "id");
    return JsonAnswer(200, Json{{"success", true}});
  }
  if (path == "numbers/remove") {
    auto r = service_.RemoveInboundNumber(Int(body, "id", 0));
    if (!r.ok()) return CoreErrorAnswer(r.error(), {}, "id");
    return JsonAnswer(200, Json{{"success", true}});
  }

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
    auto price = Grosze(Str(body, "price"));
    if (!price) return ErrorAnswer(400, "price", "a price in PLN, e.g. 123.00", "price");
    if (*price > 0) {
      // Sold with an invoice, as `bramka admin payment add` (payments/* shows it).
      core::TopUpOrder order;
      order.account = account;
      order.type = *type;
      order.units = units;
      order.gross_grosze = *price;
      order.paid = Bool(body, "paid", true);
      order.note = Str(body, "note");
      auto payment = service_.SellTopUp(order);
      if (!payment.ok()) return CoreErrorAnswer(payment.error(), {{"price", "price"}}, "account");
      return JsonAnswer(200, Json{{"success", true}, {"invoice", payment->number}});
    }
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
