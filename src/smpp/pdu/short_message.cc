#include "smpp/pdu/short_message.h"

namespace bramka::smpp {
namespace {

struct StateNames {
  MessageState state;
  std::string_view name;
  std::string_view stat;
};

// §5.2.28 names; Appendix B receipt stats.
constexpr StateNames kStates[] = {
    {MessageState::kEnroute, "ENROUTE", "ENROUTE"},
    {MessageState::kDelivered, "DELIVERED", "DELIVRD"},
    {MessageState::kExpired, "EXPIRED", "EXPIRED"},
    {MessageState::kDeleted, "DELETED", "DELETED"},
    {MessageState::kUndeliverable, "UNDELIVERABLE", "UNDELIV"},
    {MessageState::kAccepted, "ACCEPTED", "ACCEPTD"},
    {MessageState::kUnknown, "UNKNOWN", "UNKNOWN"},
    {MessageState::kRejected, "REJECTED", "REJECTD"},
};

}  // namespace

std::string_view MessageStateName(uint8_t state) {
  for (const auto& s : kStates) {
    if (static_cast<uint8_t>(s.state) == state) return s.name;
  }
  return {};
}

std::string_view ReceiptStat(MessageState state) {
  for (const auto& s : kStates) {
    if (s.state == state) return s.stat;
  }
  return "UNKNOWN";
}

std::optional<MessageState> MessageStateFromReceiptStat(std::string_view stat) {
  for (const auto& s : kStates) {
    if (s.stat == stat) return s.state;
  }
  return std::nullopt;
}

std::optional<UserData> SplitUserData(uint8_t esm_class, std::string_view data) {
  if (!HasUdh(esm_class)) return UserData{{}, data};
  if (data.empty()) return std::nullopt;
  const size_t udh_len = 1 + static_cast<uint8_t>(data[0]);
  if (udh_len > data.size()) return std::nullopt;
  return UserData{data.substr(0, udh_len), data.substr(udh_len)};
}

std::string_view MessageContent(const Pdu& pdu) {
  const auto with_payload = [&pdu](std::string_view sm) {
    if (!sm.empty()) return sm;
    return pdu.tlvs.message_payload().value_or(std::string_view());
  };
  if (const auto* b = pdu.get<SubmitSm>()) return with_payload(b->short_message);
  if (const auto* b = pdu.get<DeliverSm>()) return with_payload(b->short_message);
  if (const auto* b = pdu.get<SubmitMulti>()) return with_payload(b->short_message);
  if (pdu.is<DataSm>()) return with_payload({});
  return {};
}

std::optional<uint8_t> EsmClassOf(const Pdu& pdu) {
  if (const auto* b = pdu.get<SubmitSm>()) return b->esm_class;
  if (const auto* b = pdu.get<DeliverSm>()) return b->esm_class;
  if (const auto* b = pdu.get<SubmitMulti>()) return b->esm_class;
  if (const auto* b = pdu.get<DataSm>()) return b->esm_class;
  return std::nullopt;
}

std::optional<sms::ConcatInfo> ConcatInfoOf(const Pdu& pdu) {
  const auto ref = pdu.tlvs.sar_msg_ref_num();
  const auto total = pdu.tlvs.sar_total_segments();
  const auto seq = pdu.tlvs.sar_segment_seqnum();
  if (ref && total && seq) return sms::ConcatInfo{*ref, *total, *seq};
  const std::optional<uint8_t> esm_class = EsmClassOf(pdu);
  if (!esm_class || !HasUdh(*esm_class)) return std::nullopt;
  const auto user_data = SplitUserData(*esm_class, MessageContent(pdu));
  if (!user_data) return std::nullopt;
  return sms::ParseConcatUdh(user_data->udh);
}

}  // namespace bramka::smpp
