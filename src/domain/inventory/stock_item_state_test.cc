#include "domain/inventory/stock_item_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace stockpile::domain::inventory {
namespace {

core::Event Made(std::string_view type, boost::json::object payload) {
  core::Event e;
  e.event_type = std::string(type);
  e.payload = std::move(payload);
  return e;
}

core::Event Reserved(std::string_view order, int64_t quantity,
                     int64_t backordered) {
  boost::json::object a{{"locationId", "main"}, {"quantity", quantity}};
  if (backordered > 0) a["backordered"] = backordered;
  return Made(kPositionReserved,
              {{"orderId", order}, {"allocations", boost::json::array{a}}});
}

// What a command's events lead to is the same on the trial copy as on the
// whole state; only the holds nobody names are left out of the copy.
TEST(StockItemStateTest, TrialCopyFoldsEventsAsTheWholeStateDoes) {
  StockItemState s;
  s.Apply(Made(kStockReceived, {{"locationId", "main"}, {"quantity", 10}}));
  s.Apply(Reserved("ord-a", 4, 0));
  s.Apply(Reserved("ord-b", 6, 0));
  s.Apply(Reserved("ord-c", 0, 3));  // waits for stock
  ASSERT_EQ(s.backorders.size(), 1u);

  const std::vector<core::Event> events = {
      Made(kPositionReleased, {{"orderId", "ord-b"}}),
      Made(kBackorderFilled,
           {{"orderId", "ord-c"}, {"locationId", "main"}, {"quantity", 3}}),
      Made(kStockAdjusted, {{"locationId", "main"}, {"delta", -2}}),
  };
  StockItemState whole = s;
  StockItemState trial = s.TrialCopy(events);
  EXPECT_EQ(trial.holds.count("ord-a"), 0u);  // named by no event
  EXPECT_EQ(trial.holds.count("ord-b"), 1u);
  EXPECT_EQ(trial.holds.count("ord-c"), 1u);  // on backorder
  for (const core::Event& e : events) {
    whole.Apply(e);
    trial.Apply(e);
  }
  const LocationStock w = whole.At("main");
  const LocationStock t = trial.At("main");
  EXPECT_EQ(t.on_hand, w.on_hand);
  EXPECT_EQ(t.reserved, w.reserved);
  EXPECT_EQ(t.backordered, w.backordered);
  EXPECT_EQ(t.lots, w.lots);
  EXPECT_EQ(w.on_hand, 8);
  EXPECT_EQ(w.reserved, 7);  // ord-a 4 + ord-c 3
  EXPECT_EQ(w.backordered, 0);
  EXPECT_TRUE(trial.backorders.empty());
  EXPECT_TRUE(whole.backorders.empty());
  EXPECT_EQ(trial.holds.at("ord-c"), whole.holds.at("ord-c"));
  EXPECT_EQ(trial.holds.count("ord-b"), 0u);
}

}  // namespace
}  // namespace stockpile::domain::inventory
