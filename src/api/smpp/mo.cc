#include "api/smpp/mo.h"

#include <utility>

#include "smpp/pdu/codec.h"
#include "smpp/pdu/short_message.h"
#include "sms/gsm7.h"
#include "sms/ucs2.h"

namespace bramka::api::smpp {

namespace wire = bramka::smpp;

namespace {
std::string WithoutPlus(const std::string& s) {
  return s.size() > 1 && s[0] == '+' ? s.substr(1) : s;
}
}  // namespace

wire::Pdu MakeMoDeliver(const store::InboxMessage& m) {
  wire::DeliverSm d;
  const bool international = m.phone.size() > 1 && m.phone[0] == '+';
  d.source_addr_ton = international ? 1 : 0;
  d.source_addr_npi = 1;
  d.source_addr = WithoutPlus(m.phone);
  const bool to_international = m.to_number.size() > 1 && m.to_number[0] == '+';
  d.dest_addr_ton = to_international ? 1 : 0;
  d.dest_addr_npi = 1;
  d.destination_addr = WithoutPlus(m.to_number);
  d.esm_class = 0;  // a plain message, not a receipt
  std::string bytes;
  if (auto gsm = sms::EncodeGsm7(m.text); gsm.ok()) {
    d.data_coding = wire::kDataCodingDefault;
    bytes = std::move(*gsm);
  } else if (auto ucs2 = sms::EncodeUcs2(m.text); ucs2.ok()) {
    d.data_coding = wire::kDataCodingUcs2;
    bytes = std::move(*ucs2);
  } else {
    d.data_coding = wire::kDataCodingBinary8;
    bytes = m.text;
  }
  wire::Pdu pdu;
  if (bytes.size() <= 254) {
    d.short_message = std::move(bytes);
    pdu.body = std::move(d);
  } else {
    pdu.body = std::move(d);
    pdu.tlvs.set_message_payload(std::move(bytes));
  }
  return pdu;
}

}  // namespace bramka::api::smpp
