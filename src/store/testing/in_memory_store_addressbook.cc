// InMemoryStore: the address book — groups, contacts, templates, blacklist entries.

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "store/testing/in_memory_store.h"

namespace bramka::store {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The store.h search rule: a case-insensitive (ASCII) substring.
bool Matches(const std::string& field, const std::string& lowered_needle) {
  return Lower(field).find(lowered_needle) != std::string::npos;
}

Error GroupNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "group " + std::to_string(id) + " not found");
}
Error ContactNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "contact " + std::to_string(id) + " not found");
}
Error TemplateNotFound(int64_t id) {
  return MakeError(ErrorCode::kNotFound, "template " + std::to_string(id) + " not found");
}

const std::string& SortField(const Contact& c, ContactSort sort) {
  switch (sort) {
    case ContactSort::kFirstName:
      return c.first_name;
    case ContactSort::kLastName:
      return c.last_name;
    case ContactSort::kPhone:
      return c.phone;
    case ContactSort::kCompany:
      return c.company;
    case ContactSort::kTaxId:
      return c.tax_id;
    case ContactSort::kEmail:
      return c.email;
    case ContactSort::kAddress:
      return c.address;
    case ContactSort::kCity:
      return c.city;
    case ContactSort::kDescription:
      return c.description;
    case ContactSort::kId:
      break;
  }
  static const std::string kEmpty;
  return kEmpty;
}

// One page of `all` (already ordered); limit <= 0 = everything.
template <typename T>
std::vector<T> PageOf(std::vector<T> all, int page, int limit) {
  if (limit <= 0) return all;
  const size_t first = static_cast<size_t>(std::max(page, 1) - 1) * static_cast<size_t>(limit);
  if (first >= all.size()) return {};
  const size_t last = std::min(all.size(), first + static_cast<size_t>(limit));
  return std::vector<T>(std::make_move_iterator(all.begin() + static_cast<ptrdiff_t>(first)),
                        std::make_move_iterator(all.begin() + static_cast<ptrdiff_t>(last)));
}

std::vector<int64_t> SortedUnique(std::vector<int64_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

int64_t InMemoryStore::AddBlacklistLocked(AccountId id, const std::string& phone, int64_t now_ms) {
  auto [it, inserted] = blacklist_.try_emplace({id, phone});
  if (inserted) it->second = BlacklistEntry{next_blacklist_id_++, id, phone, now_ms};
  return it->second.id;
}

int64_t InMemoryStore::GroupCountLocked(int64_t group_id) const {
  int64_t n = 0;
  for (const auto& [id, c] : contacts_) {
    n += std::binary_search(c.group_ids.begin(), c.group_ids.end(), group_id) ? 1 : 0;
  }
  return n;
}

// ---- groups ----------------------------------------------------------------------

Result<int64_t> InMemoryStore::CreateGroup(AccountId id, const std::string& name, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  const int64_t gid = next_group_id_++;
  groups_[gid] = Group{gid, id, name, 0, now_ms};
  return gid;
}

Result<Group> InMemoryStore::GetGroup(AccountId id, int64_t group_id) {
  std::lock_guard lock(mu_);
  auto it = groups_.find(group_id);
  if (it == groups_.end() || it->second.account_id != id) return Fail(GroupNotFound(group_id));
  Group g = it->second;
  g.count = GroupCountLocked(group_id);
  return g;
}

Result<GroupPage> InMemoryStore::ListGroups(const GroupQuery& query) {
  std::lock_guard lock(mu_);
  const std::string needle = Lower(query.search);
  std::vector<Group> all;
  for (const auto& [gid, g] : groups_) {
    if (g.account_id != query.account_id) continue;
    if (!needle.empty() && !Matches(g.name, needle)) continue;
    all.push_back(g);
  }
  std::sort(all.begin(), all.end(), [&](const Group& a, const Group& b) {
    if (query.by_name && a.name != b.name) {
      return query.descending ? a.name > b.name : a.name < b.name;
    }
    return query.descending ? a.id > b.id : a.id < b.id;
  });
  GroupPage page;
  page.total = static_cast<int64_t>(all.size());
  page.items = PageOf(std::move(all), query.page, query.limit);
  for (Group& g : page.items) g.count = GroupCountLocked(g.id);
  return page;
}

Result<void> InMemoryStore::RenameGroup(AccountId id, int64_t group_id, const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = groups_.find(group_id);
  if (it == groups_.end() || it->second.account_id != id) return Fail(GroupNotFound(group_id));
  it->second.name = name;
  return Ok();
}

Result<void> InMemoryStore::DeleteGroup(AccountId id, int64_t group_id, bool delete_contacts) {
  std::lock_guard lock(mu_);
  auto it = groups_.find(group_id);
  if (it == groups_.end() || it->second.account_id != id) return Fail(GroupNotFound(group_id));
  groups_.erase(it);
  for (auto c = contacts_.begin(); c != contacts_.end();) {
    auto& ids = c->second.group_ids;
    auto pos = std::find(ids.begin(), ids.end(), group_id);
    if (pos == ids.end()) {
      ++c;
    } else if (delete_contacts) {
      c = contacts_.erase(c);
    } else {
      ids.erase(pos);
      ++c;
    }
  }
  return Ok();
}

Result<std::vector<ContactInGroup>> InMemoryStore::FindGroupsOfPhone(AccountId id,
                                                                     const std::string& phone) {
  std::lock_guard lock(mu_);
  std::vector<ContactInGroup> out;
  for (const auto& [cid, c] : contacts_) {
    if (c.account_id != id || c.phone != phone) continue;
    for (int64_t gid : c.group_ids) out.push_back({cid, gid, groups_.at(gid).name});
  }
  return out;
}

// ---- contacts ----------------------------------------------------------------------

Result<int64_t> InMemoryStore::CreateContact(const Contact& contact, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(contact.account_id)) return Fail(ErrorCode::kNotFound, "no such account");
  for (int64_t gid : contact.group_ids) {
    auto g = groups_.find(gid);
    if (g == groups_.end() || g->second.account_id != contact.account_id) {
      return Fail(GroupNotFound(gid));
    }
  }
  Contact c = contact;
  c.id = next_contact_id_++;
  c.created_ms = now_ms;
  c.group_ids = SortedUnique(c.group_ids);
  contacts_[c.id] = c;
  return c.id;
}

