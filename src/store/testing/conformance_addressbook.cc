// Store conformance: the address book — groups, contacts, templates and
// blacklist entries (store.h "address book").

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {

Contact NewContact(AccountId account, const std::string& phone, std::vector<int64_t> groups = {}) {
  Contact c;
  c.account_id = account;
  c.phone = phone;
  c.group_ids = std::move(groups);
  return c;
}

std::vector<int64_t> IdsOf(const std::vector<Contact>& items) {
  std::vector<int64_t> out;
  for (const auto& c : items) out.push_back(c.id);
  return out;
}

std::vector<std::string> NamesOf(const std::vector<Group>& items) {
  std::vector<std::string> out;
  for (const auto& g : items) out.push_back(g.name);
  return out;
}

}  // namespace

TEST_P(StoreConformanceTest, GroupsCreateListRenameCount) {
  const AccountId a = NewAccount("ab-groups-a");
  const AccountId b = NewAccount("ab-groups-b");
  auto g1 = store().CreateGroup(a, "Klienci", 1);
  auto g2 = store().CreateGroup(a, "alpha team", 2);
  auto g3 = store().CreateGroup(a, "Beta", 3);
  ASSERT_TRUE(g1.ok() && g2.ok() && g3.ok());
  EXPECT_LT(*g1, *g2);
  EXPECT_EQ(store().CreateGroup(9999, "x", 1).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().CreateContact(NewContact(a, "+48500000001", {*g1}), 5).ok());
  ASSERT_TRUE(store().CreateContact(NewContact(a, "+48500000002", {*g1, *g2, *g1}), 5).ok());

  auto g = store().GetGroup(a, *g1);
  ASSERT_TRUE(g.ok()) << g.error().ToString();
  EXPECT_EQ(g->name, "Klienci");
  EXPECT_EQ(g->count, 2);
  EXPECT_EQ(g->account_id, a);
  EXPECT_EQ(g->created_ms, 1);
  auto foreign = store().GetGroup(b, *g1);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.error().code, ErrorCode::kNotFound);
  EXPECT_NE(foreign.error().message.find(std::to_string(*g1)), std::string::npos);

  GroupQuery q;
  q.account_id = a;
  auto all = store().ListGroups(q);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  EXPECT_EQ(NamesOf(all->items), (std::vector<std::string>{"Klienci", "alpha team", "Beta"}));
  EXPECT_EQ(all->items[1].count, 1);
  q.by_name = true;  // binary order: upper case first
  EXPECT_EQ(NamesOf(store().ListGroups(q)->items),
            (std::vector<std::string>{"Beta", "Klienci", "alpha team"}));
  q.descending = true;
  EXPECT_EQ(NamesOf(store().ListGroups(q)->items),
            (std::vector<std::string>{"alpha team", "Klienci", "Beta"}));
  q.search = "A";  // case-insensitive substring
  q.by_name = false;
  q.descending = false;
  auto found = store().ListGroups(q);
  EXPECT_EQ(NamesOf(found->items), (std::vector<std::string>{"alpha team", "Beta"}));
  q.search = "TEAM";
  EXPECT_EQ(NamesOf(store().ListGroups(q)->items), (std::vector<std::string>{"alpha team"}));
  q.search.clear();
  q.limit = 2;
  q.page = 2;
  auto page2 = store().ListGroups(q);
  EXPECT_EQ(page2->total, 3);
  EXPECT_EQ(NamesOf(page2->items), (std::vector<std::string>{"Beta"}));

  GroupQuery qb;
  qb.account_id = b;
  EXPECT_EQ(store().ListGroups(qb)->total, 0);

  ASSERT_TRUE(store().RenameGroup(a, *g3, "Gamma").ok());
  EXPECT_EQ(store().GetGroup(a, *g3)->name, "Gamma");
  EXPECT_EQ(store().RenameGroup(b, *g3, "Stolen").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetGroup(a, *g3)->name, "Gamma");
}

