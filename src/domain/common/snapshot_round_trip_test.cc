// Every aggregate loaded from a snapshot equals the same aggregate replayed
// from its events (a wrong ToSnapshot/FromSnapshot would silently change
// state once a stream crosses the snapshot interval).
#include <gtest/gtest.h>

#include "domain/catalog/catalog_service.h"
#include "domain/common/aggregate_repository.h"
#include "domain/common/domain_test_util.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"
#include "domain/orders/order_service.h"

namespace stockpile::domain {
namespace {

class SnapshotRoundTripTest : public testing::DomainStoreTest {
 protected:
  template <typename State>
  void ExpectSnapshotMatchesReplay(const std::string& stream) {
    SCOPED_TRACE(stream);
    auto snap = store_->LoadSnapshot("acme", stream);
    ASSERT_TRUE(snap.ok()) << snap.status();
    common::AggregateRepository<State> repo(*store_);
    auto loaded = repo.Load("acme", stream);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    ASSERT_EQ(snap->stream_version, loaded->version);  // nothing replayed
    auto events = store_->ReadStream("acme", stream, 1, 10000);
    ASSERT_TRUE(events.ok());
    State replayed;
    for (const core::EventPtr& e : *events) replayed.Apply(*e);
    EXPECT_EQ(loaded->state.ToSnapshot(), replayed.ToSnapshot());
  }
};

TEST_P(SnapshotRoundTripTest, EveryAggregateSurvivesItsSnapshot) {
  deps_.repository.snapshot_every = 1;
  const common::CommandContext ctx{.tenant = "acme"};
  catalog::CatalogService catalog(deps_);
  inventory::InventoryService inventory(deps_, catalog);
  inventory::ReservationService reservations(deps_, catalog);
  orders::OrderService orders(deps_, catalog);

  ASSERT_TRUE(catalog
                  .CreateProduct(ctx, {.id = "p1",
                                       .sku = "S1",
                                       .name = "Pen",
                                       .price_minor = 199,
                                       .reorder_point = 3,
                                       .allow_backorder = true})
                  .ok());
  catalog::ProductChanges change;
  change.active = false;
  change.price_minor = 250;
  ASSERT_TRUE(catalog.UpdateProduct(ctx, "p1", change).ok());
  change = {};
  change.active = true;
  ASSERT_TRUE(catalog.UpdateProduct(ctx, "p1", change).ok());
  ASSERT_TRUE(
      catalog.CreateLocation(ctx, {.id = "wh-2", .name = "W", .priority = 7})
          .ok());
  ASSERT_TRUE(catalog
                  .CreateSupplier(ctx, {.id = "s1",
                                        .name = "Sup",
                                        .email = "a@b.example",
                                        .lead_time_days = 4,
                                        .prices_minor = {{"p1", 99}}})
                  .ok());
  ASSERT_TRUE(inventory.Receive(ctx, {.product_id = "p1", .quantity = 4}).ok());
  ASSERT_TRUE(inventory
                  .Receive(ctx, {.product_id = "p1",
                                 .quantity = 5,
                                 .lot_number = "L-1",
                                 .expiry_date = "2026-03-01"})
                  .ok());
  ASSERT_TRUE(inventory
                  .StartTransfer(ctx, {.transfer_id = "t1",
                                       .product_id = "p1",
                                       .from_location_id = "main",
                                       .to_location_id = "wh-2",
                                       .quantity = 2})
                  .ok());
  auto order =
      orders.PlaceOrder(ctx, {.items = {{.product_id = "p1", .quantity = 5}}});
  ASSERT_TRUE(order.ok()) << order.status();
  auto reserved = reservations.Reserve(ctx, order->id,
                                       {{.product_id = "p1", .quantity = 5}});
  ASSERT_TRUE(reserved.ok() && reserved->reserved);
  ASSERT_TRUE(orders.ChangeStatus(ctx, order->id, "confirmed").ok());
  ASSERT_TRUE(orders.Cancel(ctx, order->id, "changed mind").ok());

  ExpectSnapshotMatchesReplay<catalog::ProductState>("product-p1");
  ExpectSnapshotMatchesReplay<catalog::SkuState>(catalog::SkuStream("S1"));
  ExpectSnapshotMatchesReplay<catalog::LocationsState>("locations");
  ExpectSnapshotMatchesReplay<catalog::SupplierState>("supplier-s1");
  ExpectSnapshotMatchesReplay<inventory::StockItemState>("stock-p1");
  ExpectSnapshotMatchesReplay<inventory::ReservationState>("reservation-" +
                                                           order->id);
  ExpectSnapshotMatchesReplay<orders::OrderState>("order-" + order->id);
}

INSTANTIATE_TEST_SUITE_P(Stores, SnapshotRoundTripTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain
