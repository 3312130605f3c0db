#pragma once
// SMPP delivery receipt text (SMPP 3.4 Appendix B; spec §7), carried in the
// short_message of a deliver_sm with esm_class 0x04:
//
//   id:<id> sub:001 dlvrd:001 submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DELIVRD
//   err:000 Text:<first 20 chars>
//
// Appendix B calls the format "vendor specific" and SMSCs vary it, so the parser is
// tolerant; the formatter emits exactly the line above. Pure and thread-safe.

#include <optional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace bramka::sms {

struct DeliveryReceipt {
  std::string id;           // the SMSC's message id, verbatim (hex or decimal, any case)
  int submitted = 1;        // sub: parts submitted
  int delivered = 0;        // dlvrd: parts delivered
  std::string submit_date;  // YYMMDDhhmm (or YYMMDDhhmmss), verbatim
  std::string done_date;    // likewise
  std::string stat;         // DELIVRD, ACCEPTD, EXPIRED, DELETED, UNDELIV, UNKNOWN, REJECTD, ...
  std::string err = "000";  // network error code, verbatim
  std::string text;         // the first characters of the message

  bool operator==(const DeliveryReceipt&) const = default;
};

// The Appendix B line, keys in the order above with "Text:" last. sub and dlvrd are
// printed as 3 digits (clamped to 0..999); `text` is cut to its first 20 characters
// (code points, never splitting a UTF-8 sequence). Other fields are copied verbatim.
std::string FormatReceipt(const DeliveryReceipt& r);

// Parses receipt text. Tolerates:
//   * keys in any case ("ID:", "Stat:") and in any order;
//   * "submit date" / "submit_date" / "submitdate" (same for done date), "text:" / "Text:";
//   * extra spaces between fields and after a colon ("stat: DELIVRD");
//   * missing fields (they keep the defaults above) except id and stat;
//   * dates of 10 or 12 digits, and any other date text (kept verbatim);
//   * NUL bytes after values (some SMSCs pad or terminate the text with NUL).
// Values other than the text end at the next blank. The text is verbatim from
// "text:" to the end of the input (minus trailing NULs), unless a key that has not
// appeared yet follows it (so "text:" first still works); a text that contains
// "stat:" after the real stat field stays part of the text. If a key repeats, its
// first occurrence wins. stat is upper-cased. sub/dlvrd that are not non-negative
// numbers keep their defaults.
// Errors: kInvalidArgument if id or stat is missing or empty.
Result<DeliveryReceipt> ParseReceipt(std::string_view text);

// A receipt date split into fields, for callers that turn it into a time point (the
// time zone is the SMSC's and not part of the text).
struct ReceiptDate {
  int year;  // 2000 + YY
  int month;
  int day;
  int hour;
  int minute;
  int second;  // 0 for the 10-digit form
};
// Parses "YYMMDDhhmm" or "YYMMDDhhmmss"; nullopt for anything else or out-of-range
// fields (month 13, minute 60, ...; second 60 is accepted for a leap second).
std::optional<ReceiptDate> ParseReceiptDate(std::string_view date);

}  // namespace bramka::sms
