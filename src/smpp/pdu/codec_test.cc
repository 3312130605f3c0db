// Codec tests: decode hex captures of real PDUs and assert every field; round-trip every
// PDU type; encoder validation; ToString.
#include "smpp/pdu/codec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "smpp/pdu/short_message.h"
#include "smpp/pdu/test_captures.h"
#include "smpp/pdu/test_hex.h"

namespace bramka::smpp {
namespace {

using testing::FromHex;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::ToHex;

Pdu MustDecode(std::string_view hex) {
  const std::string frame = FromHex(hex);
  DecodeResult r = Decode(frame);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
  return r.ok() ? std::move(r).value() : Pdu{};
}

std::string MustEncode(const Pdu& pdu) {
  Result<std::string> r = Encode(pdu);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : std::string();
}

TEST(CodecCaptureTest, KannelBindTransceiver) {
  const Pdu pdu = MustDecode(testing::kBindTransceiverKannel);
  EXPECT_EQ(pdu.command_id(), CommandId::kBindTransceiver);
  EXPECT_EQ(pdu.command_status, kEsmeRok);
  EXPECT_EQ(pdu.sequence_number, 1u);
  const auto* b = pdu.get<BindTransceiver>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->system_id, "smppclient1");
  EXPECT_EQ(b->password, "password");
  EXPECT_EQ(b->system_type, "VMA");
  EXPECT_EQ(b->interface_version, 0x34);
  EXPECT_EQ(b->addr_ton, 0);
  EXPECT_EQ(b->addr_npi, 0);
  EXPECT_EQ(b->address_range, "");
  EXPECT_TRUE(pdu.tlvs.empty());
}

TEST(CodecCaptureTest, BindTransmitterWithAddressRange) {
  const Pdu pdu = MustDecode(testing::kBindTransmitter);
  const auto* b = pdu.get<BindTransmitter>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 15u);
  EXPECT_EQ(b->system_id, "tx");
  EXPECT_EQ(b->password, "pw");
  EXPECT_EQ(b->system_type, "");
  EXPECT_EQ(b->interface_version, 0x34);
  EXPECT_EQ(b->addr_ton, 1);
  EXPECT_EQ(b->addr_npi, 1);
  EXPECT_EQ(b->address_range, "^48");
}

TEST(CodecCaptureTest, BindTransceiverRespWithScInterfaceVersion) {
  const Pdu pdu = MustDecode(testing::kBindTransceiverResp);
  const auto* b = pdu.get<BindTransceiverResp>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 1u);
  EXPECT_EQ(b->system_id, "SMSC");
  EXPECT_EQ(pdu.tlvs.sc_interface_version(), 0x34);
  EXPECT_EQ(pdu.tlvs.size(), 1u);
}

TEST(CodecCaptureTest, BindReceiverRespErrorWithoutBody) {
  const Pdu pdu = MustDecode(testing::kBindReceiverRespError);
  const auto* b = pdu.get<BindReceiverResp>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.command_status, kEsmeRinvpaswd);
  EXPECT_EQ(pdu.sequence_number, 16u);
  EXPECT_EQ(b->system_id, "");
}

TEST(CodecCaptureTest, SubmitSmWithUdh) {
  const Pdu pdu = MustDecode(testing::kSubmitSmUdh);
  const auto* b = pdu.get<SubmitSm>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 2u);
  EXPECT_EQ(b->service_type, "");
  EXPECT_EQ(b->source_addr_ton, 5);
  EXPECT_EQ(b->source_addr_npi, 0);
  EXPECT_EQ(b->source_addr, "Bramka");
  EXPECT_EQ(b->dest_addr_ton, 1);
  EXPECT_EQ(b->dest_addr_npi, 1);
  EXPECT_EQ(b->destination_addr, "48500600700");
  EXPECT_EQ(b->esm_class, 0x43);
  EXPECT_EQ(b->protocol_id, 0);
  EXPECT_EQ(b->priority_flag, 0);
  EXPECT_EQ(b->schedule_delivery_time, "");
  EXPECT_EQ(b->validity_period, "");
  EXPECT_EQ(b->registered_delivery, 1);
  EXPECT_EQ(b->replace_if_present_flag, 0);
  EXPECT_EQ(b->data_coding, 0);
  EXPECT_EQ(b->sm_default_msg_id, 0);
  EXPECT_EQ(b->short_message, FromHex("0500032a0201") + "Hello part one");
  EXPECT_TRUE(pdu.tlvs.empty());

  const auto user_data = SplitUserData(b->esm_class, b->short_message);
  ASSERT_TRUE(user_data.has_value());
  EXPECT_EQ(ToHex(user_data->udh), "0500032a0201");
  EXPECT_EQ(user_data->payload, "Hello part one");
  const auto concat = ConcatInfoOf(pdu);
  ASSERT_TRUE(concat.has_value());
  EXPECT_EQ(concat->reference, 0x2a);
  EXPECT_EQ(concat->total, 2);
  EXPECT_EQ(concat->sequence, 1);
}

