// API v2 address book actions: groups/* (spec §4.14), contacts/* (§4.15),
// blacklist/* (§4.18), templates/* (§4.21), and the group_id/contact_id
// recipients of the send actions (§4.1). Parameters in, documents out; the
// rules are core::GatewayService's (core/address_book.cc).

#include <algorithm>
#include <array>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::api::http {
namespace {

constexpr std::string_view kAddressBookActions[] = {
    "groups/add",       "groups/index",    "groups/view",    "groups/edit",     "groups/delete",
    "groups/check",     "contacts/add",    "contacts/index", "contacts/view",   "contacts/edit",
    "contacts/delete",  "contacts/import", "blacklist/add",  "blacklist/index", "blacklist/check",
    "blacklist/delete", "templates/index", "templates/view", "templates/add",   "templates/edit",
    "templates/delete",
};

// The contact fields clients send and read, in the order the spec lists them.
struct ContactField {
  std::string_view name;
  std::string store::Contact::*member;
  std::optional<std::string> core::ContactEdit::*edit;
};
constexpr std::array<ContactField, 9> kContactFields = {{
    {"phone", &store::Contact::phone, &core::ContactEdit::phone},
    {"email", &store::Contact::email, &core::ContactEdit::email},
    {"company", &store::Contact::company, &core::ContactEdit::company},
    {"first_name", &store::Contact::first_name, &core::ContactEdit::first_name},
    {"last_name", &store::Contact::last_name, &core::ContactEdit::last_name},
    {"tax_id", &store::Contact::tax_id, &core::ContactEdit::tax_id},
    {"address", &store::Contact::address, &core::ContactEdit::address},
    {"city", &store::Contact::city, &core::ContactEdit::city},
    {"description", &store::Contact::description, &core::ContactEdit::description},
}};

// contacts/index `sort` (spec §4.15).
constexpr std::pair<std::string_view, store::ContactSort> kContactSorts[] = {
    {"first_name", store::ContactSort::kFirstName},
    {"last_name", store::ContactSort::kLastName},
    {"phone", store::ContactSort::kPhone},
    {"company", store::ContactSort::kCompany},
    {"tax_id", store::ContactSort::kTaxId},
    {"email", store::ContactSort::kEmail},
    {"address", store::ContactSort::kAddress},
    {"city", store::ContactSort::kCity},
    {"description", store::ContactSort::kDescription},
};

Result<int64_t> ParseId(std::string_view key, std::string_view text) {
  const std::string_view t = Trim(text);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    return Fail(InvalidData("parameter '" + std::string(key) + "': '" + std::string(t) +
                            "' is not an integer id"));
  }
  return v;
}

// An int|array id list: JSON array, brackets, single value or comma list.
Result<std::vector<int64_t>> IdList(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> list, p.GetList(key));
  std::vector<int64_t> out;
  for (const std::string& s : list) {
    BRAMKA_ASSIGN_OR_RETURN(int64_t id, ParseId(key, s));
    out.push_back(id);
  }
  return out;
}

Result<std::string> RequiredString(const Params& p, std::string_view key) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> v, p.GetString(key));
  if (!v || Trim(*v).empty()) return Fail(Missing(key));
  return *std::move(v);
}

// The first entry of a String|Array `phone`.
Result<std::string> RequiredPhone(const Params& p) {
  BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> list, p.GetList("phone"));
  if (list.empty()) return Fail(Missing("phone"));
  return std::move(list.front());
}

// `order` = asc|desc (spec §3); absent = asc.
Result<bool> ParseDescending(const Params& p) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> order, p.GetString("order"));
  if (!order || Trim(*order).empty()) return false;
  const std::string o = AsciiLower(Trim(*order));
  if (o == "asc") return false;
  if (o == "desc") return true;
  return Fail(InvalidData("parameter 'order': '" + o + "' is not asc or desc"));
}

// `sort` where only `name` is allowed (groups/index, templates/index).
Result<bool> ParseSortByName(const Params& p) {
  BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> sort, p.GetString("sort"));
  if (!sort || Trim(*sort).empty()) return false;
  const std::string s = AsciiLower(Trim(*sort));
  if (s == "name") return true;
  if (s == "id") return false;
  return Fail(InvalidData("parameter 'sort': '" + s + "' is not name"));
}

Document Success(int64_t id) { return Document{{"success", true}, {"id", id}}; }
Document Success() { return Document{{"success", true}}; }

Document GroupDocument(const store::Group& g) {
  return Document{{"id", g.id}, {"name", g.name}, {"count", g.count}};
}

