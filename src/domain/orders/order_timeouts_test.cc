#include "domain/orders/order_timeouts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"

namespace stockpile::domain::orders {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using ::testing::HasSubstr;

class OrderTimeoutsTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    orders_ = std::make_unique<OrderService>(deps_, *catalog_);
    inventory_ =
        std::make_unique<inventory::InventoryService>(deps_, *catalog_);
    reservations_ =
        std::make_unique<inventory::ReservationService>(deps_, *catalog_);
    ASSERT_TRUE(
        catalog_
            ->CreateProduct(
                ctx_,
                {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 10})
            .ok());
    ASSERT_TRUE(
        inventory_->Receive(ctx_, {.product_id = "p1", .quantity = 10}).ok());
  }
  void TearDown() override {
    reservations_.reset();
    inventory_.reset();
    orders_.reset();
    catalog_.reset();
    DomainStoreTest::TearDown();
  }

  // What the read-model subscription does: every event of the log after
  // `*after`, in order, into `timeouts`.
  void Feed(OrderTimeouts& timeouts, int64_t* after) {
    auto page =
        store_->ReadAll(*after, 100000, store::ReadFilter::AllTenants());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const core::EventPtr& e : page->events) {
      timeouts.Apply(*e);
      *after = e->position;
    }
  }

  std::string Place() {
    auto placed = orders_->PlaceOrder(
        ctx_, {.items = {{.product_id = "p1", .quantity = 4}}});
    EXPECT_TRUE(placed.ok()) << placed.status();
    return placed.ok() ? placed->id : "";
  }

  core::EventPtr First(const std::string& stream, const std::string& type) {
    auto events = store_->ReadStream("acme", stream, 1, 100);
    EXPECT_TRUE(events.ok()) << events.status();
    if (!events.ok()) return nullptr;
    for (const core::EventPtr& e : *events) {
      if (e->event_type == type) return e;
    }
    ADD_FAILURE() << "no " << type << " in " << stream;
    return nullptr;
  }

  common::CommandContext ctx_{.tenant = "acme"};
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<OrderService> orders_;
  std::unique_ptr<inventory::InventoryService> inventory_;
  std::unique_ptr<inventory::ReservationService> reservations_;
};

TEST_P(OrderTimeoutsTest, RejectsAnOrderStillPendingAndReleasesALateHold) {
  OrderTimeouts timeouts(*orders_, clock_, {.timeout = seconds(5)});
  int64_t fed = 0;
  const std::string id = Place();
  Feed(timeouts, &fed);
  EXPECT_EQ(timeouts.pending(), 1u);
  clock_.Advance(seconds(4));
  EXPECT_EQ(timeouts.Sweep(), 0);
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "pending");
  clock_.Advance(seconds(1));
  EXPECT_EQ(timeouts.Sweep(), 1);
  auto order = orders_->GetOrder("acme", id);
  EXPECT_EQ(order->status, "rejected");
  EXPECT_THAT(order->reason, HasSubstr("timed out"));
  EXPECT_EQ(timeouts.pending(), 0u);
  EXPECT_EQ(timeouts.Sweep(), 0);  // once

  // The reservation lands after all: the order stays rejected, and
  // inventory's reaction to order.rejected gives the stock back.
  core::EventPtr created = First(OrderStream(id), "order.created");
  ASSERT_TRUE(reservations_->HandleOrderCreated(*created).ok());
  EXPECT_EQ(inventory_->GetInventory("acme", "p1")->reserved, 4);
  core::EventPtr reserved =
      First("reservation-" + id, "inventory.stock.reserved");
  ASSERT_TRUE(orders_->HandleReservationResult(*reserved).ok());
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "rejected");
  core::EventPtr rejected = First(OrderStream(id), "order.rejected");
  ASSERT_TRUE(reservations_->HandleOrderCancelled(*rejected).ok());
  EXPECT_EQ(inventory_->GetInventory("acme", "p1")->reserved, 0);
  EXPECT_EQ(inventory_->GetInventory("acme", "p1")->available, 10);
}

TEST_P(OrderTimeoutsTest, AnOrderThatSettlesInTimeIsLeftAlone) {
  OrderTimeouts timeouts(*orders_, clock_, {.timeout = seconds(5)});
  int64_t fed = 0;
  const std::string id = Place();
  ASSERT_TRUE(reservations_
                  ->HandleOrderCreated(*First(OrderStream(id), "order.created"))
                  .ok());
  ASSERT_TRUE(orders_
                  ->HandleReservationResult(
                      *First("reservation-" + id, "inventory.stock.reserved"))
                  .ok());
  Feed(timeouts, &fed);
  EXPECT_EQ(timeouts.pending(), 0u);
  clock_.Advance(seconds(60));
  EXPECT_EQ(timeouts.Sweep(), 0);
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "confirmed");
  // And the explicit call refuses to reject a settled order.
  auto r = orders_->RejectIfPending(ctx_, id, "late");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_FALSE(*r);
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "confirmed");
}

TEST_P(OrderTimeoutsTest, ATimeoutSurvivesARestart) {
  std::string id;
  {
    OrderTimeouts before(*orders_, clock_, {.timeout = seconds(5)});
    int64_t fed = 0;
    id = Place();
    Feed(before, &fed);
  }  // the process dies with the order pending
  clock_.Advance(seconds(30));
  OrderTimeouts after(*orders_, clock_, {.timeout = seconds(5)});
  int64_t fed = 0;
  Feed(after, &fed);  // the read model replays the log at start
  EXPECT_EQ(after.Sweep(), 1);
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "rejected");
}

TEST_P(OrderTimeoutsTest, TheSweeperThreadRejectsOnItsOwn) {
  OrderTimeouts timeouts(*orders_, clock_,
                         {.timeout = seconds(5), .interval = milliseconds(5)});
  int64_t fed = 0;
  const std::string id = Place();
  Feed(timeouts, &fed);
  clock_.Advance(seconds(6));
  timeouts.Start();
  std::string status;
  for (int i = 0; i < 2000 && status != "rejected"; ++i) {
    std::this_thread::sleep_for(milliseconds(5));
    status = orders_->GetOrder("acme", id)->status;
  }
  timeouts.Stop();
  EXPECT_EQ(status, "rejected");
}

TEST_P(OrderTimeoutsTest, ZeroTimeoutTurnsThemOff) {
  OrderTimeouts timeouts(*orders_, clock_, {.timeout = seconds(0)});
  int64_t fed = 0;
  const std::string id = Place();
  Feed(timeouts, &fed);
  clock_.Advance(seconds(3600));
  EXPECT_EQ(timeouts.pending(), 0u);
  EXPECT_EQ(timeouts.Sweep(), 0);
  timeouts.Start();  // a no-op
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "pending");
}

INSTANTIATE_TEST_SUITE_P(Stores, OrderTimeoutsTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::orders
