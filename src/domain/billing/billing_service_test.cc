#include "domain/billing/billing_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/orders/order_service.h"

namespace stockpile::domain::billing {
namespace {

using ::testing::ElementsAre;

// Given a confirmed order of 3 x 2.50 = 7.50 ...
class BillingServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    orders_ = std::make_unique<orders::OrderService>(deps_, *catalog_);
    billing_ = std::make_unique<BillingService>(deps_);
    ASSERT_TRUE(
        catalog_
            ->CreateProduct(
                ctx_,
                {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 250})
            .ok());
    auto placed = orders_->PlaceOrder(
        ctx_, {.id = "o-1", .items = {{.product_id = "p1", .quantity = 3}}});
    ASSERT_TRUE(placed.ok()) << placed.status();
    ASSERT_TRUE(orders_->ChangeStatus(ctx_, "o-1", "confirmed").ok());
  }
  void TearDown() override {
    billing_.reset();
    orders_.reset();
    catalog_.reset();
    DomainStoreTest::TearDown();
  }

  // ... when billing sees the order.confirmed event ...
  core::EventPtr Confirmed() {
    auto events = store_->ReadStream("acme", orders::OrderStream("o-1"), 1, 10);
    EXPECT_TRUE(events.ok());
    for (const core::EventPtr& e : *events) {
      if (e->event_type == "order.confirmed") return e;
    }
    ADD_FAILURE() << "no order.confirmed";
    return nullptr;
  }

  core::StatusCode Pay(int64_t amount, const std::string& status) {
    return billing_
        ->RecordPayment(
            ctx_, {.order_id = "o-1", .amount_minor = amount, .status = status})
        .status()
        .code();
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<orders::OrderService> orders_;
  std::unique_ptr<BillingService> billing_;
};

TEST_P(BillingServiceTest, ConfirmedOrderOpensOneBill) {
  core::EventPtr confirmed = Confirmed();
  ASSERT_TRUE(billing_->HandleOrderConfirmed(*confirmed).ok());
  ASSERT_TRUE(billing_->HandleOrderConfirmed(*confirmed).ok());  // redelivery
  EXPECT_THAT(StreamTypes("acme", BillStream("o-1")),
              ElementsAre("bill.created"));
  auto bill = billing_->GetBill("acme", "o-1");
  ASSERT_TRUE(bill.ok()) << bill.status();
  EXPECT_EQ(bill->amount_minor, 750);
  EXPECT_EQ(bill->currency, "USD");
  EXPECT_EQ(bill->status, "open");
  auto events = store_->ReadStream("acme", BillStream("o-1"), 1, 10);
  EXPECT_EQ((*events)[0]->causation_id(), confirmed->event_id);
  EXPECT_EQ(billing_->GetBill("globex", "o-1").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(BillingServiceTest, PaymentsMustMatchAndPayOnce) {
  EXPECT_EQ(Pay(750, "succeeded"), core::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(billing_->HandleOrderConfirmed(*Confirmed()).ok());
  EXPECT_EQ(Pay(700, "succeeded"), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Pay(750, "maybe"), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Pay(750, "failed"), core::StatusCode::kOk);
  EXPECT_EQ(billing_->GetBill("acme", "o-1")->status, "failed");
  EXPECT_EQ(Pay(750, "succeeded"), core::StatusCode::kOk);
  EXPECT_EQ(Pay(750, "succeeded"), core::StatusCode::kConflict);
  EXPECT_THAT(StreamTypes("acme", BillStream("o-1")),
              ElementsAre("bill.created", "payment.failed", "payment.succeeded",
                          "bill.paid"));
  EXPECT_EQ(billing_->GetBill("acme", "o-1")->status, "paid");
}

TEST_P(BillingServiceTest, SucceededPaymentMarksTheOrderPaidOnce) {
  ASSERT_TRUE(billing_->HandleOrderConfirmed(*Confirmed()).ok());
  ASSERT_EQ(Pay(750, "succeeded"), core::StatusCode::kOk);
  auto events = store_->ReadStream("acme", BillStream("o-1"), 1, 10);
  const core::Event& payment = *(*events)[1];
  ASSERT_EQ(payment.event_type, "payment.succeeded");
  ASSERT_TRUE(orders_->HandlePaymentSucceeded(payment).ok());
  ASSERT_TRUE(orders_->HandlePaymentSucceeded(payment).ok());  // redelivery
  EXPECT_EQ(orders_->GetOrder("acme", "o-1")->status, "paid");
  EXPECT_THAT(StreamTypes("acme", orders::OrderStream("o-1")),
              ElementsAre("order.created", "order.confirmed", "order.updated",
                          "order.paid", "order.updated"));
}

INSTANTIATE_TEST_SUITE_P(Stores, BillingServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::billing
