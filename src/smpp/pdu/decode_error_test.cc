// One test per DecodeErrorKind: the command_status it maps to, recoverable vs fatal, and
// the PDU answered (ErrorResponseFor).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "smpp/pdu/codec.h"
#include "smpp/pdu/framer.h"
#include "smpp/pdu/test_hex.h"

namespace bramka::smpp {
namespace {

using testing::FromHex;

// A frame with a correct command_length around `body`.
std::string Frame(uint32_t command_id, uint32_t seq, std::string_view body) {
  std::string out(16, '\0');
  const uint32_t words[4] = {static_cast<uint32_t>(16 + body.size()), command_id, 0, seq};
  for (int w = 0; w < 4; ++w) {
    for (int i = 0; i < 4; ++i) out[w * 4 + i] = static_cast<char>(words[w] >> (24 - 8 * i));
  }
  out.append(body);
  return out;
}

std::string C(std::string_view s) { return std::string(s) + '\0'; }
std::string B(std::initializer_list<int> bytes) {
  std::string s;
  for (int b : bytes) s.push_back(static_cast<char>(b));
  return s;
}

// submit_sm body up to (and without) sm_length.
std::string SubmitHead(std::string_view source_addr = "Bramka") {
  return C("") + B({5, 0}) + C(source_addr) + B({1, 1}) + C("48500600700") + B({0, 0, 0}) + C("") +
         C("") + B({0, 0, 0, 0});
}

DecodeError MustFail(std::string_view frame) {
  DecodeResult r = Decode(frame);
  EXPECT_FALSE(r.ok()) << ToString(*r);
  return r.ok() ? DecodeError{} : r.error();
}

TEST(DecodeErrorTest, CommandLengthTooShortIsFatal) {
  const DecodeError e = MustFail(FromHex("0000000c 00000015 00000000"));
  EXPECT_EQ(e.kind, DecodeErrorKind::kCommandLengthTooShort);
  EXPECT_EQ(e.command_status, kEsmeRinvcmdlen);
  EXPECT_EQ(e.command_length, 12u);
  EXPECT_TRUE(e.fatal());
  const auto answer = ErrorResponseFor(e);
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->is<GenericNack>());
  EXPECT_EQ(answer->command_status, kEsmeRinvcmdlen);
}

TEST(DecodeErrorTest, CommandLengthTooLongIsFatal) {
  // Decode() takes any length; the Framer enforces the maximum.
  Framer framer(1024);
  framer.Feed(FromHex("00000401 00000004 00000000 00000001"));
  const FrameResult r = framer.Next();
  ASSERT_EQ(r.status, FrameResult::kError);
  EXPECT_EQ(r.error.kind, DecodeErrorKind::kCommandLengthTooLong);
  EXPECT_EQ(r.error.command_status, kEsmeRinvcmdlen);
  EXPECT_EQ(r.error.command_length, 1025u);
  EXPECT_TRUE(r.error.fatal());
  EXPECT_TRUE(ErrorResponseFor(r.error)->is<GenericNack>());
}

TEST(DecodeErrorTest, CommandLengthMismatchIsFatal) {
  std::string frame = Frame(0x15, 3, "");
  frame.push_back('\0');
  const DecodeError e = MustFail(frame);
  EXPECT_EQ(e.kind, DecodeErrorKind::kCommandLengthMismatch);
  EXPECT_EQ(e.command_status, kEsmeRinvcmdlen);
  EXPECT_EQ(e.sequence_number, 3u);
  EXPECT_TRUE(e.fatal());
  EXPECT_EQ(MustFail(FromHex("00000010 0000")).kind, DecodeErrorKind::kCommandLengthMismatch);
  EXPECT_EQ(MustFail("").kind, DecodeErrorKind::kCommandLengthMismatch);
}

TEST(DecodeErrorTest, UnknownCommandIdIsAnsweredWithGenericNack) {
  const DecodeError e = MustFail(Frame(0x99, 5, ""));
  EXPECT_EQ(e.kind, DecodeErrorKind::kUnknownCommandId);
  EXPECT_EQ(e.command_status, kEsmeRinvcmdid);
  EXPECT_EQ(e.command_id, 0x99u);
  EXPECT_FALSE(e.fatal());
  const auto answer = ErrorResponseFor(e);
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->is<GenericNack>());
  EXPECT_EQ(answer->sequence_number, 5u);
  EXPECT_EQ(answer->command_status, kEsmeRinvcmdid);
  // SMPP 5.0 broadcast_sm (0x111) is unknown to a 3.4 codec; an unknown "response" too.
  EXPECT_EQ(MustFail(Frame(0x111, 6, "x")).kind, DecodeErrorKind::kUnknownCommandId);
  EXPECT_TRUE(ErrorResponseFor(MustFail(Frame(0x80000099, 7, "")))->is<GenericNack>());
}

