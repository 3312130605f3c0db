// Fuzz target: the SMPP PDU codec (src/smpp/pdu/codec.h).
// Properties: Decode never crashes; a decoded PDU re-encodes, and decoding that encoding
// gives the same PDU (what Encode accepts, Decode returns unchanged); ToString never
// crashes and never shows a password; a decode error's answer (if any) encodes and keeps
// the sequence_number; the message helpers never crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/check.h"
#include "smpp/pdu/codec.h"
#include "smpp/pdu/short_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bramka::smpp;
  std::string frame(reinterpret_cast<const char*>(data), size);
  // Most inputs get a correct command_length, so the fuzzer explores bodies.
  if (frame.size() >= 4 && (frame[0] & 1) == 0) {
    const uint32_t len = static_cast<uint32_t>(frame.size());
    for (int i = 0; i < 4; ++i) frame[i] = static_cast<char>(len >> (24 - 8 * i));
  }
  DecodeResult decoded = Decode(frame);
  if (!decoded.ok()) {
    const DecodeError& error = decoded.error();
    (void)error.ToString();
    if (auto answer = ErrorResponseFor(error)) {
      BRAMKA_CHECK(answer->sequence_number == error.sequence_number);
      BRAMKA_CHECK(answer->command_status == error.command_status);
      BRAMKA_CHECK(Encode(*answer).ok());
    }
    return 0;
  }
  const Pdu& pdu = *decoded;
  const std::string line = ToString(pdu);
  if (const auto* bind = pdu.get<BindTransceiver>(); bind && bind->password.size() >= 6) {
    BRAMKA_CHECK(line.find("password=\"" + bind->password) == std::string::npos);
  }
  (void)MessageContent(pdu);
  (void)ConcatInfoOf(pdu);
  if (auto esm = EsmClassOf(pdu)) (void)SplitUserData(*esm, MessageContent(pdu));

  bramka::Result<std::string> encoded = Encode(pdu);
  BRAMKA_CHECK(encoded.ok());
  DecodeResult again = Decode(*encoded);
  BRAMKA_CHECK(again.ok());
  BRAMKA_CHECK(*again == pdu);
  // Canonical frames (complete bodies) re-encode byte for byte.
  if (encoded->size() == frame.size()) BRAMKA_CHECK(*encoded == frame);
  return 0;
}
