#include "domain/forecasting/forecast_service.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdio>

#include "core/time_format.h"
#include "domain/catalog/catalog_service.h"
#include "domain/common/calendar_day.h"
#include "domain/common/domain_test_util.h"
#include "domain/forecasting/forecast_test_series.h"

namespace stockpile::domain::forecasting {
namespace {

// Given a product p1 and its shipments, one order per day ...
class ForecastServiceTest : public testing::DomainStoreTest {
 protected:
  void SetUp() override {
    DomainStoreTest::SetUp();
    catalog_ = std::make_unique<catalog::CatalogService>(deps_);
    forecasts_ = std::make_unique<ForecastService>(deps_, *catalog_, history_);
    ASSERT_TRUE(
        catalog_
            ->CreateProduct(
                ctx_,
                {.id = "p1", .sku = "S1", .name = "Pen", .price_minor = 250})
            .ok());
  }

  // An order shipped `quantity` of p1 from `location` at noon of `day`.
  void Shipped(const std::string& tenant, int64_t day, int64_t quantity,
               const std::string& location = "main") {
    const std::string order = "o-" + std::to_string(++orders_);
    core::Event e =
        core::EventBuilder("inventory.stock.committed")
            .Aggregate("inventory_reservation", order)
            .Tenant(tenant)
            .Payload({{"orderId", order},
                      {"lines", boost::json::array{{{"productId", "p1"},
                                                    {"locationId", location},
                                                    {"quantity", quantity}}}}})
            .Timestamp(day * common::kMillisPerDay + common::kMillisPerDay / 2)
            .BuildValue(ids_, clock_);
    history_.Apply(e);
    std::vector<core::Event> batch;
    batch.push_back(std::move(e));
    ASSERT_TRUE(store_
                    ->Append(tenant, "reservation-" + order,
                             store::ExpectedVersion::Any(), std::move(batch))
                    .ok());
  }

  // ... `days` days of the weekly series ending yesterday.
  void GivenWeeklyHistory(int days) {
    const std::vector<double> series = series::WeeklySeries(days);
    for (int i = 0; i < days; ++i) {
      Shipped("acme", Today() - days + i, static_cast<int64_t>(series[i]));
    }
  }

  int64_t Today() const { return common::DayOf(clock_.NowMillis()); }

  common::CommandContext ctx_{.tenant = "acme", .user_id = "u-1"};
  DemandHistory history_;
  std::unique_ptr<catalog::CatalogService> catalog_;
  std::unique_ptr<ForecastService> forecasts_;
  int orders_ = 0;
};

// Issue 10: the tenant's calendar shapes the forecast — a holiday is
// forecast as a day without demand, a month's factor scales the rest.
TEST_P(ForecastServiceTest, TheTenantsCalendarShapesTheForecast) {
  GivenWeeklyHistory(56);
  tenant::TenantSettingsService calendars(deps_);
  ForecastService with_calendar(deps_, *catalog_, history_, &calendars);
  auto plain =
      with_calendar.Generate(ctx_, {.product_id = "p1",
                                    .horizon_days = 7,
                                    .model = ModelType::kMovingAverage});
  ASSERT_TRUE(plain.ok()) << plain.status();
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  core::CivilFromDays(Today() + 1, y, m, d);
  char holiday[16];
  std::snprintf(holiday, sizeof(holiday), "%04d-%02u-%02u", static_cast<int>(y),
                m, d);
  boost::json::object body{{"holidays", boost::json::array{holiday}}};
  ASSERT_TRUE(calendars.Update(ctx_, body).ok());
  auto shaped =
      with_calendar.Generate(ctx_, {.product_id = "p1",
                                    .horizon_days = 7,
                                    .model = ModelType::kMovingAverage});
  ASSERT_TRUE(shaped.ok()) << shaped.status();
  ASSERT_EQ(shaped->daily.size(), 7u);
  EXPECT_GT(plain->daily[1], 0);
  EXPECT_EQ(shaped->daily[1], 0);  // the holiday
  EXPECT_GT(shaped->daily[0], 0);
}

TEST_P(ForecastServiceTest, WeeklyDemandIsForecastByHoltWinters) {
  GivenWeeklyHistory(70);
  Shipped("acme", Today(), 500);  // today is not complete: not history
  auto f = forecasts_->Generate(
      ctx_, {.product_id = "p1", .horizon_days = 14, .lead_time_days = 7});
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->model_type, "holt_winters");
  EXPECT_EQ(f->history_days, 70);
  EXPECT_EQ(f->holdout_days, kHoldoutDays);
  ASSERT_TRUE(f->mape.has_value());
  EXPECT_LT(*f->mape, 10.0);
  ASSERT_EQ(f->daily.size(), 14u);
  EXPECT_EQ(f->start_day, Today());
  // A week of ~20 a day, plus safety stock.
  EXPECT_NEAR(f->lead_time_demand, 140, 10);
  EXPECT_GT(f->suggested_reorder_point, f->lead_time_demand);
  EXPECT_EQ(static_cast<double>(f->suggested_reorder_point),
            std::ceil(f->lead_time_demand + f->safety_stock - 1e-9));

