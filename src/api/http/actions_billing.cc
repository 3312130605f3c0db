// API v2 payments/* (spec §4.19) and stats/index (§4.20).

#include <optional>
#include <string>

#include "api/http/action_params.h"
#include "api/http/actions.h"
#include "api/http/text_util.h"
#include "common/time_format.h"
#include "core/gateway_service.h"

namespace bramka::api::http {

namespace {

std::string DateOf(int64_t ms) { return FormatApiTimeMs(ms).substr(0, 10); }

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

double Pln(int64_t grosze) { return static_cast<double>(grosze) / 100.0; }

Document PaymentDocument(const store::Payment& p) {
  Document d = Document::object();
  d["id"] = p.id;
  d["number"] = p.number;
  d["state"] = p.paid_ms > 0 ? "paid" : "not_paid";
  d["paid"] = Pln(p.paid_grosze);
  d["total"] = Pln(p.total_grosze);
  d["payment_to"] = DateOf(p.due_ms);
  // The document itself: this API's payments/invoice (GET works, with credentials).
  d["url"] = "/payments/invoice?id=" + std::to_string(p.id);
  return d;
}

}  // namespace

ApiAnswer ActionHandler::PaymentsIndex(const Context& ctx) {
  auto paging = PagingParams(ctx.params, 50, 500);
  if (!paging.ok()) return ErrorAnswer(paging.error());
  auto page = service_.Payments(ctx.caller, paging->page, paging->limit);
  if (!page.ok()) return ErrorAnswer(page.error());
  Document doc = Document::object();
  doc["paging"] = PagingDocument(*paging, page->total);
  Document items = Document::array();
  for (const store::Payment& p : page->items) items.push_back(PaymentDocument(p));
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

ApiAnswer ActionHandler::PaymentsView(const Context& ctx) {
  auto id = RequiredId(ctx.params);
  if (!id.ok()) return ErrorAnswer(id.error());
  auto p = service_.Payment(ctx.caller, *id);
  if (!p.ok()) return ErrorAnswer(p.error());
  return ApiAnswer{PaymentDocument(*p), 0};
}

ApiAnswer ActionHandler::PaymentsInvoice(const Context& ctx) {
  auto id = RequiredId(ctx.params);
  if (!id.ok()) return ErrorAnswer(id.error());
  auto p = service_.Payment(ctx.caller, *id);
  if (!p.ok()) return ErrorAnswer(p.error());
  auto account = service_.Account(ctx.caller);
  if (!account.ok()) return ErrorAnswer(account.error());

  invoice::Invoice inv;
  inv.number = p->number;
  inv.issue_date = DateOf(p->issued_ms);
  inv.due_date = DateOf(p->due_ms);
  inv.place = billing_.place;
  inv.seller = billing_.seller;
  inv.buyer.name = account->name;
  inv.bank_account = billing_.bank_account;
  inv.item = "Pakiet " + Upper(store::MessageTypeName(p->type)) + " (" + std::to_string(p->units) +
             " szt.)";
  inv.quantity = 1;
  inv.net_grosze = p->net_grosze;
  inv.vat_percent = p->vat_percent;
  inv.gross_grosze = p->total_grosze;
  inv.paid = p->paid_ms > 0;
  if (inv.paid) inv.paid_date = DateOf(p->paid_ms);
  inv.note = p->note;
  auto pdf = invoice::RenderInvoicePdf(inv);
  if (!pdf.ok()) return ErrorAnswer(pdf.error());
  ApiAnswer answer;
  answer.raw_content_type = "application/pdf";
  answer.raw_body = std::move(*pdf);
  return answer;
}

ApiAnswer ActionHandler::StatsIndex(const Context& ctx) {
  const Params& p = ctx.params;
  store::StatQuery q;
  Result<void> parsed = [&]() -> Result<void> {
    BRAMKA_ASSIGN_OR_RETURN(q.type, MessageTypeParam(p, "type"));
    BRAMKA_ASSIGN_OR_RETURN(q.from_ms, TimeParam(p, "begin", false));
    BRAMKA_ASSIGN_OR_RETURN(q.to_ms, TimeParam(p, "end", true));
    if (q.from_ms > 0 && q.to_ms > 0 && q.to_ms < q.from_ms) {
      return Fail(InvalidData("parameter 'end' is before 'begin'"));
    }
    return Ok();
  }();
  if (!parsed.ok()) return ErrorAnswer(parsed.error());
  auto rows = service_.Stats(ctx.caller, q);
  if (!rows.ok()) return ErrorAnswer(rows.error());
  Document items = Document::array();
  for (const store::StatRow& r : *rows) {
    Document item = Document::object();
    item["id"] = r.stat_id;
    item["name"] = "Wysyłka " + std::to_string(r.stat_id) + " (" + r.source + ")";
    item["delivered"] = r.delivered;
    item["pending"] = r.pending;
    item["undelivered"] = r.undelivered;
    item["unsent"] = r.unsent;
    item["begin"] = FormatApiTimeMs(r.first_ms);
    item["end"] = FormatApiTimeMs(r.last_ms);
    item["text"] = r.text;
    item["type"] = std::string(store::MessageTypeName(r.type));
    items.push_back(std::move(item));
  }
  Document doc = Document::object();
  doc["items"] = std::move(items);
  return ApiAnswer{std::move(doc), 0};
}

}  // namespace bramka::api::http