TEST(CodecCaptureTest, SubmitSmResp) {
  const Pdu pdu = MustDecode(testing::kSubmitSmResp);
  ASSERT_TRUE(pdu.is<SubmitSmResp>());
  EXPECT_EQ(pdu.sequence_number, 2u);
  EXPECT_EQ(pdu.get<SubmitSmResp>()->message_id, "0a1b2c3d4e");
}

TEST(CodecCaptureTest, DeliverSmReceiptWithTlvs) {
  const Pdu pdu = MustDecode(testing::kDeliverSmReceipt);
  const auto* b = pdu.get<DeliverSm>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 7u);
  EXPECT_EQ(b->service_type, "");
  EXPECT_EQ(b->source_addr_ton, 1);
  EXPECT_EQ(b->source_addr_npi, 1);
  EXPECT_EQ(b->source_addr, "48500600700");
  EXPECT_EQ(b->dest_addr_ton, 5);
  EXPECT_EQ(b->dest_addr_npi, 0);
  EXPECT_EQ(b->destination_addr, "Bramka");
  EXPECT_EQ(b->esm_class, 0x04);
  EXPECT_TRUE(IsDeliveryReceipt(b->esm_class));
  EXPECT_EQ(b->protocol_id, 0);
  EXPECT_EQ(b->priority_flag, 0);
  EXPECT_EQ(b->schedule_delivery_time, "");
  EXPECT_EQ(b->validity_period, "");
  EXPECT_EQ(b->registered_delivery, 0);
  EXPECT_EQ(b->replace_if_present_flag, 0);
  EXPECT_EQ(b->data_coding, 0);
  EXPECT_EQ(b->sm_default_msg_id, 0);
  EXPECT_EQ(b->short_message,
            "id:0a1b2c3d4e sub:001 dlvrd:001 submit date:2401151030 done date:2401151031 "
            "stat:DELIVRD err:000 Text:Hello part one");
  ASSERT_EQ(pdu.tlvs.size(), 3u);
  EXPECT_EQ(pdu.tlvs.receipted_message_id(), "0a1b2c3d4e");
  EXPECT_EQ(pdu.tlvs.message_state(), static_cast<uint8_t>(MessageState::kDelivered));
  EXPECT_EQ(GetNetworkErrorCode(pdu.tlvs), (NetworkErrorCode{3, 0}));
  EXPECT_EQ(pdu.tlvs.items()[0].value, std::string("0a1b2c3d4e\0", 11));  // NUL kept raw
}

TEST(CodecCaptureTest, DeliverSmRespWithoutBody) {
  const Pdu pdu = MustDecode(testing::kDeliverSmRespBare);
  ASSERT_TRUE(pdu.is<DeliverSmResp>());
  EXPECT_EQ(pdu.sequence_number, 7u);
  EXPECT_EQ(pdu.get<DeliverSmResp>()->message_id, "");
}

TEST(CodecCaptureTest, MoWithVendorTlvKeepsRawBytes) {
  const Pdu pdu = MustDecode(testing::kDeliverSmMoVendorTlv);
  const auto* b = pdu.get<DeliverSm>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->source_addr, "48500600700");
  EXPECT_EQ(b->dest_addr_ton, 0);
  EXPECT_EQ(b->dest_addr_npi, 1);
  EXPECT_EQ(b->destination_addr, "4321");
  EXPECT_EQ(b->esm_class, 0);
  EXPECT_EQ(b->short_message, "STOP");
  ASSERT_EQ(pdu.tlvs.size(), 1u);
  EXPECT_EQ(pdu.tlvs.items()[0].tag, 0x1401);
  EXPECT_EQ(pdu.tlvs.items()[0].value, FromHex("010203"));
  EXPECT_EQ(MessageContent(pdu), "STOP");
  EXPECT_FALSE(ConcatInfoOf(pdu).has_value());
}

