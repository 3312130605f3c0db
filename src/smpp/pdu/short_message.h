#pragma once
// Field values and helpers for the message-carrying PDUs (submit_sm, submit_multi,
// deliver_sm, data_sm): esm_class, registered_delivery, data_coding and message_state
// values (SMPP 3.4 §5.2), the user data header, SAR/UDH concatenation, and where the
// message text lives (short_message or message_payload). UDH parsing is sms/'s
// (segmentation.h); this file only finds it in a PDU. Pure and thread-safe.

#include <cstdint>
#include <optional>
#include <string_view>

#include "smpp/pdu/pdu.h"
#include "sms/segmentation.h"

namespace bramka::smpp {

// esm_class (§5.2.12): bits 1-0 messaging mode, bits 5-2 message type, bits 7-6 features.
inline constexpr uint8_t kEsmClassModeMask = 0x03;
inline constexpr uint8_t kEsmClassDatagramMode = 0x01;
inline constexpr uint8_t kEsmClassForwardMode = 0x02;
inline constexpr uint8_t kEsmClassStoreAndForwardMode = 0x03;
inline constexpr uint8_t kEsmClassTypeMask = 0x3C;
inline constexpr uint8_t kEsmClassDeliveryReceipt = 0x04;    // SMSC delivery receipt
inline constexpr uint8_t kEsmClassDeliveryAck = 0x08;        // SME delivery acknowledgement
inline constexpr uint8_t kEsmClassManualAck = 0x10;          // SME manual/user acknowledgement
inline constexpr uint8_t kEsmClassConversationAbort = 0x18;  // Korean CDMA
inline constexpr uint8_t kEsmClassIntermediateNotification = 0x20;
inline constexpr uint8_t kEsmClassUdhi = 0x40;  // short_message starts with a UDH
inline constexpr uint8_t kEsmClassReplyPath = 0x80;

// registered_delivery (§5.2.17), bits 1-0: SMSC delivery receipt.
inline constexpr uint8_t kRegisteredDeliveryReceiptMask = 0x03;
inline constexpr uint8_t kReceiptOnSuccessOrFailure = 0x01;
inline constexpr uint8_t kReceiptOnFailure = 0x02;
inline constexpr uint8_t kIntermediateNotification = 0x10;

// data_coding (§5.2.19), the values bramka uses.
inline constexpr uint8_t kDataCodingDefault = 0x00;  // SMSC default alphabet (GSM 03.38)
inline constexpr uint8_t kDataCodingIa5 = 0x01;      // IA5 (CCITT T.50) / ASCII
inline constexpr uint8_t kDataCodingBinary8 = 0x02;  // octet unspecified (8-bit binary)
inline constexpr uint8_t kDataCodingLatin1 = 0x03;   // ISO-8859-1
inline constexpr uint8_t kDataCodingBinary = 0x04;   // octet unspecified (8-bit binary)
inline constexpr uint8_t kDataCodingUcs2 = 0x08;     // UCS2 (ISO/IEC-10646)

// message_state (§5.2.28), in query_sm_resp and the message_state TLV.
enum class MessageState : uint8_t {
  kEnroute = 1,
  kDelivered = 2,
  kExpired = 3,
  kDeleted = 4,
  kUndeliverable = 5,
  kAccepted = 6,
  kUnknown = 7,
  kRejected = 8,
};
// "DELIVERED"; "" outside 1..8.
std::string_view MessageStateName(uint8_t state);
// The Appendix B receipt stat for a state: "DELIVRD", "UNDELIV", "ENROUTE", ...
std::string_view ReceiptStat(MessageState state);
// The state for a receipt stat (case-sensitive, as sms::ParseReceipt upper-cases it).
std::optional<MessageState> MessageStateFromReceiptStat(std::string_view stat);

inline constexpr bool IsDeliveryReceipt(uint8_t esm_class) {
  return (esm_class & kEsmClassTypeMask) == kEsmClassDeliveryReceipt;
}
inline constexpr bool HasUdh(uint8_t esm_class) { return (esm_class & kEsmClassUdhi) != 0; }

// User data split by the UDHI flag: `udh` includes its length octet (UDHL).
struct UserData {
  std::string_view udh;
  std::string_view payload;
};
// Without UDHI: {"", data}. With UDHI: nullopt if data is empty or UDHL runs past it.
std::optional<UserData> SplitUserData(uint8_t esm_class, std::string_view data);

// The message octets of submit_sm / submit_multi / deliver_sm (short_message, or the
// message_payload TLV when short_message is empty, §5.3.2.32) and of data_sm
// (message_payload). Empty for other PDUs. Views into `pdu`.
std::string_view MessageContent(const Pdu& pdu);
// esm_class of a message-carrying PDU; nullopt for others.
std::optional<uint8_t> EsmClassOf(const Pdu& pdu);

// Which part of a long message this PDU carries: from the SAR TLVs if present, else from
// a concatenation UDH (8- or 16-bit reference) when UDHI is set; nullopt for a single
// message or a malformed UDH.
std::optional<sms::ConcatInfo> ConcatInfoOf(const Pdu& pdu);

}  // namespace bramka::smpp
