#include "domain/inventory/reservation_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/inventory/inventory_test_fixture.h"

namespace stockpile::domain::inventory {
namespace {

using ::testing::ElementsAre;

class ReservationServiceTest : public InventoryFixture {};

TEST_P(ReservationServiceTest, SumsLinesOfOneProductBeforeChecking) {
  Stock("p1", 5);
  auto r = reservations_->Reserve(ctx_, "o1",
                                  {{.product_id = "p1", .quantity = 3},
                                   {.product_id = "p1", .quantity = 3}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->reserved);
  EXPECT_THAT(r->shortages, ElementsAre(Shortage{"p1", 6, 5}));
  EXPECT_EQ(At("p1", "main").reserved, 0);
  EXPECT_THAT(StreamTypes("acme", "reservation-o1"),
              ElementsAre("inventory.stock.reservation_failed"));
}

TEST_P(ReservationServiceTest, AllOrNothingAcrossProducts) {
  Stock("p1", 10);
  Stock("p2", 1);
  auto r = reservations_->Reserve(ctx_, "o1",
                                  {{.product_id = "p2", .quantity = 2},
                                   {.product_id = "p1", .quantity = 5}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->reserved);
  EXPECT_THAT(r->shortages, ElementsAre(Shortage{"p2", 2, 1}));
  EXPECT_EQ(At("p1", "main").reserved, 0);
  EXPECT_EQ(At("p2", "main").reserved, 0);
  // p1 (first in the fixed order) was held, then released.
  EXPECT_THAT(TypesAfter("stock-p1", 1),
              ElementsAre("inventory.position.reserved",
                          "inventory.position.released"));
}

TEST_P(ReservationServiceTest, ReportsEveryShortProduct) {
  auto r = reservations_->Reserve(ctx_, "o1",
                                  {{.product_id = "p1", .quantity = 1},
                                   {.product_id = "p2", .quantity = 1},
                                   {.product_id = "ghost", .quantity = 1}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(r->shortages,
              ElementsAre(Shortage{"ghost", 1, 0}, Shortage{"p1", 1, 0},
                          Shortage{"p2", 1, 0}));
}

TEST_P(ReservationServiceTest, AllocatesByPriorityOrNamedLocation) {
  Stock("p1", 2);
  Stock("p1", 10, "wh-2");
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 5}});
  ASSERT_TRUE(r.ok() && r->reserved) << r.status();
  EXPECT_THAT(r->lines, ElementsAre(ReservedLine{"p1", "main", 2},
                                    ReservedLine{"p1", "wh-2", 3}));
  auto named = reservations_->Reserve(
      ctx_, "o2", {{.product_id = "p1", .quantity = 7, .location_id = "wh-2"}});
  ASSERT_TRUE(named.ok() && named->reserved) << named.status();
  EXPECT_THAT(named->lines, ElementsAre(ReservedLine{"p1", "wh-2", 7}));
  auto too_much = reservations_->Reserve(
      ctx_, "o3", {{.product_id = "p1", .quantity = 1, .location_id = "wh-2"}});
  ASSERT_TRUE(too_much.ok());
  EXPECT_FALSE(too_much->reserved);
}

TEST_P(ReservationServiceTest, CommitTakesFromTheLocationsReserved) {
  Stock("p1", 2);
  Stock("p1", 10, "wh-2");
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 5}})
          .ok());
  ASSERT_TRUE(reservations_->Commit(ctx_, "o1").ok());
  EXPECT_EQ(At("p1", "main").on_hand, 0);
  EXPECT_EQ(At("p1", "wh-2").on_hand, 7);
  EXPECT_EQ(At("p1", "wh-2").reserved, 0);
  ASSERT_TRUE(reservations_->Commit(ctx_, "o1").ok());  // idempotent
  EXPECT_EQ(At("p1", "wh-2").on_hand, 7);
  EXPECT_EQ(reservations_->Release(ctx_, "o1", "late").code(),
            core::StatusCode::kOk);  // nothing left to release
  EXPECT_EQ(At("p1", "wh-2").on_hand, 7);
  EXPECT_THAT(
      StreamTypes("acme", "reservation-o1"),
      ElementsAre("inventory.stock.reserved", "inventory.stock.committed"));
  EXPECT_EQ(reservations_->Commit(ctx_, "o9").code(),
            core::StatusCode::kNotFound);
}