TEST(CodecCaptureTest, HeaderOnlyPdus) {
  struct Case {
    const char* hex;
    CommandId id;
    uint32_t seq;
    uint32_t status;
  };
  const Case cases[] = {
      {testing::kEnquireLink, CommandId::kEnquireLink, 3, 0},
      {testing::kEnquireLinkResp, CommandId::kEnquireLinkResp, 3, 0},
      {testing::kGenericNackInvCmdId, CommandId::kGenericNack, 9, kEsmeRinvcmdid},
      {testing::kUnbind, CommandId::kUnbind, 10, 0},
      {testing::kUnbindResp, CommandId::kUnbindResp, 10, 0},
      {testing::kCancelSmResp, CommandId::kCancelSmResp, 11, 0},
      {testing::kReplaceSmResp, CommandId::kReplaceSmResp, 12, 0},
  };
  for (const Case& c : cases) {
    const Pdu pdu = MustDecode(c.hex);
    EXPECT_EQ(pdu.command_id(), c.id) << c.hex;
    EXPECT_EQ(pdu.sequence_number, c.seq) << c.hex;
    EXPECT_EQ(pdu.command_status, c.status) << c.hex;
    EXPECT_TRUE(pdu.tlvs.empty());
  }
}

TEST(CodecCaptureTest, SubmitMultiToSmeAndList) {
  const Pdu pdu = MustDecode(testing::kSubmitMulti);
  const auto* b = pdu.get<SubmitMulti>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 4u);
  EXPECT_EQ(b->service_type, "CMT");
  EXPECT_EQ(b->source_addr_ton, 5);
  EXPECT_EQ(b->source_addr_npi, 0);
  EXPECT_EQ(b->source_addr, "Bramka");
  ASSERT_EQ(b->dest_addresses.size(), 2u);
  EXPECT_EQ(b->dest_addresses[0], (DestAddress{DestAddress::kSmeAddress, 1, 1, "48500600700"}));
  EXPECT_EQ(b->dest_addresses[1], (DestAddress{DestAddress::kDistributionList, 0, 0, "friends"}));
  EXPECT_EQ(b->esm_class, 0);
  EXPECT_EQ(b->protocol_id, 0);
  EXPECT_EQ(b->priority_flag, 1);
  EXPECT_EQ(b->schedule_delivery_time, "");
  EXPECT_EQ(b->validity_period, "000001000000000R");
  EXPECT_EQ(b->registered_delivery, 1);
  EXPECT_EQ(b->replace_if_present_flag, 0);
  EXPECT_EQ(b->data_coding, kDataCodingUcs2);
  EXPECT_EQ(b->sm_default_msg_id, 0);
  EXPECT_EQ(b->short_message, FromHex("017c00f3"));
}

TEST(CodecCaptureTest, SubmitMultiRespWithUnsuccessSme) {
  const Pdu pdu = MustDecode(testing::kSubmitMultiResp);
  const auto* b = pdu.get<SubmitMultiResp>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->message_id, "77");
  ASSERT_EQ(b->unsuccess_smes.size(), 1u);
  EXPECT_EQ(b->unsuccess_smes[0], (UnsuccessSme{1, 1, "48600700800", kEsmeRinvdstadr}));
}

TEST(CodecCaptureTest, DataSmWithSarAndPayload) {
  const Pdu pdu = MustDecode(testing::kDataSmSar);
  const auto* b = pdu.get<DataSm>();
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(pdu.sequence_number, 5u);
  EXPECT_EQ(b->service_type, "");
  EXPECT_EQ(b->source_addr_ton, 1);
  EXPECT_EQ(b->source_addr_npi, 1);
  EXPECT_EQ(b->source_addr, "48500600700");
  EXPECT_EQ(b->dest_addr_ton, 0);
  EXPECT_EQ(b->dest_addr_npi, 0);
  EXPECT_EQ(b->destination_addr, "4321");
  EXPECT_EQ(b->esm_class, 0);
  EXPECT_EQ(b->registered_delivery, 0);
  EXPECT_EQ(b->data_coding, 0);
  EXPECT_EQ(pdu.tlvs.sar_msg_ref_num(), 0x1234);
  EXPECT_EQ(pdu.tlvs.sar_total_segments(), 3);
  EXPECT_EQ(pdu.tlvs.sar_segment_seqnum(), 2);
  EXPECT_EQ(pdu.tlvs.message_payload(), "second part");
  EXPECT_EQ(MessageContent(pdu), "second part");
  const auto concat = ConcatInfoOf(pdu);
  ASSERT_TRUE(concat.has_value());
  EXPECT_EQ(concat->reference, 0x1234);
  EXPECT_EQ(concat->total, 3);
  EXPECT_EQ(concat->sequence, 2);
}

