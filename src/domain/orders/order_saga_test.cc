// The order saga on the saga runtime, over each store with its own saga
// store (memory; SQLite, where the instance and its timer live in the
// event store's file): confirm, reject, timeout, payment, completion, and a
// timeout that fires after a restart.
#include "domain/orders/order_saga.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "core/status_macros.h"
#include "core/topic_pattern.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/inventory/inventory_service.h"
#include "domain/inventory/reservation_service.h"
#include "runtime/consumer_stores.h"
#include "runtime/in_memory_saga_store.h"
#include "runtime/in_memory_transaction.h"
#include "runtime/sqlite_consumer_stores.h"
#include "store/sqlite_event_store.h"

namespace stockpile::domain::orders {
namespace {

using std::chrono::seconds;
using ::testing::HasSubstr;

class OrderSagaTest : public testing::DomainStoreTest {
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
    StartSaga(seconds(5));
  }
  void TearDown() override {
    saga_.reset();
    stores_ = {};
    reservations_.reset();
    inventory_.reset();
    orders_.reset();
    catalog_.reset();
    DomainStoreTest::TearDown();
  }

  // A new saga (as at a process start), over the saga store of the
  // backend: in memory one that lives as long as the test, on SQLite the
  // tables in the store's file, opened afresh.
  void StartSaga(std::chrono::milliseconds timeout) {
    saga_.reset();
    stores_ = {};
    runtime::SagaStore* sagas = &memory_sagas_;
    runtime::TransactionRunner* runner = &memory_runner_;
    if (auto* sqlite = dynamic_cast<store::SqliteEventStore*>(store_.get())) {
      auto opened = runtime::OpenSqliteConsumerStores(*sqlite);
      ASSERT_TRUE(opened.ok()) << opened.status();
      stores_ = std::move(opened).value();
      sagas = stores_.sagas.get();
      runner = stores_.transactions.get();
    }
    auto created =
        runtime::Saga::Create(OrderSaga(*orders_, {.timeout = timeout}),
                              runtime::SagaDeps{.events = store_.get(),
                                                .sagas = sagas,
                                                .transactions = runner,
                                                .clock = &clock_});
    ASSERT_TRUE(created.ok()) << created.status();
    saga_ = std::move(created).value();
    subscription_ = saga_->Subscription();
    runner_ = runner;
  }

  // What the saga's consumer does: every event of the log after the last
  // one delivered that matches the saga's patterns, one step each, its
  // state committed as the consumer commits handler effects.
  void Deliver() {
    auto page =
        store_->ReadAll(delivered_, 100000, store::ReadFilter::AllTenants());
    ASSERT_TRUE(page.ok()) << page.status();
    for (const core::EventPtr& e : page->events) {
      delivered_ = e->position;
      bool wanted = false;
      for (const std::string& p : subscription_.type_patterns) {
        wanted = wanted || core::TopicPattern::Parse(p)->Matches(e->event_type);
      }
      if (!wanted) continue;
      runtime::HandlerContext hctx(subscription_.name, 1);
      runtime::HandlerOutcome outcome = subscription_.handler(e, hctx);
      ASSERT_TRUE(outcome.ok()) << e->event_type << ": " << outcome.error();
      ASSERT_TRUE(runner_
                      ->Run([&](runtime::Transaction& tx) -> core::Status {
                        for (const auto& effect : hctx.effects()) {
                          RETURN_IF_ERROR(effect(tx));
                        }
                        return core::Status::Ok();
                      })
                      .ok());
    }
  }

  // Places an order and lets inventory react to it (reserve or fail).
  std::string PlaceAndReserve(int64_t quantity) {
    const std::string id = Place(quantity);
    auto created = store_->ReadStream("acme", OrderStream(id), 1, 1);
    EXPECT_TRUE(created.ok());
    EXPECT_TRUE(reservations_->HandleOrderCreated(*created->front()).ok());
    return id;
  }
  std::string Place(int64_t quantity) {
    auto placed = orders_->PlaceOrder(
        ctx_, {.items = {{.product_id = "p1", .quantity = quantity}}});
    EXPECT_TRUE(placed.ok()) << placed.status();
    return placed.ok() ? placed->id : "";
  }
  std::string Status(const std::string& id) {
    auto order = orders_->GetOrder("acme", id);
    return order.ok() ? order->status : order.status().ToString();
  }
  core::Result<runtime::SagaRecord> Instance(const std::string& id) {
    runtime::SagaStore* sagas =
        stores_.sagas ? stores_.sagas.get() : &memory_sagas_;
    return sagas->Load({std::string(kOrderSaga), "acme", id});
  }

