#include "invoice/invoice.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace bramka::invoice {
namespace {

Invoice Sample() {
  Invoice inv;
  inv.number = "FV 7/11/2026";
  inv.issue_date = "2026-11-26";
  inv.due_date = "2026-12-10";
  inv.place = "Łódź";
  inv.seller = {"Operator Sp. z o.o.", {"ul. Żółta 1", "00-001 Warszawa"}, "5250000000"};
  inv.buyer = {"Zażółć Gęślą Jaźń", {"ul. Długa 5"}, ""};
  inv.bank_account = "PL61 1090 1014 0000 0712 1981 2874";
  inv.item = "Pakiet SMS FULL";
  inv.quantity = 1000;
  inv.net_grosze = 10'000;
  inv.gross_grosze = 12'300;
  return inv;
}

// The text of a PDF as poppler's pdftotext reads it (installed by install-deps.sh).
std::string PdfText(const std::string& pdf) {
  const auto dir = std::filesystem::temp_directory_path();
  const auto path = dir / ("bramka-invoice-" + std::to_string(::getpid()) + ".pdf");
  std::ofstream(path, std::ios::binary) << pdf;
  std::string text;
  FILE* p = ::popen(("pdftotext -enc UTF-8 '" + path.string() + "' - 2>&1").c_str(), "r");
  if (p == nullptr) return "";
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
  ::pclose(p);
  std::filesystem::remove(path);
  return text;
}

TEST(FormatMoneyTest, GroupsThousandsAndPadsGrosze) {
  EXPECT_EQ(FormatMoney(0), "0,00");
  EXPECT_EQ(FormatMoney(5), "0,05");
  EXPECT_EQ(FormatMoney(12'300), "123,00");
  EXPECT_EQ(FormatMoney(123'456'789), "1 234 567,89");
  EXPECT_EQ(FormatMoney(-150), "-1,50");
}

TEST(InvoicePdfTest, RendersAReadablePdfWithPolishLetters) {
  auto pdf = RenderInvoicePdf(Sample());
  ASSERT_TRUE(pdf.ok()) << pdf.error().ToString();
  ASSERT_GT(pdf->size(), 1000u);
  EXPECT_EQ(pdf->substr(0, 8), "%PDF-1.5");
  EXPECT_NE(pdf->find("%%EOF"), std::string::npos);
  const std::string text = PdfText(*pdf);
  EXPECT_NE(text.find("Faktura VAT FV 7/11/2026"), std::string::npos) << text;
  EXPECT_NE(text.find("Zażółć Gęślą Jaźń"), std::string::npos) << text;
  EXPECT_NE(text.find("Operator Sp. z o.o."), std::string::npos) << text;
  EXPECT_NE(text.find("NIP: 5250000000"), std::string::npos) << text;
  EXPECT_NE(text.find("Pakiet SMS FULL"), std::string::npos) << text;
  EXPECT_NE(text.find("100,00"), std::string::npos) << text;  // net
  EXPECT_NE(text.find("23,00"), std::string::npos) << text;   // VAT
  EXPECT_NE(text.find("Razem do zapłaty: 123,00 PLN"), std::string::npos) << text;
  EXPECT_NE(text.find("Termin płatności: 2026-12-10"), std::string::npos) << text;
  EXPECT_NE(text.find("PL61 1090"), std::string::npos) << text;
}

TEST(InvoicePdfTest, PaidInvoiceSaysWhenInsteadOfTheTerm) {
  Invoice inv = Sample();
  inv.paid = true;
  inv.paid_date = "2026-11-27";
  inv.note = "Dziękujemy";
  const std::string text = PdfText(*RenderInvoicePdf(inv));
  EXPECT_NE(text.find("Zapłacono 2026-11-27: 123,00 PLN"), std::string::npos) << text;
  EXPECT_EQ(text.find("Termin płatności"), std::string::npos) << text;
  EXPECT_NE(text.find("Uwagi: Dziękujemy"), std::string::npos) << text;
}

}  // namespace
}  // namespace bramka::invoice
