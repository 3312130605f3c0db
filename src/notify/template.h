#pragma once
// Callback URL templates (spec §6): the customer's URL with #PLACEHOLDER#s,
// expanded from a store::CallbackEntry. Pure: no I/O, no clock.
//
// Placeholders (values are percent-encoded, RFC 3986 unreserved characters
// kept; the template's own characters are left as written):
//   #SMSID# #ID# #IDSMS#  the message id (DLR: the outgoing message; MO: the incoming one)
//   #UNIQUEID#            the client's unique_id (DLR; empty for MO)
//   #NUMER#               DLR: the recipient; MO: who sent it (E.164 with '+')
//   #NADAWCA#             DLR: the sender name (empty for ECO); MO: the number it was sent to
//   #STAN# #STATUS#       delivered | undelivered | unsent (DLR), received (MO)
//   #POWOD# #REASON#      spec §5 failure reason (message_expired, ...), may be empty
//   #DATA#                when it happened, "YYYY-MM-DD HH:MM:SS" in the server's time zone
//   #WIADOMOSC#           the message text
//   #TYP#                 dlr | mo
// Names are case-sensitive; an unknown #WORD# is left as written.
//
// A template without any known placeholder gets the facts appended as query
// parameters (with '?' or '&'), named as the provider's Magento receivers read
// them: DLR  smsid, stan, data, numer, unique_id, powod;
//       MO   smsid, numer, nadawca, wiadomosc, data.

#include <string>
#include <string_view>

#include "store/model.h"

namespace bramka::notify {

// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (UTF-8 bytes too).
std::string UrlEncode(std::string_view value);

// `date` is the entry's event time already formatted (#DATA#): callers pass
// FormatApiTimeMs(entry.event_ms), so this function stays clock-free.
std::string ExpandCallbackUrl(const store::CallbackEntry& entry, std::string_view date);

}  // namespace bramka::notify
