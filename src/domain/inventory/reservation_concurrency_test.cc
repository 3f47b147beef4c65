// The overselling test of issue 5: many threads ordering the last units of
// a product at once, against both store backends.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "domain/inventory/inventory_test_fixture.h"
#include "domain/inventory/reservation_service.h"

namespace stockpile::domain::inventory {
namespace {

constexpr int kThreads = 64;
constexpr int kOrdersPerThread = 2;

class ReservationConcurrencyTest : public InventoryFixture {
 protected:
  // Runs kThreads x kOrdersPerThread orders of `lines` while another thread
  // keeps reading `watched`; returns the ids of the orders reserved.
  std::set<std::string> RaceOrders(const std::vector<ReservationRequest>& lines,
                                   const std::vector<std::string>& watched) {
    std::atomic<bool> done{false};
    std::atomic<int64_t> lowest_available{INT64_MAX};
    std::atomic<int> errors{0};
    std::mutex mu;
    std::set<std::string> reserved;  // GUARDED_BY(mu)
    std::thread observer([&] {
      while (!done.load()) {
        for (const std::string& p : watched) {
          auto inv = inventory_->GetInventory("acme", p);
          if (!inv.ok()) {
            errors.fetch_add(1);
            continue;
          }
          for (const PositionView& v : inv->locations) {
            int64_t low = lowest_available.load();
            while (v.available < low &&
                   !lowest_available.compare_exchange_weak(low, v.available)) {
            }
          }
        }
      }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kOrdersPerThread; ++i) {
          const std::string order =
              "o-" + std::to_string(t) + "-" + std::to_string(i);
          auto r = reservations_->Reserve(ctx_, order, lines);
          if (!r.ok()) {
            ADD_FAILURE() << order << ": " << r.status();
            continue;
          }
          if (r->reserved) {
            std::lock_guard<std::mutex> lock(mu);
            reserved.insert(order);
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    done.store(true);
    observer.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_GE(lowest_available.load(), 0) << "available went negative";
    return reserved;
  }

  // Every hold in the product's stream belongs to a reserved order.
  void ExpectHoldsOnlyFor(const std::string& product,
                          const std::set<std::string>& orders) {
    common::AggregateRepository<StockItemState> items(*store_);
    auto loaded = items.Load("acme", StockStream(product));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    std::set<std::string> holders;
    for (const auto& [order, allocations] : loaded->state.holds) {
      holders.insert(order);
    }
    EXPECT_EQ(holders, orders) << product;
  }
};

TEST_P(ReservationConcurrencyTest, SixtyFourThreadsReserveExactlyTheLast100) {
  Stock("p1", 100);
  std::set<std::string> reserved =
      RaceOrders({{.product_id = "p1", .quantity = 1}}, {"p1"});
  EXPECT_EQ(reserved.size(), 100u);
  EXPECT_EQ(At("p1", "main").reserved, 100);
  EXPECT_EQ(At("p1", "main").on_hand, 100);
  ExpectHoldsOnlyFor("p1", reserved);
  // Every other order is recorded as failed and holds nothing.
  int failed = 0;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kOrdersPerThread; ++i) {
      const std::string order =
          "o-" + std::to_string(t) + "-" + std::to_string(i);
      auto s = reservations_->GetReservation("acme", order);
      ASSERT_TRUE(s.ok());
      if (s->status == ReservationState::Status::kFailed) ++failed;
    }
  }
  EXPECT_EQ(failed, kThreads * kOrdersPerThread - 100);
}

TEST_P(ReservationConcurrencyTest, BackordersTakeEveryOrderButNoMoreStock) {
  CreateBackorderProduct("pb");
  Stock("pb", 100);
  std::set<std::string> reserved =
      RaceOrders({{.product_id = "pb", .quantity = 1}}, {"pb"});
  EXPECT_EQ(reserved.size(), static_cast<size_t>(kThreads * kOrdersPerThread));
  const ProductInventory inv = Inventory("pb");
  EXPECT_EQ(inv.on_hand, 100);
  EXPECT_EQ(inv.reserved, 100);
  EXPECT_EQ(inv.backordered, kThreads * kOrdersPerThread - 100);
  EXPECT_EQ(inv.available, 0);
  ExpectHoldsOnlyFor("pb", reserved);
  const std::vector<std::string> types = StreamTypes("acme", "stock-pb");
  EXPECT_EQ(std::count(types.begin(), types.end(), "inventory.stock.low"), 1);
}

TEST_P(ReservationConcurrencyTest, MultiProductOrdersAreAllOrNothing) {
  Stock("p1", 1000);
  Stock("p2", 50);
  std::set<std::string> reserved =
      RaceOrders({{.product_id = "p2", .quantity = 1},
                  {.product_id = "p1", .quantity = 1}},
                 {"p1", "p2"});
  EXPECT_EQ(reserved.size(), 50u);
  EXPECT_EQ(At("p2", "main").reserved, 50);
  EXPECT_EQ(At("p1", "main").reserved, 50);  // failed orders let p1 go
  ExpectHoldsOnlyFor("p1", reserved);
  ExpectHoldsOnlyFor("p2", reserved);
}

INSTANTIATE_TEST_SUITE_P(Stores, ReservationConcurrencyTest,
                         testing::kAllStores, testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::inventory
