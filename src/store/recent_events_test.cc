#include "store/recent_events.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace stockpile::store {
namespace {

core::EventPtr EventAt(int64_t position, std::string type = "order.created",
                       std::string tenant = "acme") {
  auto e = std::make_shared<core::Event>();
  e->event_id = "e-" + std::to_string(position);
  e->event_type = std::move(type);
  e->tenant_id = std::move(tenant);
  e->position = position;
  return e;
}

EventFilter Everything() {
  return EventFilter::Make(ReadFilter::AllTenants()).value();
}

std::vector<int64_t> Positions(const ReadAllResult& page) {
  std::vector<int64_t> out;
  for (const core::EventPtr& e : page.events) out.push_back(e->position);
  return out;
}

TEST(RecentEventsTest, AnswersOnlyFromWhereItHoldsEverything) {
  RecentEvents recent(10, 5);  // the log's head was 5
  EXPECT_EQ(recent.Read(4, 10, 10, Everything()), std::nullopt);
  auto empty = recent.Read(5, 10, 10, Everything());
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->events.empty());
  EXPECT_EQ(empty->last_scanned_position, 5);
  recent.Stage(EventAt(6));
  recent.Stage(EventAt(7));
  EXPECT_TRUE(recent.Read(5, 10, 10, Everything())->events.empty());
  recent.Publish(7);
  EXPECT_EQ(Positions(*recent.Read(5, 10, 10, Everything())),
            (std::vector<int64_t>{6, 7}));
  EXPECT_EQ(Positions(*recent.Read(6, 10, 10, Everything())),
            (std::vector<int64_t>{7}));
  EXPECT_EQ(recent.Read(7, 10, 10, Everything())->last_scanned_position, 7);
}

TEST(RecentEventsTest, FiltersAndStopsAtMaxOrScan) {
  RecentEvents recent(10, 0);
  recent.Stage(EventAt(1, "order.created"));
  recent.Stage(EventAt(2, "stock.moved"));
  recent.Stage(EventAt(3, "order.created", "other"));
  recent.Stage(EventAt(4, "order.confirmed"));
  recent.Publish(4);
  auto orders = EventFilter::Make(ReadFilter::ForTenant("acme", {"order.*"}));
  ASSERT_TRUE(orders.ok()) << orders.status();
  auto page = recent.Read(0, 10, 10, *orders);
  EXPECT_EQ(Positions(*page), (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(page->last_scanned_position, 4);
  page = recent.Read(0, 1, 10, *orders);
  EXPECT_EQ(Positions(*page), (std::vector<int64_t>{1}));
  EXPECT_EQ(page->last_scanned_position, 1);
  page = recent.Read(1, 10, 2, *orders);  // examines 2 and 3 only
  EXPECT_TRUE(page->events.empty());
  EXPECT_EQ(page->last_scanned_position, 3);
}

// What committed beside a rolled-back part was never staged, so the tail
// must not claim it: it starts over after the batch.
TEST(RecentEventsTest, ARollbackStartsTheTailOverAfterTheNextCommit) {
  RecentEvents recent(10, 0);
  recent.Stage(EventAt(1));
  recent.Publish(1);
  recent.Stage(EventAt(2));  // committed with the batch...
  recent.RolledBack();       // ...but a later savepoint rolled back
  recent.Stage(EventAt(3));
  EXPECT_EQ(Positions(*recent.Read(0, 10, 10, Everything())),
            (std::vector<int64_t>{1}));
  recent.Publish(3);
  EXPECT_EQ(recent.Read(1, 10, 10, Everything()), std::nullopt);
  EXPECT_EQ(recent.Read(2, 10, 10, Everything()), std::nullopt);
  EXPECT_TRUE(recent.Read(3, 10, 10, Everything())->events.empty());
  recent.Stage(EventAt(4));
  recent.Publish(4);
  EXPECT_EQ(Positions(*recent.Read(3, 10, 10, Everything())),
            (std::vector<int64_t>{4}));
}

TEST(RecentEventsTest, AResetStartsTheTailOver) {
  RecentEvents recent(10, 0);
  recent.Stage(EventAt(1));
  recent.Publish(1);
  recent.Reset();
  recent.Publish(1);
  EXPECT_EQ(recent.Read(0, 10, 10, Everything()), std::nullopt);
  EXPECT_TRUE(recent.Read(1, 10, 10, Everything()).has_value());
}

TEST(RecentEventsTest, DropsTheOldestBeyondItsCapacity) {
  RecentEvents recent(3, 0);
  for (int64_t p = 1; p <= 5; ++p) recent.Stage(EventAt(p));
  recent.Publish(5);
  EXPECT_EQ(recent.Read(1, 10, 10, Everything()), std::nullopt);
  EXPECT_EQ(Positions(*recent.Read(2, 10, 10, Everything())),
            (std::vector<int64_t>{3, 4, 5}));
}

}  // namespace
}  // namespace stockpile::store
