#include "domain/analytics/analytics_view.h"

#include <gtest/gtest.h>

#include <chrono>

#include "domain/common/calendar_day.h"
#include "domain/common/domain_test_util.h"

namespace stockpile::domain::analytics {
namespace {

constexpr int64_t kDay = 20'000;  // 2024-10-04
constexpr int64_t kHour = common::kMillisPerHour;
constexpr int64_t kNoon = kDay * common::kMillisPerDay + 12 * kHour;

class AnalyticsViewTest : public testing::DomainStoreTest {
 protected:
  // Appends an event of `type` at `at_ms` and returns its id.
  std::string Given(const std::string& tenant, const std::string& type,
                    const std::string& aggregate_type, const std::string& id,
                    boost::json::object payload, int64_t at_ms,
                    const core::Event* cause = nullptr) {
    core::EventBuilder b(type);
    b.Aggregate(aggregate_type, id)
        .Tenant(tenant)
        .Payload(std::move(payload))
        .Timestamp(at_ms);
    if (cause != nullptr) b.CausedBy(*cause);
    core::Event e = b.BuildValue(ids_, clock_);
    std::string event_id = e.event_id;
    events_.push_back(e);
    std::vector<core::Event> batch;
    batch.push_back(std::move(e));
    EXPECT_TRUE(store_
                    ->Append(tenant, aggregate_type + "-" + id,
                             store::ExpectedVersion::Any(), std::move(batch))
                    .ok());
    return event_id;
  }

  void Paid(const std::string& tenant, const std::string& order, double amount,
            const std::string& currency, int64_t at_ms) {
    Given(tenant, "payment.succeeded", "payment", "pay-" + order,
          {{"paymentId", "pay-" + order},
           {"orderId", order},
           {"amount", amount},
           {"currency", currency}},
          at_ms);
  }

  void Shipped(const std::string& tenant, const std::string& order,
               const std::string& product, int64_t quantity, int64_t at_ms) {
    Given(tenant, "inventory.stock.committed", "inventory_reservation", order,
          {{"orderId", order},
           {"lines", boost::json::array{{{"productId", product},
                                         {"locationId", "main"},
                                         {"quantity", quantity}}}}},
          at_ms);
  }

  // A POS sale of `quantity` of `product` and the stock adjustment
  // inventory makes for it (caused by the sale event).
  void SoldAtTill(const std::string& product, int64_t quantity, int64_t at_ms) {
    Given("acme", "sales.sale.completed", "sale", "s-" + product,
          {{"saleId", "s-" + product},
           {"locationId", "main"},
           {"lines", boost::json::array{{{"productId", product},
                                         {"quantity", quantity}}}}},
          at_ms);
    const core::Event sale = events_.back();
    Given("acme", "inventory.stock.adjusted", "inventory_position",
          product + "@main",
          {{"productId", product},
           {"locationId", "main"},
           {"delta", -quantity},
           {"reason", "sale"},
           {"onHand", 0},
           {"available", 0}},
          at_ms, &sale);
  }

  // The figures of `view` as one comparable value.
  static std::string Figures(const AnalyticsView& view,
                             const std::string& tenant) {
    std::string out;
    for (const HourCount& h : view.EventsPerHour(tenant, 0, INT64_MAX)) {
      out += std::to_string(h.hour_start_ms) + h.event_type +
             std::to_string(h.count) + ";";
    }
    for (const DayRevenue& r : view.RevenuePerDay(tenant, 0, INT64_MAX)) {
      out += std::to_string(r.day) + r.currency +
             std::to_string(r.amount_minor) + "/" + std::to_string(r.payments) +
             ";";
    }
    for (const ProductUnits& p : view.TopProducts(tenant, 0, INT64_MAX, 100)) {
      out += p.product_id + std::to_string(p.units) + ";";
    }
    return out;
  }

