#include "invoice/invoice.h"

#include <cairo-pdf.h>
#include <cairo.h>

#include <cstdlib>
#include <memory>

namespace bramka::invoice {

namespace {

constexpr double kPageWidth = 595.28;  // A4 in points
constexpr double kPageHeight = 841.89;
constexpr double kMargin = 50;

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// Draws text lines at a cursor that moves down the page.
class Pen {
 public:
  explicit Pen(cairo_t* cr) : cr_(cr) {}

  void Font(double size, bool bold) {
    cairo_select_font_face(cr_, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr_, size);
  }
  void At(double x, double y, const std::string& text) {
    cairo_move_to(cr_, x, y);
    cairo_show_text(cr_, text.c_str());
  }
  // Right-aligned so that the text ends at x.
  void Right(double x, double y, const std::string& text) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr_, text.c_str(), &ext);
    At(x - ext.x_advance, y, text);
  }
  void Rule(double y) {
    cairo_set_line_width(cr_, 0.6);
    cairo_move_to(cr_, kMargin, y);
    cairo_line_to(cr_, kPageWidth - kMargin, y);
    cairo_stroke(cr_);
  }

 private:
  cairo_t* cr_;
};

double DrawParty(Pen& pen, double x, double y, const char* title, const Party& p) {
  pen.Font(9, true);
  pen.At(x, y, title);
  pen.Font(10, true);
  y += 16;
  pen.At(x, y, p.name);
  pen.Font(10, false);
  for (const auto& line : p.address) {
    y += 14;
    pen.At(x, y, line);
  }
  if (!p.tax_id.empty()) {
    y += 14;
    pen.At(x, y, "NIP: " + p.tax_id);
  }
  return y;
}

}  // namespace

std::string FormatMoney(int64_t grosze) {
  const bool negative = grosze < 0;
  const int64_t abs = negative ? -grosze : grosze;
  std::string whole = std::to_string(abs / 100);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped += ' ';
    grouped += whole[i];
  }
  const int64_t cents = abs % 100;
  return (negative ? "-" : "") + grouped + "," + (cents < 10 ? "0" : "") + std::to_string(cents);
}

Result<std::string> RenderInvoicePdf(const Invoice& inv) {
  std::string pdf;
  std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface(
      cairo_pdf_surface_create_for_stream(&Append, &pdf, kPageWidth, kPageHeight),
      &cairo_surface_destroy);
  cairo_pdf_surface_restrict_to_version(surface.get(), CAIRO_PDF_VERSION_1_5);
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE,
                                 ("Faktura VAT " + inv.number).c_str());
  cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_CREATOR, "bramka");
  std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr(cairo_create(surface.get()),
                                                        &cairo_destroy);
  cairo_set_source_rgb(cr.get(), 0, 0, 0);
  Pen pen(cr.get());
  const double right = kPageWidth - kMargin;

  double y = kMargin + 10;
  pen.Font(18, true);
  pen.At(kMargin, y, "Faktura VAT " + inv.number);
  pen.Font(9, false);
  pen.Right(right, y - 8, "Data wystawienia: " + inv.issue_date);
  pen.Right(right, y + 4, "Data sprzedaży: " + inv.issue_date);
  if (!inv.place.empty()) pen.Right(right, y + 16, "Miejsce wystawienia: " + inv.place);
  y += 30;
  pen.Rule(y);

  y += 22;
  const double seller_end = DrawParty(pen, kMargin, y, "SPRZEDAWCA", inv.seller);
  const double buyer_end = DrawParty(pen, kPageWidth / 2, y, "NABYWCA", inv.buyer);
  y = std::max(seller_end, buyer_end) + 26;

  // The table: one line item.
  const double col_qty = 300, col_net = 370, col_vat = 420, col_vat_amount = 480;
  pen.Font(9, true);
  pen.At(kMargin, y, "Nazwa");
  pen.Right(col_qty, y, "Ilość");
  pen.Right(col_net, y, "Netto");
  pen.Right(col_vat, y, "VAT %");
  pen.Right(col_vat_amount, y, "VAT");
  pen.Right(right, y, "Brutto");
  pen.Rule(y + 5);
  y += 20;
  const int64_t vat_grosze = inv.gross_grosze - inv.net_grosze;
  pen.Font(10, false);
  pen.At(kMargin, y, inv.item);
  pen.Right(col_qty, y, std::to_string(inv.quantity));
  pen.Right(col_net, y, FormatMoney(inv.net_grosze));
  pen.Right(col_vat, y, std::to_string(inv.vat_percent));
  pen.Right(col_vat_amount, y, FormatMoney(vat_grosze));
  pen.Right(right, y, FormatMoney(inv.gross_grosze));
  pen.Rule(y + 8);
  y += 30;

  pen.Font(12, true);
  pen.Right(right, y, "Razem do zapłaty: " + FormatMoney(inv.gross_grosze) + " PLN");
  y += 22;
  pen.Font(10, false);
  if (inv.paid) {
    pen.Right(right, y,
              "Zapłacono " + inv.paid_date + ": " + FormatMoney(inv.gross_grosze) + " PLN");
  } else {
    pen.Right(right, y, "Termin płatności: " + inv.due_date);
    if (!inv.bank_account.empty()) {
      y += 14;
      pen.Right(right, y, "Konto: " + inv.bank_account);
    }
  }
  if (!inv.note.empty()) {
    y += 30;
    pen.Font(9, false);
    pen.At(kMargin, y, "Uwagi: " + inv.note);
  }
  pen.Font(8, false);
  pen.At(kMargin, kPageHeight - kMargin, "Dokument wystawiony elektronicznie przez bramka.");

  cairo_show_page(cr.get());
  cr.reset();
  cairo_surface_finish(surface.get());
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) {
    return Fail(
        ErrorCode::kInternal,
        std::string("cairo: ") + cairo_status_to_string(cairo_surface_status(surface.get())));
  }
  return pdf;
}

}  // namespace bramka::invoice