TEST(CodecCaptureTest, DataSmResp) {
  const Pdu pdu = MustDecode(testing::kDataSmResp);
  ASSERT_TRUE(pdu.is<DataSmResp>());
  EXPECT_EQ(pdu.get<DataSmResp>()->message_id, "abc");
  EXPECT_EQ(pdu.tlvs.delivery_failure_reason(), 1);
  EXPECT_EQ(pdu.tlvs.additional_status_info_text(), "no route");
}

TEST(CodecCaptureTest, QueryCancelReplace) {
  const Pdu query = MustDecode(testing::kQuerySm);
  ASSERT_TRUE(query.is<QuerySm>());
  EXPECT_EQ(*query.get<QuerySm>(), (QuerySm{"0a1b2c3d4e", 5, 0, "Bramka"}));

  const Pdu query_resp = MustDecode(testing::kQuerySmResp);
  ASSERT_TRUE(query_resp.is<QuerySmResp>());
  EXPECT_EQ(*query_resp.get<QuerySmResp>(), (QuerySmResp{"0a1b2c3d4e", "240115103100000+", 2, 0}));
  EXPECT_EQ(MessageStateName(query_resp.get<QuerySmResp>()->message_state), "DELIVERED");

  const Pdu cancel = MustDecode(testing::kCancelSm);
  ASSERT_TRUE(cancel.is<CancelSm>());
  EXPECT_EQ(*cancel.get<CancelSm>(),
            (CancelSm{"", "0a1b2c3d4e", 5, 0, "Bramka", 1, 1, "48500600700"}));

  const Pdu replace = MustDecode(testing::kReplaceSm);
  ASSERT_TRUE(replace.is<ReplaceSm>());
  EXPECT_EQ(*replace.get<ReplaceSm>(),
            (ReplaceSm{"0a1b2c3d4e", 5, 0, "Bramka", "", "", 1, 0, "New"}));
}

TEST(CodecCaptureTest, OutbindAndAlertNotification) {
  const Pdu outbind = MustDecode(testing::kOutbind);
  ASSERT_TRUE(outbind.is<Outbind>());
  EXPECT_EQ(*outbind.get<Outbind>(), (Outbind{"SMSC", "secret"}));

  const Pdu alert = MustDecode(testing::kAlertNotification);
  ASSERT_TRUE(alert.is<AlertNotification>());
  EXPECT_EQ(*alert.get<AlertNotification>(),
            (AlertNotification{1, 1, "48500600700", 5, 0, "Bramka"}));
  EXPECT_EQ(alert.tlvs.ms_availability_status(), 0);
}

// Every capture whose body is complete re-encodes to the same bytes.
TEST(CodecRoundTripTest, CapturesReencodeByteForByte) {
  const char* captures[] = {
      testing::kBindTransceiverKannel,
      testing::kBindTransceiverResp,
      testing::kSubmitSmUdh,
      testing::kSubmitSmResp,
      testing::kDeliverSmReceipt,
      testing::kEnquireLink,
      testing::kEnquireLinkResp,
      testing::kGenericNackInvCmdId,
      testing::kUnbind,
      testing::kUnbindResp,
      testing::kSubmitMulti,
      testing::kSubmitMultiResp,
      testing::kDataSmSar,
      testing::kDataSmResp,
      testing::kQuerySm,
      testing::kQuerySmResp,
      testing::kCancelSm,
      testing::kCancelSmResp,
      testing::kReplaceSm,
      testing::kReplaceSmResp,
      testing::kOutbind,
      testing::kAlertNotification,
      testing::kBindTransmitter,
      testing::kDeliverSmMoVendorTlv,
  };
  for (const char* hex : captures) {
    const std::string frame = FromHex(hex);
    const Pdu pdu = MustDecode(hex);
    EXPECT_EQ(ToHex(MustEncode(pdu)), ToHex(frame)) << ToString(pdu);
  }
}

TEST(CodecRoundTripTest, BareResponsesReencodeWithBodyAndSameValue) {
  for (const char* hex : {testing::kDeliverSmRespBare, testing::kBindReceiverRespError}) {
    const Pdu pdu = MustDecode(hex);
    const std::string bytes = MustEncode(pdu);
    EXPECT_EQ(bytes.size(), 17u);  // header + the message_id / system_id NUL
    EXPECT_EQ(MustDecode(ToHex(bytes)), pdu);
  }
}

