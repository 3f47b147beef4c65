#include "domain/forecasting/holt_winters.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "domain/forecasting/forecast_test_series.h"

namespace stockpile::domain::forecasting {
namespace {

TEST(HoltWintersTest, FollowsTheWeekdayPattern) {
  const std::vector<double> history = series::WeeklySeries(56);
  auto fit = FitHoltWinters(history);
  ASSERT_TRUE(fit.ok()) << fit.status();
  auto f = HoltWintersForecast(history, fit->params, 7);
  ASSERT_TRUE(f.ok()) << f.status();
  // Day 56 is a weekday-0 (+6), day 61 the busy one (+12), day 62 -6.
  EXPECT_NEAR((*f)[0], 26, 2);
  EXPECT_NEAR((*f)[5], 32, 2);
  EXPECT_NEAR((*f)[6], 14, 2);
}

TEST(HoltWintersTest, FlatHistoryForecastsTheSameLevel) {
  const std::vector<double> history = series::FlatSeries(28, 5);
  auto fit = FitHoltWinters(history);
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_DOUBLE_EQ(fit->sse, 0.0);
  auto f = HoltWintersForecast(history, fit->params, 30);
  ASSERT_TRUE(f.ok());
  for (double v : *f) EXPECT_NEAR(v, 5, 1e-9);
}

TEST(HoltWintersTest, NeverForecastsBelowZero) {
  // A steep fall: the trend alone would take the forecast far below zero.
  std::vector<double> history;
  for (int d = 0; d < 28; ++d)
    history.push_back(d < 14 ? 50 : 50 - 3.5 * (d - 13));
  auto f = HoltWintersForecast(
      history, {.alpha = 0.5, .beta = 0.5, .gamma = 0.1, .phi = 1.0}, 60);
  ASSERT_TRUE(f.ok()) << f.status();
  for (double v : *f) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0.0);
  }
  EXPECT_DOUBLE_EQ(f->back(), 0.0);
}

TEST(HoltWintersTest, RefusesShortOrBadInput) {
  EXPECT_EQ(FitHoltWinters(series::FlatSeries(13, 1)).status().code(),
            core::StatusCode::kInvalidArgument);
  std::vector<double> bad = series::FlatSeries(14, 1);
  bad[3] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(FitHoltWinters(bad).status().code(),
            core::StatusCode::kInvalidArgument);
  bad[3] = -1;
  EXPECT_EQ(HoltWintersForecast(bad, {}, 3).status().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(HoltWintersForecast(series::FlatSeries(14, 1), {.alpha = 2}, 3)
                .status()
                .code(),
            core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace stockpile::domain::forecasting
