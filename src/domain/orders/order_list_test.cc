#include "domain/orders/order_list.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "core/status_macros.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/domain_test_util.h"
#include "domain/orders/order_service.h"
#include "runtime/projection_runner.h"
#include "store/sqlite_db.h"

namespace stockpile::domain::orders {
namespace {

class OrderListTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    dir_ =
        std::filesystem::path(::testing::TempDir()) /
        ("order-list-" + std::to_string(::getpid()) + "-" + ids_.NextString());
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    orders_ = std::make_unique<OrderService>(deps_, *catalog_);
    for (const char* tenant : {"acme", "globex"}) {
      ASSERT_TRUE(
          catalog_
              ->CreateProduct(
                  {.tenant = tenant},
                  {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 10})
              .ok());
    }
  }
  void TearDown() override {
    orders_.reset();
    catalog_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    DomainStoreTest::TearDown();
  }

  std::string Place(std::string_view tenant) {
    auto o = orders_->PlaceOrder(
        {.tenant = std::string(tenant)},
        NewOrder{.customer_id = "c-1",
                 .items = {{.product_id = "p1", .quantity = 1}}});
    EXPECT_TRUE(o.ok()) << o.status();
    return o.ok() ? o->id : "";
  }

  std::unique_ptr<OrderList> OpenList() {
    auto list = OrderList::Open(dir_.string(), *store_, clock_);
    EXPECT_TRUE(list.ok()) << list.status();
    return list.ok() ? std::move(list).value() : nullptr;
  }

  // Until the list holds everything in the log (bounded real time).
  static bool CaughtUp(const OrderList& list, store::EventStore& store) {
    const int64_t head = store.HeadPosition().value();
    for (int i = 0; i < 2000 && list.position() < head; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    EXPECT_GE(list.position(), head) << list.LastError();
    return list.position() >= head;
  }

  std::vector<std::string> Ids(const OrderPage& page) {
    std::vector<std::string> out;
    for (const OrderState& o : page.orders) out.push_back(o.id);
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<OrderService> orders_;
};

TEST_P(OrderListTest, PagesNewestFirstPerTenantAndByStatus) {
  std::vector<std::string> acme;
  for (int i = 0; i < 5; ++i) acme.push_back(Place("acme"));
  const std::string other = Place("globex");
  ASSERT_TRUE(
      orders_->ChangeStatus({.tenant = "acme"}, acme[1], "confirmed").ok());
  ASSERT_TRUE(
      orders_->ChangeStatus({.tenant = "acme"}, acme[3], "confirmed").ok());
  auto list = OpenList();
  ASSERT_NE(list, nullptr);
  ASSERT_TRUE(list->Start().ok());
  ASSERT_TRUE(CaughtUp(*list, *store_));

  auto first = list->Newest("acme", 0, 2, std::nullopt);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(Ids(*first), (std::vector<std::string>{acme[4], acme[3]}));
  ASSERT_NE(first->next, 0);
  auto second = list->Newest("acme", first->next, 2, std::nullopt);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Ids(*second), (std::vector<std::string>{acme[2], acme[1]}));
  auto last = list->Newest("acme", second->next, 2, std::nullopt);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(Ids(*last), (std::vector<std::string>{acme[0]}));
  EXPECT_EQ(last->next, 0);

  auto confirmed = list->Newest("acme", 0, 10, "confirmed");
  ASSERT_TRUE(confirmed.ok());
  EXPECT_EQ(Ids(*confirmed), (std::vector<std::string>{acme[3], acme[1]}));
  EXPECT_EQ(confirmed->orders[0].status, "confirmed");
  auto theirs = list->Newest("globex", 0, 10, std::nullopt);
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(Ids(*theirs), (std::vector<std::string>{other}));
  // The listed state is the order as its stream has it.
  auto read = orders_->GetOrder("acme", acme[3]);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(confirmed->orders[0].ToJson(), read->ToJson());
}

TEST_P(OrderListTest, ResumesFromItsCheckpointAndRebuildsTheSame) {
  const std::string first = Place("acme");
  {
    auto list = OpenList();
    ASSERT_NE(list, nullptr);
    ASSERT_TRUE(list->Start().ok());
    ASSERT_TRUE(CaughtUp(*list, *store_));
  }
  const std::string second = Place("acme");
  ASSERT_TRUE(
      orders_->ChangeStatus({.tenant = "acme"}, first, "confirmed").ok());
  auto list = OpenList();
  ASSERT_NE(list, nullptr);
  EXPECT_GT(list->position(), 0);  // kept on disk
  ASSERT_TRUE(list->Start().ok());
  ASSERT_TRUE(CaughtUp(*list, *store_));
  auto page = list->Newest("acme", 0, 10, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{second, first}));
  EXPECT_EQ(page->orders[1].status, "confirmed");

