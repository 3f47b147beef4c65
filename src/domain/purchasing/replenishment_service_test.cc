#include "domain/purchasing/replenishment_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/inventory/purchase_receipts.h"
#include "domain/purchasing/purchasing_test_fixture.h"

namespace stockpile::domain::purchasing {
namespace {

using ::testing::ElementsAre;

class ReplenishmentServiceTest : public PurchasingFixture {
 protected:
  // Given p1 with `stock` at main and a rule: reorder at 5, 20 at a time.
  void Given(int64_t stock, std::optional<int64_t> auto_approve = {}) {
    if (stock > 0) {
      ASSERT_TRUE(
          inventory_->Receive(ctx_, {.product_id = "p1", .quantity = stock})
              .ok());
    }
    auto rule = replenishment_->PutRule(
        ctx_, {.product_id = "p1",
               .reorder_point = 5,
               .reorder_quantity = 20,
               .safety_stock = 2,
               .supplier_id = "sup-1",
               .auto_approve_limit_minor = auto_approve});
    ASSERT_TRUE(rule.ok()) << rule.status();
  }

  void Sell(int64_t units) {
    auto r = inventory_->Adjust(
        ctx_, {.product_id = "p1", .delta = -units, .reason = "sale"});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // The newest event of `type` in `stream`, or null.
  core::EventPtr Last(const std::string& stream, std::string_view type) {
    core::EventPtr out;
    for (const core::EventPtr& e : Events(stream)) {
      if (e->event_type == type) out = e;
    }
    return out;
  }

  // The payload of the newest replenishment.triggered of p1 at main.
  boost::json::object LastTriggered() {
    core::EventPtr t = Last(RuleStream("p1", "main"), kReplenishmentTriggered);
    EXPECT_NE(t, nullptr);
    return t == nullptr ? boost::json::object() : t->payload;
  }

  std::string ReviewP1() {
    auto r = replenishment_->Review(ctx_, "p1", "main", kPeriodicReviewReason);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : "error";
  }

  // The purchase order of the newest replenishment.triggered, raised as the
  // subscription would.
  PurchaseOrderState RaiseTriggered() {
    core::EventPtr t = Last(RuleStream("p1", "main"), kReplenishmentTriggered);
    EXPECT_NE(t, nullptr);
    if (t == nullptr) return {};
    EXPECT_TRUE(replenishment_->HandleTriggered(*t).ok());
    auto po = orders_->Get("acme", t->PayloadString("purchaseOrderId"));
    EXPECT_TRUE(po.ok()) << po.status();
    return po.ok() ? *po : PurchaseOrderState{};
  }
};

TEST_P(ReplenishmentServiceTest, RulesAreValidatedFieldByField) {
  auto put = [&](ReplenishmentRule r) {
    if (r.product_id.empty()) r.product_id = "p1";
    if (r.supplier_id.empty()) r.supplier_id = "sup-1";
    core::Result<RuleState> s = replenishment_->PutRule(ctx_, r);
    return s.ok() ? std::string("ok") : s.status().message();
  };
  using ::testing::HasSubstr;
  EXPECT_THAT(put({.reorder_point = 5}), HasSubstr("reorderQuantity"));
  EXPECT_THAT(put({.reorder_point = 5,
                   .reorder_quantity = 10,
                   .min_quantity = 1,
                   .max_quantity = 20}),
              HasSubstr("not both"));
  EXPECT_THAT(put({.reorder_point = 5, .min_quantity = 30, .max_quantity = 20}),
              HasSubstr("minQuantity"));
  EXPECT_THAT(put({.reorder_point = 25, .min_quantity = 1, .max_quantity = 20}),
              HasSubstr("maxQuantity"));
  EXPECT_THAT(put({.reorder_point = -1, .reorder_quantity = 10}),
              HasSubstr("reorderPoint"));
  EXPECT_THAT(
      put({.reorder_point = 5, .reorder_quantity = 10, .safety_stock = 6}),
      HasSubstr("safetyStock"));
  EXPECT_THAT(put({.reorder_point = 5,
                   .reorder_quantity = 10,
                   .supplier_id = "nobody"}),
              HasSubstr("supplierId"));
  EXPECT_THAT(
      put({.product_id = "p3", .reorder_point = 5, .reorder_quantity = 10}),
      HasSubstr("no price"));
  EXPECT_THAT(put({.location_id = "nowhere",
                   .reorder_point = 5,
                   .reorder_quantity = 10}),
              HasSubstr("locationId"));
  EXPECT_THAT(put({.reorder_point = 5,
                   .reorder_quantity = 10,
                   .auto_approve_limit_minor = -5}),
              HasSubstr("autoApproveLimit"));
  EXPECT_EQ(replenishment_
                ->PutRule(ctx_, {.product_id = "ghost",
                                 .reorder_point = 5,
                                 .reorder_quantity = 10,
                                 .supplier_id = "sup-1"})
                .status()
                .code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(put({.reorder_point = 5, .reorder_quantity = 10}), "ok");
  // The same rule again appends nothing.
  EXPECT_EQ(put({.reorder_point = 5, .reorder_quantity = 10}), "ok");
  EXPECT_THAT(StreamTypes("acme", RuleStream("p1", "main")),
              ElementsAre("replenishment.rule.set"));
  auto rule = replenishment_->GetRule("acme", "p1", "main");
  ASSERT_TRUE(rule.ok());
  EXPECT_EQ(rule->rule.reorder_quantity, 10);
  EXPECT_EQ(replenishment_->GetRule("globex", "p1", "main").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(ReplenishmentServiceTest, LowStockTriggersOnePurchaseOrder) {
  Given(10);
  EXPECT_EQ(ReviewP1(), "");  // 10 > 5: nothing to do
  Sell(6);                    // 4 left: inventory.stock.low
  core::EventPtr low =
      Last(inventory::StockStream("p1"), "inventory.stock.low");
  ASSERT_NE(low, nullptr);
  ASSERT_TRUE(replenishment_->HandleStockLow(*low).ok());

  core::EventPtr t = Last(RuleStream("p1", "main"), kReplenishmentTriggered);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->payload.at("reason"), "low_stock");
  EXPECT_EQ(t->payload.at("quantity"), 20);
  EXPECT_EQ(t->payload.at("available"), 4);
  EXPECT_EQ(t->causation_id(), low->event_id);

  PurchaseOrderState po = RaiseTriggered();
  EXPECT_EQ(po.status, "pending");  // no auto-approve limit
  EXPECT_EQ(po.source, "replenishment");
  EXPECT_EQ(po.supplier_id, "sup-1");
  ASSERT_EQ(po.lines.size(), 1u);
  EXPECT_EQ(po.lines[0].quantity, 20);
  EXPECT_EQ(po.lines[0].unit_cost_minor, 150);
  // A redelivered trigger raises nothing new.
  EXPECT_TRUE(replenishment_->HandleTriggered(*t).ok());
  EXPECT_THAT(StreamTypes("acme", PurchaseOrderStream(po.id)),
              ElementsAre("purchasing.order.created"));
}

TEST_P(ReplenishmentServiceTest, AnOpenPurchaseOrderCoversTheShortage) {
  Given(4);
  const std::string first = ReviewP1();
  ASSERT_NE(first, "");
  // Triggered but not raised yet: the trigger itself covers it.
  EXPECT_EQ(ReviewP1(), "");
  PurchaseOrderState po = RaiseTriggered();
  EXPECT_EQ(po.id, first);
  // Raised and open: still covered, also after more sales.
  Sell(3);
  EXPECT_EQ(ReviewP1(), "");
  // Part received: 1 + 15 available, 5 to come.
  ASSERT_TRUE(orders_->Approve(ctx_, po.id).ok());
  ASSERT_TRUE(orders_->Receive(ctx_, po.id, {{"p1", 15}}).ok());
  ASSERT_TRUE(inventory::ReceivePurchase(
                  *inventory_, *Last(PurchaseOrderStream(po.id), kPoReceived))
                  .ok());
  EXPECT_EQ(ReviewP1(), "");
  // Partly received, it cannot be cancelled; selling what came leaves 0
  // available and 5 to come: 5 <= 5 orders again.
  EXPECT_EQ(orders_->Cancel(ctx_, po.id).status().code(),
            core::StatusCode::kConflict);
  Sell(16);
  const std::string second = ReviewP1();
  EXPECT_NE(second, "");
  EXPECT_NE(second, first);
  EXPECT_EQ(StreamTypes("acme", RuleStream("p1", "main")).size(), 3u);
}

TEST_P(ReplenishmentServiceTest, ManualPurchaseOrdersCountAsCover) {
  Given(2);
  auto manual =
      orders_->Create(ctx_, {.supplier_id = "sup-1", .lines = {{"p1", 10}}});
  ASSERT_TRUE(manual.ok()) << manual.status();
  FeedOrderList();
  EXPECT_EQ(ReviewP1(), "");  // 2 + 10 > 5
  ASSERT_TRUE(orders_->Cancel(ctx_, manual->id).ok());
  FeedOrderList();
  EXPECT_NE(ReviewP1(), "");
}

TEST_P(ReplenishmentServiceTest, AutoApprovedUnderTheRulesLimit) {
  Given(0, 3001);  // 20 x 1.50 = 30.00 < 30.01
  ASSERT_NE(ReviewP1(), "");
  PurchaseOrderState po = RaiseTriggered();
  EXPECT_EQ(po.status, "approved");
  EXPECT_EQ(po.approved_by, "auto");

  auto rule = replenishment_->PutRule(ctx_, {.product_id = "p2",
                                             .reorder_point = 5,
                                             .reorder_quantity = 20,
                                             .supplier_id = "sup-1",
                                             .auto_approve_limit_minor = 6000});
  ASSERT_TRUE(rule.ok()) << rule.status();
  auto t = replenishment_->Review(ctx_, "p2", "main", kLowStockReason);
  ASSERT_TRUE(t.ok() && !t->empty());
  core::EventPtr e = Last(RuleStream("p2", "main"), kReplenishmentTriggered);
  ASSERT_TRUE(replenishment_->HandleTriggered(*e).ok());
  auto pending = orders_->Get("acme", *t);  // 20 x 3.00 = 60.00, not < 60
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->status, "pending");
}

TEST_P(ReplenishmentServiceTest, MinMaxOrdersUpToMax) {
  ASSERT_TRUE(
      inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 3}).ok());
  ASSERT_TRUE(replenishment_
                  ->PutRule(ctx_, {.product_id = "p1",
                                   .reorder_point = 5,
                                   .min_quantity = 10,
                                   .max_quantity = 40,
                                   .supplier_id = "sup-1"})
                  .ok());
  ASSERT_NE(ReviewP1(), "");
  EXPECT_EQ(RaiseTriggered().lines[0].quantity, 37);
  ReplenishmentRule r{.min_quantity = 10, .max_quantity = 40};
  EXPECT_EQ(r.OrderQuantity(35), 10);
}

TEST_P(ReplenishmentServiceTest, ReviewAllReviewsEveryTenantsRules) {
  Given(0);
  const common::CommandContext globex{.tenant = "globex", .user_id = "u-2"};
  ASSERT_TRUE(replenishment_
                  ->PutRule(globex, {.product_id = "p2",
                                     .reorder_point = 1,
                                     .reorder_quantity = 4,
                                     .supplier_id = "sup-1"})
                  .ok());
  common::KeyedView<RuleState> rules;
  auto all = store_->ReadAll(0, 100000, store::ReadFilter::AllTenants());
  ASSERT_TRUE(all.ok());
  for (const core::EventPtr& e : all->events) {
    if (e->event_type == kRuleSet) rules.Apply(*e, e->aggregate_id);
  }
  ASSERT_TRUE(replenishment_->ReviewAll(rules).ok());
  core::EventPtr t = Last(RuleStream("p1", "main"), kReplenishmentTriggered);
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->payload.at("reason"), "periodic_review");
  auto g = store_->ReadStream("globex", RuleStream("p2", "main"), 1, 10);
  ASSERT_TRUE(g.ok());
  ASSERT_EQ(g->size(), 2u);
  EXPECT_EQ(g->back()->payload.at("quantity"), 4);
  // A second pass finds both covered.
  ASSERT_TRUE(replenishment_->ReviewAll(rules).ok());
  EXPECT_EQ(StreamTypes("acme", RuleStream("p1", "main")).size(), 2u);
}

TEST_P(ReplenishmentServiceTest, ReceivedGoodsReachInventoryExactlyOnce) {
  Given(4);  // low already
  Sell(1);
  ASSERT_NE(ReviewP1(), "");
  PurchaseOrderState po = RaiseTriggered();
  ASSERT_TRUE(orders_->Approve(ctx_, po.id).ok());
  ASSERT_TRUE(orders_->Receive(ctx_, po.id, {{"p1", 20}}).ok());
  core::EventPtr received = Last(PurchaseOrderStream(po.id), kPoReceived);
  ASSERT_NE(received, nullptr);

  ASSERT_TRUE(inventory::ReceivePurchase(*inventory_, *received).ok());
  auto inv = inventory_->GetInventory("acme", "p1");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->on_hand, 23);
  core::EventPtr in =
      Last(inventory::StockStream("p1"), "inventory.stock.received");
  ASSERT_NE(in, nullptr);
  EXPECT_EQ(in->PayloadString("purchaseOrderId"), po.id);
  EXPECT_NE(Last(inventory::StockStream("p1"), "inventory.stock.restored"),
            nullptr);
  // Delivered again (a crash before the inbox record): nothing changes.
  const size_t before = Events(inventory::StockStream("p1")).size();
  ASSERT_TRUE(inventory::ReceivePurchase(*inventory_, *received).ok());
  EXPECT_EQ(Events(inventory::StockStream("p1")).size(), before);
  EXPECT_EQ(inventory_->GetInventory("acme", "p1")->on_hand, 23);
}