  std::vector<core::Event> events_;
};

TEST_P(AnalyticsViewTest, CountsEventsRevenueAndUnitsPerTenant) {
  AnalyticsView view;
  auto live = store_->SubscribeAll(0, store::ReadFilter::AllTenants({"#"}),
                                   [&](const core::EventPtr& e) {
                                     view.Apply(*e);
                                     return core::Status::Ok();
                                   });
  ASSERT_TRUE(live.ok()) << live.status();

  Paid("acme", "o-1", 7.5, "USD", kNoon);
  Paid("acme", "o-2", 0.29, "USD", kNoon + 5 * 60'000);
  Paid("acme", "o-3", 10, "EUR", kNoon + kHour);
  Paid("acme", "o-4", 1, "USD", kNoon + common::kMillisPerDay);
  Given("acme", "payment.failed", "payment", "pay-o-5",
        {{"paymentId", "pay-o-5"},
         {"orderId", "o-5"},
         {"amount", 3},
         {"currency", "USD"},
         {"reason", "declined"}},
        kNoon);
  Shipped("acme", "o-1", "pen", 3, kNoon);
  Shipped("acme", "o-2", "ink", 5, kNoon + common::kMillisPerDay);
  SoldAtTill("pen", 4, kNoon);  // counted once, not twice
  Paid("globex", "o-9", 999, "USD", kNoon);
  Shipped("globex", "o-9", "pen", 100, kNoon);

  auto head = store_->HeadPosition();
  ASSERT_TRUE(head.ok());
  ASSERT_TRUE((*live)->WaitFor(*head, std::chrono::seconds(10)));

  // Events per hour: noon holds 2 payments, 1 failure, 1 shipment, the sale
  // and its adjustment.
  auto hours = view.EventsPerHour("acme", kNoon, kNoon + kHour);
  ASSERT_EQ(hours.size(), 5u);
  EXPECT_EQ(hours[0].event_type, "inventory.stock.adjusted");
  EXPECT_EQ(hours[2].event_type, "payment.failed");
  EXPECT_EQ(hours[3].event_type, "payment.succeeded");
  EXPECT_EQ(hours[3].count, 2);
  EXPECT_EQ(hours[3].hour_start_ms, kNoon);

  // Revenue: minor units per day and currency; failures earn nothing.
  auto revenue = view.RevenuePerDay("acme", kDay, kDay + 1);
  ASSERT_EQ(revenue.size(), 2u);
  EXPECT_EQ(revenue[0].currency, "EUR");
  EXPECT_EQ(revenue[0].amount_minor, 1000);
  EXPECT_EQ(revenue[1].currency, "USD");
  EXPECT_EQ(revenue[1].amount_minor, 779);
  EXPECT_EQ(revenue[1].payments, 2);
  EXPECT_EQ(view.RevenuePerDay("acme", kDay + 1, kDay + 2)[0].amount_minor,
            100);

  // Units: 3 shipped + 4 at the till; the adjustment is the same sale.
  auto top = view.TopProducts("acme", 0, INT64_MAX, 10);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].product_id, "pen");
  EXPECT_EQ(top[0].units, 7);
  EXPECT_EQ(top[1].product_id, "ink");
  EXPECT_EQ(top[1].units, 5);
  EXPECT_EQ(view.TopProducts("acme", 0, INT64_MAX, 1).size(), 1u);
  EXPECT_EQ(view.TopProducts("acme", kDay + 1, kDay + 2, 10)[0].product_id,
            "ink");

  // Tenants see only their own.
  EXPECT_EQ(view.TopProducts("globex", 0, INT64_MAX, 10)[0].units, 100);
  EXPECT_EQ(view.RevenuePerDay("globex", 0, INT64_MAX)[0].amount_minor, 99900);
  EXPECT_TRUE(view.EventsPerHour("initech", 0, INT64_MAX).empty());

  // A rebuild from the log gives the same figures.
  AnalyticsView rebuilt;
  auto all = store_->ReadAll(0, 100'000, store::ReadFilter::AllTenants());
  ASSERT_TRUE(all.ok());
  for (const core::EventPtr& e : all->events) rebuilt.Apply(*e);
  EXPECT_FALSE(Figures(view, "acme").empty());
  EXPECT_EQ(Figures(rebuilt, "acme"), Figures(view, "acme"));
  EXPECT_EQ(Figures(rebuilt, "globex"), Figures(view, "globex"));
}

TEST_P(AnalyticsViewTest, ASaleBookedByHandCounts) {
  AnalyticsView view;
  Given("acme", "inventory.stock.adjusted", "inventory_position", "pen@main",
        {{"productId", "pen"},
         {"locationId", "main"},
         {"delta", -2},
         {"reason", "sale"},
         {"onHand", 8},
         {"available", 8}},
        kNoon);
  Given("acme", "inventory.stock.adjusted", "inventory_position", "pen@main",
        {{"productId", "pen"},
         {"locationId", "main"},
         {"delta", -1},
         {"reason", "damage"},
         {"onHand", 7},
         {"available", 7}},
        kNoon);
  for (const core::Event& e : events_) view.Apply(e);
  auto top = view.TopProducts("acme", 0, INT64_MAX, 10);
  ASSERT_EQ(top.size(), 1u);
  EXPECT_EQ(top[0].units, 2);
}

INSTANTIATE_TEST_SUITE_P(Stores, AnalyticsViewTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::analytics