  runtime::ReadModelRegistry::Entry entry = list->RegistryEntry();
  int calls = 0;
  ASSERT_TRUE(
      entry.rebuild([&](int64_t, int64_t) { return ++calls > 0; }).ok());
  auto rebuilt = list->Newest("acme", 0, 10, std::nullopt);
  ASSERT_TRUE(rebuilt.ok());
  ASSERT_EQ(rebuilt->orders.size(), 2u);
  EXPECT_EQ(rebuilt->orders[0].ToJson(), page->orders[0].ToJson());
  EXPECT_EQ(rebuilt->orders[1].ToJson(), page->orders[1].ToJson());
}

TEST_P(OrderListTest, AReadModelAheadOfTheLogIsBuiltAgain) {
  Place("acme");
  Place("acme");
  {
    auto list = OpenList();
    ASSERT_NE(list, nullptr);
    ASSERT_TRUE(list->Start().ok());
    ASSERT_TRUE(CaughtUp(*list, *store_));
  }
  // A new, shorter log (a memory store restarted, a deleted events.db).
  std::unique_ptr<store::EventStore> fresh = store::MakeInMemoryEventStore();
  auto list = OrderList::Open(dir_.string(), *fresh, clock_);
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_EQ((*list)->position(), 0);
  auto page = (*list)->Newest("acme", 0, 10, std::nullopt);
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(page->orders.empty());
}

// A damaged row on disk is an error for the read, not a crash; the log
// still has every event, so a rebuild brings the row back.
TEST_P(OrderListTest, ADamagedRowIsAnErrorAndARebuildRepairsIt) {
  const std::string id = Place("acme");
  auto list = OpenList();
  ASSERT_NE(list, nullptr);
  ASSERT_TRUE(list->Start().ok());
  ASSERT_TRUE(CaughtUp(*list, *store_));
  list->Stop();
  {
    auto db = store::SqliteDb::Open((dir_ / "orders.1.db").string(),
                                    store::SqliteDb::kReadWrite);
    ASSERT_TRUE(db.ok()) << db.status();
    ASSERT_TRUE((*db)->Exec("UPDATE orders SET state = '{\"id\": [1, '").ok());
  }
  auto damaged = list->Newest("acme", 0, 10, std::nullopt);
  EXPECT_FALSE(damaged.ok());
  ASSERT_TRUE(list->RegistryEntry()
                  .rebuild([](int64_t, int64_t) { return true; })
                  .ok());
  auto repaired = list->Newest("acme", 0, 10, std::nullopt);
  ASSERT_TRUE(repaired.ok()) << repaired.status();
  ASSERT_EQ(repaired->orders.size(), 1u);
  EXPECT_EQ(repaired->orders[0].id, id);
}

// Folding an order's events of a page together gives the rows that
// folding them one page (one event) at a time gives.
TEST_P(OrderListTest, APageFoldsLikeEventByEvent) {
  for (int i = 0; i < 3; ++i) {
    const std::string id = Place("acme");
    ASSERT_TRUE(
        orders_->ChangeStatus({.tenant = "acme"}, id, "confirmed").ok());
    if (i == 1) {
      ASSERT_TRUE(orders_->Cancel({.tenant = "acme"}, id, "no").ok());
    }
  }
  auto rows = [&](size_t page_size) {
    auto runner = runtime::ProjectionRunner::Open(
        std::make_unique<OrderListProjection>(),
        {.directory = (dir_ / std::to_string(page_size)).string(),
         .page_size = page_size},
        {.store = store_.get(), .clock = &clock_});
    EXPECT_TRUE(runner.ok()) << runner.status();
    std::vector<std::string> out;
    if (!runner.ok()) return out;
    const int64_t head = store_->HeadPosition().value();
    for (int i = 0; i < 1000 && (*runner)->Status().position < head; ++i) {
      auto applied = (*runner)->CatchUpOnce();
      EXPECT_TRUE(applied.ok()) << applied.status();
      if (!applied.ok()) break;
    }
    EXPECT_TRUE((*runner)
                    ->Read([&](store::SqliteDb& db) -> core::Status {
                      ASSIGN_OR_RETURN(
                          auto st,
                          db.Prepare("SELECT tenant, id, seq, status, state "
                                     "FROM orders ORDER BY seq"));
                      for (;;) {
                        ASSIGN_OR_RETURN(bool row, st.Step());
                        if (!row) return core::Status::Ok();
                        std::string r;
                        for (int c : {0, 1, 3, 4}) {
                          r.append(st.Text(c)).push_back('|');
                        }
                        out.push_back(r + std::to_string(st.Int(2)));
                      }
                    })
                    .ok());
    return out;
  };
  const std::vector<std::string> by_event = rows(1);
  EXPECT_EQ(by_event.size(), 3u);
  EXPECT_EQ(rows(1000), by_event);
}

TEST_P(OrderListTest, OneProcessAtATimePerDirectory) {
  auto list = OpenList();
  ASSERT_NE(list, nullptr);
  auto second = OrderList::Open(dir_.string(), *store_, clock_);
  EXPECT_EQ(second.status().code(), core::StatusCode::kFailedPrecondition);
  list.reset();
  EXPECT_TRUE(OrderList::Open(dir_.string(), *store_, clock_).ok());
}

INSTANTIATE_TEST_SUITE_P(Stores, OrderListTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::orders
