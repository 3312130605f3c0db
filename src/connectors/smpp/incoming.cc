#include "connectors/smpp/incoming.h"

#include "smpp/pdu/short_message.h"
#include "sms/gsm7.h"
#include "sms/ucs2.h"

namespace bramka::smpp_client {

namespace {

std::string DecodeUserData(uint8_t data_coding, std::string_view octets) {
  switch (data_coding) {
    case smpp::kDataCodingDefault: {
      // Spec §7 allows UTF-8 here; anything with high bytes that is valid UTF-8 is
      // taken as such, the rest as GSM 03.38 unpacked septets.
      bool high = false;
      for (unsigned char c : octets) high = high || c >= 0x80;
      if (high && sms::IsValidUtf8(octets)) return std::string(octets);
      return sms::DecodeGsm7(octets);
    }
    case smpp::kDataCodingUcs2: {
      auto u = sms::DecodeUcs2(octets);
      if (u.ok()) return *u;
      break;
    }
    default:
      break;
  }
  if (sms::IsValidUtf8(octets)) return std::string(octets);
  auto l = sms::DecodeLatin1(octets);
  return l.ok() ? *l : std::string(octets);
}

}  // namespace

delivery::IncomingSms IncomingFromDeliverSm(const std::string& connector, const smpp::Pdu& pdu,
                                            Clock& clock) {
  delivery::IncomingSms sms;
  sms.connector = connector;
  sms.at_ms = ToUnixMillis(clock.Now());
  const auto* dm = pdu.get<smpp::DeliverSm>();
  if (dm == nullptr) return sms;
  sms.from = dm->source_addr;
  if (dm->source_addr_ton == 1 && !sms.from.empty() && sms.from[0] != '+')
    sms.from = "+" + sms.from;
  sms.to = dm->destination_addr;
  if (dm->dest_addr_ton == 1 && !sms.to.empty() && sms.to[0] != '+') sms.to = "+" + sms.to;
  std::string_view content = smpp::MessageContent(pdu);
  std::string_view payload = content;
  if (auto ud = smpp::SplitUserData(dm->esm_class, content)) payload = ud->payload;
  sms.text = DecodeUserData(dm->data_coding, payload);
  if (auto concat = smpp::ConcatInfoOf(pdu)) {
    sms.reference = concat->reference;
    sms.parts_total = concat->total;
    sms.part_number = concat->sequence;
  }
  return sms;
}

}  // namespace bramka::smpp_client
