#pragma once
// The SMPP 3.4 wire format: Encode() a Pdu into one frame, Decode() one frame into a Pdu.
//
// A frame is one complete PDU: command_length (4 octets, big-endian, counting itself)
// followed by command_id, command_status, sequence_number and the body (§3.2). Framer
// (framer.h) cuts a byte stream into frames. Both functions are pure and thread-safe.
//
// Decoding is strict about structure and tolerant where real peers deviate:
//   * A response whose body is empty (header only) decodes with empty fields: §4 allows
//     error responses without a body and many ESMEs send deliver_sm_resp that way.
//   * In a response, a last C-Octet String cut by the end of the PDU without its NUL is
//     accepted (some SMSCs send submit_sm_resp message_id unterminated).
//   * Octets after the mandatory fields are parsed as TLVs for every PDU (SMPP 5.0 adds
//     TLVs to PDUs that had none in 3.4); unknown tags are kept as raw bytes.
//   * command_status in a request, interface_version and sequence_number 0 are not
//     checked; time strings (schedule_delivery_time, ...) are checked only for length.
//   * sm_length 255 is accepted although §4.4.1 says 0-254.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "common/result.h"
#include "smpp/pdu/pdu.h"

namespace bramka::smpp {

// The largest command_length accepted by default. A bigger one is a fatal error: the
// stream cannot be trusted (or is not SMPP at all, e.g. an HTTP or TLS client).
inline constexpr uint32_t kDefaultMaxCommandLength = 64 * 1024;

// Why a frame could not be decoded. Each kind maps to the command_status answered and to
// recoverable (answer, keep the session) or fatal (close the session).
enum class DecodeErrorKind : uint8_t {
  // Fatal: the framing itself is broken (ESME_RINVCMDLEN, then close).
  kCommandLengthTooShort,  // command_length < 16
  kCommandLengthTooLong,   // command_length > the configured maximum
  kCommandLengthMismatch,  // the frame handed to Decode() is not command_length octets
  // Recoverable: answered with the response of the command (generic_nack if unknown).
  kUnknownCommandId,      // ESME_RINVCMDID
  kTruncatedBody,         // a mandatory field runs past the end: ESME_RINVCMDLEN
  kFieldTooLong,          // C-Octet String over its maximum: the field's own status,
                          // e.g. ESME_RINVSYSID, ESME_RINVSRCADR, ESME_RINVDSTADR, ...
  kInvalidSmLength,       // sm_length runs past the end: ESME_RINVMSGLEN
  kInvalidNumberOfDests,  // submit_multi number_of_dests 0 or 255: ESME_RINVNUMDESTS
  kInvalidDestFlag,       // submit_multi dest_flag not 1 or 2: ESME_RINVDESTFLAG
  kTruncatedTlv,          // TLV header or value runs past the end: ESME_RINVOPTPARSTREAM
  kInvalidTlvLength,      // known tag with a length outside its range: ESME_RINVPARLEN
  kMissingTlv,            // a SAR TLV without the other two: ESME_RMISSINGOPTPARAM
  kInvalidTlvValue,       // sar_total_segments 0, sar_segment_seqnum outside
                          // 1..total: ESME_RINVOPTPARAMVAL
};

std::string_view DecodeErrorKindName(DecodeErrorKind kind);
bool IsFatal(DecodeErrorKind kind);

struct DecodeError {
  DecodeErrorKind kind = DecodeErrorKind::kTruncatedBody;
  uint32_t command_status = kEsmeRinvcmdlen;  // to answer with
  // Header fields as far as they could be read (0 otherwise), so the answer carries
  // the right sequence_number.
  uint32_t command_length = 0;
  uint32_t command_id = 0;
  uint32_t sequence_number = 0;
  std::string_view field;  // the mandatory field or TLV at fault ("" if none)

  bool fatal() const { return IsFatal(kind); }
  // "submit_sm seq=3: field too long (source_addr) -> ESME_RINVSRCADR(0x0000000A)"
  std::string ToString() const;
};

// The PDU to send back for a decode error: the response of the command with
// error.command_status (generic_nack for unknown commands, for commands without a
// response PDU, and for fatal errors); nullopt when the frame was itself a response,
// which is never answered.
std::optional<Pdu> ErrorResponseFor(const DecodeError& error);

class [[nodiscard]] DecodeResult {
 public:
  DecodeResult(Pdu pdu) : data_(std::move(pdu)) {}              // NOLINT
  DecodeResult(DecodeError error) : data_(std::move(error)) {}  // NOLINT

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }
  // Preconditions: ok() for the Pdu accessors, !ok() for error() (BRAMKA_CHECK).
  Pdu& value() &;
  const Pdu& value() const&;
  Pdu&& value() &&;
  Pdu& operator*() & { return value(); }
  const Pdu& operator*() const& { return value(); }
  Pdu* operator->() { return &value(); }
  const Pdu* operator->() const { return &value(); }
  const DecodeError& error() const;

 private:
  std::variant<Pdu, DecodeError> data_;
};

// Decodes exactly one frame. Never fails on a well-formed PDU of a known command; every
// failure is a DecodeError (never an exception, never a crash).
DecodeResult Decode(std::string_view frame);

// The four header fields; nullopt if fewer than 16 octets are given. Does not validate.
struct Header {
  uint32_t command_length = 0;
  uint32_t command_id = 0;
  uint32_t command_status = 0;
  uint32_t sequence_number = 0;
};
std::optional<Header> PeekHeader(std::string_view bytes);

// Encodes `pdu` as one frame. Errors (kInvalidArgument, naming the field): a C-Octet
// String longer than its maximum or containing a NUL, short_message over 255 octets,
// submit_multi with 0 or more than 254 destinations or a bad dest_flag, a known TLV
// with a length outside its range, a TLV value over 65535 octets. What Encode()
// accepts, Decode() returns unchanged.
Result<std::string> Encode(const Pdu& pdu);
// Appends the frame to `out` (for batching several PDUs into one write). On error `out`
// is left as it was.
Result<void> EncodeTo(const Pdu& pdu, std::string& out);

}  // namespace bramka::smpp
