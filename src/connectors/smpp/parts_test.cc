// Pure pieces of the SMPP client connector: the error table, upstream id forms, the TPS
// bucket (fake time), TON/NPI rules and the submit_sm builder.
#include <gtest/gtest.h>

#include "connectors/smpp/options.h"
#include "connectors/smpp/receipt_status.h"
#include "connectors/smpp/submit_builder.h"
#include "connectors/smpp/submit_errors.h"
#include "connectors/smpp/token_bucket.h"
#include "connectors/smpp/upstream_id.h"
#include "smpp/pdu/command_status.h"
#include "smpp/pdu/short_message.h"

namespace bramka::smpp_client {
namespace {

using namespace std::chrono_literals;

TEST(SubmitErrors, TemporaryStatuses) {
  for (uint32_t s : {smpp::kEsmeRthrottled, smpp::kEsmeRmsgqful, smpp::kEsmeRsyserr,
                     smpp::kEsmeRsubmitfail, 0x400u, 0x4FFu, 0x12345u}) {
    EXPECT_TRUE(ClassifySubmitStatus(s).temporary) << smpp::FormatCommandStatus(s);
  }
}

TEST(SubmitErrors, PermanentStatusesWithReasons) {
  EXPECT_EQ(ClassifySubmitStatus(smpp::kEsmeRinvdstadr).reason, "wrong_number");
  EXPECT_FALSE(ClassifySubmitStatus(smpp::kEsmeRinvdstadr).temporary);
  EXPECT_EQ(ClassifySubmitStatus(smpp::kEsmeRinvsrcadr).reason, "wrong_sender_name");
  EXPECT_EQ(ClassifySubmitStatus(smpp::kEsmeRinvmsglen).reason, "wrong_message");
  // Listed in SMPP but not in our table: permanent, message_rejected.
  EXPECT_FALSE(ClassifySubmitStatus(smpp::kEsmeRinvnumdests).temporary);
  EXPECT_EQ(ClassifySubmitStatus(smpp::kEsmeRinvnumdests).reason, "message_rejected");
}

TEST(UpstreamId, CanonicalIgnoresCaseLeadingZerosAndPadding) {
  EXPECT_EQ(CanonicalUpstreamId("00AbC1"), "abc1");
  EXPECT_EQ(CanonicalUpstreamId(std::string_view("12\0", 3)), "12");
  EXPECT_EQ(CanonicalUpstreamId(" 0 "), "0");
  EXPECT_EQ(CanonicalUpstreamId("000"), "0");
  EXPECT_EQ(CanonicalUpstreamId(""), "");
}

TEST(UpstreamId, ReceiptTextFormats) {
  // The SMSC answered submit_sm with hex "1A2B", its receipts say 6699.
  EXPECT_EQ(ReceiptTextIdToCanonical("6699", ReceiptIdFormat::kDecimal),
            CanonicalUpstreamId("1A2B"));
  // The SMSC answered with decimal 6699, its receipts say 1a2b.
  EXPECT_EQ(ReceiptTextIdToCanonical("00001A2B", ReceiptIdFormat::kHex),
            CanonicalUpstreamId("6699"));
  EXPECT_EQ(ReceiptTextIdToCanonical("00ABC", ReceiptIdFormat::kAsIs), "abc");
  // Not a number in the base: kept canonical.
  EXPECT_EQ(ReceiptTextIdToCanonical("xyz", ReceiptIdFormat::kHex), "xyz");
  EXPECT_EQ(ReceiptTextIdToCanonical("99999999999999999999999", ReceiptIdFormat::kDecimal),
            "99999999999999999999999");
}

TEST(TokenBucket, LimitsRate) {
  auto t0 = std::chrono::steady_clock::time_point{} + 1000h;
  TokenBucket b(10, t0);  // 10/s, burst 1
  EXPECT_TRUE(b.TryTake(t0));
  EXPECT_FALSE(b.TryTake(t0));
  EXPECT_FALSE(b.TryTake(t0 + 50ms));
  EXPECT_TRUE(b.TryTake(t0 + 100ms));
  auto next = b.NextAvailable(t0 + 100ms);
  EXPECT_GE(next, t0 + 199ms);
  EXPECT_LE(next, t0 + 201ms);
  // Over one simulated second at most 10 more.
  int taken = 0;
  for (int ms = 101; ms <= 1100; ++ms) taken += b.TryTake(t0 + std::chrono::milliseconds(ms));
  EXPECT_EQ(taken, 10);
}

TEST(TokenBucket, ThrottleHalvesPausesAndRecovers) {
  auto t0 = std::chrono::steady_clock::time_point{} + 1000h;
  TokenBucket b(100, t0);
  b.Throttled(t0);
  EXPECT_DOUBLE_EQ(b.current_rate(), 50);
  EXPECT_FALSE(b.TryTake(t0 + 999ms));  // paused
  EXPECT_TRUE(b.TryTake(t0 + 1000ms));
  b.Throttled(t0 + 1000ms);
  EXPECT_DOUBLE_EQ(b.current_rate(), 25);
  // Quiet periods raise it back, a quarter of the configured rate each.
  b.TryTake(t0 + 6001ms);
  EXPECT_DOUBLE_EQ(b.current_rate(), 50);
  b.TryTake(t0 + 11002ms);
  b.TryTake(t0 + 16003ms);
  EXPECT_DOUBLE_EQ(b.current_rate(), 100);
}

TEST(TokenBucket, UnlimitedUntilThrottled) {
  auto t0 = std::chrono::steady_clock::time_point{} + 1000h;
  TokenBucket b(0, t0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(b.TryTake(t0));
  b.Throttled(t0);
  EXPECT_GT(b.current_rate(), 0);
  EXPECT_FALSE(b.TryTake(t0 + 10ms));
}

TEST(Address, TonNpiRules) {
  EXPECT_EQ(MakeAddress("+48500600700"), (Address{1, 1, "48500600700"}));
  EXPECT_EQ(MakeAddress("48500600700"), (Address{1, 1, "48500600700"}));
  EXPECT_EQ(MakeAddress("7090"), (Address{3, 0, "7090"}));
  EXPECT_EQ(MakeAddress("Bramka"), (Address{5, 0, "Bramka"}));
  EXPECT_EQ(MakeAddress("AVeryLongSenderName"), (Address{5, 0, "AVeryLongSe"}));
  EXPECT_EQ(MakeAddress(""), (Address{0, 0, ""}));
}

store::Message Msg(std::string text, bool unicode = false) {
  store::Message m;
  m.id = "00000000aa";
  m.phone = "+48500600700";
  m.sender = "Bramka";
  m.text = std::move(text);
  m.unicode = unicode;
  return m;
}

TEST(SubmitBuilder, SingleGsm7) {
  SmppConnectorOptions o;
  auto pdus = BuildSubmits(Msg("Hello"), o, 7);
  ASSERT_TRUE(pdus.ok());
  ASSERT_EQ(pdus->size(), 1u);
  const auto& sm = *(*pdus)[0].get<smpp::SubmitSm>();
  EXPECT_EQ(sm.source_addr_ton, 5);
  EXPECT_EQ(sm.dest_addr_ton, 1);
  EXPECT_EQ(sm.destination_addr, "48500600700");
  EXPECT_EQ(sm.data_coding, 0);
  EXPECT_EQ(sm.registered_delivery, 1);
  EXPECT_EQ(sm.short_message, "Hello");
  o.gsm7_data_coding = 1;
  EXPECT_EQ((*BuildSubmits(Msg("Hello"), o, 7))[0].get<smpp::SubmitSm>()->data_coding, 1);
}

TEST(SubmitBuilder, Ucs2) {
  auto pdus = BuildSubmits(Msg("Zażółć", true), SmppConnectorOptions{}, 7);
  ASSERT_TRUE(pdus.ok());
  const auto& sm = *(*pdus)[0].get<smpp::SubmitSm>();
  EXPECT_EQ(sm.data_coding, 8);
  EXPECT_EQ(sm.short_message.size(), 12u);
}

TEST(SubmitBuilder, LongByUdhSarAndPayload) {
  std::string text(200, 'a');
  SmppConnectorOptions o;
  auto udh = BuildSubmits(Msg(text), o, 0x1234);
  ASSERT_TRUE(udh.ok());
  ASSERT_EQ(udh->size(), 2u);
  for (uint8_t i = 0; i < 2; ++i) {
    const smpp::Pdu& pdu = (*udh)[i];
    EXPECT_TRUE(smpp::HasUdh(pdu.get<smpp::SubmitSm>()->esm_class));
    auto info = smpp::ConcatInfoOf(pdu);
    ASSERT_TRUE(info);
    EXPECT_EQ(info->reference, 0x34);
    EXPECT_EQ(info->total, 2);
    EXPECT_EQ(info->sequence, i + 1);
  }
  EXPECT_EQ((*udh)[0].get<smpp::SubmitSm>()->short_message.size(), 6u + 153u);

  o.long_messages = LongMessages::kSar;
  auto sar = BuildSubmits(Msg(text), o, 0x1234);
  ASSERT_EQ(sar->size(), 2u);
  EXPECT_EQ((*sar)[1].tlvs.sar_msg_ref_num(), 0x1234);
  EXPECT_EQ((*sar)[1].tlvs.sar_total_segments(), 2);
  EXPECT_EQ((*sar)[1].tlvs.sar_segment_seqnum(), 2);
  EXPECT_FALSE(smpp::HasUdh((*sar)[1].get<smpp::SubmitSm>()->esm_class));

  o.long_messages = LongMessages::kPayload;
  auto payload = BuildSubmits(Msg(text), o, 1);
  ASSERT_EQ(payload->size(), 1u);
  EXPECT_TRUE(payload->front().get<smpp::SubmitSm>()->short_message.empty());
  EXPECT_EQ(payload->front().tlvs.message_payload()->size(), 200u);
}

TEST(ReceiptStatus, StatAndStateAndErrCodes) {
  EXPECT_EQ(StatusFromReceiptStat("DELIVRD", "000")->status, store::MessageStatus::kDelivered);
  EXPECT_EQ(StatusFromReceiptStat("UNDELIV", "001")->reason, "wrong_number");
  EXPECT_EQ(StatusFromReceiptStat("UNDELIV", "123")->reason, "other_error");
  EXPECT_EQ(StatusFromReceiptStat("EXPIRED", "000")->reason, "message_expired");
  EXPECT_FALSE(StatusFromReceiptStat("ENROUTE", "000"));
  EXPECT_EQ(StatusFromMessageState(2, "")->status, store::MessageStatus::kDelivered);
  EXPECT_EQ(StatusFromMessageState(8, "")->reason, "message_rejected");
  EXPECT_FALSE(StatusFromMessageState(6, ""));
  for (const char* reason : {"wrong_number", "unsupported_number", "message_expired"}) {
    EXPECT_EQ(ReasonForErrCode(ErrCodeForReason(reason)), reason);
  }
}

TEST(Options, Validation) {
  SmppConnectorOptions o;
  o.name = "smsc-a";
  o.system_id = "bramka";
  EXPECT_TRUE(ValidateSmppConnectorOptions(o).ok());
  o.window = 0;
  EXPECT_FALSE(ValidateSmppConnectorOptions(o).ok());
  o.window = 10;
  o.password = "toolongpassword";
  EXPECT_FALSE(ValidateSmppConnectorOptions(o).ok());
  EXPECT_TRUE(ParseLongMessages("sar").ok());
  EXPECT_FALSE(ParseLongMessages("x").ok());
  EXPECT_EQ(*ParseReceiptIdFormat("decimal"), ReceiptIdFormat::kDecimal);
}

}  // namespace
}  // namespace bramka::smpp_client
