#include "api/soap/operations.h"

#include <unordered_map>

#include "api/http/text_util.h"

namespace bramka::api::soap {
namespace {

// One row per operation. `positional`: the PHP client's arguments in order
// (SerwerSMSpl/serwersms-php-api-v2, src/SerwerSMS/*.php); `named`: the
// action's other parameters (spec §4). A token is `name` or `name:type` with
// type s(tring) i(nt) b(ool) l(ist of strings) b64 b64l msg contacts map;
// without a type, kDefaultTypes decides, else xsd:string.
struct Row {
  std::string_view name;
  std::string_view action;
  std::string_view positional;
  std::string_view named;
};

constexpr std::string_view kSendOptions =
    "details test utf flash speed date group_id contact_id unique_id dlr_url";

// clang-format off
constexpr Row kRows[] = {
    // messages (spec §4.1-4.9)
    {"Messages.sendSms", "messages/send_sms", "phone:l text sender params",
     "vcard wap_push @send"},
    {"Messages.sendPersonalized", "messages/send_personalized", "messages sender params",
     "text voice @send"},
    {"Messages.sendVoice", "messages/send_voice", "phone:l params", "text file_id:s @send"},
    {"Messages.sendMms", "messages/send_mms", "phone:l title params", "file_id file:b64l @send"},
    {"Messages.view", "messages/view", "id params", "unique_id:s show_contact"},
    {"Messages.reports", "messages/reports", "params",
     "id:l unique_id phone:l date_from date_to status type stat_id show_contact page limit order"},
    {"Messages.delete", "messages/delete", "id:l unique_id", ""},
    {"Messages.recived", "messages/recived", "type params",
     "ndi phone:l date_from date_to read show_contact page limit order"},
    {"Messages.sendNd", "messages/send_nd", "phone text", ""},
    {"Messages.sendNdi", "messages/send_ndi", "phone text ndi_number", ""},
    // files (§4.10)
    {"Files.add", "files/add", "type params", "url file:b64 name"},
    {"Files.index", "files/index", "type", ""},
    {"Files.view", "files/view", "id type", ""},
    {"Files.delete", "files/delete", "id type", ""},
    // premium, quiz (§4.11)
    {"Premium.index", "premium/index", "", ""},
    {"Premium.send", "premium/send", "phone text gate id:i", ""},
    {"Quiz.view", "quiz/view", "id:i", ""},
    // account (§4.12)
    {"Account.add", "account/add", "params", "phone email first_name last_name company"},
    {"Account.limits", "account/limits", "params", "show_type"},
    {"Account.help", "account/help", "", ""},
    {"Account.messages", "account/messages", "", ""},
    // senders (§4.13)
    {"Senders.add", "senders/add", "name", ""},
    {"Senders.index", "senders/index", "params", "predefined type sort order"},
    // groups (§4.14)
    {"Groups.add", "groups/add", "name", ""},
    {"Groups.index", "groups/index", "search params", "page limit sort order"},
    {"Groups.view", "groups/view", "id:i", ""},
    {"Groups.edit", "groups/edit", "id:i name", ""},
    {"Groups.delete", "groups/delete", "id:i", "delete_contacts"},
    {"Groups.check", "groups/check", "phone", ""},
    // contacts (§4.15)
    {"Contacts.add", "contacts/add", "group_id phone params",
     "email first_name last_name company tax_id address city description"},
    {"Contacts.index", "contacts/index", "group_id:s search params", "page limit sort order"},
    {"Contacts.view", "contacts/view", "id:i", ""},
    {"Contacts.edit", "contacts/edit", "id:i group_id phone params",
     "email first_name last_name company tax_id address city description"},
    {"Contacts.delete", "contacts/delete", "id:i", ""},
    {"Contacts.import", "contacts/import", "group_name contact", ""},
    // phones (§4.16)
    {"Phones.check", "phones/check", "phone:l id", "url"},
    {"Phones.lookup", "phones/lookup", "phone:l id", "url"},
    {"Phones.test", "phones/test", "phone", ""},
    // subaccounts (§4.17)
    {"Subaccounts.add", "subaccounts/add",
     "subaccount_username subaccount_password subaccount_id params", "name phone email"},
    {"Subaccounts.index", "subaccounts/index", "", ""},
    {"Subaccounts.view", "subaccounts/view", "id:i", ""},
    {"Subaccounts.limit", "subaccounts/limit", "id:i type value", ""},
    {"Subaccounts.delete", "subaccounts/delete", "id:i", ""},
    // blacklist (§4.18)
    {"Blacklist.add", "blacklist/add", "phone", ""},
    {"Blacklist.index", "blacklist/index", "phone params", "page limit"},
    {"Blacklist.check", "blacklist/check", "phone", ""},
    {"Blacklist.delete", "blacklist/delete", "phone", ""},
    // payments (§4.19), stats (§4.20)
    {"Payments.index", "payments/index", "params", "page limit"},
    {"Payments.view", "payments/view", "id:i", ""},
    {"Payments.invoice", "payments/invoice", "id:i", ""},
    {"Stats.index", "stats/index", "params", "type begin end"},
    // templates (§4.21)
    {"Templates.index", "templates/index", "params", "sort order"},
    {"Templates.view", "templates/view", "id:i", ""},
    {"Templates.add", "templates/add", "name text", ""},
    {"Templates.edit", "templates/edit", "id:i name text", ""},
    {"Templates.delete", "templates/delete", "id:i", ""},
    // error/{code} (§4.22): answered as a fault carrying that code
    {"Error.view", "error", "code", ""},
};
// clang-format on

struct DefaultType {
  std::string_view name;
  ParamType type;
};
constexpr DefaultType kDefaultTypes[] = {
    {"details", ParamType::kBool},
    {"test", ParamType::kBool},
    {"utf", ParamType::kBool},
    {"flash", ParamType::kBool},
    {"speed", ParamType::kBool},
    {"vcard", ParamType::kBool},
    {"voice", ParamType::kBool},
    {"show_contact", ParamType::kBool},
    {"read", ParamType::kBool},
    {"show_type", ParamType::kBool},
    {"predefined", ParamType::kBool},
    {"delete_contacts", ParamType::kBool},
    {"page", ParamType::kInt},
    {"limit", ParamType::kInt},
    {"stat_id", ParamType::kInt},
    {"subaccount_id", ParamType::kInt},
    {"value", ParamType::kInt},
    {"unique_id", ParamType::kStringList},
    {"group_id", ParamType::kStringList},
    {"contact_id", ParamType::kStringList},
    {"file_id", ParamType::kStringList},
    {"messages", ParamType::kMessages},
    {"contact", ParamType::kContacts},
    {"params", ParamType::kMap},
};

ParamType TypeOf(std::string_view name, std::string_view suffix) {
  if (suffix == "s") return ParamType::kString;
  if (suffix == "i") return ParamType::kInt;
  if (suffix == "b") return ParamType::kBool;
  if (suffix == "l") return ParamType::kStringList;
  if (suffix == "b64") return ParamType::kBase64;
  if (suffix == "b64l") return ParamType::kBase64List;
  for (const DefaultType& d : kDefaultTypes) {
    if (d.name == name) return d.type;
  }
  return ParamType::kString;
}

void AddTokens(std::string_view list, bool positional, std::vector<Param>& out) {
  size_t pos = 0;
  while (pos < list.size()) {
    size_t end = list.find(' ', pos);
    if (end == std::string_view::npos) end = list.size();
    const std::string_view token = list.substr(pos, end - pos);
    pos = end + 1;
    if (token.empty()) continue;
    if (token == "@send") {
      AddTokens(kSendOptions, positional, out);
      continue;
    }
    const size_t colon = token.find(':');
    const std::string_view name = token.substr(0, colon);
    const std::string_view suffix =
        colon == std::string_view::npos ? std::string_view() : token.substr(colon + 1);
    bool seen = false;
    for (const Param& p : out) seen = seen || p.name == name;
    if (!seen) out.push_back(Param{std::string(name), TypeOf(name, suffix), positional});
  }
}

std::vector<Operation> BuildTable() {
  std::vector<Operation> ops;
  for (const Row& row : kRows) {
    Operation op{row.name, row.action, {}};
    AddTokens(row.positional, /*positional=*/true, op.params);
    AddTokens(row.named, /*positional=*/false, op.params);
    // Credentials (spec §1.4) as elements, besides HTTP Basic and Bearer.
    AddTokens("username password token", /*positional=*/false, op.params);
    ops.push_back(std::move(op));
  }
  return ops;
}

// "param3" / "arg3" -> 3.
std::optional<size_t> PositionalIndex(std::string_view name) {
  std::string_view digits;
  if (name.substr(0, 5) == "param") {
    digits = name.substr(5);
  } else if (name.substr(0, 3) == "arg") {
    digits = name.substr(3);
  } else {
    return std::nullopt;
  }
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  size_t v = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<size_t>(c - '0');
  }
  return v;
}

bool IsRecordList(ParamType t) { return t == ParamType::kMessages || t == ParamType::kContacts; }

}  // namespace