// One PDU of every type with every field away from its default.
std::vector<Pdu> SampleOfEveryType() {
  std::vector<Pdu> out;
  const BindTransmitter bind{"sys", "pw", "type", 0x34, 1, 2, "^48"};
  out.push_back({.sequence_number = 1, .body = bind});
  out.push_back(
      {.sequence_number = 2,
       .body = BindReceiver{bind.system_id, bind.password, bind.system_type, 0x33, 3, 4, "range"}});
  out.push_back({.sequence_number = 3, .body = BindTransceiver{"a", "b", "c", 0x34, 5, 6, "d"}});
  out.push_back({.sequence_number = 1, .body = BindTransmitterResp{"SMSC"}});
  out.push_back(
      {.command_status = kEsmeRbindfail, .sequence_number = 2, .body = BindReceiverResp{"SMSC"}});
  Pdu trx_resp{.sequence_number = 3, .body = BindTransceiverResp{"SMSC"}};
  trx_resp.tlvs.set_sc_interface_version(0x34);
  out.push_back(trx_resp);
  out.push_back({.sequence_number = 4, .body = Outbind{"SMSC", "pw"}});
  out.push_back({.sequence_number = 5, .body = Unbind{}});
  out.push_back({.sequence_number = 5, .body = UnbindResp{}});
  out.push_back({.command_status = kEsmeRinvcmdlen, .sequence_number = 6, .body = GenericNack{}});
  Pdu submit{.sequence_number = 7,
             .body = SubmitSm{"CMT", 5, 0, "Bramka", 1, 1, "48500600700", 0x40, 0x7F, 1,
                              "240115103000000+", "000001000000000R", 1, 1, 8, 1,
                              std::string("\x05\x00\x03\x01\x02\x01\x00\x41", 8)}};
  submit.tlvs.set_user_message_reference(42);
  submit.tlvs.set_source_port(1000);
  submit.tlvs.set_destination_port(2000);
  submit.tlvs.set_more_messages_to_send(1);
  submit.tlvs.set_callback_num(
      std::string("\x01\x01\x01"
                  "48500",
                  8));
  submit.tlvs.set_alert_on_message_delivery("");
  out.push_back(submit);
  out.push_back({.sequence_number = 7, .body = SubmitSmResp{"ffffffffff"}});
  SubmitMulti multi{"", 1, 1, "48500", {}, 3, 0, 0, "", "", 0, 0, 0, 0, "hi"};
  multi.dest_addresses = {{DestAddress::kSmeAddress, 1, 1, "48600"},
                          {DestAddress::kDistributionList, 0, 0, "list"}};
  out.push_back({.sequence_number = 8, .body = multi});
  out.push_back({.sequence_number = 8,
                 .body = SubmitMultiResp{
                     "m1", {{1, 1, "48600", kEsmeRinvdstadr}, {0, 0, "", kEsmeRsyserr}}}});
  Pdu deliver{.sequence_number = 9,
              .body = DeliverSm{"", 1, 1, "48500", 0, 0, "4321", 0x04, 0, 0, "", "", 0, 0, 0, 0,
                                "id:1 stat:DELIVRD"}};
  deliver.tlvs.set_receipted_message_id("1");
  deliver.tlvs.set_message_state(static_cast<uint8_t>(MessageState::kDelivered));
  SetNetworkErrorCode(deliver.tlvs, {3, 0x1234});
  deliver.tlvs.Add(0x1403, "vendor");
  out.push_back(deliver);
  out.push_back({.sequence_number = 9, .body = DeliverSmResp{}});
  Pdu data{.sequence_number = 10,
           .body = DataSm{"WAP", 2, 3, std::string(64, '1'), 4, 5, std::string(64, '2'), 1, 1, 4}};
  data.tlvs.set_sar_msg_ref_num(7);
  data.tlvs.set_sar_total_segments(2);
  data.tlvs.set_sar_segment_seqnum(2);
  data.tlvs.set_message_payload(std::string(1000, 'x'));
  data.tlvs.set_qos_time_to_live(3600);
  out.push_back(data);
  Pdu data_resp{
      .command_status = kEsmeRdeliveryfailure, .sequence_number = 10, .body = DataSmResp{"id"}};
  data_resp.tlvs.set_delivery_failure_reason(2);
  data_resp.tlvs.set_dpf_result(1);
  out.push_back(data_resp);
  out.push_back({.sequence_number = 11, .body = QuerySm{"id", 1, 1, "48500"}});
  out.push_back({.sequence_number = 11, .body = QuerySmResp{"id", "240115103100000+", 5, 12}});
  out.push_back({.sequence_number = 12, .body = CancelSm{"", "id", 1, 1, "48500", 1, 1, "48600"}});
  out.push_back({.sequence_number = 12, .body = CancelSmResp{}});
  out.push_back({.sequence_number = 13,
                 .body = ReplaceSm{"id", 1, 1, "48500", "", "", 1, 0, std::string(255, 'r')}});
  out.push_back({.sequence_number = 13, .body = ReplaceSmResp{}});
  out.push_back({.sequence_number = 14, .body = EnquireLink{}});
  out.push_back({.sequence_number = 14, .body = EnquireLinkResp{}});
  Pdu alert{.sequence_number = 0x7FFFFFFF,
            .body = AlertNotification{1, 1, "48500", 0, 0, std::string(64, 'e')}};
  alert.tlvs.set_ms_availability_status(1);
  out.push_back(alert);
  return out;
}