// The contact object (spec §4.15); `group` is the group to show (index), or
// -1 for none (contacts/view has no group fields).
Document ContactDocument(const core::ContactView& v, int64_t group) {
  Document doc = Document::object();
  doc["id"] = v.contact.id;
  for (const ContactField& f : kContactFields) doc[std::string(f.name)] = v.contact.*f.member;
  doc["blacklist"] = v.blacklisted;
  if (group < 0) return doc;
  // The listed group when filtering by one, else the contact's first group.
  size_t at = v.contact.group_ids.size();
  for (size_t i = 0; i < v.contact.group_ids.size(); ++i) {
    if (group == 0 || v.contact.group_ids[i] == group) {
      at = i;
      break;
    }
  }
  if (at < v.contact.group_ids.size()) {
    doc["group_id"] = v.contact.group_ids[at];
    doc["group_name"] = v.group_names[at];
  } else {
    doc["group_id"] = nullptr;
    doc["group_name"] = nullptr;
  }
  return doc;
}

Document TemplateDocument(const store::Template& t) {
  return Document{{"id", t.id}, {"name", t.name}, {"text", t.text}};
}

// A JSON scalar of an import row as text (phones may arrive as numbers).
std::string ScalarText(const ParamTree& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
  if (v.is_number_float()) return v.dump();
  return {};
}

// contacts/import `contact` (spec §4.15): a JSON array, form brackets (an
// array, or an object keyed by index), or a JSON-encoded string starting
// with '['. A row that is not an object is kept as an empty row, which core
// counts as failed.
Result<std::vector<store::Contact>> ParseImportRows(const Params& p) {
  const ParamTree& tree = p.tree();
  auto it = tree.find("contact");
  if (it == tree.end() || it->is_null()) return Fail(Missing("contact"));
  ParamTree decoded;
  const ParamTree* rows = &*it;
  if (it->is_string()) {
    const std::string_view text = Trim(it->get_ref<const std::string&>());
    if (text.empty() || text.front() != '[') {
      return Fail(InvalidData("parameter 'contact': expected a list of contacts"));
    }
    decoded = ParamTree::parse(text, nullptr, /*allow_exceptions=*/false);
    if (decoded.is_discarded()) {
      return Fail(InvalidData("parameter 'contact': not valid JSON"));
    }
    rows = &decoded;
  }
  if (!rows->is_array() && !rows->is_object()) {
    return Fail(InvalidData("parameter 'contact': expected a list of contacts"));
  }
  std::vector<store::Contact> out;
  for (const ParamTree& row : *rows) {
    store::Contact c;
    if (row.is_object()) {
      for (const ContactField& f : kContactFields) {
        auto v = row.find(std::string(f.name));
        if (v != row.end()) c.*f.member = std::string(Trim(ScalarText(*v)));
      }
    }
    out.push_back(std::move(c));
  }
  if (out.empty()) return Fail(Missing("contact"));
  return out;
}

}  // namespace

bool ActionHandler::IsAddressBookAction(std::string_view action) {
  return std::find(std::begin(kAddressBookActions), std::end(kAddressBookActions), action) !=
         std::end(kAddressBookActions);
}

Result<void> ActionHandler::ParseAddressBookRecipients(const Params& p, core::SubmitRequest& req) {
  BRAMKA_ASSIGN_OR_RETURN(req.group_ids, IdList(p, "group_id"));
  BRAMKA_ASSIGN_OR_RETURN(req.contact_ids, IdList(p, "contact_id"));
  return Ok();
}