// A dynamic rule for p1 at main, static fallback 5, 20 at a time.
ReplenishmentRule DynamicRule(double service_level = 0.95) {
  return {.product_id = "p1",
          .reorder_point = 5,
          .reorder_quantity = 20,
          .supplier_id = "sup-1",
          .dynamic_reorder_point = true,
          .service_level = service_level};
}

TEST_P(ReplenishmentServiceTest, ADynamicRuleOrdersAtForecastLeadTimeDemand) {
  At("2026-03-13T03:00:00Z");  // a Friday
  Demand("p1", 10, 28);        // 10 a day, steady: no safety stock needed
  ASSERT_TRUE(
      inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 40}).ok());
  auto rule = replenishment_->PutRule(ctx_, DynamicRule());
  ASSERT_TRUE(rule.ok()) << rule.status();
  EXPECT_EQ(rule->rule.ToJson().at("reorderPointMode"), "dynamic");
  // sup-1 delivers in 3 days, no region anywhere: 3 calendar days of
  // demand, 30 units; 40 on hand is above it (the static 5 as well).
  EXPECT_EQ(ReviewP1(), "");
  Sell(10);  // 30: at the dynamic reorder point, far above the static one
  const std::string po = ReviewP1();
  ASSERT_NE(po, "");
  const boost::json::object p = LastTriggered();
  EXPECT_EQ(p.at("reorderPoint"), 30);
  EXPECT_EQ(p.at("ruleReorderPoint"), 5);
  EXPECT_EQ(p.at("reorderPointMode"), "dynamic");
  EXPECT_EQ(p.at("reorderPointBasis"), "forecast");
  EXPECT_EQ(p.at("leadTimeDays"), 3);
  EXPECT_EQ(p.at("leadTimeCalendarDays"), 3);
  EXPECT_DOUBLE_EQ(p.at("leadTimeDemand").to_number<double>(), 30);
  EXPECT_DOUBLE_EQ(p.at("safetyStock").to_number<double>(), 0);
  EXPECT_EQ(p.at("serviceLevel"), 0.95);
  EXPECT_EQ(RaiseTriggered().expected_delivery_date, "2026-03-16");
}