const std::vector<Operation>& Operations() {
  static const std::vector<Operation> ops = BuildTable();
  return ops;
}

const Operation* FindOperation(std::string_view name) {
  // `Messages_sendSms` (for tools that dislike dots) and any case.
  std::string wanted = http::AsciiLower(name);
  if (const size_t u = wanted.find('_');
      u != std::string::npos && wanted.find('.') == std::string::npos) {
    wanted[u] = '.';
  }
  for (const Operation& op : Operations()) {
    if (http::AsciiLower(op.name) == wanted) return &op;
  }
  return nullptr;
}

http::ParamTree ToApiParams(const Operation& op, const std::vector<Argument>& args) {
  std::vector<const Param*> positional;
  for (const Param& p : op.params) {
    if (p.positional) positional.push_back(&p);
  }
  // Values per name in first-seen order; a repeated element is the
  // document/literal form of a list.
  std::vector<std::pair<std::string, std::vector<const http::ParamTree*>>> named;
  std::unordered_map<std::string, size_t> index_of;
  http::ParamTree merged = http::ParamTree::object();
  for (const Argument& arg : args) {
    std::string name = arg.name;
    if (auto index = PositionalIndex(name)) {
      if (*index >= positional.size()) continue;  // more arguments than the method has
      name = positional[*index]->name;
    }
    if (name == "params") {
      if (arg.value.is_object()) {
        for (const auto& [key, value] : arg.value.items()) merged[key] = value;
      }
      continue;  // a null or empty `params` is PHP's default array()
    }
    // (A map, not a search: a hostile envelope may hold many distinct names.)
    auto [it, inserted] = index_of.emplace(name, named.size());
    if (inserted) {
      named.emplace_back(std::move(name), std::vector<const http::ParamTree*>{&arg.value});
    } else {
      named[it->second].second.push_back(&arg.value);
    }
  }
  http::ParamTree out = http::ParamTree::object();
  for (const auto& [name, values] : named) {
    if (values.size() == 1) {
      out[name] = *values.front();
    } else {
      http::ParamTree list = http::ParamTree::array();
      for (const http::ParamTree* v : values) list.push_back(*v);
      out[name] = std::move(list);
    }
  }
  for (auto& [key, value] : merged.items()) out[key] = std::move(value);
  // One record where a list of records is declared: a one-entry list.
  for (const Param& p : op.params) {
    if (!IsRecordList(p.type)) continue;
    auto it = out.find(p.name);
    if (it != out.end() && it->is_object()) {
      http::ParamTree list = http::ParamTree::array();
      list.push_back(std::move(*it));
      *it = std::move(list);
    }
  }
  return out;
}

}  // namespace bramka::api::soap
