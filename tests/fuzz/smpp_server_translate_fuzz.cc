// Fuzz target: the SMPP server's request translation (src/api/smpp/translate.h) on any
// decodable PDU. Properties: nothing crashes; a refusal always carries a non-zero
// command_status; decoded text is valid UTF-8; the reassembler never returns a group with
// more parts than its total; schedule times parse or are refused, never crash.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "api/smpp/translate.h"
#include "common/check.h"
#include "smpp/pdu/codec.h"
#include "sms/ucs2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka;
  std::string frame(reinterpret_cast<const char*>(data), size);
  if (frame.size() >= 4) {  // a correct command_length, so the fuzzer explores bodies
    const uint32_t len = static_cast<uint32_t>(frame.size());
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>(len >> (24 - 8 * i));
  }
  smpp::DecodeResult decoded = smpp::Decode(frame);
  if (!decoded.ok()) return 0;
  const smpp::Pdu& pdu = *decoded;
  if (!pdu.is<smpp::SubmitSm>() && !pdu.is<smpp::SubmitMulti>() && !pdu.is<smpp::DataSm>()) {
    return 0;
  }
  auto extracted = api::smpp::ExtractMessage(pdu);
  if (auto* r = std::get_if<api::smpp::Refusal>(&extracted)) {
    BRAMKA_CHECK(r->status != 0);
    return 0;
  }
  const auto& msg = std::get<api::smpp::WireMessage>(extracted);
  auto text = api::smpp::DecodeText(msg.data_coding, msg.user_data);
  if (auto* r = std::get_if<api::smpp::Refusal>(&text)) {
    BRAMKA_CHECK(r->status != 0);
    return 0;
  }
  const auto& decoded_text = std::get<api::smpp::DecodedText>(text);
  BRAMKA_CHECK(sms::IsValidUtf8(decoded_text.utf8));
  store::SmppUser user;
  user.id = 1;
  const SystemTime now = FromUnixMillis(1'700'000'000'000);
  auto request = api::smpp::ToSubmitRequest(msg, decoded_text, user, now);
  if (auto* r = std::get_if<api::smpp::Refusal>(&request)) BRAMKA_CHECK(r->status != 0);
  if (msg.concat) {
    api::smpp::Reassembler reassembler;
    api::smpp::Reassembler::Part part;
    part.message = msg;
    auto group = reassembler.Add(part, api::smpp::Reassembler::Clock::time_point{}, nullptr);
    if (group) BRAMKA_CHECK(group->parts.size() <= msg.concat->total);
  }
  return 0;
}