TEST_P(ReplenishmentServiceTest, TheLeadTimeDemandWindowIsInBusinessDays) {
  At("2026-03-13T03:00:00Z");  // Friday 10:00 in Jakarta
  Demand("p1", 10, 28);
  // The supplier is in Indonesia: 5 business days from Friday 13 March
  // end on Monday 23 (weekends and Eid al-Fitr on Friday 20 do not
  // count): 10 calendar days of demand, 100 units.
  ASSERT_TRUE(catalog_
                  ->UpdateSupplier(ctx_, {.id = "sup-1",
                                          .name = "Supplier",
                                          .lead_time_days = 5,
                                          .region = "ID",
                                          .prices_minor = {{"p1", 150}}})
                  .ok());
  ASSERT_TRUE(
      inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 120}).ok());
  ASSERT_TRUE(replenishment_->PutRule(ctx_, DynamicRule()).ok());
  EXPECT_EQ(ReviewP1(), "");
  Sell(25);  // 95: above 5 calendar days of demand (50), below 10 days'
  ASSERT_NE(ReviewP1(), "");
  const boost::json::object p = LastTriggered();
  EXPECT_EQ(p.at("leadTimeDays"), 5);
  EXPECT_EQ(p.at("leadTimeCalendarDays"), 10);
  EXPECT_EQ(p.at("leadTimeRegion"), "ID");
  EXPECT_EQ(p.at("reorderPoint"), 100);
  PurchaseOrderState po = RaiseTriggered();
  EXPECT_EQ(po.expected_delivery_date, "2026-03-23");
  EXPECT_EQ(po.lead_time_days, 5);
}

