#include "domain/orders/order_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"
#include "domain/orders/order_request.h"

namespace stockpile::domain::orders {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class OrderServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    orders_ = std::make_unique<OrderService>(deps_, *catalog_);
    ASSERT_TRUE(
        catalog_
            ->CreateProduct(
                ctx_,
                {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 10})
            .ok());
    ASSERT_TRUE(
        catalog_
            ->CreateProduct(
                ctx_,
                {.id = "p2", .sku = "S2", .name = "Ink", .price_minor = 1999})
            .ok());
  }
  void TearDown() override {
    orders_.reset();
    catalog_.reset();
    DomainStoreTest::TearDown();
  }

  NewOrder TwoLines() {
    return NewOrder{
        .customer_id = "c-1",
        .items = {
            {.product_id = "p1", .quantity = 3},
            {.product_id = "p2", .quantity = 1, .unit_price_minor = 1850}}};
  }

  core::StatusCode Refused(NewOrder o) {
    return orders_->PlaceOrder(ctx_, std::move(o)).status().code();
  }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<OrderService> orders_;
};

TEST_P(OrderServiceTest, PlaceOrderIsPendingAndReadable) {
  auto o = orders_->PlaceOrder(ctx_, TwoLines());
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->status, "pending");
  EXPECT_EQ(o->total_minor, 3 * 10 + 1850);  // catalog price for p1
  EXPECT_THAT(o->order_number,
              ::testing::MatchesRegex("ORD-20260101-[0-9A-F]{12}"));
  auto back = orders_->GetOrder("acme", o->id);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), o->ToJson());
  auto events = store_->ReadStream("acme", OrderStream(o->id), 1, 10);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  const core::Event& e = *(*events)[0];
  EXPECT_EQ(e.event_type, "order.created");
  EXPECT_EQ(e.payload.at("totalAmount").as_double(), 18.8);
  EXPECT_EQ(e.payload.at("items").as_array()[0].at("unitPrice").as_double(),
            0.1);
  EXPECT_EQ(orders_->GetOrder("acme", "nope").status().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(orders_->GetOrder("globex", o->id).status().code(),
            core::StatusCode::kNotFound);  // another tenant sees nothing
}

