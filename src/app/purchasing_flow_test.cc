// The low-stock flow of DESIGN.md §4.2 end to end in embedded mode: real
// DomainServices (consumers, read models) over a SQLite store. An order
// drives a product to low stock -> replenishment.triggered -> a purchase
// order -> approve -> receive -> inventory.stock.received (with the
// purchase order's id) -> inventory.stock.restored.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "app/domain_services.h"
#include "core/clock.h"
#include "obs/health_registry.h"
#include "obs/logger.h"
#include "store/sqlite_event_store.h"

namespace stockpile::app {
namespace {

using domain::purchasing::PurchaseOrderState;

class PurchasingFlowTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = std::filesystem::temp_directory_path() /
            ("stockpile-purchasing-flow-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name() +
             ".db");
    Remove();
    auto store = store::SqliteEventStore::Open(path_.string());
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(store).value();
  }
  void TearDown() override {
    services_.reset();
    store_.reset();
    Remove();
  }
  void Remove() {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) {
      std::filesystem::remove(path_.string() + suffix, ec);
    }
  }

  void Start(std::chrono::milliseconds review) {
    auto services =
        DomainServices::Start(*store_, clock_, obs::Logger::Discard(), health_,
                              {.workers = 2, .replenishment_review = review});
    ASSERT_TRUE(services.ok()) << services.status();
    services_ = std::move(services).value();
  }

  // Given p1 (reorder point 5) with `stock` at main, sup-1 selling it at
  // 1.50 ...
  void GivenCatalog(int64_t stock) {
    auto& catalog = services_->catalog();
    ASSERT_TRUE(catalog
                    .CreateProduct(ctx_, {.id = "p1",
                                          .sku = "P1",
                                          .name = "Pen",
                                          .price_minor = 300,
                                          .reorder_point = 5})
                    .ok());
    ASSERT_TRUE(catalog
                    .CreateSupplier(ctx_, {.id = "sup-1",
                                           .name = "Pens Inc",
                                           .prices_minor = {{"p1", 150}}})
                    .ok());
    if (stock > 0) {
      ASSERT_TRUE(services_->inventory()
                      .Receive(ctx_, {.product_id = "p1", .quantity = stock})
                      .ok());
    }
  }
  // ... and a rule: reorder at 5, 20 at a time.
  void GivenRule(std::optional<int64_t> auto_approve) {
    auto rule = services_->replenishment().PutRule(
        ctx_, {.product_id = "p1",
               .reorder_point = 5,
               .reorder_quantity = 20,
               .supplier_id = "sup-1",
               .auto_approve_limit_minor = auto_approve});
    ASSERT_TRUE(rule.ok()) << rule.status();
  }

  // Polls `done` until it holds; false after 20 s.
  static bool Eventually(const std::function<bool()>& done) {
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return done();
  }

  // Every consumer has handled everything appended so far.
  void Settle() {
    auto head = store_->HeadPosition();
    ASSERT_TRUE(head.ok());
    ASSERT_TRUE(Eventually([&] {
      for (const auto& c : services_->consumers()) {
        if (c->Stats().position < *head) return false;
      }
      return true;
    }));
  }

  std::vector<PurchaseOrderState> PurchaseOrders() {
    int64_t next = 0;
    return services_->purchasing_api().orders->Newest("acme", 0, 100, {},
                                                      &next);
  }

  void PlaceOrder(const std::string& id, int64_t quantity) {
    auto placed = services_->orders().PlaceOrder(
        ctx_,
        {.id = id, .items = {{.product_id = "p1", .quantity = quantity}}});
    ASSERT_TRUE(placed.ok()) << placed.status();
    ASSERT_TRUE(Eventually([&] {
      auto o = services_->orders().GetOrder("acme", id);
      return o.ok() && o->status == "confirmed";
    }));
  }

  int64_t Available() {
    auto inv = services_->inventory().GetInventory("acme", "p1");
    return inv.ok() ? inv->available : -1;
  }

  std::vector<std::string> StockTypes() {
    std::vector<std::string> out;
    auto events = store_->ReadStream("acme", "stock-p1", 1, 10000);
    if (!events.ok()) return out;
    for (const core::EventPtr& e : *events) out.push_back(e->event_type);
    return out;
  }

  std::filesystem::path path_;
  core::SystemClock clock_;
  obs::HealthRegistry health_;
  std::unique_ptr<store::SqliteEventStore> store_;
  std::unique_ptr<DomainServices> services_;
  const domain::common::CommandContext ctx_{.tenant = "acme",
                                            .user_id = "manager-1"};
};