TEST_P(ReplenishmentServiceTest, ADemandSpreadAddsSafetyStock) {
  At("2026-03-13T03:00:00Z");
  // 4 and 16 on alternate days: mean 10, a spread the forecast cannot
  // explain, so safety stock is added to the 30 of the lead time.
  const int64_t today = common::DayOf(clock_.NowMillis());
  for (int64_t day = today - 28; day < today; ++day) {
    DemandOn("p1", day, day % 2 == 0 ? 4 : 16);
  }
  ASSERT_TRUE(
      inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 40}).ok());
  ASSERT_TRUE(replenishment_->PutRule(ctx_, DynamicRule(0.99)).ok());
  // 40 covers three days at any moving average of the series (at most 11
  // a day), not the safety stock on top.
  ASSERT_NE(ReviewP1(), "");
  const boost::json::object p = LastTriggered();
  EXPECT_GT(p.at("safetyStock").to_number<double>(), 1);
  EXPECT_GT(p.at("reorderPoint").to_number<int64_t>(), 40);
}

TEST_P(ReplenishmentServiceTest,
       WithoutHistoryADynamicRuleUsesItsReorderPoint) {
  ASSERT_TRUE(
      inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 6}).ok());
  ASSERT_TRUE(replenishment_->PutRule(ctx_, DynamicRule()).ok());
  EXPECT_EQ(ReviewP1(), "");
  Sell(1);
  ASSERT_NE(ReviewP1(), "");
  const boost::json::object p = LastTriggered();
  EXPECT_EQ(p.at("reorderPoint"), 5);
  EXPECT_EQ(p.at("reorderPointBasis"), "rule_no_history");
}

TEST_P(ReplenishmentServiceTest, AStaticRuleRecordsItsReorderPointAsBefore) {
  Demand("p1", 10, 28);  // a history does not change a static rule
  Given(6);
  Sell(1);
  ASSERT_NE(ReviewP1(), "");
  const boost::json::object p = LastTriggered();
  EXPECT_EQ(p.at("reorderPoint"), 5);
  EXPECT_EQ(p.at("reorderPointMode"), "static");
  EXPECT_FALSE(p.contains("leadTimeDemand"));
  EXPECT_FALSE(replenishment_->PutRule(ctx_, DynamicRule(0.3)).ok());
  EXPECT_FALSE(replenishment_->PutRule(ctx_, DynamicRule(1.0)).ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, ReplenishmentServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::purchasing