TEST_P(OrderServiceTest, RefusesInvalidOrdersBeforeWritingAnything) {
  const int64_t head = *store_->HeadPosition();
  NewOrder o = TwoLines();
  o.items.clear();
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  o = TwoLines();
  o.items[1].quantity = 0;
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  o = TwoLines();
  o.items[0].product_id = "ghost";
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  o = TwoLines();
  o.items[1].unit_price_minor = -1;
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  o = TwoLines();
  o.total_minor = 1879;
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  o = TwoLines();
  o.currency = "usd";
  EXPECT_EQ(Refused(o), core::StatusCode::kInvalidArgument);
  ASSERT_TRUE(catalog_->DeleteProduct(ctx_, "p2").ok());
  const int64_t after_delete = *store_->HeadPosition();
  EXPECT_GT(after_delete, head);
  EXPECT_EQ(Refused(TwoLines()), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(*store_->HeadPosition(), after_delete);
}

TEST_P(OrderServiceTest, AcceptsAMatchingTotal) {
  NewOrder o = TwoLines();
  o.total_minor = 1880;
  EXPECT_TRUE(orders_->PlaceOrder(ctx_, o).ok());
}

TEST_P(OrderServiceTest, WalksTheStatusGraphAndEmitsUpdated) {
  auto o = orders_->PlaceOrder(ctx_, TwoLines());
  ASSERT_TRUE(o.ok());
  for (const char* s : {"confirmed", "paid", "shipped", "delivered"}) {
    auto moved = orders_->ChangeStatus(ctx_, o->id, s);
    ASSERT_TRUE(moved.ok()) << s << ": " << moved.status();
    EXPECT_EQ(moved->status, s);
  }
  EXPECT_THAT(StreamTypes("acme", OrderStream(o->id)),
              ElementsAre("order.created", "order.confirmed", "order.updated",
                          "order.paid", "order.updated", "order.shipped",
                          "order.updated", "order.delivered", "order.updated"));
  auto last = store_->ReadStream("acme", OrderStream(o->id), 9, 1);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ((*last)[0]->PayloadString("status"), "delivered");
  EXPECT_EQ((*last)[0]->PayloadString("previousStatus"), "shipped");
  auto cancel = orders_->Cancel(ctx_, o->id, "too late");
  EXPECT_EQ(cancel.status().code(), core::StatusCode::kConflict);
  EXPECT_THAT(cancel.status().message(), HasSubstr("delivered"));
}

TEST_P(OrderServiceTest, TransitionsOutsideTheGraphAreConflicts) {
  auto o = orders_->PlaceOrder(ctx_, TwoLines());
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(orders_->ChangeStatus(ctx_, o->id, "shipped").status().code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(orders_->ChangeStatus(ctx_, o->id, "paid").status().code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(orders_->ChangeStatus(ctx_, o->id, "pending").status().code(),
            core::StatusCode::kInvalidArgument);
  ASSERT_TRUE(orders_->ChangeStatus(ctx_, o->id, "confirmed").ok());
  ASSERT_TRUE(orders_->ChangeStatus(ctx_, o->id, "paid").ok());
  auto c = orders_->Cancel(ctx_, o->id, "customer asked");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->reason, "customer asked");
  EXPECT_EQ(orders_->ChangeStatus(ctx_, o->id, "shipped").status().code(),
            core::StatusCode::kConflict);
  EXPECT_EQ(orders_->ChangeStatus(ctx_, "ghost", "paid").status().code(),
            core::StatusCode::kNotFound);
}

// The saga without the runtime: order.created -> inventory reserves ->
// the result confirms or rejects the order; both handlers idempotent.
TEST_P(OrderServiceTest, SagaConfirmsWhenStockIsThereAndRejectsOtherwise) {
  inventory::InventoryService inventory(deps_, *catalog_);
  inventory::ReservationService reservations(deps_, *catalog_);
  ASSERT_TRUE(
      inventory.Receive(ctx_, {.product_id = "p1", .quantity = 4}).ok());
  ASSERT_TRUE(
      inventory.Receive(ctx_, {.product_id = "p2", .quantity = 1}).ok());

  auto run_saga = [&](const std::string& order_id) {
    auto created = store_->ReadStream("acme", OrderStream(order_id), 1, 1);
    ASSERT_TRUE(created.ok());
    ASSERT_TRUE(reservations.HandleOrderCreated(*(*created)[0]).ok());
    auto result = store_->ReadStream("acme", "reservation-" + order_id, 1, 1);
    ASSERT_TRUE(result.ok());
    ASSERT_TRUE(orders_->HandleReservationResult(*(*result)[0]).ok());
    ASSERT_TRUE(orders_->HandleReservationResult(*(*result)[0]).ok());
  };
  auto first = orders_->PlaceOrder(ctx_, TwoLines());
  ASSERT_TRUE(first.ok());
  run_saga(first->id);
  auto second = orders_->PlaceOrder(ctx_, TwoLines());
  ASSERT_TRUE(second.ok());
  run_saga(second->id);

  EXPECT_EQ(orders_->GetOrder("acme", first->id)->status, "confirmed");
  auto rejected = orders_->GetOrder("acme", second->id);
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_THAT(rejected->reason, HasSubstr("insufficient stock"));
  auto p1 = inventory.GetInventory("acme", "p1");
  ASSERT_TRUE(p1.ok());
  EXPECT_EQ(p1->reserved, 3);  // the rejected order holds nothing
  EXPECT_THAT(StreamTypes("acme", OrderStream(first->id)),
              ElementsAre("order.created", "order.confirmed", "order.updated"));
  auto confirmed = store_->ReadStream("acme", OrderStream(first->id), 2, 1);
  auto reserved = store_->ReadStream("acme", "reservation-" + first->id, 1, 1);
  EXPECT_EQ((*confirmed)[0]->causation_id(), (*reserved)[0]->event_id);
}

// Backorders: inventory reserves what it has of a product that allows
// backorders and backorders the rest; receipts fill the backorders later.
class OrderBackorderTest : public OrderServiceTest {
 protected:
  void SetUp() override {
    OrderServiceTest::SetUp();
    inventory_ =
        std::make_unique<inventory::InventoryService>(deps_, *catalog_);
    reservations_ =
        std::make_unique<inventory::ReservationService>(deps_, *catalog_);
    ASSERT_TRUE(catalog_
                    ->CreateProduct(ctx_, {.id = "pb",
                                           .sku = "SB",
                                           .name = "Paper",
                                           .price_minor = 5,
                                           .allow_backorder = true})
                    .ok());
  }
  void TearDown() override {
    reservations_.reset();
    inventory_.reset();
    OrderServiceTest::TearDown();
  }

  void Receive(int64_t quantity) {
    ASSERT_TRUE(
        inventory_->Receive(ctx_, {.product_id = "pb", .quantity = quantity})
            .ok());
  }
  // Places an order for `quantity` of pb and lets inventory reserve it.
  std::string PlaceAndReserve(int64_t quantity) {
    auto o = orders_->PlaceOrder(
        ctx_, {.items = {{.product_id = "pb", .quantity = quantity}}});
    EXPECT_TRUE(o.ok()) << o.status();
    if (!o.ok()) return "";
    auto created = store_->ReadStream("acme", OrderStream(o->id), 1, 1);
    EXPECT_TRUE(created.ok() && created->size() == 1u);
    EXPECT_TRUE(reservations_->HandleOrderCreated(*(*created)[0]).ok());
    return o->id;
  }
  // Hands inventory's reservation result to the orders side.
  void SettleReservation(const std::string& order_id) {
    auto result = store_->ReadStream("acme", "reservation-" + order_id, 1, 1);
    ASSERT_TRUE(result.ok() && result->size() == 1u);
    ASSERT_TRUE(orders_->HandleReservationResult(*(*result)[0]).ok());
  }
  // Hands every backorder fill of pb so far to the orders side, twice (a
  // redelivery changes nothing).
  void DeliverFills() {
    auto events = store_->ReadStream("acme", "stock-pb", 1, 1000);
    ASSERT_TRUE(events.ok());
    for (int round = 0; round < 2; ++round) {
      for (const core::EventPtr& e : *events) {
        if (e->event_type != "inventory.position.backorder_filled") continue;
        ASSERT_TRUE(orders_->HandleBackorderFilled(*e).ok());
      }
    }
  }

  std::unique_ptr<inventory::InventoryService> inventory_;
  std::unique_ptr<inventory::ReservationService> reservations_;
};

TEST_P(OrderBackorderTest, ShipIsRefusedWhileUnitsAreOnBackorder) {
  // Given a paid order for 5 with 2 in stock: 3 on backorder.
  Receive(2);
  const std::string id = PlaceAndReserve(5);
  SettleReservation(id);
  ASSERT_EQ(orders_->GetOrder("acme", id)->status, "confirmed");
  ASSERT_TRUE(orders_->ChangeStatus(ctx_, id, "paid").ok());
  // What GET /orders/{id} shows of it.
  auto backorders = [&] {
    return boost::json::serialize(
        orders_->GetOrder("acme", id)->ToJson().at("backorders"));
  };
  EXPECT_EQ(backorders(),
            R"([{"productId":"pb","locationId":"main","quantity":3}])");

  // When it is shipped: refused, naming what it waits for.
  auto refused = orders_->ChangeStatus(ctx_, id, "shipped");
  EXPECT_EQ(refused.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("3 of 'pb' at 'main' still on backorder"));

  // When a receipt fills 2 of the 3: still refused.
  Receive(2);
  DeliverFills();
  refused = orders_->ChangeStatus(ctx_, id, "shipped");
  EXPECT_EQ(refused.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("1 of 'pb' at 'main'"));
  EXPECT_EQ(backorders(),
            R"([{"productId":"pb","locationId":"main","quantity":1}])");

  // Then the order is still paid, and no order.shipped was written.
  EXPECT_EQ(orders_->GetOrder("acme", id)->status, "paid");
  EXPECT_THAT(
      StreamTypes("acme", OrderStream(id)),
      ElementsAre("order.created", "order.confirmed", "order.updated",
                  "order.paid", "order.updated", "order.backorder_filled"));
}

TEST_P(OrderBackorderTest, ShipIsAllowedOnceTheBackorderIsFilled) {
  // Given a paid order for 5 with 2 in stock, then receipts of 2 and 1.
  Receive(2);
  const std::string id = PlaceAndReserve(5);
  SettleReservation(id);
  ASSERT_TRUE(orders_->ChangeStatus(ctx_, id, "paid").ok());
  Receive(2);
  Receive(1);
  DeliverFills();

  // When it is shipped: it ships, and inventory commits all 5.
  auto shipped = orders_->ChangeStatus(ctx_, id, "shipped");
  ASSERT_TRUE(shipped.ok()) << shipped.status();
  EXPECT_EQ(shipped->status, "shipped");
  auto events = store_->ReadStream("acme", OrderStream(id), 1, 100);
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->back()->event_type, "order.updated");
  const core::Event& ship = *(*events)[events->size() - 2];
  ASSERT_EQ(ship.event_type, "order.shipped");
  ASSERT_TRUE(reservations_->HandleOrderShipped(ship).ok());
  auto stock = inventory_->GetInventory("acme", "pb");
  ASSERT_TRUE(stock.ok());
  EXPECT_EQ(stock->on_hand, 0);
  EXPECT_EQ(stock->backordered, 0);
}

// The fill may reach the orders side before the reservation's outcome (it
// can even be appended first); the outcome's stale backorder must not
// hold the order back.
TEST_P(OrderBackorderTest, AFillSeenBeforeTheOutcomeStillCounts) {
  const std::string id = PlaceAndReserve(3);  // all 3 on backorder
  Receive(3);
  DeliverFills();  // the order is still pending
  SettleReservation(id);
  ASSERT_EQ(orders_->GetOrder("acme", id)->status, "confirmed");
  ASSERT_TRUE(orders_->ChangeStatus(ctx_, id, "paid").ok());
  auto shipped = orders_->ChangeStatus(ctx_, id, "shipped");
  EXPECT_TRUE(shipped.ok()) << shipped.status();
}

TEST_P(OrderBackorderTest, IgnoresAFillForAnUnknownOrderAndRefusesOtherTypes) {
  auto fill = core::EventBuilder("inventory.position.backorder_filled")
                  .Tenant("acme")
                  .Aggregate("inventory_item", "pb")
                  .Payload({{"orderId", "ghost"},
                            {"productId", "pb"},
                            {"locationId", "main"},
                            {"quantity", 1},
                            {"backordered", 0}})
                  .BuildValue(ids_, clock_);
  EXPECT_TRUE(orders_->HandleBackorderFilled(fill).ok());
  EXPECT_TRUE(StreamTypes("acme", OrderStream("ghost")).empty());
  fill.payload.erase("backordered");
  EXPECT_EQ(orders_->HandleBackorderFilled(fill).code(),
            core::StatusCode::kInvalidArgument);
  fill.event_type = "inventory.stock.reserved";
  EXPECT_EQ(orders_->HandleBackorderFilled(fill).code(),
            core::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Stores, OrderBackorderTest, testing::kAllStores,
                         testing::StoreName);

INSTANTIATE_TEST_SUITE_P(Stores, OrderServiceTest, testing::kAllStores,
                         testing::StoreName);

TEST(ParseNewOrderTest, ReadsTheBodyWithExactMoney) {
  auto o = ParseNewOrder(boost::json::parse(R"({
      "customerId": "c-9", "currency": "EUR", "totalAmount": 25.5,
      "items": [{"productId": "p1", "quantity": 2, "unitPrice": 12.75},
                {"productId": "p2", "quantity": 1, "price": 0}]})")
                             .as_object());
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->customer_id, "c-9");
  EXPECT_EQ(o->currency, "EUR");
  EXPECT_EQ(*o->total_minor, 2550);
  ASSERT_EQ(o->items.size(), 2u);
  EXPECT_EQ(*o->items[0].unit_price_minor, 1275);
  EXPECT_EQ(*o->items[1].unit_price_minor, 0);
}

TEST(ParseNewOrderTest, NamesTheBadField) {
  auto bad = [](const char* json) {
    return ParseNewOrder(boost::json::parse(json).as_object()).status();
  };
  EXPECT_THAT(
      bad(R"({"items": [{"productId": "p1", "quantity": 1.5}]})").message(),
      HasSubstr("items[0].quantity"));
  EXPECT_THAT(
      bad(R"({"items": [{"productId": "p1", "quantity": 1, "unitPrice": 1.001}]})")
          .message(),
      HasSubstr("items[0].unitPrice"));
  EXPECT_THAT(bad(R"({"items": 3})").message(), HasSubstr("items"));
  EXPECT_THAT(bad(R"({"totalAmount": "1", "items": []})").message(),
              HasSubstr("totalAmount"));
}

}  // namespace
}  // namespace stockpile::domain::orders
