#include "domain/notifications/alert_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/common/domain_test_util.h"

namespace stockpile::domain::notifications {
namespace {

using ::testing::ElementsAre;

class AlertServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    alerts_ = std::make_unique<AlertService>(deps_, obs::Logger::Discard());
  }
  void TearDown() override {
    alerts_.reset();
    DomainStoreTest::TearDown();
  }

  // An event another service emitted (not stored: only its id matters).
  core::Event Given(const std::string& type, const std::string& aggregate_type,
                    const std::string& aggregate_id,
                    boost::json::object payload,
                    const std::string& tenant = "acme") {
    const common::CommandContext ctx{.tenant = tenant};
    return common::NewEvent(deps_, ctx, "test", type, aggregate_type,
                            aggregate_id, std::move(payload));
  }
  core::Event Stock(const std::string& type, int64_t available,
                    int64_t reorder_point = 10,
                    const std::string& tenant = "acme") {
    return Given(type, "inventory_position", "p1@main",
                 {{"productId", "p1"},
                  {"locationId", "main"},
                  {"available", available},
                  {"reorderPoint", reorder_point}},
                 tenant);
  }
  void When(const core::Event& e) {
    core::Status s = alerts_->HandleEvent(e);
    ASSERT_TRUE(s.ok()) << s;
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  std::unique_ptr<AlertService> alerts_;
};

TEST_P(AlertServiceTest, LowStockRaisesOneAlertPerCrossingAndRestoredResolves) {
  const core::Event low = Stock("inventory.stock.low", 2);
  When(low);
  When(low);                              // redelivery
  When(Stock("inventory.stock.low", 1));  // still open: nothing new
  const std::string stream = AlertStream(kLowStock, "p1@main");
  EXPECT_THAT(StreamTypes("acme", stream),
              ElementsAre("notification.alert.raised", "notification.sent"));
  auto alert = alerts_->GetAlert("acme", "low_stock.p1@main.1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  EXPECT_EQ(alert->product_id, "p1");
  EXPECT_EQ(alert->location_id, "main");
  EXPECT_EQ(alert->severity, "warning");  // 2 of 10: at or below half
  EXPECT_FALSE(alert->resolved);
  EXPECT_EQ(alert->ToJson().at("isResolved"), false);
  auto events = store_->ReadStream("acme", stream, 1, 10);
  EXPECT_EQ((*events)[0]->causation_id(), low.event_id);
  EXPECT_EQ((*events)[1]->PayloadString("channel"), "log");

  When(Stock("inventory.stock.restored", 12));
  EXPECT_TRUE(alerts_->GetAlert("acme", "low_stock.p1@main.1")->resolved);
  EXPECT_EQ(alerts_->GetAlert("acme", "low_stock.p1@main.1")->resolved_by,
            "auto");
  When(Stock("inventory.stock.restored", 12));  // nothing open: no-op
  When(Stock("inventory.stock.low", 0));        // the next crossing
  EXPECT_THAT(StreamTypes("acme", stream),
              ElementsAre("notification.alert.raised", "notification.sent",
                          "notification.alert.resolved",
                          "notification.alert.raised", "notification.sent"));
  auto second = alerts_->GetAlert("acme", "low_stock.p1@main.2");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->severity, "critical");
}

TEST_P(AlertServiceTest, SeverityFollowsHowFarBelowTheReorderPoint) {
  When(Stock("inventory.stock.low", 8));
  EXPECT_EQ(alerts_->GetAlert("acme", "low_stock.p1@main.1")->severity, "info");
}

TEST_P(AlertServiceTest, PendingPurchaseOrderAwaitsApprovalUntilApproved) {
  auto po = [&](const std::string& type, const std::string& id,
                const std::string& status) {
    boost::json::object p{{"purchaseOrderId", id}};
    if (type == "purchasing.order.created") {
      p = {{"purchaseOrderId", id},
           {"poNumber", "PO-2026-0001"},
           {"supplierId", "s1"},
           {"locationId", "main"},
           {"lines", boost::json::array{}},
           {"totalAmount", 125.5},
           {"status", status}};
    } else {
      p["approvedBy"] = "u-2";
    }
    return Given(type, "purchase_order", id, std::move(p));
  };
  When(po("purchasing.order.created", "po-auto", "approved"));
  EXPECT_TRUE(
      StreamTypes("acme", AlertStream(kPurchaseOrderApproval, "po-auto"))
          .empty());
  When(po("purchasing.order.created", "po-1", "pending"));
  auto alert = alerts_->GetAlert("acme", "purchase_order_approval.po-1.1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  EXPECT_EQ(alert->message,
            "Purchase order PO-2026-0001 (125.50) awaits approval");
  EXPECT_EQ(alert->subject_id, "po-1");
  When(po("purchasing.order.approved", "po-1", ""));
  EXPECT_TRUE(
      alerts_->GetAlert("acme", "purchase_order_approval.po-1.1")->resolved);
}

TEST_P(AlertServiceTest, FailedPaymentRaisesUntilAPaymentSucceeds) {
  auto payment = [&](const std::string& type) {
    return Given(type, "payment", "pay-1",
                 {{"paymentId", "pay-1"},
                  {"orderId", "o-1"},
                  {"amount", 7.5},
                  {"currency", "USD"},
                  {"reason", "card declined"}});
  };
  When(payment("payment.failed"));
  auto alert = alerts_->GetAlert("acme", "payment_failed.o-1.1");
  ASSERT_TRUE(alert.ok()) << alert.status();
  EXPECT_EQ(alert->message, "Payment for order o-1 failed: card declined");
  When(payment("payment.succeeded"));
  EXPECT_TRUE(alerts_->GetAlert("acme", "payment_failed.o-1.1")->resolved);
}

TEST_P(AlertServiceTest, ResolveByHandOnceAndOnlyInTheTenant) {
  When(Stock("inventory.stock.low", 2));
  When(Stock("inventory.stock.low", 2, 10, "globex"));
  const std::string id = "low_stock.p1@main.1";
  EXPECT_EQ(alerts_->Resolve({.tenant = "other"}, id).status().code(),
            core::StatusCode::kNotFound);
  auto resolved = alerts_->Resolve(ctx_, id);
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_TRUE(resolved->resolved);
  EXPECT_EQ(resolved->resolved_by, "u-1");
  EXPECT_EQ(alerts_->Resolve(ctx_, id).status().code(),
            core::StatusCode::kConflict);
  EXPECT_FALSE(alerts_->GetAlert("globex", id)->resolved);  // untouched
  When(Stock("inventory.stock.low", 2));  // raises .2: .1 stays resolved
  EXPECT_EQ(alerts_->Resolve(ctx_, id).status().code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(alerts_->Resolve(ctx_, "low_stock.p1@main.9").status().code(),
            core::StatusCode::kNotFound);
  for (const char* bad : {"", "nodots", "low_stock.p1", "low_stock..1",
                          "low_stock.p1.x", "low_stock.p1.0"}) {
    EXPECT_EQ(alerts_->Resolve(ctx_, bad).status().code(),
              core::StatusCode::kInvalidArgument)
        << bad;
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, AlertServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::notifications
