#include "domain/inventory/stock_lots.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

namespace stockpile::domain::inventory {
namespace {

using ::testing::ElementsAre;

TEST(StockLotsTest, KeepsBucketsInFirstExpiryFirstOutOrder) {
  std::vector<Lot> lots;
  AddLots(lots, {{"", "", 5},
                 {"L-2", "2026-06-01", 3},
                 {"L-1", "2026-03-01", 4},
                 {"L-9", "", 2}});
  AddLots(lots, {{"L-1", "2026-03-01", 1}});
  EXPECT_THAT(lots, ElementsAre(Lot{"L-1", "2026-03-01", 5},
                                Lot{"L-2", "2026-06-01", 3}, Lot{"", "", 5},
                                Lot{"L-9", "", 2}));
  RemoveLots(lots, {{"L-1", "2026-03-01", 5}, {"", "", 1}});
  EXPECT_THAT(lots, ElementsAre(Lot{"L-2", "2026-06-01", 3}, Lot{"", "", 4},
                                Lot{"L-9", "", 2}));
}

TEST(StockLotsTest, TakesEarliestExpiryFirstAndExpiredLotsLastWhenAsked) {
  const std::vector<Lot> lots = {
      {"OLD", "2025-12-01", 2}, {"L-1", "2026-03-01", 4}, {"", "", 5}};
  EXPECT_THAT(
      TakeFefo(lots, 5, "2026-01-01", false),
      ElementsAre(Lot{"OLD", "2025-12-01", 2}, Lot{"L-1", "2026-03-01", 3}));
  EXPECT_THAT(TakeFefo(lots, 5, "2026-01-01", true),
              ElementsAre(Lot{"L-1", "2026-03-01", 4}, Lot{"", "", 1}));
  EXPECT_THAT(TakeFefo(lots, 11, "2026-01-01", true),
              ElementsAre(Lot{"L-1", "2026-03-01", 4}, Lot{"", "", 5},
                          Lot{"OLD", "2025-12-01", 2}));
  EXPECT_EQ(ExpiredQuantity(lots, "2026-01-01"), 2);
  EXPECT_EQ(ExpiredQuantity(lots, "2025-12-01"), 0);  // expires at day end
  EXPECT_EQ(ExpiredQuantity(lots, "2026-03-02"), 6);
}

TEST(StockLotsTest, JsonRoundTrip) {
  const std::vector<Lot> lots = {{"L-1", "2026-03-01", 4}, {"", "", 5}};
  const boost::json::value v = LotsToJson(lots);
  EXPECT_EQ(boost::json::serialize(v),
            R"([{"lotNumber":"L-1","expiryDate":"2026-03-01","quantity":4},)"
            R"({"lotNumber":"","quantity":5}])");
  EXPECT_EQ(LotsFromJson(&v), lots);
}

}  // namespace
}  // namespace stockpile::domain::inventory
