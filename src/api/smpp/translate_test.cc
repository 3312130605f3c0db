#include "api/smpp/translate.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "smpp/pdu/command_status.h"
#include "smpp/pdu/short_message.h"
#include "sms/receipt.h"
#include "sms/segmentation.h"

namespace bramka::api::smpp {
namespace {

namespace wire = bramka::smpp;

WireMessage Extract(const Pdu& pdu) {
  auto r = ExtractMessage(pdu);
  EXPECT_TRUE(std::holds_alternative<WireMessage>(r));
  return std::get<WireMessage>(r);
}

DecodedText Decode(uint8_t dc, std::string_view octets) {
  auto r = DecodeText(dc, octets);
  EXPECT_TRUE(std::holds_alternative<DecodedText>(r));
  return std::holds_alternative<DecodedText>(r) ? std::get<DecodedText>(r) : DecodedText{};
}

TEST(TranslateTest, DataCodings) {
  EXPECT_EQ(Decode(0, "Hello @").utf8, "Hello \xC2\xA1");  // GSM 0x40 is '¡'
  EXPECT_EQ(Decode(0, std::string("\x00", 1)).utf8, "@");
  EXPECT_FALSE(Decode(0, "plain").unicode);
  // ADR 0004: UTF-8 in data_coding 0.
  auto utf8 = Decode(0, "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87");  // Zażółć
  EXPECT_EQ(utf8.utf8, "Za\xC5\xBC\xC3\xB3\xC5\x82\xC4\x87");
  EXPECT_TRUE(utf8.unicode);
  EXPECT_EQ(Decode(0, "caf\xE9").utf8, "caf\xC3\xA9");  // not UTF-8: Latin-1
  EXPECT_EQ(Decode(1, "a@b").utf8, "a@b");
  EXPECT_EQ(Decode(3, "\xE9").utf8, "\xC3\xA9");
  auto ucs2 = Decode(8, std::string("\x00h\x00i", 4));
  EXPECT_EQ(ucs2.utf8, "hi");
  EXPECT_TRUE(ucs2.unicode);
  EXPECT_EQ(Decode(0x18, std::string("\x00h", 2)).utf8, "h");  // UCS-2, class 0
  EXPECT_TRUE(std::holds_alternative<Refusal>(DecodeText(4, "x")));
  EXPECT_TRUE(std::holds_alternative<Refusal>(DecodeText(8, "odd")));
}

TEST(TranslateTest, SourceAddressDecidesTheType) {
  store::SmppUser user;
  user.id = 9;
  Pdu pdu{.body = wire::SubmitSm{.source_addr = "SMSECO",
                                 .dest_addr_ton = 1,
                                 .destination_addr = "48500600700",
                                 .registered_delivery = 1,
                                 .short_message = "hi"}};
  auto eco = std::get<core::SubmitRequest>(
      ToSubmitRequest(Extract(pdu), Decode(0, "hi"), user, SystemTime{}));
  EXPECT_FALSE(eco.sender.has_value());
  EXPECT_EQ(eco.phones, std::vector<std::string>{"+48500600700"});
  EXPECT_EQ(eco.smpp_user_id, 9);
  EXPECT_EQ(eco.smpp_registered_delivery, 1);
  EXPECT_EQ(eco.source, "smpp");

  pdu.get<wire::SubmitSm>()->source_addr = "VOICE";
  pdu.get<wire::SubmitSm>()->data_coding = 8;
  auto voice = std::get<core::SubmitRequest>(
      ToSubmitRequest(Extract(pdu), Decode(8, std::string("\x00h", 2)), user, SystemTime{}));
  EXPECT_EQ(voice.kind, core::SubmitKind::kVoice);

  pdu.get<wire::SubmitSm>()->source_addr = "Firma";
  pdu.get<wire::SubmitSm>()->data_coding = 0xF0;  // class 0: flash
  auto full = std::get<core::SubmitRequest>(
      ToSubmitRequest(Extract(pdu), Decode(0xF0, "x"), user, SystemTime{}));
  EXPECT_EQ(full.sender, "Firma");
  EXPECT_TRUE(full.flash);
  EXPECT_EQ(full.kind, core::SubmitKind::kSms);
}

TEST(TranslateTest, ScheduleTimes) {
  const SystemTime now = FromUnixMillis(1'700'000'000'000);
  auto rel = ParseSmppTime("000000010000000R", now);
  ASSERT_TRUE(rel);
  EXPECT_EQ(*rel - now, std::chrono::hours(1));
  auto abs = ParseSmppTime("261126100000004+", now);  // 10:00 at UTC+1
  ASSERT_TRUE(abs);
  EXPECT_EQ(ToUnixMillis(*abs), 1795683600000);  // 2026-11-26 09:00:00 UTC
  EXPECT_FALSE(ParseSmppTime("2611261000", now));
  EXPECT_FALSE(ParseSmppTime("261326100000004+", now));
}

TEST(TranslateTest, UdhAndSarParts) {
  const std::string udh = sms::MakeConcatUdh(0x1234, 2, 1, /*sixteen_bit_reference=*/true);
  Pdu pdu{.body = wire::SubmitSm{.destination_addr = "500600700",
                                 .esm_class = wire::kEsmClassUdhi,
                                 .short_message = udh + "part one"}};
  auto m = Extract(pdu);
  ASSERT_TRUE(m.concat);
  EXPECT_EQ(m.concat->reference, 0x1234);
  EXPECT_EQ(m.concat->total, 2);
  EXPECT_EQ(m.user_data, "part one");

  Pdu sar{.body = wire::SubmitSm{.destination_addr = "500600700", .short_message = "two"}};
  sar.tlvs.set_sar_msg_ref_num(7);
  sar.tlvs.set_sar_total_segments(2);
  sar.tlvs.set_sar_segment_seqnum(2);
  auto s = Extract(sar);
  ASSERT_TRUE(s.concat);
  EXPECT_EQ(s.concat->sequence, 2);

  Pdu bad{.body = wire::SubmitSm{.esm_class = wire::kEsmClassUdhi, .short_message = "\x09zz"}};
  auto r = ExtractMessage(bad);
  ASSERT_TRUE(std::holds_alternative<Refusal>(r));
  EXPECT_EQ(std::get<Refusal>(r).status, wire::kEsmeRinvesmclass);
}

TEST(TranslateTest, ReassemblerCompletesOutOfOrderAndExpires) {
  Reassembler r;
  const auto t0 = Reassembler::Clock::now();
  auto part = [](uint8_t seq, uint32_t pdu_seq) {
    Reassembler::Part p;
    p.pdu_sequence_number = pdu_seq;
    p.message.source_addr = "A";
    p.message.destinations.push_back({1, "48500600700"});
    p.message.user_data = "p" + std::to_string(seq);
    p.message.concat = sms::ConcatInfo{5, 3, seq};
    return p;
  };
  EXPECT_FALSE(r.Add(part(3, 30), t0, nullptr));
  EXPECT_FALSE(r.Add(part(1, 10), t0, nullptr));
  std::optional<Reassembler::Part> replaced;
  EXPECT_FALSE(r.Add(part(1, 11), t0, &replaced));
  ASSERT_TRUE(replaced);
  EXPECT_EQ(replaced->pdu_sequence_number, 10u);
  auto done = r.Add(part(2, 20), t0, nullptr);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->parts.size(), 3u);
  EXPECT_EQ(done->parts[0].message.user_data, "p1");
  EXPECT_EQ(done->parts[2].pdu_sequence_number, 30u);
  EXPECT_EQ(r.size(), 0u);

