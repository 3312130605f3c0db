#include "smpp/pdu/pdu.h"

#include <cstdio>

namespace bramka::smpp {

CommandId Pdu::command_id() const {
  return std::visit([](const auto& b) { return std::decay_t<decltype(b)>::kCommandId; }, body);
}

std::string_view Pdu::name() const {
  return std::visit([](const auto& b) { return std::decay_t<decltype(b)>::kName; }, body);
}

std::string_view CommandName(uint32_t command_id) {
  switch (command_id) {
#define SMPP_PDU(Type, name, id, FIELDS) \
  case id:                               \
    return #name;
#include "smpp/pdu/pdu.def"
  }
  return {};
}

bool IsKnownCommandId(uint32_t command_id) { return !CommandName(command_id).empty(); }

std::string FormatCommandId(uint32_t command_id) {
  const std::string_view name = CommandName(command_id);
  if (!name.empty()) return std::string(name);
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%08X", command_id);
  return hex;
}

std::optional<CommandId> ResponseIdFor(CommandId request) {
  const uint32_t id = static_cast<uint32_t>(request);
  if (IsResponseId(id)) return std::nullopt;
  const uint32_t resp = id | kResponseBit;
  if (!IsKnownCommandId(resp)) return std::nullopt;  // outbind, alert_notification
  return static_cast<CommandId>(resp);
}

std::optional<CommandId> RequestIdFor(CommandId response) {
  const uint32_t id = static_cast<uint32_t>(response);
  if (!IsResponseId(id) || response == CommandId::kGenericNack) return std::nullopt;
  const uint32_t req = id & ~kResponseBit;
  if (!IsKnownCommandId(req)) return std::nullopt;
  return static_cast<CommandId>(req);
}

std::optional<PduBody> MakeBody(uint32_t command_id) {
  switch (command_id) {
#define SMPP_PDU(Type, name, id, FIELDS) \
  case id:                               \
    return PduBody(Type{});
#include "smpp/pdu/pdu.def"
  }
  return std::nullopt;
}

Pdu MakeGenericNack(uint32_t sequence_number, uint32_t status) {
  return Pdu{.command_status = status, .sequence_number = sequence_number, .body = GenericNack{}};
}

Pdu MakeResponse(CommandId request, uint32_t sequence_number, uint32_t status) {
  const std::optional<CommandId> resp = ResponseIdFor(request);
  if (!resp) return MakeGenericNack(sequence_number, status);
  return Pdu{.command_status = status,
             .sequence_number = sequence_number,
             .body = *MakeBody(static_cast<uint32_t>(*resp))};
}

Pdu MakeResponse(const Pdu& request, uint32_t status) {
  return MakeResponse(request.command_id(), request.sequence_number, status);
}

}  // namespace bramka::smpp
