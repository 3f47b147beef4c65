// A fixture for purchasing tests: a real catalog (products p1, p2 with
// reorder point 5; supplier sup-1 selling p1 at 1.50 and p2 at 3.00; no
// price for p3), real inventory, tenant settings (no region until a test
// sets one) and the purchasing services over the parameterised store.
//
// Thread-safety: as DomainStoreTest.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PURCHASING_TEST_FIXTURE_H_
#define STOCKPILE_DOMAIN_PURCHASING_PURCHASING_TEST_FIXTURE_H_

#include <gtest/gtest.h>

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/time_format.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/calendar_day.h"
#include "domain/common/domain_test_util.h"
#include "domain/forecasting/demand_history.h"
#include "domain/inventory/inventory_service.h"
#include "domain/purchasing/purchase_order_service.h"
#include "domain/purchasing/replenishment_service.h"
#include "domain/tenant/tenant_settings_service.h"

namespace stockpile::domain::purchasing {

class PurchasingFixture : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    inventory_ =
        std::make_unique<inventory::InventoryService>(deps_, *catalog_);
    tenants_ = std::make_unique<tenant::TenantSettingsService>(deps_);
    orders_ = std::make_unique<PurchaseOrderService>(deps_, *catalog_,
                                                     tenants_.get());
    replenishment_ = std::make_unique<ReplenishmentService>(
        deps_, *catalog_, *inventory_, *orders_, &order_list_,
        DemandSources{.history = &history_, .calendars = tenants_.get()});
    for (const std::string tenant : {"acme", "globex"}) {
      common::CommandContext ctx{.tenant = tenant, .user_id = "u-1"};
      for (const char* id : {"p1", "p2", "p3"}) {
        ASSERT_TRUE(catalog_
                        ->CreateProduct(ctx, {.id = id,
                                              .sku = std::string("SKU-") + id,
                                              .name = id,
                                              .price_minor = 500,
                                              .reorder_point = 5})
                        .ok());
      }
      ASSERT_TRUE(catalog_
                      ->CreateSupplier(
                          ctx, {.id = "sup-1",
                                .name = "Supplier",
                                .lead_time_days = 3,
                                .prices_minor = {{"p1", 150}, {"p2", 300}}})
                      .ok());
    }
  }
  void TearDown() override {
    replenishment_.reset();
    orders_.reset();
    inventory_.reset();
    catalog_.reset();
    tenants_.reset();
    DomainStoreTest::TearDown();
  }

  // The events of `stream` of acme, oldest first.
  std::vector<core::EventPtr> Events(const std::string& stream) {
    auto events = store_->ReadStream("acme", stream, 1, 10000);
    if (!events.ok()) return {};
    return *events;
  }

  // Folds the purchasing.order.* events appended since the last call into
  // order_list_, as the app's read-model subscription does.
  void FeedOrderList() {
    auto all = store_->ReadAll(fed_, 100000, store::ReadFilter::AllTenants());
    ASSERT_TRUE(all.ok()) << all.status();
    for (const core::EventPtr& e : all->events) {
      fed_ = e->position;
      if (e->event_type.starts_with("purchasing.order.")) {
        order_list_.Apply(*e, e->aggregate_id);
      }
    }
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  common::KeyedView<PurchaseOrderState> order_list_;
  forecasting::DemandHistory history_;  // fed by hand, see Demand()
  int64_t fed_ = 0;
  int demand_orders_ = 0;
  // acme shipped `units` of `product` from main on `day` (days since
  // 1970-01-01, UTC), as the demand history read model sees it.
  void DemandOn(const std::string& product, int64_t day, int64_t units) {
    const std::string order = "o-" + std::to_string(++demand_orders_);
    history_.Apply(
        core::EventBuilder("inventory.stock.committed")
            .Aggregate("inventory_reservation", order)
            .Tenant("acme")
            .Payload({{"orderId", order},
                      {"lines", boost::json::array{{{"productId", product},
                                                    {"locationId", "main"},
                                                    {"quantity", units}}}}})
            .Timestamp(day * common::kMillisPerDay)
            .BuildValue(ids_, clock_));
  }

  // ... `units` on each of the `days` days before today.
  void Demand(const std::string& product, int64_t units, int days) {
    const int64_t today = common::DayOf(clock_.NowMillis());
    for (int i = days; i >= 1; --i) DemandOn(product, today - i, units);
  }

  // Sets the clock to `rfc3339`.
  void At(std::string_view rfc3339) {
    clock_.Set(core::Clock::TimePoint(
        std::chrono::milliseconds(core::ParseRfc3339Millis(rfc3339).value())));
  }

  // Sets acme's tenant settings to `json`.
  void Settings(std::string_view json) {
    auto s = tenants_->Update(ctx_, boost::json::parse(json).as_object());
    ASSERT_TRUE(s.ok()) << s.status();
  }

  std::unique_ptr<tenant::TenantSettingsService> tenants_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<inventory::InventoryService> inventory_;
  std::unique_ptr<PurchaseOrderService> orders_;
  std::unique_ptr<ReplenishmentService> replenishment_;
};

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PURCHASING_TEST_FIXTURE_H_