TEST_P(ReservationServiceTest, ShipmentTakesGoodLotsFirstExpiryFirstOut) {
  // Today is 2026-01-01: OLD expired yesterday and is never shipped.
  StockLot("p1", 5, "L-LATE", "2026-06-01");
  Stock("p1", 3);
  StockLot("p1", 4, "L-SOON", "2026-02-01");
  StockLot("p1", 2, "OLD", "2025-12-31");
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 6}})
          .ok());
  ASSERT_TRUE(reservations_->Commit(ctx_, "o1").ok());
  const std::vector<Lot> shipped = {{"L-SOON", "2026-02-01", 4},
                                    {"L-LATE", "2026-06-01", 2}};
  auto committed = store_->ReadStream("acme", "reservation-o1", 2, 1);
  ASSERT_TRUE(committed.ok() && committed->size() == 1u);
  EXPECT_EQ((*committed)[0]->event_type, "inventory.stock.committed");
  const boost::json::value& line = (*committed)[0]->payload.at("lines").at(0);
  EXPECT_EQ(line.at("quantity").as_int64(), 6);
  EXPECT_EQ(LotsFromJson(line.as_object().if_contains("lots")), shipped);
  auto position = store_->ReadStream("acme", "stock-p1", 6, 1);
  ASSERT_TRUE(position.ok() && position->size() == 1u);
  EXPECT_EQ((*position)[0]->event_type, "inventory.position.committed");
  EXPECT_EQ(
      AllocationsFromJson((*position)[0]->payload.if_contains("allocations"))[0]
          .lots,
      shipped);
  auto inv = inventory_->GetInventory("acme", "p1");
  ASSERT_TRUE(inv.ok());
  EXPECT_EQ(inv->on_hand, 8);
  ASSERT_EQ(inv->locations.size(), 1u);
  EXPECT_THAT(inv->locations[0].lots,
              ElementsAre(Lot{"OLD", "2025-12-31", 2},
                          Lot{"L-LATE", "2026-06-01", 3}, Lot{"", "", 3}));
}

TEST_P(ReservationServiceTest,
       BackorderHoldsTheShortfallAndReceiptsFillItFirst) {
  CreateBackorderProduct("pb");
  Stock("pb", 5);
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "pb", .quantity = 8}});
  ASSERT_TRUE(r.ok() && r->reserved) << r.status();
  EXPECT_THAT(r->lines, ElementsAre(ReservedLine{"pb", "main", 5, {}, 3}));
  auto reserved = store_->ReadStream("acme", "reservation-o1", 1, 1);
  ASSERT_TRUE(reserved.ok() && reserved->size() == 1u);
  EXPECT_EQ((*reserved)[0]->payload.at("backordered").as_int64(), 3);
  EXPECT_EQ(
      (*reserved)[0]->payload.at("lines").at(0).at("backordered").as_int64(),
      3);
  auto all_waiting =
      reservations_->Reserve(ctx_, "o2", {{.product_id = "pb", .quantity = 2}});
  ASSERT_TRUE(all_waiting.ok() && all_waiting->reserved);
  EXPECT_THAT(all_waiting->lines,
              ElementsAre(ReservedLine{"pb", "main", 0, {}, 2}));
  ProductInventory inv = Inventory("pb");
  EXPECT_EQ(inv.reserved, 5);
  EXPECT_EQ(inv.backordered, 5);
  EXPECT_EQ(inv.available, 0);
  // Low stock once, not once per backordered order.
  EXPECT_THAT(TypesAfter("stock-pb", 1),
              ElementsAre("inventory.position.reserved", "inventory.stock.low",
                          "inventory.position.reserved"));

  // The receipt goes to the backorders, oldest first, before anyone else.
  Stock("pb", 4);
  EXPECT_THAT(TypesAfter("stock-pb", 4),
              ElementsAre("inventory.stock.received",
                          "inventory.position.backorder_filled",
                          "inventory.position.backorder_filled"));
  auto fills = store_->ReadStream("acme", "stock-pb", 6, 2);
  ASSERT_TRUE(fills.ok() && fills->size() == 2u);
  EXPECT_EQ((*fills)[0]->PayloadString("orderId"), "o1");
  EXPECT_EQ((*fills)[0]->payload.at("quantity").as_int64(), 3);
  EXPECT_EQ((*fills)[1]->PayloadString("orderId"), "o2");
  EXPECT_EQ((*fills)[1]->payload.at("quantity").as_int64(), 1);
  EXPECT_EQ((*fills)[1]->payload.at("backordered").as_int64(), 1);
  inv = Inventory("pb");
  EXPECT_EQ(inv.on_hand, 9);
  EXPECT_EQ(inv.reserved, 9);
  EXPECT_EQ(inv.backordered, 1);
  EXPECT_EQ(inv.available, 0);

  // o1 is complete and ships; o2 waits for its last unit.
  EXPECT_EQ(reservations_->Commit(ctx_, "o2").code(),
            core::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(reservations_->Commit(ctx_, "o1").ok());
  inv = Inventory("pb");
  EXPECT_EQ(inv.on_hand, 1);
  EXPECT_EQ(inv.reserved, 1);
  EXPECT_EQ(inv.backordered, 1);
}

