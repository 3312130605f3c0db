#pragma once
// Wire translation of the SMPP server, pure (no I/O, no clock reads): message-carrying
// PDUs (submit_sm, submit_multi, data_sm) -> core::SubmitRequest, stored messages ->
// deliver_sm receipts and query_sm answers, and the reassembly of long messages sent in
// parts (UDH with 8- or 16-bit references, or SAR TLVs). Decisions: docs/adr/0004 (text
// encodings, UTF-8) and docs/adr/0005 (parts become one message).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/gateway_service.h"
#include "smpp/pdu/pdu.h"
#include "sms/segmentation.h"
#include "store/model.h"

namespace bramka::api::smpp {

using bramka::smpp::Pdu;

// The source_addr values with a meaning of their own (spec §7).
inline constexpr std::string_view kEcoSource = "SMSECO";
inline constexpr std::string_view kVoiceSource = "VOICE";

// One message-carrying request, whatever its PDU.
struct WireMessage {
  std::string source_addr;
  struct Destination {
    uint8_t ton = 0;
    std::string address;
  };
  std::vector<Destination> destinations;
  uint8_t esm_class = 0;
  uint8_t registered_delivery = 0;
  uint8_t data_coding = 0;
  std::string user_data;  // the message octets without a UDH
  std::optional<sms::ConcatInfo> concat;
  bool flash = false;
  std::string schedule_delivery_time;
};

// A refusal: the command_status to answer with and why (for logs).
struct Refusal {
  uint32_t status = 0;
  std::string why;
};

// submit_sm / submit_multi / data_sm -> WireMessage; any other PDU is a bug of the
// caller. Refusals: a malformed UDH (ESME_RINVESMCLASS), a distribution list
// (ESME_RINVDSTADR: bramka keeps none).
std::variant<WireMessage, Refusal> ExtractMessage(const Pdu& pdu);

// Message octets in `data_coding` -> UTF-8, and whether the text needs UCS-2 (data
// coding 8, or characters outside GSM 03.38). data_coding 0 is GSM 03.38 unpacked, or
// UTF-8 when the octets hold a multi-byte UTF-8 sequence (ADR 0004); 1 IA5/ASCII;
// 3 Latin-1; 8 UCS-2 (UTF-16BE); the message-class forms 0x10-0x1B and 0xF0-0xF7 by
// their alphabet. Refusal ESME_RSUBMITFAIL for binary or unknown codings and invalid
// UCS-2.
struct DecodedText {
  std::string utf8;
  bool unicode = false;
};
std::variant<DecodedText, Refusal> DecodeText(uint8_t data_coding, std::string_view octets);

// A complete message (`text` from DecodeText of all its parts) -> the request core
// validates. SMSECO -> ECO, VOICE with UCS-2 -> voice, otherwise the source_addr is the
// FULL sender (core checks that it is approved); TON 1 destinations get their '+'.
// Refusal ESME_RINVSCHED for a schedule_delivery_time that cannot be read.
std::variant<core::SubmitRequest, Refusal> ToSubmitRequest(const WireMessage& m,
                                                           const DecodedText& text,
                                                           const store::SmppUser& user,
                                                           SystemTime now);

// SMPP 3.4 §7.1.1 absolute ("YYMMDDhhmmsstnnp") or relative ("YYMMDDhhmmss000R") time.
std::optional<SystemTime> ParseSmppTime(std::string_view text, SystemTime now);

// The deliver_sm receipt for a final message submitted over SMPP, or nullopt when its
// registered_delivery did not ask for one (0, or 2 = failure only and it was delivered).
// Receipt text (sms/receipt.h) with id = message id, plus receipted_message_id and
// message_state TLVs; source_addr = the recipient, destination_addr = the sender.
std::optional<Pdu> MakeReceipt(const store::Message& m);

// The response to one request of a submit (submit_sm, submit_multi or data_sm; a part of a
// long message, or the whole) once core answered `r`: the message id on success; for
// submit_multi the destinations core refused as unsuccess_smes (`destinations` in the
// request's order); otherwise the command_status of core's refusal (status.h).
Pdu SubmitResponse(bramka::smpp::CommandId command, uint32_t sequence_number,
                   const Result<core::SubmitResult>& r,
                   const std::vector<WireMessage::Destination>& destinations);

// message_state (§5.2.28) of a stored message, for query_sm_resp and receipts.
uint8_t MessageStateOf(store::MessageStatus status);

// Collects the parts of long messages of one bind. Parts are matched by (source,
// first destination, reference, total); a group is complete when every sequence number
// 1..total arrived. Not thread-safe (one per connection, on its strand).
class Reassembler {
 public:
  using Clock = std::chrono::steady_clock;

  struct Part {
    uint8_t sequence = 0;
    uint32_t pdu_sequence_number = 0;  // the request to answer
    bramka::smpp::CommandId command{};
    WireMessage message;
  };
  struct Group {
    std::vector<Part> parts;  // by sequence once complete
    Clock::time_point started;
  };

  // Adds a part. Returns the whole group, parts in order, when this part completes it.
  // A repeated sequence number replaces the earlier part (its request is answered as
  // a duplicate: returned in `replaced`).
  std::optional<Group> Add(Part part, Clock::time_point now, std::optional<Part>* replaced);
  // Removes and returns groups started before `deadline` (incomplete for too long).
  std::vector<Group> Expire(Clock::time_point deadline);
  // Removes and returns everything (the bind closed).
  std::vector<Group> TakeAll();
  size_t size() const { return groups_.size(); }

 private:
  using Key = std::tuple<std::string, std::string, uint16_t, uint8_t>;
  std::map<Key, Group> groups_;
};

}  // namespace bramka::api::smpp