TEST_P(StoreConformanceTest, GroupSearchIsCaseInsensitiveSubstring) {
  const AccountId a = NewAccount("ab-search");
  ASSERT_TRUE(store().CreateGroup(a, "Klienci VIP", 1).ok());
  ASSERT_TRUE(store().CreateGroup(a, "Dostawcy", 1).ok());
  GroupQuery q;
  q.account_id = a;
  q.search = "vip";
  EXPECT_EQ(NamesOf(store().ListGroups(q)->items), (std::vector<std::string>{"Klienci VIP"}));
  q.search = "OSTA";
  EXPECT_EQ(NamesOf(store().ListGroups(q)->items), (std::vector<std::string>{"Dostawcy"}));
  q.search = "none";
  EXPECT_EQ(store().ListGroups(q)->total, 0);
}

TEST_P(StoreConformanceTest, DeleteGroupKeepsOrDeletesContacts) {
  const AccountId a = NewAccount("ab-delgroup-a");
  const AccountId b = NewAccount("ab-delgroup-b");
  const int64_t g1 = *store().CreateGroup(a, "one", 1);
  const int64_t g2 = *store().CreateGroup(a, "two", 1);
  const int64_t c1 = *store().CreateContact(NewContact(a, "+48500000001", {g1}), 1);
  const int64_t c2 = *store().CreateContact(NewContact(a, "+48500000002", {g1, g2}), 1);
  const int64_t c3 = *store().CreateContact(NewContact(a, "+48500000003", {g2}), 1);

  EXPECT_EQ(store().DeleteGroup(b, g1, true).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteGroup(a, g1, false).ok());
  EXPECT_EQ(store().GetGroup(a, g1).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().GetContact(a, c1)->group_ids.empty());
  EXPECT_EQ(store().GetContact(a, c2)->group_ids, (std::vector<int64_t>{g2}));

  ASSERT_TRUE(store().DeleteGroup(a, g2, true).ok());
  EXPECT_TRUE(store().GetContact(a, c1).ok());
  EXPECT_EQ(store().GetContact(a, c2).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetContact(a, c3).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteGroup(a, g2, false).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, ContactsRoundTripUpdateDelete) {
  const AccountId a = NewAccount("ab-contacts-a");
  const AccountId b = NewAccount("ab-contacts-b");
  const int64_t g1 = *store().CreateGroup(a, "one", 1);
  const int64_t g2 = *store().CreateGroup(a, "two", 1);
  const int64_t gb = *store().CreateGroup(b, "b's", 1);

  Contact c = NewContact(a, "+48500600700", {g2, g1});
  c.email = "jan@example.com";
  c.company = "ACME";
  c.first_name = "Jan";
  c.last_name = "Kowalski";
  c.tax_id = "1234567890";
  c.address = "Prosta 1";
  c.city = "Łódź";
  c.description = "opis";
  auto id = store().CreateContact(c, 77);
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto got = store().GetContact(a, *id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->id, *id);
  EXPECT_EQ(got->account_id, a);
  EXPECT_EQ(got->phone, "+48500600700");
  EXPECT_EQ(got->email, "jan@example.com");
  EXPECT_EQ(got->company, "ACME");
  EXPECT_EQ(got->first_name, "Jan");
  EXPECT_EQ(got->last_name, "Kowalski");
  EXPECT_EQ(got->tax_id, "1234567890");
  EXPECT_EQ(got->address, "Prosta 1");
  EXPECT_EQ(got->city, "Łódź");
  EXPECT_EQ(got->description, "opis");
  EXPECT_EQ(got->created_ms, 77);
  EXPECT_EQ(got->group_ids, (std::vector<int64_t>{g1, g2}));

  // A group of another account: kNotFound naming it, nothing written.
  auto bad = store().CreateContact(NewContact(a, "+48500600701", {g1, gb}), 1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kNotFound);
  EXPECT_NE(bad.error().message.find(std::to_string(gb)), std::string::npos);
  ContactQuery all;
  all.account_id = a;
  EXPECT_EQ(store().ListContacts(all)->total, 1);
  EXPECT_EQ(store().CreateContact(NewContact(9999, "+48500600701"), 1).error().code,
            ErrorCode::kNotFound);

  EXPECT_EQ(store().GetContact(b, *id).error().code, ErrorCode::kNotFound);
  Contact edit = *got;
  edit.phone = "+48500600799";
  edit.city = "Kraków";
  edit.group_ids = {g2};
  ASSERT_TRUE(store().UpdateContact(edit).ok());
  got = store().GetContact(a, *id);
  EXPECT_EQ(got->phone, "+48500600799");
  EXPECT_EQ(got->city, "Kraków");
  EXPECT_EQ(got->created_ms, 77);
  EXPECT_EQ(got->group_ids, (std::vector<int64_t>{g2}));
  EXPECT_EQ(store().GetGroup(a, g1)->count, 0);

  Contact foreign_edit = edit;
  foreign_edit.account_id = b;
  EXPECT_EQ(store().UpdateContact(foreign_edit).error().code, ErrorCode::kNotFound);
  Contact bad_group = edit;
  bad_group.group_ids = {gb};
  EXPECT_EQ(store().UpdateContact(bad_group).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetContact(a, *id)->group_ids, (std::vector<int64_t>{g2}));

  EXPECT_EQ(store().DeleteContact(b, *id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteContact(a, *id).ok());
  EXPECT_EQ(store().GetContact(a, *id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteContact(a, *id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetGroup(a, g2)->count, 0);
}

TEST_P(StoreConformanceTest, ListContactsFiltersSortsPages) {
  const AccountId a = NewAccount("ab-list-a");
  const AccountId b = NewAccount("ab-list-b");
  const int64_t g = *store().CreateGroup(a, "g", 1);
  auto add = [&](const std::string& phone, const std::string& first, const std::string& city,
                 std::vector<int64_t> groups) {
    Contact c = NewContact(a, phone, std::move(groups));
    c.first_name = first;
    c.city = city;
    return *store().CreateContact(c, 1);
  };
  const int64_t c1 = add("+48500000001", "Zofia", "Gdańsk", {g});
  const int64_t c2 = add("+48500000002", "Adam", "Warszawa", {});
  const int64_t c3 = add("+48500000003", "Marek", "warszawa", {g});
  ASSERT_TRUE(store().CreateContact(NewContact(b, "+48500000004"), 1).ok());

  ContactQuery q;
  q.account_id = a;
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c1, c2, c3}));
  q.filter = ContactQuery::Filter::kInGroup;
  q.group_id = g;
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c1, c3}));
  q.filter = ContactQuery::Filter::kNoGroup;
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c2}));
  q.filter = ContactQuery::Filter::kAll;
  q.sort = ContactSort::kFirstName;
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c2, c3, c1}));
  q.descending = true;
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c1, c3, c2}));
  q.descending = false;
  q.search = "WARSZ";
  auto hits = store().ListContacts(q);
  EXPECT_EQ(hits->total, 2);
  EXPECT_EQ(IdsOf(hits->items), (std::vector<int64_t>{c2, c3}));
  q.search = "000003";
  EXPECT_EQ(IdsOf(store().ListContacts(q)->items), (std::vector<int64_t>{c3}));
  q.search.clear();
  q.sort = ContactSort::kId;
  q.limit = 2;
  q.page = 2;
  auto page = store().ListContacts(q);
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(IdsOf(page->items), (std::vector<int64_t>{c3}));
  q.limit = 0;  // everything
  q.page = 1;
  EXPECT_EQ(store().ListContacts(q)->items.size(), 3u);

  ContactQuery qb;
  qb.account_id = b;
  qb.filter = ContactQuery::Filter::kInGroup;
  qb.group_id = g;  // a's group: b sees nothing of it
  EXPECT_EQ(store().ListContacts(qb)->total, 0);
}