TEST_P(ReservationServiceTest, ReadingAReservationShowsFilledBackorders) {
  // Given a reservation of 8 with 5 in stock: 3 on backorder.
  CreateBackorderProduct("pb");
  Stock("pb", 5);
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "pb", .quantity = 8}})
          .ok());
  auto read = reservations_->GetReservation("acme", "o1");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->lines, ElementsAre(ReservedLine{"pb", "main", 5, {}, 3}));

  // When receipts fill 2, then the last 1: the read follows each fill.
  Stock("pb", 2);
  read = reservations_->GetReservation("acme", "o1");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->status, ReservationState::Status::kReserved);
  EXPECT_THAT(read->lines, ElementsAre(ReservedLine{"pb", "main", 7, {}, 1}));
  Stock("pb", 1);
  read = reservations_->GetReservation("acme", "o1");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_THAT(read->lines, ElementsAre(ReservedLine{"pb", "main", 8, {}, 0}));

  // Then the reservation commits, and the read shows all 8 shipped.
  ASSERT_TRUE(reservations_->Commit(ctx_, "o1").ok());
  read = reservations_->GetReservation("acme", "o1");
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->status, ReservationState::Status::kCommitted);
  ASSERT_EQ(read->lines.size(), 1u);
  EXPECT_EQ(read->lines[0].quantity, 8);
  EXPECT_EQ(read->lines[0].backordered, 0);
}

TEST_P(ReservationServiceTest, ReleasedStockFillsBackordersFirst) {
  CreateBackorderProduct("pb");
  Stock("pb", 2);
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "pb", .quantity = 2}})
          .ok());
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o2", {{.product_id = "pb", .quantity = 3}})
          .ok());
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  EXPECT_THAT(TypesAfter("stock-pb", 4),
              ElementsAre("inventory.position.released",
                          "inventory.position.backorder_filled"));
  ProductInventory inv = Inventory("pb");
  EXPECT_EQ(inv.reserved, 2);
  EXPECT_EQ(inv.backordered, 1);
  EXPECT_EQ(inv.available, 0);
  // Cancelling the backordered order frees its stock and its backorder.
  ASSERT_TRUE(reservations_->Release(ctx_, "o2", "cancelled").ok());
  inv = Inventory("pb");
  EXPECT_EQ(inv.reserved, 0);
  EXPECT_EQ(inv.backordered, 0);
  EXPECT_EQ(inv.available, 2);
}

TEST_P(ReservationServiceTest, ReleaseFreesTheHoldOnce) {
  Stock("p1", 5);
  ASSERT_TRUE(
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 2}})
          .ok());
  EXPECT_EQ(At("p1", "main").reserved, 2);
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  EXPECT_EQ(At("p1", "main").reserved, 0);
  EXPECT_THAT(
      StreamTypes("acme", "reservation-o1"),
      ElementsAre("inventory.stock.reserved", "inventory.stock.released"));
  EXPECT_EQ(reservations_->Commit(ctx_, "o1").code(),
            core::StatusCode::kFailedPrecondition);
}

