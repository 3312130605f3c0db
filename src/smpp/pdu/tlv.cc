#include "smpp/pdu/tlv.h"

#include <algorithm>

namespace bramka::smpp {

const std::vector<TlvSpec>& KnownTlvSpecs() {
  static const std::vector<TlvSpec> specs = [] {
    std::vector<TlvSpec> v = {
#define SMPP_TLV_U8(name, Name, tag) {tag, #name, TlvKind::kU8, 1, 1},
#define SMPP_TLV_U16(name, Name, tag) {tag, #name, TlvKind::kU16, 2, 2},
#define SMPP_TLV_U32(name, Name, tag) {tag, #name, TlvKind::kU32, 4, 4},
#define SMPP_TLV_COCTET(name, Name, tag, min, max) {tag, #name, TlvKind::kCOctet, min, max},
#define SMPP_TLV_OCTETS(name, Name, tag, min, max) {tag, #name, TlvKind::kOctets, min, max},
#include "smpp/pdu/tlv.def"
    };
    std::sort(v.begin(), v.end(), [](const TlvSpec& a, const TlvSpec& b) { return a.tag < b.tag; });
    return v;
  }();
  return specs;
}

const TlvSpec* FindTlvSpec(uint16_t tag) {
  const auto& specs = KnownTlvSpecs();
  auto it = std::lower_bound(specs.begin(), specs.end(), tag,
                             [](const TlvSpec& s, uint16_t t) { return s.tag < t; });
  return it != specs.end() && it->tag == tag ? &*it : nullptr;
}

std::string_view TlvName(uint16_t tag) {
  const TlvSpec* spec = FindTlvSpec(tag);
  return spec ? spec->name : std::string_view();
}

const Tlv* TlvList::Find(uint16_t tag) const {
  for (const Tlv& t : items_) {
    if (t.tag == tag) return &t;
  }
  return nullptr;
}

void TlvList::Add(uint16_t tag, std::string value) { items_.push_back(Tlv{tag, std::move(value)}); }

void TlvList::Set(uint16_t tag, std::string value) {
  for (Tlv& t : items_) {
    if (t.tag == tag) {
      t.value = std::move(value);
      return;
    }
  }
  Add(tag, std::move(value));
}

size_t TlvList::Remove(uint16_t tag) {
  const size_t before = items_.size();
  std::erase_if(items_, [tag](const Tlv& t) { return t.tag == tag; });
  return before - items_.size();
}

std::optional<uint32_t> TlvList::GetIntOfSize(uint16_t tag, size_t size) const {
  const Tlv* t = Find(tag);
  if (t == nullptr || t->value.size() != size) return std::nullopt;
  uint32_t v = 0;
  for (char c : t->value) v = (v << 8) | static_cast<uint8_t>(c);
  return v;
}

std::optional<uint32_t> TlvList::GetInt(uint16_t tag) const {
  const Tlv* t = Find(tag);
  if (t == nullptr) return std::nullopt;
  const size_t n = t->value.size();
  if (n != 1 && n != 2 && n != 4) return std::nullopt;
  return GetIntOfSize(tag, n);
}

std::optional<std::string_view> TlvList::GetOctets(uint16_t tag) const {
  const Tlv* t = Find(tag);
  if (t == nullptr) return std::nullopt;
  return std::string_view(t->value);
}

std::optional<std::string_view> TlvList::GetCOctet(uint16_t tag) const {
  auto v = GetOctets(tag);
  if (v && !v->empty() && v->back() == '\0') v->remove_suffix(1);
  return v;
}

void TlvList::SetU8(uint16_t tag, uint8_t value) {
  Set(tag, std::string(1, static_cast<char>(value)));
}

void TlvList::SetU16(uint16_t tag, uint16_t value) {
  std::string v(2, '\0');
  v[0] = static_cast<char>(value >> 8);
  v[1] = static_cast<char>(value);
  Set(tag, std::move(v));
}

void TlvList::SetU32(uint16_t tag, uint32_t value) {
  std::string v(4, '\0');
  for (int i = 0; i < 4; ++i) v[i] = static_cast<char>(value >> (24 - 8 * i));
  Set(tag, std::move(v));
}

void TlvList::SetCOctet(uint16_t tag, std::string_view value) {
  std::string v(value);
  v.push_back('\0');
  Set(tag, std::move(v));
}

std::optional<NetworkErrorCode> GetNetworkErrorCode(const TlvList& tlvs) {
  auto v = tlvs.network_error_code();
  if (!v || v->size() != 3) return std::nullopt;
  const auto b = [&](size_t i) { return static_cast<uint8_t>((*v)[i]); };
  return NetworkErrorCode{b(0), static_cast<uint16_t>((b(1) << 8) | b(2))};
}

void SetNetworkErrorCode(TlvList& tlvs, NetworkErrorCode code) {
  std::string v(3, '\0');
  v[0] = static_cast<char>(code.network_type);
  v[1] = static_cast<char>(code.error_code >> 8);
  v[2] = static_cast<char>(code.error_code);
  tlvs.Set(tlv::kNetworkErrorCode, std::move(v));
}

}  // namespace bramka::smpp
