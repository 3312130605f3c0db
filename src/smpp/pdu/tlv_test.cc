#include "smpp/pdu/tlv.h"

#include <gtest/gtest.h>

#include <set>

namespace bramka::smpp {
namespace {

TEST(TlvTest, KnownTagsTable) {
  EXPECT_EQ(tlv::kSarMsgRefNum, 0x020C);
  EXPECT_EQ(tlv::kReceiptedMessageId, 0x001E);
  EXPECT_EQ(tlv::kMessagePayload, 0x0424);
  EXPECT_EQ(tlv::kMessageState, 0x0427);
  EXPECT_EQ(tlv::kNetworkErrorCode, 0x0423);
  EXPECT_EQ(tlv::kItsSessionInfo, 0x1383);
  const auto& specs = KnownTlvSpecs();
  EXPECT_EQ(specs.size(), 44u);  // every optional parameter of SMPP 3.4 Table 5-12
  std::set<uint16_t> tags;
  for (const TlvSpec& s : specs) {
    EXPECT_TRUE(tags.insert(s.tag).second) << s.name;  // no duplicates
    EXPECT_LE(s.min_length, s.max_length) << s.name;
    EXPECT_EQ(FindTlvSpec(s.tag), &s);
  }
  const TlvSpec* sar = FindTlvSpec(tlv::kSarMsgRefNum);
  ASSERT_NE(sar, nullptr);
  EXPECT_EQ(sar->name, "sar_msg_ref_num");
  EXPECT_EQ(sar->kind, TlvKind::kU16);
  EXPECT_EQ(FindTlvSpec(0x1401), nullptr);
  EXPECT_EQ(TlvName(tlv::kCallbackNum), "callback_num");
  EXPECT_EQ(TlvName(0x1401), "");
}

TEST(TlvTest, TypedAccessors) {
  TlvList tlvs;
  EXPECT_FALSE(tlvs.sar_msg_ref_num().has_value());
  tlvs.set_sar_msg_ref_num(0xBEEF);
  tlvs.set_sar_total_segments(3);
  tlvs.set_qos_time_to_live(0x01020304);
  tlvs.set_receipted_message_id("abc");
  tlvs.set_message_payload(std::string("\x00\x01", 2));
  EXPECT_EQ(tlvs.sar_msg_ref_num(), 0xBEEF);
  EXPECT_EQ(tlvs.sar_total_segments(), 3);
  EXPECT_EQ(tlvs.qos_time_to_live(), 0x01020304u);
  EXPECT_EQ(tlvs.receipted_message_id(), "abc");
  EXPECT_EQ(tlvs.Find(tlv::kReceiptedMessageId)->value, std::string("abc\0", 4));
  EXPECT_EQ(tlvs.message_payload(), std::string("\x00\x01", 2));
  EXPECT_EQ(tlvs.Find(tlv::kSarMsgRefNum)->value, "\xBE\xEF");
  EXPECT_EQ(tlvs.GetInt(tlv::kQosTimeToLive), 0x01020304u);
  EXPECT_EQ(tlvs.size(), 5u);
  // Setting again replaces in place.
  tlvs.set_sar_msg_ref_num(1);
  EXPECT_EQ(tlvs.size(), 5u);
  EXPECT_EQ(tlvs.items()[0].tag, tlv::kSarMsgRefNum);
  EXPECT_EQ(tlvs.sar_msg_ref_num(), 1);
}

TEST(TlvTest, WrongLengthIntegersReadAsAbsent) {
  TlvList tlvs;
  tlvs.Add(tlv::kSarMsgRefNum, "\x01");
  EXPECT_FALSE(tlvs.sar_msg_ref_num().has_value());
  EXPECT_EQ(tlvs.GetInt(tlv::kSarMsgRefNum), 1u);
  tlvs.Add(0x1500, "abc");
  EXPECT_FALSE(tlvs.GetInt(0x1500).has_value());
}

TEST(TlvTest, COctetWithoutNulIsTolerated) {
  TlvList tlvs;
  tlvs.Add(tlv::kReceiptedMessageId, "12345");
  EXPECT_EQ(tlvs.receipted_message_id(), "12345");
  tlvs.Set(tlv::kReceiptedMessageId, std::string("", 0));
  EXPECT_EQ(tlvs.receipted_message_id(), "");
}

TEST(TlvTest, DuplicatesFirstWinsAndRemoveAll) {
  TlvList tlvs;
  tlvs.Add(0x1401, "a");
  tlvs.Add(0x1401, "b");
  tlvs.SetU8(tlv::kMessageState, 2);
  EXPECT_EQ(tlvs.Find(0x1401)->value, "a");
  EXPECT_EQ(tlvs.Remove(0x1401), 2u);
  EXPECT_FALSE(tlvs.Has(0x1401));
  EXPECT_EQ(tlvs.size(), 1u);
  tlvs.clear();
  EXPECT_TRUE(tlvs.empty());
}

TEST(TlvTest, NetworkErrorCode) {
  TlvList tlvs;
  EXPECT_FALSE(GetNetworkErrorCode(tlvs).has_value());
  SetNetworkErrorCode(tlvs, {3, 0x0102});
  EXPECT_EQ(tlvs.network_error_code(), "\x03\x01\x02");
  EXPECT_EQ(GetNetworkErrorCode(tlvs), (NetworkErrorCode{3, 0x0102}));
}

TEST(TlvTest, Equality) {
  TlvList a, b;
  a.set_source_port(1);
  b.set_source_port(1);
  EXPECT_EQ(a, b);
  b.set_destination_port(2);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace bramka::smpp