TEST(DecodeErrorTest, TruncatedBodyIsAnsweredWithTheResponse) {
  // bind_transmitter ending inside the password (no NUL before the end of the PDU).
  const DecodeError e = MustFail(Frame(0x2, 1, C("tx") + "p"));
  EXPECT_EQ(e.kind, DecodeErrorKind::kTruncatedBody);
  EXPECT_EQ(e.command_status, kEsmeRinvcmdlen);
  EXPECT_EQ(e.field, "password");
  EXPECT_FALSE(e.fatal());
  const auto answer = ErrorResponseFor(e);
  ASSERT_TRUE(answer.has_value());
  EXPECT_TRUE(answer->is<BindTransmitterResp>());
  EXPECT_EQ(answer->sequence_number, 1u);
  EXPECT_EQ(answer->command_status, kEsmeRinvcmdlen);

  // submit_sm missing its integer fields after destination_addr.
  const DecodeError e2 =
      MustFail(Frame(0x4, 2, C("") + B({5, 0}) + C("Bramka") + B({1, 1}) + C("48500600700")));
  EXPECT_EQ(e2.kind, DecodeErrorKind::kTruncatedBody);
  EXPECT_EQ(e2.field, "esm_class");
  // A request never gets the lenient treatment responses get: an empty submit_sm body.
  EXPECT_EQ(MustFail(Frame(0x4, 2, "")).kind, DecodeErrorKind::kTruncatedBody);
  // submit_multi_resp cut inside its unsuccess_sme list.
  const DecodeError e3 = MustFail(Frame(0x80000021, 4, C("77") + B({2, 1, 1}) + C("486")));
  EXPECT_EQ(e3.kind, DecodeErrorKind::kTruncatedBody);
  EXPECT_FALSE(ErrorResponseFor(e3).has_value());  // responses are never answered
}

TEST(DecodeErrorTest, FieldTooLongMapsToTheFieldsStatus) {
  struct Case {
    std::string frame;
    std::string_view field;
    uint32_t status;
  };
  const std::string s16(16, 's');
  const std::string s21(21, 'a');
  const Case cases[] = {
      {Frame(0x9, 1, C(s16) + C("pw") + C("") + B({0x34, 0, 0}) + C("")), "system_id",
       kEsmeRinvsysid},
      {Frame(0x9, 1, C("id") + C("123456789") + C("") + B({0x34, 0, 0}) + C("")), "password",
       kEsmeRinvpaswd},
      {Frame(0x9, 1, C("id") + C("pw") + C(std::string(13, 't')) + B({0x34, 0, 0}) + C("")),
       "system_type", kEsmeRinvsystyp},
      {Frame(0x4, 2, C("123456") + B({5, 0}) + C("x")), "service_type", kEsmeRinvsertyp},
      {Frame(0x4, 2, SubmitHead(s21) + B({0})), "source_addr", kEsmeRinvsrcadr},
      {Frame(0x4, 2, C("") + B({5, 0}) + C("a") + B({1, 1}) + C(s21)), "destination_addr",
       kEsmeRinvdstadr},
      {Frame(0x4, 2,
             C("") + B({5, 0}) + C("a") + B({1, 1}) + C("b") + B({0, 0, 0}) +
                 C(std::string(17, '0'))),
       "schedule_delivery_time", kEsmeRinvsched},
      {Frame(0x3, 3, C(std::string(65, 'm'))), "message_id", kEsmeRinvmsgid},
      {Frame(0x21, 4, C("") + B({5, 0}) + C("a") + B({1, 2}) + C(s21)), "dl_name", kEsmeRinvdlname},
  };
  for (const Case& c : cases) {
    const DecodeError e = MustFail(c.frame);
    EXPECT_EQ(e.kind, DecodeErrorKind::kFieldTooLong) << c.field;
    EXPECT_EQ(e.field, c.field);
    EXPECT_EQ(e.command_status, c.status) << c.field;
    EXPECT_FALSE(e.fatal());
    const auto answer = ErrorResponseFor(e);
    ASSERT_TRUE(answer.has_value());
    EXPECT_EQ(answer->command_status, c.status);
    EXPECT_FALSE(answer->is<GenericNack>());
  }
  // data_sm addresses may be 64 characters, not 65.
  const std::string data_head = C("") + B({1, 1});
  EXPECT_TRUE(Decode(Frame(0x103, 5,
                           data_head + C(std::string(64, '1')) + B({1, 1}) + C("2") + B({0, 0, 0})))
                  .ok());
  EXPECT_EQ(MustFail(Frame(0x103, 5, data_head + C(std::string(65, '1')))).command_status,
            kEsmeRinvsrcadr);
}

