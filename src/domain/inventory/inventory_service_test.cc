#include "domain/inventory/inventory_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/inventory/inventory_test_fixture.h"

namespace stockpile::domain::inventory {
namespace {

using ::testing::ElementsAre;

class InventoryServiceTest : public InventoryFixture {};

TEST_P(InventoryServiceTest, ReceiptRaisesOnHandAndRecordsTheLot) {
  auto inv = inventory_->Receive(ctx_, {.product_id = "p1",
                                        .quantity = 40,
                                        .lot_number = "L-7",
                                        .expiry_date = "2027-02-28"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->on_hand, 40);
  EXPECT_EQ(inv->available, 40);
  auto events = store_->ReadStream("acme", "stock-p1", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const core::Event& e = *(*events)[0];
  EXPECT_EQ(e.event_type, "inventory.stock.received");
  EXPECT_EQ(e.aggregate_id, "p1@main");
  EXPECT_EQ(e.PayloadString("lotNumber"), "L-7");
  EXPECT_EQ(e.PayloadString("expiryDate"), "2027-02-28");
  EXPECT_EQ(e.payload.at("onHand").as_int64(), 40);
}

TEST_P(InventoryServiceTest, ReceiptRefusesBadInput) {
  EXPECT_EQ(inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 0})
                .status()
                .code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(inventory_
                ->Receive(ctx_, {.product_id = "p1",
                                 .quantity = 1,
                                 .expiry_date = "2027-02-30"})
                .status()
                .code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(inventory_->Receive(ctx_, {.product_id = "nope", .quantity = 1})
                .status()
                .code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(
      inventory_
          ->Receive(ctx_,
                    {.product_id = "p1", .location_id = "mars", .quantity = 1})
          .status()
          .code(),
      core::StatusCode::kNotFound);
  EXPECT_TRUE(StreamTypes("acme", "stock-p1").empty());
}

TEST_P(InventoryServiceTest, AdjustmentNeedsAReasonAndCannotTakeHeldStock) {
  Stock("p1", 10);
  EXPECT_EQ(
      inventory_->Adjust(ctx_, {.product_id = "p1", .delta = -1, .reason = "?"})
          .status()
          .code(),
      core::StatusCode::kInvalidArgument);
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 6}});
  ASSERT_TRUE(r.ok() && r->reserved);
  EXPECT_EQ(
      inventory_
          ->Adjust(ctx_, {.product_id = "p1", .delta = -5, .reason = "damage"})
          .status()
          .code(),
      core::StatusCode::kFailedPrecondition);
  auto inv = inventory_->Adjust(
      ctx_, {.product_id = "p1", .delta = -4, .reason = "damage"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->on_hand, 6);
  EXPECT_EQ(inv->available, 0);
}

TEST_P(InventoryServiceTest, TransferGoesOutThenInTransitThenIn) {
  Stock("p1", 10);
  auto id = inventory_->StartTransfer(ctx_, {.product_id = "p1",
                                             .from_location_id = "main",
                                             .to_location_id = "wh-2",
                                             .quantity = 4});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(At("p1", "main").on_hand, 6);
  EXPECT_EQ(At("p1", "wh-2").in_transit, 4);
  EXPECT_EQ(At("p1", "wh-2").on_hand, 0);
  EXPECT_EQ(inventory_
                ->StartTransfer(ctx_, {.product_id = "p1",
                                       .from_location_id = "main",
                                       .to_location_id = "wh-2",
                                       .quantity = 7})
                .status()
                .code(),
            core::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(inventory_->CompleteTransfer(ctx_, "p1", *id).ok());
  EXPECT_EQ(At("p1", "wh-2").in_transit, 0);
  EXPECT_EQ(At("p1", "wh-2").on_hand, 4);
  EXPECT_EQ(inventory_->CompleteTransfer(ctx_, "p1", *id).status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(InventoryServiceTest, LowStockOncePerCrossingThenRestored) {
  Stock("p1", 5);  // reorder point 2
  auto adjust = [&](int64_t delta) {
    ASSERT_TRUE(inventory_
                    ->Adjust(ctx_, {.product_id = "p1",
                                    .delta = delta,
                                    .reason = "correction"})
                    .ok());
  };
  adjust(-2);      // 3: above
  adjust(-1);      // 2: at the reorder point -> low
  adjust(-1);      // 1: still low, no second event
  Stock("p1", 1);  // 2: still low
  Stock("p1", 5);  // 7: restored
  adjust(-6);      // 1: low again
  EXPECT_THAT(
      StreamTypes("acme", "stock-p1"),
      ElementsAre("inventory.stock.received", "inventory.stock.adjusted",
                  "inventory.stock.adjusted", "inventory.stock.low",
                  "inventory.stock.adjusted", "inventory.stock.received",
                  "inventory.stock.received", "inventory.stock.restored",
                  "inventory.stock.adjusted", "inventory.stock.low"));
  auto events = store_->ReadStream("acme", "stock-p1", 4, 1);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ((*events)[0]->aggregate_id, "p1@main");
  EXPECT_EQ((*events)[0]->payload.at("available").as_int64(), 2);
  EXPECT_EQ((*events)[0]->payload.at("reorderPoint").as_int64(), 2);
}

TEST_P(InventoryServiceTest, ReservationsCanTriggerLowStock) {
  Stock("p1", 5);
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 3}})
          .ok());
  EXPECT_THAT(
      TypesAfter("stock-p1", 1),
      ElementsAre("inventory.position.reserved", "inventory.stock.low"));
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  EXPECT_THAT(
      TypesAfter("stock-p1", 3),
      ElementsAre("inventory.position.released", "inventory.stock.restored"));
}

// The lots of `product` at `location` as the inventory read shows them.
std::vector<Lot> LotsAt(InventoryService& inventory, const std::string& product,
                        const std::string& location) {
  auto inv = inventory.GetInventory("acme", product);
  EXPECT_TRUE(inv.ok()) << inv.status();
  if (inv.ok()) {
    for (const PositionView& p : inv->locations) {
      if (p.location_id == location) return p.lots;
    }
  }
  return {};
}

TEST_P(InventoryServiceTest, WriteOffsAndSalesTakeLotsFirstExpiryFirstOut) {
  // Today is 2026-01-01 (the fixture's clock); OLD expired yesterday.
  Stock("p1", 5);
  StockLot("p1", 4, "L-LATE", "2026-06-01");
  StockLot("p1", 3, "L-SOON", "2026-02-01");
  StockLot("p1", 2, "OLD", "2025-12-31");
  auto sold = inventory_->Adjust(
      ctx_, {.product_id = "p1", .delta = -4, .reason = "sale"});
  ASSERT_TRUE(sold.ok()) << sold.status();
  auto damaged = inventory_->Adjust(
      ctx_, {.product_id = "p1", .delta = -3, .reason = "damage"});
  ASSERT_TRUE(damaged.ok()) << damaged.status();
  auto events = store_->ReadStream("acme", "stock-p1", 5, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 2u);
  // A sale hands out good stock first; a write-off takes the oldest lots.
  EXPECT_EQ(LotsFromJson((*events)[0]->payload.if_contains("lots")),
            (std::vector<Lot>{{"L-SOON", "2026-02-01", 3},
                              {"L-LATE", "2026-06-01", 1}}));
  EXPECT_EQ(LotsFromJson((*events)[1]->payload.if_contains("lots")),
            (std::vector<Lot>{{"OLD", "2025-12-31", 2},
                              {"L-LATE", "2026-06-01", 1}}));
  EXPECT_THAT(LotsAt(*inventory_, "p1", "main"),
              ElementsAre(Lot{"L-LATE", "2026-06-01", 2}, Lot{"", "", 5}));
  EXPECT_EQ(damaged->on_hand, 7);
}

TEST_P(InventoryServiceTest, TransfersCarryTheirLots) {
  StockLot("p1", 6, "L-1", "2026-03-01");
  Stock("p1", 4);
  auto id = inventory_->StartTransfer(ctx_, {.product_id = "p1",
                                             .from_location_id = "main",
                                             .to_location_id = "wh-2",
                                             .quantity = 8});
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_THAT(LotsAt(*inventory_, "p1", "main"), ElementsAre(Lot{"", "", 2}));
  ASSERT_TRUE(inventory_->CompleteTransfer(ctx_, "p1", *id).ok());
  EXPECT_THAT(LotsAt(*inventory_, "p1", "wh-2"),
              ElementsAre(Lot{"L-1", "2026-03-01", 6}, Lot{"", "", 2}));
}

TEST_P(InventoryServiceTest, ExpiredLotsAreNotAvailable) {
  StockLot("p1", 10, "OLD", "2025-12-31");
  StockLot("p1", 5, "L-1", "2026-01-02");
  auto inv = inventory_->GetInventory("acme", "p1");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->on_hand, 15);
  EXPECT_EQ(inv->expired, 10);
  EXPECT_EQ(inv->available, 5);
  const boost::json::object json = inv->ToJson();
  EXPECT_EQ(json.at("expired").as_int64(), 10);
  EXPECT_EQ(json.at("locations").at(0).at("expired").as_int64(), 10);