TEST_P(StoreConformanceTest, FindGroupsOfPhoneAndRecipientPhones) {
  const AccountId a = NewAccount("ab-find-a");
  const AccountId b = NewAccount("ab-find-b");
  const int64_t g1 = *store().CreateGroup(a, "one", 1);
  const int64_t g2 = *store().CreateGroup(a, "two", 1);
  const int64_t c1 = *store().CreateContact(NewContact(a, "+48500000001", {g1, g2}), 1);
  const int64_t c2 = *store().CreateContact(NewContact(a, "+48500000002", {g2}), 1);
  const int64_t c3 = *store().CreateContact(NewContact(a, "+48500000001"), 1);  // no group
  const int64_t cb = *store().CreateContact(NewContact(b, "+48500000001"), 1);

  auto in = store().FindGroupsOfPhone(a, "+48500000001");
  ASSERT_TRUE(in.ok());
  ASSERT_EQ(in->size(), 2u);
  EXPECT_EQ((*in)[0].contact_id, c1);
  EXPECT_EQ((*in)[0].group_id, g1);
  EXPECT_EQ((*in)[0].group_name, "one");
  EXPECT_EQ((*in)[1].group_id, g2);
  EXPECT_TRUE(store().FindGroupsOfPhone(b, "+48500000001")->empty());

  auto phones = store().RecipientPhones(a, {g2, g1}, {c3, c2});
  ASSERT_TRUE(phones.ok()) << phones.error().ToString();
  EXPECT_EQ(*phones, (std::vector<std::string>{"+48500000001", "+48500000002", "+48500000001",
                                               "+48500000001", "+48500000002"}));
  auto foreign_contact = store().RecipientPhones(a, {g1}, {cb});
  ASSERT_FALSE(foreign_contact.ok());
  EXPECT_EQ(foreign_contact.error().code, ErrorCode::kNotFound);
  EXPECT_NE(foreign_contact.error().message.find("contact " + std::to_string(cb)),
            std::string::npos);
  auto foreign_group = store().RecipientPhones(b, {g1}, {});
  ASSERT_FALSE(foreign_group.ok());
  EXPECT_NE(foreign_group.error().message.find("group " + std::to_string(g1)), std::string::npos);
}