  // forecast.generated is the record; Latest reads it back.
  EXPECT_EQ(StreamTypes("acme", ForecastStream("p1")),
            std::vector<std::string>{"forecast.generated"});
  auto latest = forecasts_->Latest("acme", "p1", "");
  ASSERT_TRUE(latest.ok()) << latest.status();
  EXPECT_EQ(latest->forecast_id, f->forecast_id);
  EXPECT_EQ(latest->daily, f->daily);
  EXPECT_EQ(latest->mape, f->mape);
  EXPECT_EQ(latest->suggested_reorder_point, f->suggested_reorder_point);
  EXPECT_EQ(latest->ToJson().at("endDate").as_string(),
            common::FormatDay(Today() + 13));
}

TEST_P(ForecastServiceTest, LocationsAreForecastApartOrTogether) {
  for (int i = 1; i <= 10; ++i) {
    Shipped("acme", Today() - i, 2, "main");
    Shipped("acme", Today() - i, 6, "north");
  }
  ASSERT_TRUE(
      catalog_->CreateLocation(ctx_, {.id = "north", .name = "N"}).ok());
  auto all =
      forecasts_->Generate(ctx_, {.product_id = "p1", .horizon_days = 3});
  auto north = forecasts_->Generate(
      ctx_, {.product_id = "p1", .location_id = "north", .horizon_days = 3});
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_TRUE(north.ok()) << north.status();
  EXPECT_EQ(all->daily, (std::vector<double>{8, 8, 8}));
  EXPECT_EQ(north->daily, (std::vector<double>{6, 6, 6}));
  EXPECT_FALSE(all->mape.has_value());  // 10 days: no holdout
  EXPECT_EQ(forecasts_->Latest("acme", "p1", "")->forecast_id,
            north->forecast_id);
  EXPECT_EQ(forecasts_->Latest("acme", "p1", "main").status().code(),
            core::StatusCode::kNotFound);
}

TEST_P(ForecastServiceTest, RefusesBadRequestsAndOtherTenants) {
  GivenWeeklyHistory(20);
  auto code = [&](const ForecastRequest& r) {
    return forecasts_->Generate(ctx_, r).status().code();
  };
  EXPECT_EQ(code({.product_id = "p1", .horizon_days = 0}),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.product_id = "p1", .horizon_days = 366}),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(code({.product_id = "nope", .horizon_days = 7}),
            core::StatusCode::kNotFound);
  EXPECT_EQ(
      code({.product_id = "p1", .location_id = "mars", .horizon_days = 7}),
      core::StatusCode::kNotFound);
  EXPECT_EQ(code({.product_id = "p1",
                  .horizon_days = 7,
                  .model = ModelType::kHoltWinters}),
            core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(code({.product_id = "p1", .horizon_days = 7, .service_level = 1.5}),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(forecasts_->Latest("acme", "p1", "").status().code(),
            core::StatusCode::kNotFound);

  ASSERT_TRUE(
      forecasts_->Generate(ctx_, {.product_id = "p1", .horizon_days = 7}).ok());
  common::CommandContext globex{.tenant = "globex"};
  EXPECT_EQ(
      forecasts_->Generate(globex, {.product_id = "p1", .horizon_days = 7})
          .status()
          .code(),
      core::StatusCode::kNotFound);
  EXPECT_EQ(forecasts_->Latest("globex", "p1", "").status().code(),
            core::StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Stores, ForecastServiceTest, testing::kAllStores,
                         testing::StoreName);

}  // namespace
}  // namespace stockpile::domain::forecasting
