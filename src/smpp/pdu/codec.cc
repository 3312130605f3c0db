#include "smpp/pdu/codec.h"

#include <cstring>

#include "common/check.h"

namespace bramka::smpp {
namespace {

uint32_t LoadU32(const char* p) {
  const auto b = [p](int i) { return static_cast<uint32_t>(static_cast<uint8_t>(p[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

uint16_t LoadU16(const char* p) {
  return static_cast<uint16_t>((static_cast<uint8_t>(p[0]) << 8) | static_cast<uint8_t>(p[1]));
}

// Reads the mandatory fields of a body. The first failure sticks; later reads do nothing.
// In a response (`lenient`), fields after the end of the body keep their defaults and a
// last C-Octet String may lack its NUL (see codec.h).
class Reader {
 public:
  Reader(std::string_view body, bool lenient) : data_(body), lenient_(lenient) {}

  bool failed() const { return failed_; }
  DecodeErrorKind kind() const { return kind_; }
  uint32_t status() const { return status_; }
  std::string_view field() const { return field_; }
  size_t pos() const { return pos_; }

  void U8(uint8_t& out, std::string_view field) {
    if (Skip()) return;
    if (pos_ >= data_.size()) return Fail(DecodeErrorKind::kTruncatedBody, kEsmeRinvcmdlen, field);
    out = static_cast<uint8_t>(data_[pos_++]);
  }

  void U32(uint32_t& out, std::string_view field) {
    if (Skip()) return;
    if (data_.size() - pos_ < 4) {
      return Fail(DecodeErrorKind::kTruncatedBody, kEsmeRinvcmdlen, field);
    }
    out = LoadU32(data_.data() + pos_);
    pos_ += 4;
  }

  // `max` counts the NUL (§3.1: "C-Octet String ... Var. max N").
  void COctet(std::string& out, size_t max, uint32_t status, std::string_view field) {
    if (Skip()) return;
    const size_t avail = data_.size() - pos_;
    const size_t window = avail < max ? avail : max;
    const char* start = data_.data() + pos_;
    const void* nul = std::memchr(start, '\0', window);
    if (nul != nullptr) {
      const size_t len = static_cast<const char*>(nul) - start;
      out.assign(start, len);
      pos_ += len + 1;
      return;
    }
    if (avail >= max) return Fail(DecodeErrorKind::kFieldTooLong, status, field);
    if (lenient_ && avail > 0) {  // unterminated last string of a response
      out.assign(start, avail);
      pos_ += avail;
      return;
    }
    Fail(DecodeErrorKind::kTruncatedBody, kEsmeRinvcmdlen, field);
  }

  // sm_length + short_message (§4.4.1).
  void Sm(std::string& out, std::string_view field) {
    uint8_t len = 0;
    U8(len, "sm_length");
    if (failed_ || ended_) return;
    if (data_.size() - pos_ < len)
      return Fail(DecodeErrorKind::kInvalidSmLength, kEsmeRinvmsglen, field);
    out.assign(data_.data() + pos_, len);
    pos_ += len;
  }

  // number_of_dests + dest_address list (§4.5.1.1).
  void Dests(std::vector<DestAddress>& out) {
    uint8_t count = 0;
    U8(count, "number_of_dests");
    if (failed_ || ended_) return;
    if (count == 0 || count > 254) {
      return Fail(DecodeErrorKind::kInvalidNumberOfDests, kEsmeRinvnumdests, "number_of_dests");
    }
    out.resize(count);
    for (DestAddress& d : out) {
      U8(d.dest_flag, "dest_flag");
      if (failed_) return;
      if (d.dest_flag == DestAddress::kSmeAddress) {
        U8(d.dest_addr_ton, "dest_addr_ton");
        U8(d.dest_addr_npi, "dest_addr_npi");
        COctet(d.address, 21, kEsmeRinvdstadr, "destination_addr");
      } else if (d.dest_flag == DestAddress::kDistributionList) {
        COctet(d.address, 21, kEsmeRinvdlname, "dl_name");
      } else {
        return Fail(DecodeErrorKind::kInvalidDestFlag, kEsmeRinvdestflag, "dest_flag");
      }
    }
  }

  // no_unsuccess + unsuccess_sme list (§4.5.2.1).
  void Unsuccess(std::vector<UnsuccessSme>& out) {
    uint8_t count = 0;
    U8(count, "no_unsuccess");
    if (failed_ || ended_) return;
    out.resize(count);
    for (UnsuccessSme& u : out) {
      U8(u.dest_addr_ton, "dest_addr_ton");
      U8(u.dest_addr_npi, "dest_addr_npi");
      COctet(u.destination_addr, 21, kEsmeRinvdstadr, "destination_addr");
      U32(u.error_status_code, "error_status_code");
      // Inside the list the body may not simply end: that is truncation.
      if (ended_) return Fail(DecodeErrorKind::kTruncatedBody, kEsmeRinvcmdlen, "unsuccess_sme");
    }
  }

 private:
  // True if the read must be skipped: after a failure, or (responses) at the end of body.
  bool Skip() {
    if (failed_) return true;
    if (lenient_ && pos_ == data_.size()) ended_ = true;
    return ended_;
  }
  void Fail(DecodeErrorKind kind, uint32_t status, std::string_view field) {
    failed_ = true;
    kind_ = kind;
    status_ = status;
    field_ = field;
  }

  std::string_view data_;
  size_t pos_ = 0;
  bool lenient_;
  bool ended_ = false;
  bool failed_ = false;
  DecodeErrorKind kind_ = DecodeErrorKind::kTruncatedBody;
  uint32_t status_ = kEsmeRok;
  std::string_view field_;
};

// Appends fields; records the first field whose value cannot be encoded.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  bool failed() const { return !problem_.empty(); }
  const std::string& problem() const { return problem_; }

  void U8(uint8_t v, std::string_view = {}) { out_.push_back(static_cast<char>(v)); }
  void U16(uint16_t v) {
    out_.push_back(static_cast<char>(v >> 8));
    out_.push_back(static_cast<char>(v));
  }
  void U32(uint32_t v, std::string_view = {}) {
    const char b[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                       static_cast<char>(v >> 8), static_cast<char>(v)};
    out_.append(b, 4);
  }
  void COctet(const std::string& v, size_t max, std::string_view field) {
    if (v.size() + 1 > max) {
      Problem(field, "longer than " + std::to_string(max - 1) + " characters");
    } else if (v.find('\0') != std::string::npos) {
      Problem(field, "contains a NUL");
    }
    out_.append(v);
    out_.push_back('\0');
  }
  void Sm(const std::string& v, std::string_view field) {
    if (v.size() > 255) Problem(field, "longer than 255 octets");
    U8(static_cast<uint8_t>(v.size()));
    out_.append(v);
  }
  void Dests(const std::vector<DestAddress>& dests) {
    if (dests.empty() || dests.size() > 254) Problem("dest_addresses", "must hold 1..254 entries");
    U8(static_cast<uint8_t>(dests.size()));
    for (const DestAddress& d : dests) {
      U8(d.dest_flag);
      if (d.dest_flag == DestAddress::kSmeAddress) {
        U8(d.dest_addr_ton);
        U8(d.dest_addr_npi);
        COctet(d.address, 21, "destination_addr");
      } else if (d.dest_flag == DestAddress::kDistributionList) {
        COctet(d.address, 21, "dl_name");
      } else {
        Problem("dest_flag", "must be 1 or 2");
      }
    }
  }
  void Unsuccess(const std::vector<UnsuccessSme>& list) {
    if (list.size() > 255) Problem("unsuccess_smes", "more than 255 entries");
    U8(static_cast<uint8_t>(list.size()));
    for (const UnsuccessSme& u : list) {
      U8(u.dest_addr_ton);
      U8(u.dest_addr_npi);
      COctet(u.destination_addr, 21, "destination_addr");
      U32(u.error_status_code);
    }
  }
  void Problem(std::string_view field, const std::string& what) {
    if (problem_.empty()) problem_ = std::string(field) + " " + what;
  }

 private:
  std::string& out_;
  std::string problem_;
};

// Per-PDU field readers and writers, generated from pdu.def.
#define SMPP_U8(f, default_value) io.U8(b.f, #f);
#define SMPP_COCTET(f, max, status) READ_OR_WRITE_COCTET_(f, max, status)
#define SMPP_SECRET(f, max, status) READ_OR_WRITE_COCTET_(f, max, status)
#define SMPP_SM(f) io.Sm(b.f, #f);
#define SMPP_DESTS(f) io.Dests(b.f);
#define SMPP_UNSUCCESS(f) io.Unsuccess(b.f);
#define READ_OR_WRITE_COCTET_(f, max, status) io.COctet(b.f, max, status, #f);
#define SMPP_PDU(Type, name, id, FIELDS)              \
  [[maybe_unused]] void Fields(Reader& io, Type& b) { \
    (void)io;                                         \
    (void)b;                                          \
    FIELDS                                            \
  }
#include "smpp/pdu/pdu.def"
#undef READ_OR_WRITE_COCTET_

#define SMPP_U8(f, default_value) io.U8(b.f);
#define SMPP_COCTET(f, max, status) io.COctet(b.f, max, #f);
#define SMPP_SECRET(f, max, status) io.COctet(b.f, max, #f);
#define SMPP_SM(f) io.Sm(b.f, #f);
#define SMPP_DESTS(f) io.Dests(b.f);
#define SMPP_UNSUCCESS(f) io.Unsuccess(b.f);
#define SMPP_PDU(Type, name, id, FIELDS)                    \
  [[maybe_unused]] void Fields(Writer& io, const Type& b) { \
    (void)io;                                               \
    (void)b;                                                \
    FIELDS                                                  \
  }
#include "smpp/pdu/pdu.def"

struct TlvProblem {
  DecodeErrorKind kind;
  uint32_t status;
  std::string_view field;
};

// SAR TLVs (§5.3.2.22-24) come as a set of three with 1 <= seqnum <= total.
std::optional<TlvProblem> CheckSar(const TlvList& tlvs) {
  const bool ref = tlvs.Has(tlv::kSarMsgRefNum);
  const bool total = tlvs.Has(tlv::kSarTotalSegments);
  const bool seq = tlvs.Has(tlv::kSarSegmentSeqnum);
  if (!ref && !total && !seq) return std::nullopt;
  const auto missing = [](std::string_view field) {
    return TlvProblem{DecodeErrorKind::kMissingTlv, kEsmeRmissingoptparam, field};
  };
  if (!ref) return missing("sar_msg_ref_num");
  if (!total) return missing("sar_total_segments");
  if (!seq) return missing("sar_segment_seqnum");
  const auto t = tlvs.sar_total_segments();
  const auto s = tlvs.sar_segment_seqnum();
  if (!t || *t == 0) {
    return TlvProblem{DecodeErrorKind::kInvalidTlvValue, kEsmeRinvoptparamval,
                      "sar_total_segments"};
  }
  if (!s || *s == 0 || *s > *t) {
    return TlvProblem{DecodeErrorKind::kInvalidTlvValue, kEsmeRinvoptparamval,
                      "sar_segment_seqnum"};
  }
  return std::nullopt;
}

DecodeError MakeError(const Header& h, DecodeErrorKind kind, uint32_t status,
                      std::string_view field = {}) {
  return DecodeError{kind, status, h.command_length, h.command_id, h.sequence_number, field};
}

template <typename T>
DecodeResult DecodeAs(const Header& h, std::string_view body) {
  Pdu pdu{.command_status = h.command_status, .sequence_number = h.sequence_number, .body = T{}};
  Reader reader(body, IsResponseId(h.command_id));
  Fields(reader, std::get<T>(pdu.body));
  if (reader.failed()) return MakeError(h, reader.kind(), reader.status(), reader.field());

  // Optional parameters (§3.2.4): tag (2), length (2), value.
  size_t pos = reader.pos();
  while (pos < body.size()) {
    if (body.size() - pos < 4) {
      return MakeError(h, DecodeErrorKind::kTruncatedTlv, kEsmeRinvoptparstream);
    }
    const uint16_t tag = LoadU16(body.data() + pos);
    const uint16_t len = LoadU16(body.data() + pos + 2);
    pos += 4;
    const TlvSpec* spec = FindTlvSpec(tag);
    const std::string_view name = spec ? spec->name : std::string_view();
    if (body.size() - pos < len) {
      return MakeError(h, DecodeErrorKind::kTruncatedTlv, kEsmeRinvoptparstream, name);
    }
    if (spec != nullptr && (len < spec->min_length || len > spec->max_length)) {
      return MakeError(h, DecodeErrorKind::kInvalidTlvLength, kEsmeRinvparlen, name);
    }
    pdu.tlvs.Add(tag, std::string(body.substr(pos, len)));
    pos += len;
  }
  if (auto problem = CheckSar(pdu.tlvs)) {
    return MakeError(h, problem->kind, problem->status, problem->field);
  }
  return pdu;
}

}  // namespace

std::string_view DecodeErrorKindName(DecodeErrorKind kind) {
  switch (kind) {
    case DecodeErrorKind::kCommandLengthTooShort:
      return "command_length too short";
    case DecodeErrorKind::kCommandLengthTooLong:
      return "command_length too long";
    case DecodeErrorKind::kCommandLengthMismatch:
      return "command_length does not match frame";
    case DecodeErrorKind::kUnknownCommandId:
      return "unknown command_id";
    case DecodeErrorKind::kTruncatedBody:
      return "truncated body";
    case DecodeErrorKind::kFieldTooLong:
      return "field too long";
    case DecodeErrorKind::kInvalidSmLength:
      return "invalid sm_length";
    case DecodeErrorKind::kInvalidNumberOfDests:
      return "invalid number_of_dests";
    case DecodeErrorKind::kInvalidDestFlag:
      return "invalid dest_flag";
    case DecodeErrorKind::kTruncatedTlv:
      return "truncated TLV";
    case DecodeErrorKind::kInvalidTlvLength:
      return "invalid TLV length";
    case DecodeErrorKind::kMissingTlv:
      return "missing TLV";
    case DecodeErrorKind::kInvalidTlvValue:
      return "invalid TLV value";
  }
  return "?";
}

bool IsFatal(DecodeErrorKind kind) {
  return kind == DecodeErrorKind::kCommandLengthTooShort ||
         kind == DecodeErrorKind::kCommandLengthTooLong ||
         kind == DecodeErrorKind::kCommandLengthMismatch;
}

std::string DecodeError::ToString() const {
  std::string out = FormatCommandId(command_id);
  out += " seq=" + std::to_string(sequence_number) + ": ";
  out += DecodeErrorKindName(kind);
  if (!field.empty()) {
    out += " (";
    out += field;
    out += ')';
  }
  if (kind == DecodeErrorKind::kCommandLengthTooShort ||
      kind == DecodeErrorKind::kCommandLengthTooLong) {
    out += " " + std::to_string(command_length);
  }
  out += " -> " + FormatCommandStatus(command_status);
  out += fatal() ? ", fatal" : ", recoverable";
  return out;
}

std::optional<Pdu> ErrorResponseFor(const DecodeError& error) {
  if (error.fatal() || !IsKnownCommandId(error.command_id)) {
    return MakeGenericNack(error.sequence_number, error.command_status);
  }
  if (IsResponseId(error.command_id)) return std::nullopt;
  return MakeResponse(static_cast<CommandId>(error.command_id), error.sequence_number,
                      error.command_status);
}

Pdu& DecodeResult::value() & {
  BRAMKA_CHECK(ok());
  return std::get<0>(data_);
}
const Pdu& DecodeResult::value() const& {
  BRAMKA_CHECK(ok());
  return std::get<0>(data_);
}
Pdu&& DecodeResult::value() && {
  BRAMKA_CHECK(ok());
  return std::get<0>(std::move(data_));
}
const DecodeError& DecodeResult::error() const {
  BRAMKA_CHECK(!ok());
  return std::get<1>(data_);
}

std::optional<Header> PeekHeader(std::string_view bytes) {
  if (bytes.size() < kHeaderLength) return std::nullopt;
  const char* p = bytes.data();
  return Header{LoadU32(p), LoadU32(p + 4), LoadU32(p + 8), LoadU32(p + 12)};
}

DecodeResult Decode(std::string_view frame) {
  Header h;
  if (frame.size() >= 4) h.command_length = LoadU32(frame.data());
  if (frame.size() >= 4 && h.command_length < kHeaderLength) {
    return MakeError(h, DecodeErrorKind::kCommandLengthTooShort, kEsmeRinvcmdlen);
  }
  if (frame.size() < kHeaderLength || h.command_length != frame.size()) {
    if (auto full = PeekHeader(frame)) h = *full;
    return MakeError(h, DecodeErrorKind::kCommandLengthMismatch, kEsmeRinvcmdlen);
  }
  h = *PeekHeader(frame);
  const std::string_view body = frame.substr(kHeaderLength);
  switch (h.command_id) {
#define SMPP_PDU(Type, name, id, FIELDS) \
  case id:                               \
    return DecodeAs<Type>(h, body);
#include "smpp/pdu/pdu.def"
  }
  return MakeError(h, DecodeErrorKind::kUnknownCommandId, kEsmeRinvcmdid);
}

Result<void> EncodeTo(const Pdu& pdu, std::string& out) {
  const size_t start = out.size();
  Writer w(out);
  w.U32(0);  // command_length, patched below
  w.U32(static_cast<uint32_t>(pdu.command_id()));
  w.U32(pdu.command_status);
  w.U32(pdu.sequence_number);
  std::visit([&w](const auto& b) { Fields(w, b); }, pdu.body);
  for (const Tlv& t : pdu.tlvs.items()) {
    const TlvSpec* spec = FindTlvSpec(t.tag);
    const std::string_view name = spec ? spec->name : std::string_view("TLV");
    if (t.value.size() > 0xFFFF) {
      w.Problem(name, "value longer than 65535 octets");
    } else if (spec != nullptr &&
               (t.value.size() < spec->min_length || t.value.size() > spec->max_length)) {
      w.Problem(name, "length " + std::to_string(t.value.size()) + " outside " +
                          std::to_string(spec->min_length) + ".." +
                          std::to_string(spec->max_length));
    }
    w.U16(t.tag);
    w.U16(static_cast<uint16_t>(t.value.size()));
    out.append(t.value);
  }
  if (auto problem = CheckSar(pdu.tlvs)) {
    w.Problem(problem->field, problem->kind == DecodeErrorKind::kMissingTlv
                                  ? "missing from the SAR set"
                                  : "out of range");
  }
  if (w.failed()) {
    out.resize(start);
    return Fail(ErrorCode::kInvalidArgument, std::string(pdu.name()) + ": " + w.problem());
  }
  const uint32_t length = static_cast<uint32_t>(out.size() - start);
  for (int i = 0; i < 4; ++i) out[start + i] = static_cast<char>(length >> (24 - 8 * i));
  return Ok();
}

Result<std::string> Encode(const Pdu& pdu) {
  std::string out;
  out.reserve(256);
  BRAMKA_RETURN_IF_ERROR(EncodeTo(pdu, out));
  return out;
}

}  // namespace bramka::smpp