TEST(CodecRoundTripTest, EveryPduType) {
  const std::vector<Pdu> samples = SampleOfEveryType();
  std::vector<bool> seen(64, false);
  int types = 0;
  for (const Pdu& pdu : samples) {
    const std::string bytes = MustEncode(pdu);
    const auto header = PeekHeader(bytes);
    ASSERT_TRUE(header.has_value());
    EXPECT_EQ(header->command_length, bytes.size());
    EXPECT_EQ(header->command_id, static_cast<uint32_t>(pdu.command_id()));
    EXPECT_EQ(header->sequence_number, pdu.sequence_number);
    DecodeResult back = Decode(bytes);
    ASSERT_TRUE(back.ok()) << back.error().ToString();
    EXPECT_EQ(*back, pdu) << ToString(pdu) << "\n" << ToString(*back);
    const size_t index = pdu.body.index();
    if (!seen[index]) ++types;
    seen[index] = true;
  }
  EXPECT_EQ(types, static_cast<int>(std::variant_size_v<PduBody>));
  EXPECT_EQ(std::variant_size_v<PduBody>, 27u);
}

TEST(CodecRoundTripTest, DefaultBodyOfEveryCommandId) {
  for (uint32_t id :
       {0x80000000u, 1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u, 9u, 0xBu, 0x15u, 0x21u, 0x102u, 0x103u}) {
    for (uint32_t cid : {id, id | kResponseBit}) {
      auto body = MakeBody(cid);
      if (!body) continue;
      Pdu pdu{.sequence_number = 99, .body = *body};
      if (pdu.is<SubmitMulti>()) pdu.get<SubmitMulti>()->dest_addresses.resize(1);
      EXPECT_EQ(static_cast<uint32_t>(pdu.command_id()), cid);
      const std::string bytes = MustEncode(pdu);
      DecodeResult back = Decode(bytes);
      ASSERT_TRUE(back.ok()) << back.error().ToString();
      EXPECT_EQ(*back, pdu);
    }
  }
}

TEST(CodecEncodeTest, EncodeToAppendsAndRestoresOnError) {
  std::string out = "prefix";
  ASSERT_TRUE(EncodeTo(Pdu{.sequence_number = 1, .body = EnquireLink{}}, out).ok());
  EXPECT_EQ(ToHex(out.substr(6)), "00000010000000150000000000000001");
  const std::string before = out;
  const Pdu bad{.body = SubmitSm{.source_addr = std::string(21, 'x')}};
  EXPECT_FALSE(EncodeTo(bad, out).ok());
  EXPECT_EQ(out, before);
}

