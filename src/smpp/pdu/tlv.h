#pragma once
// SMPP 3.4 optional parameters (TLVs, §3.2.4 and §5.3): tag constants, the table of known
// tags (tlv.def), and TlvList, the ordered list a PDU carries.
//
// TlvList keeps every TLV as raw bytes in wire order, unknown tags included, so a decoded
// PDU re-encodes to the same bytes. Typed accessors (generated from tlv.def) read and
// write the known tags:
//
//   pdu.tlvs.set_sar_msg_ref_num(0x1234);
//   if (auto state = pdu.tlvs.message_state()) ...
//
// A getter returns nullopt when the tag is absent or, for integers, when its length is
// not the integer's size (Decode() rejects such a PDU, so this only happens for lists
// built by hand). If a tag repeats, getters see the first occurrence; setters replace the
// first occurrence or append. Views returned by getters stay valid until the list is
// modified. Value type; not thread-safe for concurrent modification.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bramka::smpp {

namespace tlv {
#define SMPP_TLV_U8(name, Name, tag) inline constexpr uint16_t k##Name = tag;
#define SMPP_TLV_U16(name, Name, tag) inline constexpr uint16_t k##Name = tag;
#define SMPP_TLV_U32(name, Name, tag) inline constexpr uint16_t k##Name = tag;
#define SMPP_TLV_COCTET(name, Name, tag, min, max) inline constexpr uint16_t k##Name = tag;
#define SMPP_TLV_OCTETS(name, Name, tag, min, max) inline constexpr uint16_t k##Name = tag;
#include "smpp/pdu/tlv.def"
}  // namespace tlv

enum class TlvKind : uint8_t { kU8, kU16, kU32, kCOctet, kOctets };

// What SMPP 3.4 says about a known tag. Lengths are value lengths in octets (C-Octet
// lengths count the NUL).
struct TlvSpec {
  uint16_t tag;
  std::string_view name;  // "sar_msg_ref_num"
  TlvKind kind;
  uint16_t min_length;
  uint16_t max_length;
};

// The spec of a known tag; nullptr for tags SMPP 3.4 does not define.
const TlvSpec* FindTlvSpec(uint16_t tag);
// All known tags, in tag order.
const std::vector<TlvSpec>& KnownTlvSpecs();

struct Tlv {
  uint16_t tag = 0;
  std::string value{};  // raw value octets (for C-Octet tags, including the NUL if sent)

  bool operator==(const Tlv&) const = default;
};

// network_error_code (§5.3.2.31): network type (1 = ANSI-136, 2 = IS-95, 3 = GSM, ...)
// and the network's error code.
struct NetworkErrorCode {
  uint8_t network_type = 0;
  uint16_t error_code = 0;
  bool operator==(const NetworkErrorCode&) const = default;
};

class TlvList {
 public:
  bool empty() const { return items_.empty(); }
  size_t size() const { return items_.size(); }
  const std::vector<Tlv>& items() const { return items_; }
  void clear() { items_.clear(); }

  // The first TLV with `tag`, or nullptr.
  const Tlv* Find(uint16_t tag) const;
  bool Has(uint16_t tag) const { return Find(tag) != nullptr; }
  // Appends, keeping duplicates (used by the decoder).
  void Add(uint16_t tag, std::string value);
  // Replaces the first TLV with `tag`, or appends.
  void Set(uint16_t tag, std::string value);
  // Removes every TLV with `tag`; returns how many.
  size_t Remove(uint16_t tag);

  // Big-endian integer of 1, 2 or 4 octets; nullopt if absent or of another length.
  std::optional<uint32_t> GetInt(uint16_t tag) const;
  // Octets; for C-Octet tags use GetCOctet, which drops the NUL.
  std::optional<std::string_view> GetOctets(uint16_t tag) const;
  // The value without one trailing NUL (absent NULs are tolerated).
  std::optional<std::string_view> GetCOctet(uint16_t tag) const;
  void SetU8(uint16_t tag, uint8_t value);
  void SetU16(uint16_t tag, uint16_t value);
  void SetU32(uint16_t tag, uint32_t value);
  // Stores `value` followed by a NUL.
  void SetCOctet(uint16_t tag, std::string_view value);

  // Typed accessors for every known tag.
#define SMPP_TLV_U8(name, Name, tag)                                            \
  std::optional<uint8_t> name() const {                                         \
    auto v = GetIntOfSize(tag, 1);                                              \
    return v ? std::optional<uint8_t>(static_cast<uint8_t>(*v)) : std::nullopt; \
  }                                                                             \
  void set_##name(uint8_t v) { SetU8(tag, v); }
#define SMPP_TLV_U16(name, Name, tag)                                             \
  std::optional<uint16_t> name() const {                                          \
    auto v = GetIntOfSize(tag, 2);                                                \
    return v ? std::optional<uint16_t>(static_cast<uint16_t>(*v)) : std::nullopt; \
  }                                                                               \
  void set_##name(uint16_t v) { SetU16(tag, v); }
#define SMPP_TLV_U32(name, Name, tag)                                   \
  std::optional<uint32_t> name() const { return GetIntOfSize(tag, 4); } \
  void set_##name(uint32_t v) { SetU32(tag, v); }
#define SMPP_TLV_COCTET(name, Name, tag, min, max)                        \
  std::optional<std::string_view> name() const { return GetCOctet(tag); } \
  void set_##name(std::string_view v) { SetCOctet(tag, v); }
#define SMPP_TLV_OCTETS(name, Name, tag, min, max)                        \
  std::optional<std::string_view> name() const { return GetOctets(tag); } \
  void set_##name(std::string_view v) { Set(tag, std::string(v)); }
#include "smpp/pdu/tlv.def"

  bool operator==(const TlvList&) const = default;

 private:
  std::optional<uint32_t> GetIntOfSize(uint16_t tag, size_t size) const;

  std::vector<Tlv> items_;
};

// network_error_code as a struct; nullopt if absent or not 3 octets.
std::optional<NetworkErrorCode> GetNetworkErrorCode(const TlvList& tlvs);
void SetNetworkErrorCode(TlvList& tlvs, NetworkErrorCode code);

// "sar_msg_ref_num", or "" for an unknown tag.
std::string_view TlvName(uint16_t tag);

}  // namespace bramka::smpp
