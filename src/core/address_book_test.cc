// GatewayService address book: validation, normalisation, isolation, and
// sending to groups and contacts.

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

using store::MessageType;

class AddressBookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    ASSERT_TRUE(gw_->TopUp("acme", MessageType::kEco, 100, "").ok());
    a_ = *gw_->AuthenticatePassword("acme", "secret");
    b_ = *gw_->AuthenticatePassword("other", "secret");
  }

  static Failure FailureOf(const Error& e) { return static_cast<Failure>(e.detail); }

  store::Contact Contact(const std::string& phone, std::vector<int64_t> groups = {}) {
    store::Contact c;
    c.phone = phone;
    c.group_ids = std::move(groups);
    return c;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller a_;
  Caller b_;
};

TEST_F(AddressBookTest, GroupNamesAreRequiredAndTrimmed) {
  auto empty = gw_->AddGroup(a_, "  ");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(FailureOf(empty.error()), Failure::kMissingParameter);
  auto id = gw_->AddGroup(a_, "  Klienci ");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(gw_->ViewGroup(a_, *id)->name, "Klienci");
  auto foreign = gw_->ViewGroup(b_, *id);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(FailureOf(foreign.error()), Failure::kInvalidId);
  EXPECT_EQ(FailureOf(gw_->RenameGroup(b_, *id, "x").error()), Failure::kInvalidId);
  EXPECT_EQ(FailureOf(gw_->DeleteGroup(b_, *id, true).error()), Failure::kInvalidId);
}

TEST_F(AddressBookTest, ContactPhonesAreNormalisedAndValidated) {
  const int64_t g = *gw_->AddGroup(a_, "g");
  auto id = gw_->AddContact(a_, Contact("500 600 700", {g}));
  ASSERT_TRUE(id.ok()) << id.error().ToString();
  auto v = gw_->ViewContact(a_, *id);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v->contact.phone, "+48500600700");
  EXPECT_EQ(v->group_names, (std::vector<std::string>{"g"}));
  EXPECT_FALSE(v->blacklisted);

  EXPECT_EQ(FailureOf(gw_->AddContact(a_, Contact("12")).error()), Failure::kInvalidPhone);
  EXPECT_EQ(FailureOf(gw_->AddContact(a_, Contact("")).error()), Failure::kMissingParameter);
  // Another account's group.
  auto foreign = gw_->AddContact(b_, Contact("500600700", {g}));
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(FailureOf(foreign.error()), Failure::kInvalidId);
  EXPECT_NE(foreign.error().message.find(std::to_string(g)), std::string::npos);

  ASSERT_TRUE(gw_->AddToBlacklist(a_, "+48500600700").ok());
  EXPECT_TRUE(gw_->ViewContact(a_, *id)->blacklisted);
  auto in = gw_->GroupsOfPhone(a_, "500600700");
  ASSERT_EQ(in->size(), 1u);
  EXPECT_EQ((*in)[0].group_id, g);
  EXPECT_TRUE(gw_->GroupsOfPhone(b_, "500600700")->empty());
  EXPECT_EQ(FailureOf(gw_->GroupsOfPhone(a_, "x").error()), Failure::kInvalidPhone);

  ContactEdit edit;
  edit.city = "Gdańsk";
  edit.phone = "600700800";
  ASSERT_TRUE(gw_->EditContact(a_, *id, edit).ok());
  v = gw_->ViewContact(a_, *id);
  EXPECT_EQ(v->contact.phone, "+48600700800");
  EXPECT_EQ(v->contact.city, "Gdańsk");
  EXPECT_EQ(v->contact.group_ids, (std::vector<int64_t>{g}));  // kept
  EXPECT_EQ(FailureOf(gw_->EditContact(b_, *id, edit).error()), Failure::kInvalidId);
  edit.phone = "1";
  EXPECT_EQ(FailureOf(gw_->EditContact(a_, *id, edit).error()), Failure::kInvalidPhone);
}

TEST_F(AddressBookTest, ImportCountsBadRowsAsFailed) {
  auto r = gw_->ImportContacts(
      a_, "Nowi", {Contact("500600700"), Contact("nope"), Contact("+48600700800"), Contact("")});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->correct, 2);
  EXPECT_EQ(r->failed, 2);
  EXPECT_EQ(gw_->ViewGroup(a_, r->group_id)->count, 2);
  EXPECT_EQ(FailureOf(gw_->ImportContacts(a_, "", {}).error()), Failure::kMissingParameter);
}