TEST(CodecEncodeTest, RejectsWhatCannotBeDecoded) {
  struct Case {
    Pdu pdu;
    const char* expect;
  };
  Pdu partial_sar{.body = SubmitSm{}};
  partial_sar.tlvs.set_sar_msg_ref_num(1);
  Pdu bad_seq{.body = SubmitSm{}};
  bad_seq.tlvs.set_sar_msg_ref_num(1);
  bad_seq.tlvs.set_sar_total_segments(2);
  bad_seq.tlvs.set_sar_segment_seqnum(3);
  Pdu bad_tlv_len{.body = DeliverSm{}};
  bad_tlv_len.tlvs.Set(tlv::kMessageState, "\x01\x02");
  Pdu huge_tlv{.body = DataSm{}};
  huge_tlv.tlvs.Add(0x1500, std::string(70000, 'x'));
  std::vector<Case> cases;
  cases.push_back({Pdu{.body = BindTransceiver{.system_id = std::string(16, 's')}},
                   "bind_transceiver: system_id longer than 15 characters"});
  cases.push_back(
      {Pdu{.body = BindTransceiver{.password = std::string(9, 'p')}}, "password longer than 8"});
  cases.push_back(
      {Pdu{.body = SubmitSm{.source_addr = std::string("a\0b", 3)}}, "source_addr contains a NUL"});
  cases.push_back({Pdu{.body = SubmitSm{.short_message = std::string(256, 'x')}},
                   "short_message longer than 255 octets"});
  cases.push_back({Pdu{.body = SubmitMulti{}}, "dest_addresses must hold 1..254"});
  cases.push_back(
      {Pdu{.body = SubmitMulti{.dest_addresses = {{.dest_flag = 3}}}}, "dest_flag must be 1 or 2"});
  cases.push_back({partial_sar, "sar_total_segments missing"});
  cases.push_back({bad_seq, "sar_segment_seqnum out of range"});
  cases.push_back({bad_tlv_len, "message_state length 2 outside 1..1"});
  cases.push_back({huge_tlv, "longer than 65535"});
  for (const Case& c : cases) {
    Result<std::string> r = Encode(c.pdu);
    ASSERT_FALSE(r.ok()) << ToString(c.pdu);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message, HasSubstr(c.expect));
  }
}

TEST(CodecEncodeTest, MaximalFieldsEncode) {
  Pdu pdu{.body = SubmitSm{.service_type = "12345",
                           .source_addr = std::string(20, 's'),
                           .destination_addr = std::string(20, 'd'),
                           .schedule_delivery_time = std::string(16, '0'),
                           .validity_period = std::string(16, '0'),
                           .short_message = std::string(255, 'm')}};
  EXPECT_TRUE(Encode(pdu).ok());
}

TEST(CodecDecodeTest, UnterminatedLastStringOfResponseIsAccepted) {
  // submit_sm_resp whose message_id lacks its NUL (seen from some SMSCs).
  const Pdu pdu = MustDecode("0000001a 80000004 00000000 00000002 30613162326333643465");
  EXPECT_EQ(pdu.get<SubmitSmResp>()->message_id, "0a1b2c3d4e");
}

TEST(CodecDecodeTest, RequestCommandStatusIsNotChecked) {
  const Pdu pdu = MustDecode("00000010 00000015 00000008 00000000");
  EXPECT_EQ(pdu.command_status, kEsmeRsyserr);
  EXPECT_EQ(pdu.sequence_number, 0u);
}

TEST(CodecDecodeTest, DuplicateTlvsAreKeptInOrder) {
  const Pdu pdu =
      MustDecode("0000001f 00000015 00000000 00000001 1401 0001 01 0204 0002 0007 1401 0000");
  ASSERT_EQ(pdu.tlvs.size(), 3u);
  EXPECT_EQ(pdu.tlvs.items()[0].value, "\x01");
  EXPECT_EQ(pdu.tlvs.user_message_reference(), 7);
  EXPECT_EQ(pdu.tlvs.items()[2].value, "");
  EXPECT_EQ(ToHex(MustEncode(pdu)),
            "0000001f000000150000000000000001140100010102040002000714010000");
}

TEST(PduTest, CommandNamesAndResponses) {
  EXPECT_EQ(CommandName(CommandId::kSubmitSm), "submit_sm");
  EXPECT_EQ(CommandName(0x80000021u), "submit_multi_resp");
  EXPECT_EQ(CommandName(0x99u), "");
  EXPECT_EQ(FormatCommandId(0x99u), "0x00000099");
  EXPECT_TRUE(IsKnownCommandId(0x103));
  EXPECT_FALSE(IsKnownCommandId(0x80000102));  // alert_notification has no response
  EXPECT_EQ(ResponseIdFor(CommandId::kSubmitSm), CommandId::kSubmitSmResp);
  EXPECT_EQ(ResponseIdFor(CommandId::kDataSm), CommandId::kDataSmResp);
  EXPECT_EQ(ResponseIdFor(CommandId::kOutbind), std::nullopt);
  EXPECT_EQ(ResponseIdFor(CommandId::kAlertNotification), std::nullopt);
  EXPECT_EQ(ResponseIdFor(CommandId::kSubmitSmResp), std::nullopt);
  EXPECT_EQ(ResponseIdFor(CommandId::kGenericNack), std::nullopt);
  EXPECT_EQ(RequestIdFor(CommandId::kBindTransceiverResp), CommandId::kBindTransceiver);
  EXPECT_EQ(RequestIdFor(CommandId::kGenericNack), std::nullopt);
  EXPECT_EQ(RequestIdFor(CommandId::kSubmitSm), std::nullopt);

  const Pdu request{.sequence_number = 77, .body = SubmitSm{.source_addr = "x"}};
  const Pdu resp = MakeResponse(request, kEsmeRthrottled);
  EXPECT_TRUE(resp.is<SubmitSmResp>());
  EXPECT_EQ(resp.sequence_number, 77u);
  EXPECT_EQ(resp.command_status, kEsmeRthrottled);
  EXPECT_TRUE(resp.is_response());
  EXPECT_TRUE(
      MakeResponse(Pdu{.sequence_number = 3, .body = AlertNotification{}}, 4).is<GenericNack>());
  EXPECT_EQ(Pdu{}.command_id(), CommandId::kGenericNack);
}

