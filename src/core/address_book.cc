// GatewayService: the address book — groups, contacts, templates, the
// blacklist (spec §4.14, §4.15, §4.18, §4.21) and sending to groups and
// contacts (§4.1 group_id/contact_id).

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/gateway_service.h"

namespace bramka::core {
namespace {

// A store kNotFound (unknown or another account's id) becomes kInvalidId,
// keeping the store's message that names the record.
Error Classify(Error e) {
  if (e.code == ErrorCode::kNotFound) e.detail = static_cast<int>(Failure::kInvalidId);
  return e;
}

template <typename T>
Result<T> Classified(Result<T> r) {
  if (!r.ok()) return Fail(Classify(r.take_error()));
  return r;
}

std::string_view TrimSpaces(std::string_view s) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Names of groups and templates: trimmed, 1 to 100 characters.
constexpr size_t kMaxNameBytes = 400;

Result<std::string> CheckName(const std::string& raw, std::string_view what) {
  const std::string_view name = TrimSpaces(raw);
  if (name.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, std::string(what));
  }
  if (name.size() > kMaxNameBytes) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidParameter,
                  std::string(what) + " is longer than 400 bytes");
  }
  return std::string(name);
}

}  // namespace

// ---- groups ----------------------------------------------------------------------

Result<int64_t> GatewayService::AddGroup(const Caller& caller, const std::string& name) {
  BRAMKA_ASSIGN_OR_RETURN(std::string n, CheckName(name, "name"));
  return Classified(store_.CreateGroup(caller.account_id, n, ToUnixMillis(clock_.Now())));
}

Result<store::Group> GatewayService::ViewGroup(const Caller& caller, int64_t group_id) {
  return Classified(store_.GetGroup(caller.account_id, group_id));
}

Result<store::GroupPage> GatewayService::ListGroups(const Caller& caller, store::GroupQuery query) {
  query.account_id = caller.account_id;
  query.search = std::string(TrimSpaces(query.search));
  return store_.ListGroups(query);
}

Result<void> GatewayService::RenameGroup(const Caller& caller, int64_t group_id,
                                         const std::string& name) {
  BRAMKA_ASSIGN_OR_RETURN(std::string n, CheckName(name, "name"));
  return Classified(store_.RenameGroup(caller.account_id, group_id, n));
}

Result<void> GatewayService::DeleteGroup(const Caller& caller, int64_t group_id,
                                         bool delete_contacts) {
  return Classified(store_.DeleteGroup(caller.account_id, group_id, delete_contacts));
}

Result<std::vector<store::ContactInGroup>> GatewayService::GroupsOfPhone(const Caller& caller,
                                                                         const std::string& phone) {
  auto normalised = phones_.Normalize(phone);
  if (!normalised.ok()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone, normalised.error().message);
  }
  return store_.FindGroupsOfPhone(caller.account_id, *normalised);
}

// ---- contacts ----------------------------------------------------------------------

namespace {

// The phone of a contact: required and normalised.
Result<std::string> ContactPhone(const sms::PhoneNormalizer& phones, const std::string& raw) {
  if (TrimSpaces(raw).empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "phone");
  }
  auto normalised = phones.Normalize(raw);
  if (!normalised.ok()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kInvalidPhone,
                  "phone '" + raw + "': " + normalised.error().message);
  }
  return *normalised;
}

}  // namespace

Result<int64_t> GatewayService::AddContact(const Caller& caller, store::Contact contact) {
  BRAMKA_ASSIGN_OR_RETURN(contact.phone, ContactPhone(phones_, contact.phone));
  contact.account_id = caller.account_id;
  return Classified(store_.CreateContact(contact, ToUnixMillis(clock_.Now())));
}

namespace {

// Adds what the API shows beside a contact: its groups' names and the
// blacklist flag. The caches spare repeated look-ups over a page.
class ContactDecorator {
 public:
  ContactDecorator(store::Store& store, store::AccountId account)
      : store_(store), account_(account) {}

  Result<ContactView> Decorate(store::Contact contact) {
    ContactView v;
    for (int64_t gid : contact.group_ids) {
      auto it = names_.find(gid);
      if (it == names_.end()) {
        BRAMKA_ASSIGN_OR_RETURN(store::Group g, store_.GetGroup(account_, gid));
        it = names_.emplace(gid, g.name).first;
      }
      v.group_names.push_back(it->second);
    }
    auto bl = blacklisted_.find(contact.phone);
    if (bl == blacklisted_.end()) {
      BRAMKA_ASSIGN_OR_RETURN(bool listed, store_.IsBlacklisted(account_, contact.phone));
      bl = blacklisted_.emplace(contact.phone, listed).first;
    }
    v.blacklisted = bl->second;
    v.contact = std::move(contact);
    return v;
  }

