// A fixture for inventory tests: a real catalog (products p1 and p2 with
// reorder points, location wh-2 at priority 5) over the parameterised store.
//
// Thread-safety: as DomainStoreTest.
#ifndef STOCKPILE_DOMAIN_INVENTORY_INVENTORY_TEST_FIXTURE_H_
#define STOCKPILE_DOMAIN_INVENTORY_INVENTORY_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"

namespace stockpile::domain::inventory {

class InventoryFixture : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    inventory_ = std::make_unique<InventoryService>(deps_, *catalog_);
    reservations_ = std::make_unique<ReservationService>(deps_, *catalog_);
    for (const char* id : {"p1", "p2"}) {
      ASSERT_TRUE(catalog_
                      ->CreateProduct(ctx_, {.id = id,
                                             .sku = std::string("SKU-") + id,
                                             .name = id,
                                             .price_minor = 100,
                                             .reorder_point = 2})
                      .ok());
    }
    ASSERT_TRUE(
        catalog_
            ->CreateLocation(ctx_, {.id = "wh-2", .name = "W2", .priority = 5})
            .ok());
  }
  void TearDown() override {
    reservations_.reset();
    inventory_.reset();
    catalog_.reset();
    DomainStoreTest::TearDown();
  }

  void Stock(const std::string& product, int64_t qty,
             const std::string& location = "main") {
    auto r = inventory_->Receive(
        ctx_,
        {.product_id = product, .location_id = location, .quantity = qty});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  // Creates product `id` (reorder point 2) whose orders may be backordered.
  void CreateBackorderProduct(const std::string& id) {
    ASSERT_TRUE(catalog_
                    ->CreateProduct(ctx_, {.id = id,
                                           .sku = "SKU-" + id,
                                           .name = id,
                                           .price_minor = 100,
                                           .reorder_point = 2,
                                           .allow_backorder = true})
                    .ok());
  }

  // The product's inventory read (fails the test when it cannot be read).
  ProductInventory Inventory(const std::string& product) {
    auto inv = inventory_->GetInventory("acme", product);
    EXPECT_TRUE(inv.ok()) << inv.status();
    return inv.ok() ? *inv : ProductInventory{};
  }

  // Receives `qty` of `lot` expiring on `expiry` (YYYY-MM-DD) at `main`.
  void StockLot(const std::string& product, int64_t qty, const std::string& lot,
                const std::string& expiry) {
    auto r = inventory_->Receive(ctx_, {.product_id = product,
                                        .quantity = qty,
                                        .lot_number = lot,
                                        .expiry_date = expiry});
    ASSERT_TRUE(r.ok()) << r.status();
  }

  LocationStock At(const std::string& product, const std::string& location) {
    auto inv = inventory_->GetInventory("acme", product);
    EXPECT_TRUE(inv.ok()) << inv.status();
    LocationStock out;
    if (!inv.ok()) return out;
    for (const PositionView& p : inv->locations) {
      if (p.location_id == location) {
        out.on_hand = p.on_hand;
        out.reserved = p.reserved;
        out.in_transit = p.in_transit;
      }
    }
    return out;
  }

  // The event types appended to `stream` after `after_version`.
  std::vector<std::string> TypesAfter(const std::string& stream,
                                      int64_t after_version) {
    std::vector<std::string> all = StreamTypes("acme", stream);
    if (after_version >= static_cast<int64_t>(all.size())) return {};
    return {all.begin() + after_version, all.end()};
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<InventoryService> inventory_;
  std::unique_ptr<ReservationService> reservations_;
};

}  // namespace stockpile::domain::inventory

#endif  // STOCKPILE_DOMAIN_INVENTORY_INVENTORY_TEST_FIXTURE_H_
