#include "api/soap/operations.h"

#include <unordered_map>

#include "api/http/action_catalog.h"
#include "api/http/text_util.h"

namespace bramka::api::soap {
namespace {

// Every action of the catalogue (http/action_catalog.h, docs/adr/0026) is an
// operation named as the provider's SOAP service names it, with the PHP
// client's positional arguments first (their kinds from the action's
// parameters; `params` is the PHP options array, a tns:Map), then the action's
// other parameters, then the credentials every operation accepts.
ParamType SoapType(http::ParamKind kind) {
  switch (kind) {
    case http::ParamKind::kBool:
      return ParamType::kBool;
    case http::ParamKind::kInt:
      return ParamType::kInt;
    case http::ParamKind::kList:
      return ParamType::kStringList;
    case http::ParamKind::kMessages:
      return ParamType::kMessages;
    case http::ParamKind::kContacts:
      return ParamType::kContacts;
    case http::ParamKind::kFile:
      return ParamType::kBase64;
    case http::ParamKind::kFileList:
      return ParamType::kBase64List;
    case http::ParamKind::kString:
    case http::ParamKind::kDateTime:
      break;
  }
  return ParamType::kString;
}

Operation OperationOf(const http::ApiAction& action) {
  Operation op{action.soap, action.name, {}};
  const std::vector<http::ParamSpec> specs = http::ParamsOf(action);
  auto add = [&op](std::string_view name, ParamType type, bool positional) {
    for (const Param& p : op.params) {
      if (p.name == name) return;
    }
    op.params.push_back(Param{std::string(name), type, positional});
  };
  std::string_view args = action.php_args;
  while (!args.empty()) {
    const size_t space = args.find(' ');
    const std::string_view arg = args.substr(0, space);
    args = space == std::string_view::npos ? std::string_view() : args.substr(space + 1);
    if (arg == "params") {
      add(arg, ParamType::kMap, /*positional=*/true);
      continue;
    }
    ParamType type = ParamType::kString;
    for (const http::ParamSpec& spec : specs) {
      if (spec.name == arg) type = SoapType(spec.kind);
    }
    add(arg, type, /*positional=*/true);
  }
  for (const http::ParamSpec& spec : specs) add(spec.name, SoapType(spec.kind), false);
  // Credentials (spec §1.4) as elements, besides HTTP Basic and Bearer.
  for (std::string_view credential : {"username", "password", "token"}) {
    add(credential, ParamType::kString, false);
  }
  return op;
}

std::vector<Operation> BuildTable() {
  std::vector<Operation> ops;
  for (const http::ApiAction& action : http::ApiActions()) ops.push_back(OperationOf(action));
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