 private:
  store::Store& store_;
  store::AccountId account_;
  std::map<int64_t, std::string> names_;
  std::map<std::string, bool> blacklisted_;
};

}  // namespace

Result<ContactView> GatewayService::ViewContact(const Caller& caller, int64_t contact_id) {
  BRAMKA_ASSIGN_OR_RETURN(store::Contact c,
                          Classified(store_.GetContact(caller.account_id, contact_id)));
  return ContactDecorator(store_, caller.account_id).Decorate(std::move(c));
}

Result<ContactList> GatewayService::ListContacts(const Caller& caller, store::ContactQuery query) {
  query.account_id = caller.account_id;
  query.search = std::string(TrimSpaces(query.search));
  if (query.filter == store::ContactQuery::Filter::kInGroup) {
    // An unknown group is an error, not an empty list.
    BRAMKA_RETURN_IF_ERROR(Classified(store_.GetGroup(caller.account_id, query.group_id)));
  }
  BRAMKA_ASSIGN_OR_RETURN(store::ContactPage page, store_.ListContacts(query));
  ContactList out;
  out.total = page.total;
  ContactDecorator decorator(store_, caller.account_id);
  for (store::Contact& contact : page.items) {
    BRAMKA_ASSIGN_OR_RETURN(ContactView v, decorator.Decorate(std::move(contact)));
    out.items.push_back(std::move(v));
  }
  return out;
}

Result<void> GatewayService::EditContact(const Caller& caller, int64_t contact_id,
                                         const ContactEdit& edit) {
  BRAMKA_ASSIGN_OR_RETURN(store::Contact c,
                          Classified(store_.GetContact(caller.account_id, contact_id)));
  if (edit.phone) {
    BRAMKA_ASSIGN_OR_RETURN(c.phone, ContactPhone(phones_, *edit.phone));
  }
  if (edit.email) c.email = *edit.email;
  if (edit.company) c.company = *edit.company;
  if (edit.first_name) c.first_name = *edit.first_name;
  if (edit.last_name) c.last_name = *edit.last_name;
  if (edit.tax_id) c.tax_id = *edit.tax_id;
  if (edit.address) c.address = *edit.address;
  if (edit.city) c.city = *edit.city;
  if (edit.description) c.description = *edit.description;
  if (edit.group_ids) c.group_ids = *edit.group_ids;
  return Classified(store_.UpdateContact(c));
}

Result<void> GatewayService::DeleteContact(const Caller& caller, int64_t contact_id) {
  return Classified(store_.DeleteContact(caller.account_id, contact_id));
}

Result<ImportResult> GatewayService::ImportContacts(const Caller& caller,
                                                    const std::string& group_name,
                                                    std::vector<store::Contact> rows) {
  BRAMKA_ASSIGN_OR_RETURN(std::string name, CheckName(group_name, "group_name"));
  ImportResult result;
  std::vector<store::Contact> good;
  good.reserve(rows.size());
  for (store::Contact& row : rows) {
    auto phone = ContactPhone(phones_, row.phone);
    if (!phone.ok()) {
      ++result.failed;
      continue;
    }
    row.phone = *phone;
    row.account_id = caller.account_id;
    row.group_ids.clear();
    good.push_back(std::move(row));
    ++result.correct;
  }
  BRAMKA_ASSIGN_OR_RETURN(
      result.group_id,
      Classified(store_.ImportContacts(caller.account_id, name, good, ToUnixMillis(clock_.Now()))));
  return result;
}

// ---- templates ------------------------------------------------------------------------

Result<int64_t> GatewayService::AddTemplate(const Caller& caller, const std::string& name,
                                            const std::string& text) {
  BRAMKA_ASSIGN_OR_RETURN(std::string n, CheckName(name, "name"));
  if (text.empty()) return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "text");
  return Classified(store_.CreateTemplate(caller.account_id, n, text, ToUnixMillis(clock_.Now())));
}

Result<store::Template> GatewayService::ViewTemplate(const Caller& caller, int64_t template_id) {
  return Classified(store_.GetTemplate(caller.account_id, template_id));
}

