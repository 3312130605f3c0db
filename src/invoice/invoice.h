#pragma once
// The invoice document of a top-up (API v2 payments/invoice, spec §4.19; later the
// panel): one A4 page rendered to PDF with cairo, text in DejaVu Sans so that Polish
// letters print. Pure: data in, PDF bytes out; no store, no clock.
//
// Thread-safety: RenderInvoicePdf may run on any thread concurrently (each call owns
// its cairo surface).

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace bramka::invoice {

struct Party {
  std::string name;
  std::vector<std::string> address;  // lines, printed as given
  std::string tax_id;                // NIP; omitted when empty
};

struct Invoice {
  std::string number;      // "FV 3/11/2026"
  std::string issue_date;  // "2026-11-26"
  std::string due_date;
  std::string place;  // place of issue; omitted when empty
  Party seller;
  Party buyer;
  std::string bank_account;  // omitted when empty
  // One line: what was sold.
  std::string item;  // "SMS FULL — pakiet"
  int64_t quantity = 0;
  int64_t net_grosze = 0;
  int vat_percent = 23;
  int64_t gross_grosze = 0;
  bool paid = false;
  std::string paid_date;  // when paid
  std::string note;       // printed under the table when set
};

// "1 234,56": grosze as Polish money text, without the currency.
std::string FormatMoney(int64_t grosze);

// The PDF (version 1.5, one page). kInternal when cairo fails.
Result<std::string> RenderInvoicePdf(const Invoice& invoice);

}  // namespace bramka::invoice