TEST(CommandStatusTest, NamesAndTexts) {
  EXPECT_EQ(kEsmeRinvbndsts, 0x04u);
  EXPECT_EQ(kEsmeRinvoptparstream, 0xC0u);
  EXPECT_EQ(CommandStatusName(kEsmeRok), "ESME_ROK");
  EXPECT_EQ(CommandStatusName(kEsmeRinvbndsts), "ESME_RINVBNDSTS");
  EXPECT_EQ(CommandStatusName(kEsmeRxTAppn), "ESME_RX_T_APPN");
  EXPECT_EQ(CommandStatusName(0x09), "");
  EXPECT_EQ(CommandStatusText(kEsmeRthrottled),
            "Throttling error (ESME has exceeded allowed message limits)");
  EXPECT_EQ(CommandStatusText(0x0412), "SMSC vendor-specific error");
  EXPECT_EQ(CommandStatusText(0x0099), "Reserved");
  EXPECT_EQ(FormatCommandStatus(kEsmeRmsgqful), "ESME_RMSGQFUL(0x00000014)");
  EXPECT_EQ(FormatCommandStatus(0x0412), "0x00000412");
  EXPECT_TRUE(IsVendorSpecificStatus(0x0400));
  EXPECT_FALSE(IsVendorSpecificStatus(0x0500));
}

TEST(ToStringTest, SubmitSmLine) {
  Pdu pdu = MustDecode(testing::kSubmitSmUdh);
  pdu.tlvs.set_user_message_reference(7);
  pdu.tlvs.Add(0x1401, "\x01");
  const std::string line = ToString(pdu);
  EXPECT_THAT(line, HasSubstr("submit_sm seq=2 status=ESME_ROK(0x00000000)"));
  EXPECT_THAT(line, HasSubstr("source_addr=\"Bramka\""));
  EXPECT_THAT(line, HasSubstr("esm_class=0x43"));
  EXPECT_THAT(line, HasSubstr("short_message=hex:0500032a020148656c6c6f"));
  EXPECT_THAT(line, HasSubstr("tlvs=[user_message_reference=7 0x1401=hex:01]"));
}

TEST(ToStringTest, NeverPrintsPasswords) {
  const std::string line = ToString(MustDecode(testing::kBindTransceiverKannel));
  EXPECT_THAT(line, HasSubstr("system_id=\"smppclient1\" password=*** system_type=\"VMA\""));
  EXPECT_THAT(line, Not(HasSubstr("password\"")));
  EXPECT_THAT(ToString(MustDecode(testing::kOutbind)), Not(HasSubstr("secret")));
}

TEST(ToStringTest, ReceiptAndLists) {
  EXPECT_THAT(ToString(MustDecode(testing::kDeliverSmReceipt)),
              HasSubstr("tlvs=[receipted_message_id=\"0a1b2c3d4e\" message_state=2 "
                        "network_error_code=hex:030000]"));
  EXPECT_THAT(ToString(MustDecode(testing::kSubmitMulti)),
              HasSubstr("dest_addresses=[1/1/\"48500600700\" dl:\"friends\"]"));
  EXPECT_THAT(ToString(MustDecode(testing::kSubmitMultiResp)),
              HasSubstr("unsuccess_smes=[1/1/\"48600700800\":ESME_RINVDSTADR(0x0000000B)]"));
  const Pdu big{.body = SubmitSm{.short_message = std::string(200, 'a')}};
  EXPECT_THAT(ToString(big), HasSubstr("...(200 octets)"));
}

}  // namespace
}  // namespace bramka::smpp
