#include "connectors/smpp/submit_builder.h"

#include <algorithm>

#include "smpp/pdu/short_message.h"
#include "sms/gsm7.h"
#include "sms/segmentation.h"
#include "sms/ucs2.h"

namespace bramka::smpp_client {

Address MakeAddress(std::string_view address) {
  if (address.empty()) return {};
  std::string_view digits = address;
  bool plus = digits.front() == '+';
  if (plus) digits.remove_prefix(1);
  bool all_digits = !digits.empty() && std::all_of(digits.begin(), digits.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; });
  if (all_digits && (plus || digits.size() > 8)) return {1, 1, std::string(digits)};
  if (all_digits) return {3, 0, std::string(digits)};
  return {5, 0, std::string(address.substr(0, 11))};
}

Result<std::vector<smpp::Pdu>> BuildSubmits(const store::Message& message,
                                            const SmppConnectorOptions& options,
                                            uint16_t reference) {
  sms::Encoding encoding = message.unicode ? sms::Encoding::kUcs2 : sms::Encoding::kGsm7;
  uint8_t data_coding = message.unicode ? smpp::kDataCodingUcs2 : options.gsm7_data_coding;
  if (message.flash) data_coding = message.unicode ? 0x18 : 0x10;  // §5.2.19: class 0

  std::string sender = message.sender.empty() ? options.eco_sender : message.sender;
  Address src = MakeAddress(sender);
  Address dst = MakeAddress(message.phone);
  smpp::SubmitSm base{};
  base.service_type = "";
  base.source_addr_ton = src.ton;
  base.source_addr_npi = src.npi;
  base.source_addr = src.addr;
  base.dest_addr_ton = dst.ton;
  base.dest_addr_npi = dst.npi;
  base.destination_addr = dst.addr;
  base.registered_delivery = smpp::kReceiptOnSuccessOrFailure;
  base.data_coding = data_coding;
  if (message.speed) base.priority_flag = 1;

  std::vector<smpp::Pdu> out;
  if (options.long_messages == LongMessages::kPayload) {
    auto encoded = message.unicode ? sms::EncodeUcs2(message.text) : sms::EncodeGsm7(message.text);
    if (!encoded.ok()) return encoded.error();
    smpp::Pdu pdu{.body = base};
    auto info = sms::AnalyzeText(message.text, encoding);
    if (info.ok() && info->parts == 1) {
      pdu.get<smpp::SubmitSm>()->short_message = *encoded;
    } else {
      pdu.tlvs.set_message_payload(*encoded);
    }
    out.push_back(std::move(pdu));
    return out;
  }
  auto parts = sms::SplitIntoParts(message.text, encoding);
  if (!parts.ok()) return parts.error();
  const auto total = static_cast<uint8_t>(parts->size());
  for (size_t i = 0; i < parts->size(); ++i) {
    smpp::Pdu pdu{.body = base};
    auto* sm = pdu.get<smpp::SubmitSm>();
    const auto seq = static_cast<uint8_t>(i + 1);
    if (total == 1) {
      sm->short_message = (*parts)[i];
    } else if (options.long_messages == LongMessages::kSar) {
      sm->short_message = (*parts)[i];
      pdu.tlvs.set_sar_msg_ref_num(reference);
      pdu.tlvs.set_sar_total_segments(total);
      pdu.tlvs.set_sar_segment_seqnum(seq);
    } else {
      sm->esm_class |= smpp::kEsmClassUdhi;
      sm->short_message = sms::MakeConcatUdh(reference, total, seq, false) + (*parts)[i];
    }
    out.push_back(std::move(pdu));
  }
  return out;
}

}  // namespace bramka::smpp_client
