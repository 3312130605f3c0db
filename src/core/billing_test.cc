// GatewayService billing: top-ups sold with an invoice, payments, stats.
#include <gtest/gtest.h>

#include "common/clock.h"
#include "common/time_format.h"
#include "core/gateway_service.h"
#include "store/testing/in_memory_store.h"

namespace bramka::core {
namespace {

class BillingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetProcessTimeZone("Europe/Warsaw");
    // 2026-01-31 23:30 UTC is already February in Warsaw.
    clock_.Set(*ParseApiTime("2026-02-01 00:30:00"));
    gw_ = std::make_unique<GatewayService>(store_, clock_, CoreOptions{});
    ASSERT_TRUE(gw_->CreateAccount("acme", "secret").ok());
    ASSERT_TRUE(gw_->CreateAccount("other", "secret").ok());
    acme_ = *gw_->AuthenticatePassword("acme", "secret");
    other_ = *gw_->AuthenticatePassword("other", "secret");
  }

  TopUpOrder Order(int64_t units, int64_t gross) {
    TopUpOrder o;
    o.account = "acme";
    o.type = store::MessageType::kFull;
    o.units = units;
    o.gross_grosze = gross;
    return o;
  }

  store::InMemoryStore store_;
  FakeClock clock_;
  std::unique_ptr<GatewayService> gw_;
  Caller acme_, other_;
};

TEST_F(BillingTest, InvoiceNumberUsesTheLocalMonthAndNetComesFromGross) {
  auto p = gw_->SellTopUp(Order(1000, 12'300));
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->number, "FV 1/02/2026");
  EXPECT_EQ(p->net_grosze, 10'000);
  EXPECT_EQ(p->vat_percent, 23);
  EXPECT_EQ(p->total_grosze, 12'300);
  EXPECT_GT(p->paid_ms, 0);
  EXPECT_EQ(p->due_ms - p->issued_ms, 14LL * 24 * 3600 * 1000);
  // 1,00 PLN gross = 0,81 net + 0,19 VAT (0,813 rounds down).
  EXPECT_EQ(gw_->SellTopUp(Order(1, 100))->net_grosze, 81);
  // 0,05 PLN: 0,0406 rounds to 0,04.
  EXPECT_EQ(gw_->SellTopUp(Order(1, 5))->net_grosze, 4);
  EXPECT_EQ(gw_->SellTopUp(Order(1, 100))->number, "FV 4/02/2026");
}

TEST_F(BillingTest, BadOrdersAreRefused) {
  EXPECT_EQ(gw_->SellTopUp(Order(0, 100)).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(gw_->SellTopUp(Order(5, -1)).error().code, ErrorCode::kInvalidArgument);
  TopUpOrder late = Order(5, 100);
  late.due_days = -1;
  EXPECT_EQ(gw_->SellTopUp(late).error().code, ErrorCode::kInvalidArgument);
  TopUpOrder nobody = Order(5, 100);
  nobody.account = "nobody";
  auto r = gw_->SellTopUp(nobody);
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_NE(r.error().message.find("nobody"), std::string::npos);
}

TEST_F(BillingTest, PaymentsAreTheCallersOnly) {
  TopUpOrder unpaid = Order(10, 500);
  unpaid.paid = false;
  const auto p = *gw_->SellTopUp(unpaid);
  EXPECT_EQ(p.paid_ms, 0);
  EXPECT_EQ(gw_->Payment(acme_, p.id)->number, p.number);
  auto hidden = gw_->Payment(other_, p.id);
  ASSERT_FALSE(hidden.ok());
  EXPECT_EQ(hidden.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(static_cast<Failure>(hidden.error().detail), Failure::kInvalidId);
  EXPECT_EQ(gw_->Payments(other_, 1, 10)->total, 0);
  EXPECT_EQ(gw_->Payments(acme_, 1, 10)->total, 1);
  clock_.Advance(std::chrono::hours(1));
  EXPECT_GT(gw_->MarkPaymentPaid(p.id)->paid_ms, p.issued_ms);
}

}  // namespace
}  // namespace bramka::core
