#pragma once
// Upstream (SMSC) message ids in one canonical spelling per connector, so that a receipt
// matches its submit whatever form the SMSC gives the id in each place. Pure.
//
// Canonical form: the submit_sm_resp message_id without surrounding NULs and blanks,
// lower-cased, without leading zeros ("0" stays "0"). This is the upstream_id bramka
// records (connector contract rule 5).
//
// A receipt's id is converted to that form: the receipted_message_id TLV is spelled as in
// submit_sm_resp (SMPP 3.4 §5.3.2.12) and only canonicalised; the id in the receipt text
// is converted per ReceiptIdFormat (kHex: the text gives the decimal id in hex, kDecimal:
// the text gives the hex id in decimal), falling back to the canonical text id when it
// is not a number in that base or does not fit 64 bits.

#include <string>
#include <string_view>

#include "connectors/smpp/options.h"

namespace bramka::smpp_client {

std::string CanonicalUpstreamId(std::string_view id);

// The canonical id for an id read from receipt text.
std::string ReceiptTextIdToCanonical(std::string_view id, ReceiptIdFormat format);

}  // namespace bramka::smpp_client