TEST_P(StoreConformanceTest, ImportContactsCreatesANewGroup) {
  const AccountId a = NewAccount("ab-import");
  const int64_t old = *store().CreateGroup(a, "Imported", 1);
  Contact x = NewContact(a, "+48500000001", {old});  // group_ids ignored
  x.first_name = "Jan";
  auto gid = store().ImportContacts(a, "Imported", {x, NewContact(0, "+48500000002")}, 9);
  ASSERT_TRUE(gid.ok()) << gid.error().ToString();
  EXPECT_NE(*gid, old);
  EXPECT_EQ(store().GetGroup(a, *gid)->count, 2);
  EXPECT_EQ(store().GetGroup(a, old)->count, 0);
  ContactQuery q;
  q.account_id = a;
  q.filter = ContactQuery::Filter::kInGroup;
  q.group_id = *gid;
  auto list = store().ListContacts(q);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].first_name, "Jan");
  EXPECT_EQ(list->items[1].account_id, a);
  EXPECT_EQ(list->items[1].group_ids, (std::vector<int64_t>{*gid}));
  EXPECT_EQ(store().ImportContacts(9999, "x", {}, 1).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, TemplatesCrudAndOrder) {
  const AccountId a = NewAccount("ab-tpl-a");
  const AccountId b = NewAccount("ab-tpl-b");
  const int64_t t1 = *store().CreateTemplate(a, "Zima", "Zimowa promocja", 1);
  const int64_t t2 = *store().CreateTemplate(a, "Lato", "Letnia promocja", 2);
  EXPECT_EQ(store().CreateTemplate(9999, "x", "y", 1).error().code, ErrorCode::kNotFound);
  auto t = store().GetTemplate(a, t1);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->name, "Zima");
  EXPECT_EQ(t->text, "Zimowa promocja");
  EXPECT_EQ(t->created_ms, 1);
  EXPECT_EQ(store().GetTemplate(b, t1).error().code, ErrorCode::kNotFound);

  auto by_id = store().ListTemplates(a, false, false);
  ASSERT_EQ(by_id->size(), 2u);
  EXPECT_EQ((*by_id)[0].id, t1);
  auto by_name = store().ListTemplates(a, true, false);
  EXPECT_EQ((*by_name)[0].id, t2);
  auto by_name_desc = store().ListTemplates(a, true, true);
  EXPECT_EQ((*by_name_desc)[0].id, t1);
  EXPECT_TRUE(store().ListTemplates(b, false, false)->empty());

  EXPECT_EQ(store().UpdateTemplate(b, t1, "x", "y").error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().UpdateTemplate(a, t1, "Zima 2", "Nowa").ok());
  EXPECT_EQ(store().GetTemplate(a, t1)->text, "Nowa");
  EXPECT_EQ(store().DeleteTemplate(b, t1).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteTemplate(a, t1).ok());
  EXPECT_EQ(store().GetTemplate(a, t1).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteTemplate(a, t1).error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, BlacklistEntriesHaveIdsAndCanBeRemoved) {
  const AccountId a = NewAccount("ab-bl-a");
  const AccountId b = NewAccount("ab-bl-b");
  auto e1 = store().AddBlacklistEntry(a, "+48500000001", 10);
  ASSERT_TRUE(e1.ok()) << e1.error().ToString();
  EXPECT_EQ(*store().AddBlacklistEntry(a, "+48500000001", 11), *e1);  // idempotent
  ASSERT_TRUE(store().AddToBlacklist(a, "+48500000002", 12).ok());
  const int64_t e3 = *store().AddBlacklistEntry(a, "+48500000003", 13);
  const int64_t eb = *store().AddBlacklistEntry(b, "+48500000001", 14);
  EXPECT_EQ(store().AddBlacklistEntry(9999, "+48500000001", 1).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(*store().IsBlacklisted(a, "+48500000003"));

  BlacklistQuery q;
  q.account_id = a;
  auto all = store().ListBlacklist(q);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->total, 3);
  ASSERT_EQ(all->items.size(), 3u);
  EXPECT_EQ(all->items[0].id, *e1);
  EXPECT_EQ(all->items[0].phone, "+48500000001");
  EXPECT_EQ(all->items[0].created_ms, 10);
  EXPECT_EQ(all->items[1].phone, "+48500000002");
  EXPECT_EQ(all->items[2].id, e3);
  q.phone = "+48500000002";
  EXPECT_EQ(store().ListBlacklist(q)->total, 1);
  q.phone.clear();
  q.limit = 2;
  q.page = 2;
  auto page = store().ListBlacklist(q);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].id, e3);

  EXPECT_FALSE(*store().RemoveFromBlacklist(b, "+48500000002"));
  EXPECT_TRUE(*store().RemoveFromBlacklist(a, "+48500000002"));
  EXPECT_FALSE(*store().IsBlacklisted(a, "+48500000002"));
  EXPECT_FALSE(*store().RemoveFromBlacklist(a, "+48500000002"));

  EXPECT_EQ(store().DeleteBlacklistEntry(b, e3).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().DeleteBlacklistEntry(a, e3).ok());
  EXPECT_FALSE(*store().IsBlacklisted(a, "+48500000003"));
  EXPECT_TRUE(*store().IsBlacklisted(b, "+48500000001"));
  EXPECT_EQ(store().DeleteBlacklistEntry(a, e3).error().code, ErrorCode::kNotFound);
  (void)eb;
}

}  // namespace bramka::store
