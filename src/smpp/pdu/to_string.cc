// ToString(const Pdu&): one log line per PDU, generated from pdu.def.
#include <cstdio>

#include "smpp/pdu/pdu.h"

namespace bramka::smpp {
namespace {

constexpr size_t kMaxPrinted = 64;  // octets of a value shown before "..."

bool IsPrintable(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) return false;
  }
  return true;
}

void AppendHex(std::string& out, std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (char c : bytes) {
    out.push_back(kDigits[static_cast<uint8_t>(c) >> 4]);
    out.push_back(kDigits[static_cast<uint8_t>(c) & 0xF]);
  }
}

// Printable ASCII as "quoted" text, anything else as hex:..., cut after kMaxPrinted.
void AppendBytes(std::string& out, std::string_view v) {
  const std::string_view shown = v.substr(0, kMaxPrinted);
  if (IsPrintable(shown)) {
    out.push_back('"');
    for (char c : shown) {
      if (c == '"' || c == '\\') out.push_back('\\');
      out.push_back(c);
    }
    out.push_back('"');
  } else {
    out += "hex:";
    AppendHex(out, shown);
  }
  if (v.size() > shown.size()) out += "...(" + std::to_string(v.size()) + " octets)";
}

void AppendU8(std::string& out, uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  out += buf;
}

// "1/1/" (appended piecewise: GCC 12 -O3 misreports -Wrestrict on chained operator+).
void AppendTonNpi(std::string& out, uint8_t ton, uint8_t npi) {
  out += std::to_string(ton);
  out.push_back('/');
  out += std::to_string(npi);
  out.push_back('/');
}

void Field(std::string& out, std::string_view name) {
  out.push_back(' ');
  out += name;
  out.push_back('=');
}

void AppendDests(std::string& out, const std::vector<DestAddress>& dests) {
  out.push_back('[');
  for (size_t i = 0; i < dests.size(); ++i) {
    if (i > 0) out.push_back(' ');
    const DestAddress& d = dests[i];
    if (d.dest_flag == DestAddress::kSmeAddress) {
      AppendTonNpi(out, d.dest_addr_ton, d.dest_addr_npi);
    } else {
      out += "dl:";
    }
    AppendBytes(out, d.address);
  }
  out.push_back(']');
}

void AppendUnsuccess(std::string& out, const std::vector<UnsuccessSme>& list) {
  out.push_back('[');
  for (size_t i = 0; i < list.size(); ++i) {
    if (i > 0) out.push_back(' ');
    const UnsuccessSme& u = list[i];
    AppendTonNpi(out, u.dest_addr_ton, u.dest_addr_npi);
    AppendBytes(out, u.destination_addr);
    out.push_back(':');
    out += FormatCommandStatus(u.error_status_code);
  }
  out.push_back(']');
}

void AppendTlvs(std::string& out, const TlvList& tlvs) {
  if (tlvs.empty()) return;
  out += " tlvs=[";
  bool first = true;
  for (const Tlv& t : tlvs.items()) {
    if (!first) out.push_back(' ');
    first = false;
    const TlvSpec* spec = FindTlvSpec(t.tag);
    if (spec == nullptr) {
      char tag[16];
      std::snprintf(tag, sizeof tag, "0x%04x=", t.tag);
      out += tag;
      AppendBytes(out, t.value);
      continue;
    }
    out += spec->name;
    out.push_back('=');
    const size_t n = t.value.size();
    const bool integer = (spec->kind == TlvKind::kU8 && n == 1) ||
                         (spec->kind == TlvKind::kU16 && n == 2) ||
                         (spec->kind == TlvKind::kU32 && n == 4);
    if (integer) {
      uint32_t v = 0;
      for (char c : t.value) v = (v << 8) | static_cast<uint8_t>(c);
      out += std::to_string(v);
    } else if (spec->kind == TlvKind::kCOctet) {
      std::string_view v = t.value;
      if (!v.empty() && v.back() == '\0') v.remove_suffix(1);
      AppendBytes(out, v);
    } else if (spec->tag == tlv::kMessagePayload) {
      AppendBytes(out, t.value);
    } else {
      out += "hex:";
      AppendHex(out, t.value);
    }
  }
  out.push_back(']');
}

#define SMPP_U8(f, default_value) Field(out, #f), AppendU8(out, b.f);
#define SMPP_COCTET(f, max, status) Field(out, #f), AppendBytes(out, b.f);
#define SMPP_SECRET(f, max, status) Field(out, #f), out += b.f.empty() ? "\"\"" : "***";
#define SMPP_SM(f) Field(out, #f), AppendBytes(out, b.f);
#define SMPP_DESTS(f) Field(out, #f), AppendDests(out, b.f);
#define SMPP_UNSUCCESS(f) Field(out, #f), AppendUnsuccess(out, b.f);
#define SMPP_PDU(Type, name, id, FIELDS)                                \
  [[maybe_unused]] void AppendFields(std::string& out, const Type& b) { \
    (void)out;                                                          \
    (void)b;                                                            \
    FIELDS                                                              \
  }
#include "smpp/pdu/pdu.def"

}  // namespace

std::string ToString(const Pdu& pdu) {
  std::string out(pdu.name());
  out += " seq=" + std::to_string(pdu.sequence_number);
  out += " status=" + FormatCommandStatus(pdu.command_status);
  std::visit([&out](const auto& b) { AppendFields(out, b); }, pdu.body);
  AppendTlvs(out, pdu.tlvs);
  return out;
}

}  // namespace bramka::smpp