TEST(DecodeErrorTest, InvalidSmLength) {
  const DecodeError e = MustFail(Frame(0x4, 2, SubmitHead() + B({10}) + "abc"));
  EXPECT_EQ(e.kind, DecodeErrorKind::kInvalidSmLength);
  EXPECT_EQ(e.command_status, kEsmeRinvmsglen);
  EXPECT_EQ(e.field, "short_message");
  const auto answer = ErrorResponseFor(e);
  EXPECT_TRUE(answer->is<SubmitSmResp>());
  EXPECT_EQ(answer->command_status, kEsmeRinvmsglen);
}

TEST(DecodeErrorTest, InvalidNumberOfDests) {
  const DecodeError e = MustFail(Frame(0x21, 4, C("") + B({5, 0}) + C("a") + B({0})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kInvalidNumberOfDests);
  EXPECT_EQ(e.command_status, kEsmeRinvnumdests);
  EXPECT_TRUE(ErrorResponseFor(e)->is<SubmitMultiResp>());
  EXPECT_EQ(MustFail(Frame(0x21, 4, C("") + B({5, 0}) + C("a") + B({255}))).kind,
            DecodeErrorKind::kInvalidNumberOfDests);
}

TEST(DecodeErrorTest, InvalidDestFlag) {
  const DecodeError e = MustFail(Frame(0x21, 4, C("") + B({5, 0}) + C("a") + B({1, 3})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kInvalidDestFlag);
  EXPECT_EQ(e.command_status, kEsmeRinvdestflag);
  EXPECT_EQ(e.field, "dest_flag");
}

TEST(DecodeErrorTest, TruncatedTlv) {
  // Three octets where a TLV header needs four.
  const DecodeError e = MustFail(Frame(0x4, 2, SubmitHead() + B({0}) + B({0x02, 0x04, 0})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kTruncatedTlv);
  EXPECT_EQ(e.command_status, kEsmeRinvoptparstream);
  EXPECT_TRUE(ErrorResponseFor(e)->is<SubmitSmResp>());
  // A value running past the end of the PDU.
  const DecodeError e2 =
      MustFail(Frame(0x4, 2, SubmitHead() + B({0}) + B({0x04, 0x24, 0, 9}) + "short"));
  EXPECT_EQ(e2.kind, DecodeErrorKind::kTruncatedTlv);
  EXPECT_EQ(e2.field, "message_payload");
  // The same in a PDU that has no body at all in SMPP 3.4.
  EXPECT_EQ(MustFail(Frame(0x15, 3, "\x01")).kind, DecodeErrorKind::kTruncatedTlv);
}

TEST(DecodeErrorTest, InvalidTlvLength) {
  const DecodeError e =
      MustFail(Frame(0x5, 7, SubmitHead() + B({0}) + B({0x04, 0x27, 0, 2, 1, 2})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kInvalidTlvLength);
  EXPECT_EQ(e.command_status, kEsmeRinvparlen);
  EXPECT_EQ(e.field, "message_state");
  const auto answer = ErrorResponseFor(e);
  EXPECT_TRUE(answer->is<DeliverSmResp>());
  EXPECT_EQ(answer->command_status, kEsmeRinvparlen);
  // callback_num needs 4..19 octets; network_error_code exactly 3.
  EXPECT_EQ(MustFail(Frame(0x4, 2, SubmitHead() + B({0, 0x03, 0x81, 0, 3, 1, 1, 1}))).kind,
            DecodeErrorKind::kInvalidTlvLength);
  EXPECT_EQ(MustFail(Frame(0x5, 2, SubmitHead() + B({0, 0x04, 0x23, 0, 2, 3, 0}))).field,
            "network_error_code");
}

TEST(DecodeErrorTest, MissingSarTlv) {
  const DecodeError e =
      MustFail(Frame(0x4, 2, SubmitHead() + B({0}) + B({0x02, 0x0C, 0, 2, 0x12, 0x34})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kMissingTlv);
  EXPECT_EQ(e.command_status, kEsmeRmissingoptparam);
  EXPECT_EQ(e.field, "sar_total_segments");
  EXPECT_FALSE(e.fatal());
  EXPECT_EQ(ErrorResponseFor(e)->command_status, kEsmeRmissingoptparam);
}

TEST(DecodeErrorTest, InvalidSarValue) {
  const std::string sar = B({0x02, 0x0C, 0, 2, 0x12, 0x34, 0x02, 0x0E, 0, 1, 2, 0x02, 0x0F, 0, 1});
  const DecodeError e = MustFail(Frame(0x4, 2, SubmitHead() + B({0}) + sar + B({3})));
  EXPECT_EQ(e.kind, DecodeErrorKind::kInvalidTlvValue);
  EXPECT_EQ(e.command_status, kEsmeRinvoptparamval);
  EXPECT_EQ(e.field, "sar_segment_seqnum");
  EXPECT_EQ(MustFail(Frame(0x4, 2, SubmitHead() + B({0}) + sar + B({0}))).kind,
            DecodeErrorKind::kInvalidTlvValue);
  EXPECT_TRUE(Decode(Frame(0x4, 2, SubmitHead() + B({0}) + sar + B({2}))).ok());
}

TEST(DecodeErrorTest, PduWithoutResponseIsNackedAndResponsesAreNot) {
  // alert_notification has no response PDU: a malformed one gets a generic_nack.
  const DecodeError e = MustFail(Frame(0x102, 8, B({1, 1}) + "123"));
  EXPECT_EQ(e.kind, DecodeErrorKind::kTruncatedBody);
  EXPECT_TRUE(ErrorResponseFor(e)->is<GenericNack>());
  // A malformed generic_nack is itself a response: not answered.
  EXPECT_FALSE(ErrorResponseFor(MustFail(Frame(0x80000000, 8, "\x01"))).has_value());
}

TEST(DecodeErrorTest, ToStringNamesEverything) {
  const DecodeError e = MustFail(Frame(0x4, 3, SubmitHead(std::string(21, 'a')) + B({0})));
  EXPECT_EQ(e.ToString(),
            "submit_sm seq=3: field too long (source_addr) -> ESME_RINVSRCADR(0x0000000A), "
            "recoverable");
  EXPECT_EQ(MustFail(FromHex("00000008 00000015")).ToString(),
            "0x00000000 seq=0: command_length too short 8 -> ESME_RINVCMDLEN(0x00000002), fatal");
  for (int k = 0; k <= static_cast<int>(DecodeErrorKind::kInvalidTlvValue); ++k) {
    EXPECT_NE(DecodeErrorKindName(static_cast<DecodeErrorKind>(k)), "?");
  }
}

}  // namespace
}  // namespace bramka::smpp
