#include "smpp/pdu/short_message.h"

#include <gtest/gtest.h>

#include "sms/segmentation.h"

namespace bramka::smpp {
namespace {

TEST(ShortMessageTest, EsmClassBits) {
  EXPECT_TRUE(IsDeliveryReceipt(0x04));
  EXPECT_TRUE(IsDeliveryReceipt(0x44));  // receipt with UDH
  EXPECT_FALSE(IsDeliveryReceipt(0x08));
  EXPECT_FALSE(IsDeliveryReceipt(0x00));
  EXPECT_TRUE(HasUdh(0x43));
  EXPECT_FALSE(HasUdh(0x03));
}

TEST(ShortMessageTest, MessageStates) {
  EXPECT_EQ(MessageStateName(2), "DELIVERED");
  EXPECT_EQ(MessageStateName(8), "REJECTED");
  EXPECT_EQ(MessageStateName(0), "");
  EXPECT_EQ(MessageStateName(9), "");
  EXPECT_EQ(ReceiptStat(MessageState::kDelivered), "DELIVRD");
  EXPECT_EQ(ReceiptStat(MessageState::kUndeliverable), "UNDELIV");
  EXPECT_EQ(ReceiptStat(MessageState::kAccepted), "ACCEPTD");
  EXPECT_EQ(MessageStateFromReceiptStat("REJECTD"), MessageState::kRejected);
  EXPECT_EQ(MessageStateFromReceiptStat("EXPIRED"), MessageState::kExpired);
  EXPECT_EQ(MessageStateFromReceiptStat("nope"), std::nullopt);
  for (int s = 1; s <= 8; ++s) {
    const auto state = static_cast<MessageState>(s);
    EXPECT_EQ(MessageStateFromReceiptStat(ReceiptStat(state)), state);
  }
}

TEST(ShortMessageTest, SplitUserData) {
  EXPECT_EQ(SplitUserData(0x00, "abc")->payload, "abc");
  EXPECT_EQ(SplitUserData(0x00, "abc")->udh, "");
  const std::string sm = sms::MakeConcatUdh(0x1234, 3, 2, true) + "text";
  const auto ud = SplitUserData(0x40, sm);
  ASSERT_TRUE(ud.has_value());
  EXPECT_EQ(ud->udh.size(), 7u);
  EXPECT_EQ(ud->payload, "text");
  EXPECT_FALSE(SplitUserData(0x40, "").has_value());
  EXPECT_FALSE(SplitUserData(0x40, "\x05\x00\x03").has_value());  // UDHL past the end
}

TEST(ShortMessageTest, ConcatFromSixteenBitUdh) {
  Pdu pdu{.body = DeliverSm{.esm_class = kEsmClassUdhi,
                            .short_message = sms::MakeConcatUdh(0x1234, 3, 2, true) + "x"}};
  const auto info = ConcatInfoOf(pdu);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->reference, 0x1234);
  EXPECT_EQ(info->total, 3);
  EXPECT_EQ(info->sequence, 2);
  // Without UDHI the same bytes are text.
  pdu.get<DeliverSm>()->esm_class = 0;
  EXPECT_FALSE(ConcatInfoOf(pdu).has_value());
}

TEST(ShortMessageTest, SarWinsOverUdhAndPayloadFallback) {
  Pdu pdu{.body = SubmitSm{.esm_class = kEsmClassUdhi}};
  pdu.tlvs.set_message_payload(sms::MakeConcatUdh(9, 2, 1, false) + "payload");
  EXPECT_EQ(MessageContent(pdu).substr(6), "payload");
  EXPECT_EQ(ConcatInfoOf(pdu)->reference, 9);
  pdu.tlvs.set_sar_msg_ref_num(77);
  pdu.tlvs.set_sar_total_segments(4);
  pdu.tlvs.set_sar_segment_seqnum(4);
  EXPECT_EQ(ConcatInfoOf(pdu)->reference, 77);
  EXPECT_EQ(EsmClassOf(pdu), kEsmClassUdhi);
  EXPECT_EQ(EsmClassOf(Pdu{.body = EnquireLink{}}), std::nullopt);
  EXPECT_EQ(MessageContent(Pdu{.body = EnquireLink{}}), "");
}

}  // namespace
}  // namespace bramka::smpp