TEST_F(PurchasingFlowTest, LowStockRaisesOnePurchaseOrderThatRestoresStock) {
  Start(std::chrono::milliseconds(0));
  GivenCatalog(10);
  GivenRule(std::nullopt);

  // When an order takes 6 of 10: 4 left, low.
  PlaceOrder("o-1", 6);
  ASSERT_TRUE(Eventually([&] { return PurchaseOrders().size() == 1; }));
  PurchaseOrderState po = PurchaseOrders()[0];
  EXPECT_EQ(po.status, "pending");
  EXPECT_EQ(po.source, "replenishment");
  ASSERT_EQ(po.lines.size(), 1u);
  EXPECT_EQ(po.lines[0].quantity, 20);
  EXPECT_EQ(po.total_minor, 3000);

  // A second crossing while the purchase order is open orders nothing.
  ASSERT_TRUE(services_->inventory()
                  .Receive(ctx_, {.product_id = "p1", .quantity = 3})
                  .ok());  // 7: restored
  PlaceOrder("o-2", 3);    // 4: low again
  Settle();
  const std::vector<std::string> types = StockTypes();
  EXPECT_EQ(std::count(types.begin(), types.end(), "inventory.stock.low"), 2);
  EXPECT_EQ(PurchaseOrders().size(), 1u);

  // Approve and receive part, then the rest: stock arrives in inventory.
  auto& pos = services_->purchase_orders();
  ASSERT_TRUE(pos.Approve(ctx_, po.id).ok());
  EXPECT_EQ(pos.Receive(ctx_, po.id, {{"p1", 21}}).status().code(),
            core::StatusCode::kInvalidArgument);  // over-receipt
  ASSERT_TRUE(pos.Receive(ctx_, po.id, {{"p1", 5}}).ok());
  ASSERT_TRUE(Eventually([&] { return Available() == 9; }));
  auto done = pos.Receive(ctx_, po.id, {{"p1", 15}});
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_EQ(done->status, "received");
  ASSERT_TRUE(Eventually([&] { return Available() == 24; }));
  Settle();

  auto stock = store_->ReadStream("acme", "stock-p1", 1, 10000);
  ASSERT_TRUE(stock.ok());
  // Two receipts with the purchase order's id; the first lifted 4 to 9,
  // above the reorder point: restored in the same append.
  std::vector<std::string> after_receipts;
  for (const core::EventPtr& e : *stock) {
    if (e->event_type == "inventory.stock.received" &&
        e->PayloadString("purchaseOrderId") == po.id) {
      after_receipts.push_back(e->event_type);
    } else if (!after_receipts.empty()) {
      after_receipts.push_back(e->event_type);
    }
  }
  EXPECT_EQ(after_receipts,
            (std::vector<std::string>{"inventory.stock.received",
                                      "inventory.stock.restored",
                                      "inventory.stock.received"}));
  EXPECT_TRUE(Eventually([&] {
    std::vector<PurchaseOrderState> all = PurchaseOrders();
    return all.size() == 1 && all[0].status == "received";
  }));
  for (const auto& c : services_->consumers()) {
    EXPECT_EQ(c->Stats().parked, 0) << c->name();
  }
}

TEST_F(PurchasingFlowTest, UnderTheLimitThePurchaseOrderIsApprovedAtOnce) {
  Start(std::chrono::milliseconds(0));
  GivenCatalog(10);
  GivenRule(5000);  // 20 x 1.50 = 30.00 < 50.00
  PlaceOrder("o-1", 8);
  ASSERT_TRUE(Eventually([&] { return PurchaseOrders().size() == 1; }));
  EXPECT_TRUE(Eventually([&] {
    std::vector<PurchaseOrderState> all = PurchaseOrders();
    return all[0].status == "approved" && all[0].approved_by == "auto";
  }));
}

TEST_F(PurchasingFlowTest, ThePeriodicReviewOrdersWithoutALowStockEvent) {
  Start(std::chrono::milliseconds(20));
  // Low before the rule existed: the inventory.stock.low found no rule.
  GivenCatalog(3);
  GivenRule(std::nullopt);
  ASSERT_TRUE(Eventually([&] { return PurchaseOrders().size() == 1; }));
  Settle();
  EXPECT_EQ(PurchaseOrders().size(), 1u);
  auto rules = services_->purchasing_api().rules;
  std::string next;
  auto listed = rules->ByKey("acme", "", 10, {}, &next);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].triggered, 1);
}

}  // namespace
}  // namespace stockpile::app