  EXPECT_FALSE(r.Add(part(1, 40), t0, nullptr));
  EXPECT_TRUE(r.Expire(t0).empty());
  EXPECT_EQ(r.Expire(t0 + std::chrono::seconds(1)).size(), 1u);
}

TEST(TranslateTest, ReceiptPdu) {
  SetProcessTimeZone("UTC");
  store::Message m;
  m.id = "0a1b2c3d4e";
  m.phone = "+48500600700";
  m.sender = "Firma";
  m.type = store::MessageType::kFull;
  m.text = "Hello there, this is longer than twenty";
  m.status = store::MessageStatus::kDelivered;
  m.queued_ms = 1'795'683'600'000;  // 2026-11-26 09:00 UTC
  m.done_ms = m.queued_ms + 60'000;
  m.smpp_user_id = 3;
  m.smpp_registered_delivery = 1;
  auto pdu = MakeReceipt(m);
  ASSERT_TRUE(pdu);
  const auto& d = *pdu->get<wire::DeliverSm>();
  EXPECT_EQ(d.esm_class, wire::kEsmClassDeliveryReceipt);
  EXPECT_EQ(d.source_addr, "48500600700");
  EXPECT_EQ(d.destination_addr, "Firma");
  EXPECT_EQ(pdu->tlvs.receipted_message_id(), "0a1b2c3d4e");
  EXPECT_EQ(pdu->tlvs.message_state(), 2);
  auto parsed = sms::ParseReceipt(d.short_message);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->id, "0a1b2c3d4e");
  EXPECT_EQ(parsed->stat, "DELIVRD");
  EXPECT_EQ(parsed->submit_date, "2611260900");
  EXPECT_EQ(parsed->done_date, "2611260901");
  EXPECT_EQ(parsed->text, "Hello there, this is");

  m.smpp_registered_delivery = 2;  // failure only
  EXPECT_FALSE(MakeReceipt(m));
  m.status = store::MessageStatus::kUndelivered;
  ASSERT_TRUE(MakeReceipt(m));
  EXPECT_EQ(MakeReceipt(m)->tlvs.message_state(), 5);
  m.smpp_registered_delivery = 0;
  EXPECT_FALSE(MakeReceipt(m));
  m.smpp_registered_delivery = 1;
  m.smpp_user_id = 0;  // not from SMPP
  EXPECT_FALSE(MakeReceipt(m));
}

}  // namespace
}  // namespace bramka::api::smpp