Result<Contact> InMemoryStore::GetContact(AccountId id, int64_t contact_id) {
  std::lock_guard lock(mu_);
  auto it = contacts_.find(contact_id);
  if (it == contacts_.end() || it->second.account_id != id) {
    return Fail(ContactNotFound(contact_id));
  }
  return it->second;
}

Result<void> InMemoryStore::UpdateContact(const Contact& contact) {
  std::lock_guard lock(mu_);
  auto it = contacts_.find(contact.id);
  if (it == contacts_.end() || it->second.account_id != contact.account_id) {
    return Fail(ContactNotFound(contact.id));
  }
  for (int64_t gid : contact.group_ids) {
    auto g = groups_.find(gid);
    if (g == groups_.end() || g->second.account_id != contact.account_id) {
      return Fail(GroupNotFound(gid));
    }
  }
  const int64_t created_ms = it->second.created_ms;
  it->second = contact;
  it->second.created_ms = created_ms;
  it->second.group_ids = SortedUnique(contact.group_ids);
  return Ok();
}

Result<void> InMemoryStore::DeleteContact(AccountId id, int64_t contact_id) {
  std::lock_guard lock(mu_);
  auto it = contacts_.find(contact_id);
  if (it == contacts_.end() || it->second.account_id != id) {
    return Fail(ContactNotFound(contact_id));
  }
  contacts_.erase(it);
  return Ok();
}

Result<ContactPage> InMemoryStore::ListContacts(const ContactQuery& query) {
  std::lock_guard lock(mu_);
  const std::string needle = Lower(query.search);
  std::vector<Contact> all;
  for (const auto& [cid, c] : contacts_) {
    if (c.account_id != query.account_id) continue;
    if (query.filter == ContactQuery::Filter::kInGroup &&
        !std::binary_search(c.group_ids.begin(), c.group_ids.end(), query.group_id)) {
      continue;
    }
    if (query.filter == ContactQuery::Filter::kNoGroup && !c.group_ids.empty()) continue;
    if (!needle.empty()) {
      const bool hit = Matches(c.phone, needle) || Matches(c.email, needle) ||
                       Matches(c.company, needle) || Matches(c.first_name, needle) ||
                       Matches(c.last_name, needle) || Matches(c.tax_id, needle) ||
                       Matches(c.address, needle) || Matches(c.city, needle) ||
                       Matches(c.description, needle);
      if (!hit) continue;
    }
    all.push_back(c);
  }
  std::sort(all.begin(), all.end(), [&](const Contact& a, const Contact& b) {
    const std::string& fa = SortField(a, query.sort);
    const std::string& fb = SortField(b, query.sort);
    if (fa != fb) return query.descending ? fa > fb : fa < fb;
    return query.descending ? a.id > b.id : a.id < b.id;
  });
  ContactPage page;
  page.total = static_cast<int64_t>(all.size());
  page.items = PageOf(std::move(all), query.page, query.limit);
  return page;
}

Result<int64_t> InMemoryStore::ImportContacts(AccountId id, const std::string& group_name,
                                              const std::vector<Contact>& contacts,
                                              int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  const int64_t gid = next_group_id_++;
  groups_[gid] = Group{gid, id, group_name, 0, now_ms};
  for (const Contact& in : contacts) {
    Contact c = in;
    c.id = next_contact_id_++;
    c.account_id = id;
    c.created_ms = now_ms;
    c.group_ids = {gid};
    contacts_[c.id] = std::move(c);
  }
  return gid;
}

