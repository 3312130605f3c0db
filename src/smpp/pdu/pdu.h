#pragma once
// SMPP 3.4 PDUs as typed values. Every PDU is defined once, in pdu.def; this header turns
// that table into:
//
//   * CommandId            enum of the 27 command_ids (kSubmitSm = 0x00000004, ...)
//   * one struct per PDU   SubmitSm, SubmitSmResp, BindTransceiver, ... with the mandatory
//                          fields in wire order (C-Octet Strings as std::string without
//                          the NUL, integers as fixed-width integers)
//   * PduBody              std::variant of those structs
//   * Pdu                  header fields + body + optional parameters (TlvList)
//
// Build a PDU with designated initializers:
//
//   Pdu pdu{.body = SubmitSm{.source_addr = "Bramka", .destination_addr = "48500600700",
//                            .short_message = "Hello"}};
//   pdu.tlvs.set_user_message_reference(7);
//
// command_length is not stored: Encode() computes it. Wire format: codec.h. Value types,
// no I/O; not thread-safe for concurrent modification.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "smpp/pdu/command_status.h"
#include "smpp/pdu/tlv.h"

namespace bramka::smpp {

inline constexpr size_t kHeaderLength = 16;  // command_length, id, status, sequence_number
inline constexpr uint32_t kResponseBit = 0x80000000;
inline constexpr uint32_t kMaxSequenceNumber = 0x7FFFFFFF;  // §3.2: 0x00000001-0x7FFFFFFF
inline constexpr uint8_t kInterfaceVersion34 = 0x34;

enum class CommandId : uint32_t {
#define SMPP_PDU(Type, name, id, FIELDS) k##Type = id,
#include "smpp/pdu/pdu.def"
};

// One dest_address of submit_multi (§4.5.1.1): an SME address or a distribution list.
struct DestAddress {
  static constexpr uint8_t kSmeAddress = 1;
  static constexpr uint8_t kDistributionList = 2;

  uint8_t dest_flag = kSmeAddress;
  uint8_t dest_addr_ton = 0;  // SME address only
  uint8_t dest_addr_npi = 0;  // SME address only
  std::string address{};      // destination_addr, or dl_name for a list (max 20 chars)

  bool operator==(const DestAddress&) const = default;
};

// One unsuccess_sme of submit_multi_resp (§4.5.2.1).
struct UnsuccessSme {
  uint8_t dest_addr_ton = 0;
  uint8_t dest_addr_npi = 0;
  std::string destination_addr{};  // max 20 chars
  uint32_t error_status_code = 0;

  bool operator==(const UnsuccessSme&) const = default;
};

#define SMPP_U8(field, default_value) uint8_t field = default_value;
#define SMPP_COCTET(field, max, status) std::string field{};
#define SMPP_SECRET(field, max, status) std::string field{};
#define SMPP_SM(field) std::string field{};
#define SMPP_DESTS(field) std::vector<DestAddress> field{};
#define SMPP_UNSUCCESS(field) std::vector<UnsuccessSme> field{};
#define SMPP_PDU(Type, name, id, FIELDS)                        \
  struct Type {                                                 \
    static constexpr CommandId kCommandId = CommandId::k##Type; \
    static constexpr std::string_view kName = #name;            \
    FIELDS                                                      \
    bool operator==(const Type&) const = default;               \
  };
#include "smpp/pdu/pdu.def"

namespace internal {
template <typename Ignored, typename... Ts>
struct VariantOfRest {
  using type = std::variant<Ts...>;
};
}  // namespace internal

// GenericNack first, so a default-constructed body is a generic_nack.
#define SMPP_PDU(Type, ...) , Type
using PduBody = typename internal::VariantOfRest<void
#include "smpp/pdu/pdu.def"
                                                 >::type;

struct Pdu {
  uint32_t command_status = kEsmeRok;
  uint32_t sequence_number = 0;
  PduBody body{};
  TlvList tlvs{};

  CommandId command_id() const;
  std::string_view name() const;  // "submit_sm"
  bool is_response() const { return (static_cast<uint32_t>(command_id()) & kResponseBit) != 0; }

  template <typename T>
  bool is() const {
    return std::holds_alternative<T>(body);
  }
  template <typename T>
  T* get() {
    return std::get_if<T>(&body);
  }
  template <typename T>
  const T* get() const {
    return std::get_if<T>(&body);
  }

  bool operator==(const Pdu&) const = default;
};

constexpr bool IsResponseId(uint32_t command_id) { return (command_id & kResponseBit) != 0; }
constexpr bool IsResponseId(CommandId id) { return IsResponseId(static_cast<uint32_t>(id)); }

bool IsKnownCommandId(uint32_t command_id);
// "submit_sm"; "" for an unknown id.
std::string_view CommandName(uint32_t command_id);
inline std::string_view CommandName(CommandId id) { return CommandName(static_cast<uint32_t>(id)); }
// "submit_sm", or "0x00000099" for an unknown id.
std::string FormatCommandId(uint32_t command_id);

// The response a request is answered with (submit_sm -> submit_sm_resp); nullopt for PDUs
// that have none (outbind, alert_notification) and for responses.
std::optional<CommandId> ResponseIdFor(CommandId request);
// The request a response answers; nullopt for generic_nack and requests.
std::optional<CommandId> RequestIdFor(CommandId response);

// A body of the given command with default fields; nullopt for unknown ids.
std::optional<PduBody> MakeBody(uint32_t command_id);

// The response to `request` with `status` and its sequence_number and empty fields;
// a generic_nack for requests that have no response PDU.
Pdu MakeResponse(const Pdu& request, uint32_t status = kEsmeRok);
Pdu MakeResponse(CommandId request, uint32_t sequence_number, uint32_t status);
Pdu MakeGenericNack(uint32_t sequence_number, uint32_t status);

// One line for logs: `submit_sm seq=7 status=ESME_ROK(0x00000000) service_type="" ...
// short_message="Hello" tlvs=[user_message_reference=7]`. Passwords print as "***";
// binary octets as hex; long values are cut.
std::string ToString(const Pdu& pdu);

}  // namespace bramka::smpp