  auto too_much =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 6}});
  ASSERT_TRUE(too_much.ok());
  EXPECT_FALSE(too_much->reserved);
  EXPECT_THAT(too_much->shortages, ElementsAre(Shortage{"p1", 6, 5}));

  // L-1 expires at the end of 2026-01-02: on the 3rd nothing is left.
  clock_.Advance(std::chrono::hours(48));
  inv = inventory_->GetInventory("acme", "p1");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->expired, 15);
  EXPECT_EQ(inv->available, 0);
  auto none =
      reservations_->Reserve(ctx_, "o2", {{.product_id = "p1", .quantity = 1}});
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->reserved);
  // Writing the expired stock off is always allowed.
  ASSERT_TRUE(
      inventory_
          ->Adjust(ctx_,
                   {.product_id = "p1", .delta = -15, .reason = "expired"})
          .ok());
}

TEST_P(InventoryServiceTest, AnExpiredWriteOffLeavesHeldStockAlone) {
  Stock("p1", 4);
  StockLot("p1", 3, "OLD", "2025-12-31");
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 4}});
  ASSERT_TRUE(r.ok() && r->reserved);
  // The write-off takes the expired lot, not the held stock.
  auto inv = inventory_->Adjust(
      ctx_, {.product_id = "p1", .delta = -3, .reason = "expired"});
  ASSERT_TRUE(inv.ok()) << inv.status();
  EXPECT_EQ(inv->on_hand, 4);
  EXPECT_EQ(inv->expired, 0);
  EXPECT_EQ(
      inventory_
          ->Adjust(ctx_, {.product_id = "p1", .delta = -1, .reason = "sale"})
          .status()
          .code(),
      core::StatusCode::kFailedPrecondition);
}

TEST_P(InventoryServiceTest, SnapshotsDoNotChangeTheState) {
  deps_.repository.snapshot_every = 3;
  InventoryService snapshotting(deps_, *catalog_);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        snapshotting.Receive(ctx_, {.product_id = "p1", .quantity = 1}).ok());
  }
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 4}})
          .ok());
  ASSERT_TRUE(store_->LoadSnapshot("acme", "stock-p1").ok());
  auto inv = snapshotting.GetInventory("acme", "p1");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->on_hand, 10);
  EXPECT_EQ(inv->reserved, 4);
  EXPECT_EQ(inv->available, 6);
}

INSTANTIATE_TEST_SUITE_P(Stores, InventoryServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::inventory