  common::CommandContext ctx_{.tenant = "acme"};
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<OrderService> orders_;
  std::unique_ptr<inventory::InventoryService> inventory_;
  std::unique_ptr<inventory::ReservationService> reservations_;
  runtime::InMemorySagaStore memory_sagas_;
  runtime::InMemoryTransactionRunner memory_runner_;
  runtime::ConsumerStores stores_;
  runtime::TransactionRunner* runner_ = nullptr;
  std::unique_ptr<runtime::Saga> saga_;
  runtime::ConsumerOptions subscription_;
  int64_t delivered_ = 0;
};

TEST_P(OrderSagaTest, AReservedOrderIsConfirmedAndItsTimerDropped) {
  const std::string id = PlaceAndReserve(4);
  Deliver();  // order.created; inventory.stock.reserved -> confirmed
  EXPECT_EQ(Status(id), "confirmed");
  clock_.Advance(seconds(60));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  EXPECT_EQ(Status(id), "confirmed");
  EXPECT_FALSE(Instance(id)->completed);
}

TEST_P(OrderSagaTest, AFailedReservationRejectsTheOrderAndEndsTheInstance) {
  const std::string id = PlaceAndReserve(40);  // only 10 in stock
  Deliver();
  auto order = orders_->GetOrder("acme", id);
  EXPECT_EQ(order->status, "rejected");
  EXPECT_THAT(order->reason, HasSubstr("p1"));
  EXPECT_TRUE(Instance(id)->completed);
}

TEST_P(OrderSagaTest, APendingOrderIsRejectedWhenItsTimerFires) {
  const std::string id = Place(4);  // inventory never answers
  Deliver();
  clock_.Advance(seconds(4));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  EXPECT_EQ(Status(id), "pending");
  clock_.Advance(seconds(1));
  EXPECT_EQ(saga_->FireDueTimers(), 1);
  auto order = orders_->GetOrder("acme", id);
  EXPECT_EQ(order->status, "rejected");
  EXPECT_THAT(order->reason, HasSubstr("timed out after 5000 ms"));
  EXPECT_EQ(saga_->FireDueTimers(), 0);  // once

  // The reservation lands after all: the order stays rejected, and
  // inventory's reaction to order.rejected gives the stock back.
  auto created = store_->ReadStream("acme", OrderStream(id), 1, 1);
  ASSERT_TRUE(reservations_->HandleOrderCreated(*created->front()).ok());
  Deliver();
  EXPECT_EQ(Status(id), "rejected");
  EXPECT_TRUE(Instance(id)->completed);
  auto events = store_->ReadStream("acme", OrderStream(id), 1, 100);
  for (const core::EventPtr& e : *events) {
    if (e->event_type == "order.rejected") {
      ASSERT_TRUE(reservations_->HandleOrderCancelled(*e).ok());
    }
  }
  EXPECT_EQ(inventory_->GetInventory("acme", "p1")->available, 10);
}

TEST_P(OrderSagaTest, ATimeoutFiresAfterARestart) {
  const std::string id = Place(4);
  Deliver();
  clock_.Advance(seconds(30));  // down past the deadline
  // The process comes back: on SQLite the saga store is opened afresh
  // from the file (the memory one lives as long as the test).
  StartSaga(seconds(5));
  EXPECT_EQ(saga_->FireDueTimers(), 1);
  EXPECT_EQ(Status(id), "rejected");
}

TEST_P(OrderSagaTest, APaymentMarksAConfirmedOrderPaid) {
  const std::string id = PlaceAndReserve(2);
  Deliver();
  ASSERT_EQ(Status(id), "confirmed");
  core::Event payment = core::EventBuilder("payment.succeeded")
                            .Aggregate("payment", "pay-1")
                            .Tenant("acme")
                            .Payload({{"orderId", id},
                                      {"paymentId", "pay-1"},
                                      {"amount", 20},
                                      {"currency", "USD"}})
                            .BuildValue(ids_, clock_);
  ASSERT_TRUE(store_
                  ->Append("acme", "payment-pay-1",
                           store::ExpectedVersion::Any(), {std::move(payment)})
                  .ok());
  Deliver();
  EXPECT_EQ(Status(id), "paid");
  EXPECT_FALSE(Instance(id)->completed);
  check_catalog_ = false;  // the hand-made payment has no bill behind it
}

TEST_P(OrderSagaTest, ATimerForAnOrderCancelledMeanwhileDoesNothing) {
  const std::string id = Place(4);
  Deliver();
  ASSERT_TRUE(orders_->Cancel(ctx_, id, "changed my mind").ok());
  clock_.Advance(seconds(5));
  EXPECT_EQ(saga_->FireDueTimers(), 1);  // fires, finds it not pending
  EXPECT_EQ(Status(id), "cancelled");
  EXPECT_FALSE(Instance(id)->completed);
}

TEST_P(OrderSagaTest, ZeroTimeoutSetsNoTimer) {
  StartSaga(seconds(0));
  const std::string id = Place(4);
  Deliver();
  clock_.Advance(seconds(3600));
  EXPECT_EQ(saga_->FireDueTimers(), 0);
  EXPECT_EQ(Status(id), "pending");
}

INSTANTIATE_TEST_SUITE_P(Stores, OrderSagaTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::orders