Result<std::vector<store::Template>> GatewayService::ListTemplates(const Caller& caller,
                                                                   bool by_name, bool descending) {
  return store_.ListTemplates(caller.account_id, by_name, descending);
}

Result<void> GatewayService::EditTemplate(const Caller& caller, int64_t template_id,
                                          const std::optional<std::string>& name,
                                          const std::optional<std::string>& text) {
  BRAMKA_ASSIGN_OR_RETURN(store::Template t,
                          Classified(store_.GetTemplate(caller.account_id, template_id)));
  if (name) {
    BRAMKA_ASSIGN_OR_RETURN(t.name, CheckName(*name, "name"));
  }
  if (text) {
    if (text->empty()) {
      return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter, "text");
    }
    t.text = *text;
  }
  return Classified(store_.UpdateTemplate(caller.account_id, template_id, t.name, t.text));
}

Result<void> GatewayService::DeleteTemplate(const Caller& caller, int64_t template_id) {
  return Classified(store_.DeleteTemplate(caller.account_id, template_id));
}

// ---- blacklist -------------------------------------------------------------------------

Result<int64_t> GatewayService::AddToBlacklist(const Caller& caller, const std::string& phone) {
  BRAMKA_ASSIGN_OR_RETURN(std::string p, ContactPhone(phones_, phone));
  return store_.AddBlacklistEntry(caller.account_id, p, ToUnixMillis(clock_.Now()));
}

Result<store::BlacklistPage> GatewayService::ListBlacklist(const Caller& caller,
                                                           store::BlacklistQuery query) {
  query.account_id = caller.account_id;
  if (!TrimSpaces(query.phone).empty()) {
    BRAMKA_ASSIGN_OR_RETURN(query.phone, ContactPhone(phones_, query.phone));
  } else {
    query.phone.clear();
  }
  return store_.ListBlacklist(query);
}

Result<bool> GatewayService::IsBlacklisted(const Caller& caller, const std::string& phone) {
  BRAMKA_ASSIGN_OR_RETURN(std::string p, ContactPhone(phones_, phone));
  return store_.IsBlacklisted(caller.account_id, p);
}

Result<bool> GatewayService::RemoveFromBlacklist(const Caller& caller, const std::string& phone) {
  BRAMKA_ASSIGN_OR_RETURN(std::string p, ContactPhone(phones_, phone));
  return store_.RemoveFromBlacklist(caller.account_id, p);
}

Result<void> GatewayService::DeleteBlacklistEntry(const Caller& caller, int64_t entry_id) {
  return Classified(store_.DeleteBlacklistEntry(caller.account_id, entry_id));
}

// ---- sending to groups and contacts (spec §4.1) ------------------------------------------

Result<void> GatewayService::AddAddressBookRecipients(const Caller& caller, SubmitRequest& req) {
  if (req.group_ids.empty() && req.contact_ids.empty()) return Ok();
  BRAMKA_ASSIGN_OR_RETURN(
      std::vector<std::string> found,
      Classified(store_.RecipientPhones(caller.account_id, req.group_ids, req.contact_ids)));
  const bool personalized = !req.texts.empty();
  if (personalized && !found.empty() && req.text.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter,
                  "text (for the recipients of group_id/contact_id)");
  }
  // Each number once, the first occurrence wins (an explicit phone, or a
  // personalised text, before a group's contact).
  std::vector<std::string> phones;
  std::vector<std::string> texts;
  std::set<std::string> seen;
  const auto take = [&](std::string phone, const std::string* text) {
    auto normalised = phones_.Normalize(phone);
    const std::string key = normalised.ok() ? *normalised : std::string(TrimSpaces(phone));
    if (!seen.insert(key).second) return;
    phones.push_back(std::move(phone));
    if (personalized) texts.push_back(*text);
  };
  for (size_t i = 0; i < req.phones.size(); ++i) {
    take(std::move(req.phones[i]), personalized ? &req.texts[i] : nullptr);
  }
  for (std::string& phone : found) take(std::move(phone), &req.text);
  if (phones.empty()) {
    return Refuse(ErrorCode::kInvalidArgument, Failure::kMissingParameter,
                  "phone (the groups given have no contacts)");
  }
  req.phones = std::move(phones);
  if (personalized) req.texts = std::move(texts);
  req.group_ids.clear();
  req.contact_ids.clear();
  return Ok();
}

}  // namespace bramka::core