TEST_P(ReservationServiceTest, ReleaseBeforeReserveBlocksALateReservation) {
  Stock("p1", 5);
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 1}});
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->reserved);
  EXPECT_EQ(At("p1", "main").reserved, 0);
}

TEST_P(ReservationServiceTest, AdoptsHoldsOfAnInterruptedAttempt) {
  Stock("p1", 5);
  Stock("p2", 5);
  // An earlier attempt held p1 and then crashed before p2.
  ASSERT_TRUE(
      store_
          ->Append("acme", "stock-p1", store::ExpectedVersion::Exact(1),
                   {common::NewEvent(
                       deps_, ctx_, "inventory", "inventory.position.reserved",
                       "inventory_item", "p1",
                       {{"orderId", "o1"},
                        {"productId", "p1"},
                        {"allocations", AllocationsToJson({{"main", 2}})}})})
          .ok());
  auto r = reservations_->Reserve(ctx_, "o1",
                                  {{.product_id = "p1", .quantity = 2},
                                   {.product_id = "p2", .quantity = 1}});
  ASSERT_TRUE(r.ok() && r->reserved) << r.status();
  EXPECT_EQ(At("p1", "main").reserved, 2);  // not 4
  EXPECT_EQ(At("p2", "main").reserved, 1);
}

TEST_P(ReservationServiceTest, RepeatedReserveAfterReleaseFreesLeftoverHolds) {
  Stock("p1", 5);
  // An attempt held p1 and failed before recording its outcome; then the
  // order was cancelled; then the attempt is redelivered.
  ASSERT_TRUE(
      store_
          ->Append("acme", "stock-p1", store::ExpectedVersion::Exact(1),
                   {common::NewEvent(
                       deps_, ctx_, "inventory", "inventory.position.reserved",
                       "inventory_item", "p1",
                       {{"orderId", "o1"},
                        {"productId", "p1"},
                        {"allocations", AllocationsToJson({{"main", 2}})}})})
          .ok());
  ASSERT_TRUE(reservations_->Release(ctx_, "o1", "cancelled").ok());
  EXPECT_EQ(At("p1", "main").reserved, 2);
  auto r =
      reservations_->Reserve(ctx_, "o1", {{.product_id = "p1", .quantity = 2}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(r->reserved);
  EXPECT_EQ(At("p1", "main").reserved, 0);
}

TEST_P(ReservationServiceTest,
       HandleOrderCreatedIsCausedByTheOrderAndIdempotent) {
  Stock("p1", 5);
  core::Event order = common::NewEvent(
      deps_, ctx_, "orders", "order.created", "order", "o1",
      {{"orderId", "o1"},
       {"items",
        boost::json::array{boost::json::object{
            {"productId", "p1"}, {"quantity", 2}, {"unitPrice", 1}}}}});
  ASSERT_TRUE(reservations_->HandleOrderCreated(order).ok());
  ASSERT_TRUE(reservations_->HandleOrderCreated(order).ok());
  auto events = store_->ReadStream("acme", "reservation-o1", 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const core::Event& reserved = *(*events)[0];
  EXPECT_EQ(reserved.event_type, "inventory.stock.reserved");
  EXPECT_EQ(reserved.causation_id(), order.event_id);
  EXPECT_EQ(reserved.correlation_id(), order.correlation_id());
  EXPECT_EQ(reserved.aggregate_id, "o1");
  EXPECT_EQ(At("p1", "main").reserved, 2);

  core::Event shipped = common::NewEvent(deps_, ctx_, "orders", "order.shipped",
                                         "order", "o1", {{"orderId", "o1"}});
  ASSERT_TRUE(reservations_->HandleOrderShipped(shipped).ok());
  EXPECT_EQ(At("p1", "main").on_hand, 3);

  core::Event bad = common::NewEvent(deps_, ctx_, "orders", "order.created",
                                     "order", "o2", {{"orderId", "o2"}});
  EXPECT_EQ(reservations_->HandleOrderCreated(bad).code(),
            core::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReservationServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::inventory