Result<std::vector<std::string>> InMemoryStore::RecipientPhones(
    AccountId id, const std::vector<int64_t>& group_ids, const std::vector<int64_t>& contact_ids) {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (int64_t gid : group_ids) {
    auto g = groups_.find(gid);
    if (g == groups_.end() || g->second.account_id != id) return Fail(GroupNotFound(gid));
    for (const auto& [cid, c] : contacts_) {
      if (std::binary_search(c.group_ids.begin(), c.group_ids.end(), gid)) out.push_back(c.phone);
    }
  }
  for (int64_t cid : contact_ids) {
    auto c = contacts_.find(cid);
    if (c == contacts_.end() || c->second.account_id != id) return Fail(ContactNotFound(cid));
    out.push_back(c->second.phone);
  }
  return out;
}

// ---- templates ------------------------------------------------------------------------

Result<int64_t> InMemoryStore::CreateTemplate(AccountId id, const std::string& name,
                                              const std::string& text, int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  const int64_t tid = next_template_id_++;
  templates_[tid] = Template{tid, id, name, text, now_ms};
  return tid;
}

Result<Template> InMemoryStore::GetTemplate(AccountId id, int64_t template_id) {
  std::lock_guard lock(mu_);
  auto it = templates_.find(template_id);
  if (it == templates_.end() || it->second.account_id != id) {
    return Fail(TemplateNotFound(template_id));
  }
  return it->second;
}

Result<std::vector<Template>> InMemoryStore::ListTemplates(AccountId id, bool by_name,
                                                           bool descending) {
  std::lock_guard lock(mu_);
  std::vector<Template> out;
  for (const auto& [tid, t] : templates_) {
    if (t.account_id == id) out.push_back(t);
  }
  std::sort(out.begin(), out.end(), [&](const Template& a, const Template& b) {
    if (by_name && a.name != b.name) return descending ? a.name > b.name : a.name < b.name;
    return descending ? a.id > b.id : a.id < b.id;
  });
  return out;
}

Result<void> InMemoryStore::UpdateTemplate(AccountId id, int64_t template_id,
                                           const std::string& name, const std::string& text) {
  std::lock_guard lock(mu_);
  auto it = templates_.find(template_id);
  if (it == templates_.end() || it->second.account_id != id) {
    return Fail(TemplateNotFound(template_id));
  }
  it->second.name = name;
  it->second.text = text;
  return Ok();
}

Result<void> InMemoryStore::DeleteTemplate(AccountId id, int64_t template_id) {
  std::lock_guard lock(mu_);
  auto it = templates_.find(template_id);
  if (it == templates_.end() || it->second.account_id != id) {
    return Fail(TemplateNotFound(template_id));
  }
  templates_.erase(it);
  return Ok();
}

// ---- blacklist entries -------------------------------------------------------------------

Result<int64_t> InMemoryStore::AddBlacklistEntry(AccountId id, const std::string& phone,
                                                 int64_t now_ms) {
  std::lock_guard lock(mu_);
  if (!accounts_.count(id)) return Fail(ErrorCode::kNotFound, "no such account");
  return AddBlacklistLocked(id, phone, now_ms);
}

Result<BlacklistPage> InMemoryStore::ListBlacklist(const BlacklistQuery& query) {
  std::lock_guard lock(mu_);
  std::vector<BlacklistEntry> all;
  for (const auto& [key, e] : blacklist_) {
    if (e.account_id != query.account_id) continue;
    if (!query.phone.empty() && e.phone != query.phone) continue;
    all.push_back(e);
  }
  std::sort(all.begin(), all.end(),
            [](const BlacklistEntry& a, const BlacklistEntry& b) { return a.id < b.id; });
  BlacklistPage page;
  page.total = static_cast<int64_t>(all.size());
  page.items = PageOf(std::move(all), query.page, query.limit);
  return page;
}

Result<bool> InMemoryStore::RemoveFromBlacklist(AccountId id, const std::string& phone) {
  std::lock_guard lock(mu_);
  return blacklist_.erase({id, phone}) > 0;
}

Result<void> InMemoryStore::DeleteBlacklistEntry(AccountId id, int64_t entry_id) {
  std::lock_guard lock(mu_);
  for (auto it = blacklist_.begin(); it != blacklist_.end(); ++it) {
    if (it->second.id == entry_id && it->second.account_id == id) {
      blacklist_.erase(it);
      return Ok();
    }
  }
  return Fail(ErrorCode::kNotFound, "blacklist entry " + std::to_string(entry_id) + " not found");
}

}  // namespace bramka::store