ApiAnswer ActionHandler::AddressBook(std::string_view action, const core::Caller& caller,
                                     const Params& p) {
  core::GatewayService& gw = service_;
  Result<Document> doc = [&]() -> Result<Document> {
    // ---- groups (spec §4.14) ----
    if (action == "groups/add") {
      BRAMKA_ASSIGN_OR_RETURN(std::string name, RequiredString(p, "name"));
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, gw.AddGroup(caller, name));
      return Success(id);
    }
    if (action == "groups/index") {
      store::GroupQuery q;
      BRAMKA_ASSIGN_OR_RETURN(Paging paging, PagingParams(p));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> search, p.GetString("search"));
      q.search = search.value_or("");
      BRAMKA_ASSIGN_OR_RETURN(q.by_name, ParseSortByName(p));
      BRAMKA_ASSIGN_OR_RETURN(q.descending, ParseDescending(p));
      q.page = paging.page;
      q.limit = paging.limit;
      BRAMKA_ASSIGN_OR_RETURN(store::GroupPage page, gw.ListGroups(caller, q));
      Document items = Document::array();
      for (const store::Group& g : page.items) items.push_back(GroupDocument(g));
      return Document{{"paging", PagingDocument(paging, page.total)}, {"items", items}};
    }
    if (action == "groups/view") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(store::Group g, gw.ViewGroup(caller, id));
      return GroupDocument(g);
    }
    if (action == "groups/edit") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(std::string name, RequiredString(p, "name"));
      BRAMKA_RETURN_IF_ERROR(gw.RenameGroup(caller, id, name));
      return Success(id);
    }
    if (action == "groups/delete") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<bool> with_contacts, p.GetBool("delete_contacts"));
      BRAMKA_RETURN_IF_ERROR(gw.DeleteGroup(caller, id, with_contacts.value_or(false)));
      return Success();
    }
    if (action == "groups/check") {
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, RequiredPhone(p));
      BRAMKA_ASSIGN_OR_RETURN(auto found, gw.GroupsOfPhone(caller, phone));
      Document items = Document::array();
      for (const store::ContactInGroup& c : found) {
        items.push_back(
            Document{{"id", c.contact_id}, {"group_id", c.group_id}, {"group_name", c.group_name}});
      }
      return Document{{"items", items}};
    }

    // ---- contacts (spec §4.15) ----
    if (action == "contacts/add") {
      store::Contact c;
      BRAMKA_ASSIGN_OR_RETURN(c.phone, RequiredPhone(p));
      for (const ContactField& f : kContactFields) {
        if (f.name == "phone") continue;
        BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> v, p.GetString(f.name));
        if (v) c.*f.member = std::move(*v);
      }
      BRAMKA_ASSIGN_OR_RETURN(c.group_ids, IdList(p, "group_id"));
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, gw.AddContact(caller, std::move(c)));
      return Success(id);
    }
    if (action == "contacts/index") {
      store::ContactQuery q;
      BRAMKA_ASSIGN_OR_RETURN(Paging paging, PagingParams(p));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> group, p.GetString("group_id"));
      int64_t shown_group = 0;
      if (group && !Trim(*group).empty()) {
        if (AsciiLower(Trim(*group)) == "none") {
          q.filter = store::ContactQuery::Filter::kNoGroup;
        } else {
          BRAMKA_ASSIGN_OR_RETURN(q.group_id, ParseId("group_id", *group));
          q.filter = store::ContactQuery::Filter::kInGroup;
          shown_group = q.group_id;
        }
      }
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> search, p.GetString("search"));
      q.search = search.value_or("");
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> sort, p.GetString("sort"));
      if (sort && !Trim(*sort).empty()) {
        const std::string s = AsciiLower(Trim(*sort));
        auto it = std::find_if(std::begin(kContactSorts), std::end(kContactSorts),
                               [&](const auto& e) { return e.first == s; });
        if (it == std::end(kContactSorts)) {
          return Fail(InvalidData("parameter 'sort': '" + s +
                                  "' is not one of first_name, last_name, phone, company, "
                                  "tax_id, email, address, city, description"));
        }
        q.sort = it->second;
      }
      BRAMKA_ASSIGN_OR_RETURN(q.descending, ParseDescending(p));
      q.page = paging.page;
      q.limit = paging.limit;
      BRAMKA_ASSIGN_OR_RETURN(core::ContactList list, gw.ListContacts(caller, q));
      Document items = Document::array();
      for (const core::ContactView& v : list.items)
        items.push_back(ContactDocument(v, shown_group));
      return Document{{"paging", PagingDocument(paging, list.total)}, {"items", items}};
    }
    if (action == "contacts/view") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(core::ContactView v, gw.ViewContact(caller, id));
      return ContactDocument(v, -1);
    }
    if (action == "contacts/edit") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      core::ContactEdit edit;
      for (const ContactField& f : kContactFields) {
        if (f.name == "phone") {
          BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> phones, p.GetList("phone"));
          if (!phones.empty()) edit.phone = std::move(phones.front());
          continue;
        }
        BRAMKA_ASSIGN_OR_RETURN(edit.*f.edit, p.GetString(f.name));
      }
      if (p.Has("group_id")) {
        BRAMKA_ASSIGN_OR_RETURN(std::vector<int64_t> groups, IdList(p, "group_id"));
        edit.group_ids = std::move(groups);
      }
      BRAMKA_RETURN_IF_ERROR(gw.EditContact(caller, id, edit));
      return Success(id);
    }
    if (action == "contacts/delete") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_RETURN_IF_ERROR(gw.DeleteContact(caller, id));
      return Success();
    }
    if (action == "contacts/import") {
      BRAMKA_ASSIGN_OR_RETURN(std::string name, RequiredString(p, "group_name"));
      BRAMKA_ASSIGN_OR_RETURN(std::vector<store::Contact> rows, ParseImportRows(p));
      BRAMKA_ASSIGN_OR_RETURN(core::ImportResult r, gw.ImportContacts(caller, name, rows));
      return Document{
          {"success", true}, {"id", r.group_id}, {"correct", r.correct}, {"failed", r.failed}};
    }

    // ---- blacklist (spec §4.18) ----
    if (action == "blacklist/add") {
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, RequiredPhone(p));
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, gw.AddToBlacklist(caller, phone));
      return Success(id);
    }
    if (action == "blacklist/index") {
      store::BlacklistQuery q;
      BRAMKA_ASSIGN_OR_RETURN(Paging paging, PagingParams(p));
      BRAMKA_ASSIGN_OR_RETURN(std::vector<std::string> phones, p.GetList("phone"));
      if (!phones.empty()) q.phone = phones.front();
      q.page = paging.page;
      q.limit = paging.limit;
      BRAMKA_ASSIGN_OR_RETURN(store::BlacklistPage page, gw.ListBlacklist(caller, q));
      Document items = Document::array();
      for (const store::BlacklistEntry& e : page.items) {
        items.push_back(
            Document{{"id", e.id}, {"phone", e.phone}, {"added", FormatApiTimeMs(e.created_ms)}});
      }
      return Document{{"paging", PagingDocument(paging, page.total)}, {"items", items}};
    }
    if (action == "blacklist/check") {
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, RequiredPhone(p));
      BRAMKA_ASSIGN_OR_RETURN(bool listed, gw.IsBlacklisted(caller, phone));
      return Document{{"exists", listed}};
    }
    if (action == "blacklist/delete") {
      // By `phone` (spec); by entry `id` as well (the id blacklist/add answered).
      if (!p.Has("phone") && p.Has("id")) {
        BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
        BRAMKA_RETURN_IF_ERROR(gw.DeleteBlacklistEntry(caller, id));
        return Success();
      }
      BRAMKA_ASSIGN_OR_RETURN(std::string phone, RequiredPhone(p));
      BRAMKA_ASSIGN_OR_RETURN(bool removed, gw.RemoveFromBlacklist(caller, phone));
      // Spec §2.3: a number that was not listed is a soft failure.
      return Document{{"success", removed}};
    }

    // ---- templates (spec §4.21) ----
    if (action == "templates/index") {
      BRAMKA_ASSIGN_OR_RETURN(bool by_name, ParseSortByName(p));
      BRAMKA_ASSIGN_OR_RETURN(bool descending, ParseDescending(p));
      BRAMKA_ASSIGN_OR_RETURN(auto list, gw.ListTemplates(caller, by_name, descending));
      Document items = Document::array();
      for (const store::Template& t : list) items.push_back(TemplateDocument(t));
      return Document{{"items", items}};
    }
    if (action == "templates/view") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(store::Template t, gw.ViewTemplate(caller, id));
      return TemplateDocument(t);
    }
    if (action == "templates/add") {
      BRAMKA_ASSIGN_OR_RETURN(std::string name, RequiredString(p, "name"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
      if (!text || text->empty()) return Fail(Missing("text"));
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, gw.AddTemplate(caller, name, *text));
      return Success(id);
    }
    if (action == "templates/edit") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> name, p.GetString("name"));
      BRAMKA_ASSIGN_OR_RETURN(std::optional<std::string> text, p.GetString("text"));
      if (!name && !text) return Fail(Missing("name or text"));
      BRAMKA_RETURN_IF_ERROR(gw.EditTemplate(caller, id, name, text));
      return Success(id);
    }
    if (action == "templates/delete") {
      BRAMKA_ASSIGN_OR_RETURN(int64_t id, RequiredId(p));
      BRAMKA_RETURN_IF_ERROR(gw.DeleteTemplate(caller, id));
      return Success();
    }
    return Fail(ErrorCode::kNotFound, "unknown action", 0);
  }();
  if (!doc.ok()) {
    if (doc.error().detail == 0 && doc.error().message == "unknown action") {
      return ErrorAnswer(api_code::kInvalidAction);
    }
    return ErrorAnswer(doc.error());
  }
  return ApiAnswer{*std::move(doc), 0};
}

}  // namespace bramka::api::http
