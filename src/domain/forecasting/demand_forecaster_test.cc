#include "domain/forecasting/demand_forecaster.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "domain/forecasting/forecast_test_series.h"
#include "domain/forecasting/holdout_error.h"
#include "domain/forecasting/moving_average.h"

namespace stockpile::domain::forecasting {
namespace {

void ExpectDemand(const DemandForecast& f, size_t days) {
  ASSERT_EQ(f.daily.size(), days);
  for (double v : f.daily) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0.0);
  }
  EXPECT_TRUE(std::isfinite(f.sigma));
  EXPECT_GE(f.sigma, 0.0);
  if (f.mape) {
    EXPECT_TRUE(std::isfinite(*f.mape));
  }
}

TEST(DemandForecasterTest, HoltWintersBeatsTheMovingAverageOnAWeeklySeries) {
  const std::vector<double> history = series::WeeklySeries(70);
  auto hw = ForecastDemand(history, 14, ModelType::kHoltWinters);
  auto ma = ForecastDemand(history, 14, ModelType::kMovingAverage);
  ASSERT_TRUE(hw.ok()) << hw.status();
  ASSERT_TRUE(ma.ok()) << ma.status();
  ASSERT_TRUE(hw->mape && ma->mape);
  EXPECT_LT(*hw->mape, *ma->mape / 3);
  EXPECT_LT(*hw->mape, 10.0);
  EXPECT_EQ(hw->holdout_days, kHoldoutDays);
  EXPECT_LT(hw->sigma, ma->sigma);

  auto chosen = ForecastDemand(history, 14, std::nullopt);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(chosen->model, ModelType::kHoltWinters);
  EXPECT_EQ(chosen->mape, hw->mape);
  ExpectDemand(*chosen, 14);
  ASSERT_TRUE(chosen->params.has_value());
}

TEST(DemandForecasterTest, FlatSeriesForecastsTheLevelWithNoError) {
  auto f = ForecastDemand(series::FlatSeries(60, 4), 10, std::nullopt);
  ASSERT_TRUE(f.ok()) << f.status();
  ExpectDemand(*f, 10);
  // Both models are exact; a tie keeps the simpler moving average.
  EXPECT_EQ(f->model, ModelType::kMovingAverage);
  EXPECT_EQ(f->mape, 0.0);
  EXPECT_EQ(f->sigma, 0.0);
  for (double v : f->daily) EXPECT_DOUBLE_EQ(v, 4.0);
}

TEST(DemandForecasterTest, ShortHistoryFallsBackToTheMovingAverage) {
  // 20 days: a holdout, but too few days to fit Holt-Winters as well.
  auto f = ForecastDemand(series::WeeklySeries(20), 5, std::nullopt);
  ASSERT_TRUE(f.ok()) << f.status();
  EXPECT_EQ(f->model, ModelType::kMovingAverage);
  EXPECT_TRUE(f->mape.has_value());
  ExpectDemand(*f, 5);
  // Asking for it is an error that says how much history it needs.
  auto hw =
      ForecastDemand(series::WeeklySeries(20), 5, ModelType::kHoltWinters);
  EXPECT_EQ(hw.status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_NE(hw.status().message().find("28"), std::string::npos) << hw.status();

  // 10 days: no holdout at all, so no error figure.
  auto tiny = ForecastDemand(series::FlatSeries(10, 3), 5, std::nullopt);
  ASSERT_TRUE(tiny.ok());
  EXPECT_FALSE(tiny->mape.has_value());
  EXPECT_EQ(tiny->holdout_days, 0);
  for (double v : tiny->daily) EXPECT_DOUBLE_EQ(v, 3.0);

  // Nothing sold yet: zero demand.
  auto none = ForecastDemand({}, 3, std::nullopt);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->daily, (std::vector<double>{0, 0, 0}));
}

TEST(DemandForecasterTest, IntermittentDemandStaysFiniteAndNonNegative) {
  std::vector<double> history(90, 0.0);
  for (size_t d = 0; d < history.size(); d += 11) history[d] = 7;
  for (auto model :
       {std::optional<ModelType>(), std::optional(ModelType::kHoltWinters),
        std::optional(ModelType::kMovingAverage)}) {
    auto f = ForecastDemand(history, 365, model);
    ASSERT_TRUE(f.ok()) << f.status();
    ExpectDemand(*f, 365);
  }
  // A holdout without any sale.
  std::vector<double> dry(40, 0.0);
  dry[3] = 5;
  auto f = ForecastDemand(dry, 7, std::nullopt);
  ASSERT_TRUE(f.ok());
  ExpectDemand(*f, 7);
}

TEST(DemandForecasterTest, RefusesBadInput) {
  EXPECT_EQ(ForecastDemand(series::FlatSeries(30, 1), 0, {}).status().code(),
            core::StatusCode::kInvalidArgument);
  std::vector<double> bad = series::FlatSeries(30, 1);
  bad[0] = std::nan("");
  EXPECT_EQ(ForecastDemand(bad, 3, {}).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseModelType("arima").ok());
  EXPECT_EQ(*ParseModelType("holt_winters"), ModelType::kHoltWinters);
}

}  // namespace
}  // namespace stockpile::domain::forecasting