TEST_F(AddressBookTest, SendingToGroupsAndContactsSendsEachNumberOnce) {
  const int64_t g = *gw_->AddGroup(a_, "g");
  ASSERT_TRUE(gw_->AddContact(a_, Contact("500600700", {g})).ok());
  ASSERT_TRUE(gw_->AddContact(a_, Contact("500600701", {g})).ok());
  const int64_t c = *gw_->AddContact(a_, Contact("+48500600702"));
  SubmitRequest r;
  r.text = "Hi";
  r.phones = {"+48500600700"};
  r.group_ids = {g, g};
  r.contact_ids = {c};
  auto res = gw_->Submit(a_, r);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  EXPECT_EQ(res->queued, 3);
  ASSERT_EQ(res->items.size(), 3u);
  EXPECT_EQ(res->items[0].phone, "+48500600700");
  EXPECT_EQ(res->items[1].phone, "+48500600701");
  EXPECT_EQ(res->items[2].phone, "+48500600702");

  SubmitRequest foreign;
  foreign.text = "Hi";
  foreign.group_ids = {g};
  auto refused = gw_->Submit(b_, foreign);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(FailureOf(refused.error()), Failure::kInvalidId);
  EXPECT_NE(refused.error().message.find("group " + std::to_string(g)), std::string::npos);

  const int64_t empty = *gw_->AddGroup(a_, "empty");
  SubmitRequest none;
  none.text = "Hi";
  none.group_ids = {empty};
  EXPECT_EQ(FailureOf(gw_->Submit(a_, none).error()), Failure::kMissingParameter);
}

TEST_F(AddressBookTest, PersonalisedSendsGiveGroupContactsTheText) {
  const int64_t g = *gw_->AddGroup(a_, "g");
  ASSERT_TRUE(gw_->AddContact(a_, Contact("500600700", {g})).ok());
  ASSERT_TRUE(gw_->AddContact(a_, Contact("500600701", {g})).ok());
  SubmitRequest r;
  r.phones = {"500600700"};
  r.texts = {"Personal"};
  r.text = "Group text";
  r.group_ids = {g};
  auto res = gw_->Submit(a_, r);
  ASSERT_TRUE(res.ok()) << res.error().ToString();
  ASSERT_EQ(res->items.size(), 2u);
  EXPECT_EQ(res->items[0].text, "Personal");
  EXPECT_EQ(res->items[1].text, "Group text");
}

TEST_F(AddressBookTest, BlacklistAddListRemove) {
  auto id = gw_->AddToBlacklist(a_, "500600700");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*gw_->AddToBlacklist(a_, "+48 500 600 700"), *id);
  EXPECT_TRUE(*gw_->IsBlacklisted(a_, "500600700"));
  EXPECT_FALSE(*gw_->IsBlacklisted(b_, "500600700"));
  store::BlacklistQuery q;
  q.phone = "500600700";
  EXPECT_EQ(gw_->ListBlacklist(a_, q)->total, 1);
  EXPECT_EQ(gw_->ListBlacklist(b_, q)->total, 0);
  EXPECT_EQ(FailureOf(gw_->AddToBlacklist(a_, "abc").error()), Failure::kInvalidPhone);
  EXPECT_EQ(FailureOf(gw_->DeleteBlacklistEntry(b_, *id).error()), Failure::kInvalidId);
  EXPECT_FALSE(*gw_->RemoveFromBlacklist(b_, "500600700"));
  EXPECT_TRUE(*gw_->RemoveFromBlacklist(a_, "500600700"));
  EXPECT_FALSE(*gw_->IsBlacklisted(a_, "500600700"));
}

TEST_F(AddressBookTest, TemplatesNeedNameAndText) {
  EXPECT_EQ(FailureOf(gw_->AddTemplate(a_, "", "x").error()), Failure::kMissingParameter);
  EXPECT_EQ(FailureOf(gw_->AddTemplate(a_, "n", "").error()), Failure::kMissingParameter);
  const int64_t t = *gw_->AddTemplate(a_, "n", "text");
  ASSERT_TRUE(gw_->EditTemplate(a_, t, std::nullopt, std::string("new")).ok());
  EXPECT_EQ(gw_->ViewTemplate(a_, t)->name, "n");
  EXPECT_EQ(gw_->ViewTemplate(a_, t)->text, "new");
  EXPECT_EQ(FailureOf(gw_->ViewTemplate(b_, t).error()), Failure::kInvalidId);
  EXPECT_TRUE(gw_->ListTemplates(b_, true, false)->empty());
}

}  // namespace
}  // namespace bramka::core
