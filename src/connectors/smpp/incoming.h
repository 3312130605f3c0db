#pragma once
// An SMSC's deliver_sm that is not a receipt, as an incoming part for the
// core (connector.h rule 12; docs/adr/0011): addresses as sent, the text
// decoded from its data_coding (GSM 03.38 unpacked septets, UCS-2, Latin-1 /
// IA5; UTF-8 passed through), the concatenation UDH stripped and its
// reference/total/sequence (or the SAR TLVs) kept for reassembly.

#include <string>

#include "common/clock.h"
#include "delivery/connector.h"
#include "smpp/pdu/pdu.h"

namespace bramka::smpp_client {

delivery::IncomingSms IncomingFromDeliverSm(const std::string& connector, const smpp::Pdu& pdu,
                                            Clock& clock);

}  // namespace bramka::smpp_client
