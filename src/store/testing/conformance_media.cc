// Store conformance: media files, message attachments and metered charges (store.h).

#include <string>
#include <vector>

#include "store/testing/conformance.h"

namespace bramka::store {

namespace {
MediaFile File(AccountId account, const std::string& id, MessageType type, int64_t created_ms,
               std::string data = std::string("GIF89a\0\x01\x02", 9)) {
  MediaFile f;
  f.id = id;
  f.account_id = account;
  f.type = type;
  f.name = "pic-" + id + ".gif";
  f.content_type = "image/gif";
  f.size = static_cast<int64_t>(data.size());
  f.data = std::move(data);
  f.created_ms = created_ms;
  return f;
}
}  // namespace

TEST_P(StoreConformanceTest, MediaFilesRoundTripWithBinaryData) {
  const AccountId a = NewAccount("media-a");
  ASSERT_TRUE(store().AddMediaFile(File(a, "00000000a1", MessageType::kMms, 2000)).ok());
  ASSERT_TRUE(store().AddMediaFile(File(a, "00000000a0", MessageType::kVoice, 1000)).ok());
  ASSERT_TRUE(store().AddMediaFile(File(a, "00000000a2", MessageType::kMms, 2000)).ok());

  auto with = store().GetMediaFile(a, "00000000a1", true);
  ASSERT_TRUE(with.ok()) << with.error().ToString();
  EXPECT_EQ(with->data, std::string("GIF89a\0\x01\x02", 9));  // NUL bytes survive
  EXPECT_EQ(with->size, 9);
  EXPECT_EQ(with->name, "pic-00000000a1.gif");
  EXPECT_EQ(with->content_type, "image/gif");
  EXPECT_EQ(with->type, MessageType::kMms);
  EXPECT_EQ(with->created_ms, 2000);
  auto without = store().GetMediaFile(a, "00000000a1", false);
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->data.empty());
  EXPECT_EQ(without->size, 9);

  auto all = store().ListMediaFiles(a, std::nullopt);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "00000000a0");  // oldest first, then by id
  EXPECT_EQ((*all)[1].id, "00000000a1");
  EXPECT_EQ((*all)[2].id, "00000000a2");
  for (const auto& f : *all) EXPECT_TRUE(f.data.empty());
  auto mms = store().ListMediaFiles(a, MessageType::kMms);
  ASSERT_TRUE(mms.ok());
  EXPECT_EQ(mms->size(), 2u);

  ASSERT_TRUE(store().DeleteMediaFile(a, "00000000a1").ok());
  auto gone = store().GetMediaFile(a, "00000000a1", false);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, ErrorCode::kNotFound);
  auto again = store().DeleteMediaFile(a, "00000000a1");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MediaFilesAreScopedByAccount) {
  const AccountId a = NewAccount("media-owner");
  const AccountId b = NewAccount("media-other");
  ASSERT_TRUE(store().AddMediaFile(File(a, "00000000b1", MessageType::kMms, 1)).ok());
  auto view = store().GetMediaFile(b, "00000000b1", true);
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().code, ErrorCode::kNotFound);
  auto del = store().DeleteMediaFile(b, "00000000b1");
  ASSERT_FALSE(del.ok());
  EXPECT_EQ(del.error().code, ErrorCode::kNotFound);
  auto list = store().ListMediaFiles(b, std::nullopt);
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(store().GetMediaFile(a, "00000000b1", false).ok());  // still there
}

TEST_P(StoreConformanceTest, MediaFileErrors) {
  const AccountId a = NewAccount("media-errors");
  ASSERT_TRUE(store().AddMediaFile(File(a, "00000000c1", MessageType::kMms, 1)).ok());
  auto dup = store().AddMediaFile(File(a, "00000000c1", MessageType::kMms, 2));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, ErrorCode::kAlreadyExists);
  auto bad_id = store().AddMediaFile(File(a, "XYZ", MessageType::kMms, 1));
  ASSERT_FALSE(bad_id.ok());
  EXPECT_EQ(bad_id.error().code, ErrorCode::kInvalidArgument);
  auto bad_type = store().AddMediaFile(File(a, "00000000c2", MessageType::kEco, 1));
  ASSERT_FALSE(bad_type.ok());
  EXPECT_EQ(bad_type.error().code, ErrorCode::kInvalidArgument);
  MediaFile wrong_size = File(a, "00000000c3", MessageType::kMms, 1);
  wrong_size.size = 1;
  EXPECT_EQ(store().AddMediaFile(wrong_size).error().code, ErrorCode::kInvalidArgument);
  auto no_account = store().AddMediaFile(File(9999, "00000000c4", MessageType::kMms, 1));
  ASSERT_FALSE(no_account.ok());
  EXPECT_EQ(no_account.error().code, ErrorCode::kNotFound);
}

TEST_P(StoreConformanceTest, MessageAttachmentsRoundTrip) {
  const AccountId a = NewAccount("media-msg");
  Message m = NewMessage(a);
  m.type = MessageType::kMms;
  m.text = "Title";
  m.attachments = {"00000000d1", "00000000d2"};
  Message sms = NewMessage(a);
  AcceptResult r = AcceptOk(a, {m, sms});
  auto got = store().GetMessage(a, r.items[0].id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->attachments, (std::vector<std::string>{"00000000d1", "00000000d2"}));
  auto plain = store().GetMessage(a, r.items[1].id);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->attachments.empty());
}

TEST_P(StoreConformanceTest, ChargeBalanceIsAllOrNothing) {
  const AccountId a = NewAccount("charge", 5);
  ASSERT_TRUE(store().ChargeBalance(a, MessageType::kHlr, 3, "hlr", 10).ok());
  EXPECT_EQ(Units(a, MessageType::kHlr), 2);
  auto low = store().ChargeBalance(a, MessageType::kHlr, 3, "hlr", 11);
  ASSERT_FALSE(low.ok());
  EXPECT_EQ(low.error().code, ErrorCode::kRejected);
  EXPECT_EQ(low.error().detail, static_cast<int>(MessageType::kHlr) + 1);
  EXPECT_EQ(Units(a, MessageType::kHlr), 2);  // nothing taken
  EXPECT_EQ(Units(a, MessageType::kLookup), 5);

  ASSERT_TRUE(store().SetBalanceMode(a, MessageType::kLookup, true, true).ok());
  ASSERT_TRUE(store().ChargeBalance(a, MessageType::kLookup, 1000, "lookup", 12).ok());
  EXPECT_EQ(Units(a, MessageType::kLookup), 5);  // unlimited: not charged

  EXPECT_EQ(store().ChargeBalance(a, MessageType::kHlr, 0, "hlr", 13).error().code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(store().ChargeBalance(9999, MessageType::kHlr, 1, "hlr", 13).error().code,
            ErrorCode::kNotFound);
}

}  // namespace bramka::store
