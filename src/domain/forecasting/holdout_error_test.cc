#include "domain/forecasting/holdout_error.h"

#include <gtest/gtest.h>

#include <vector>

#include "domain/forecasting/moving_average.h"

namespace stockpile::domain::forecasting {
namespace {

TEST(HoldoutErrorTest, IsTheErrorShareOfTheUnitsSold) {
  const std::vector<double> actual = {10, 0, 10};
  const std::vector<double> forecast = {9, 1, 12};
  // (1 + 1 + 2) / 20 units.
  EXPECT_DOUBLE_EQ(HoldoutError(actual, forecast), 20.0);
  EXPECT_DOUBLE_EQ(HoldoutError(actual, actual), 0.0);
}

TEST(HoldoutErrorTest, ZeroDemandDaysCountWithoutDividingByZero) {
  const std::vector<double> none = {0, 0, 0};
  EXPECT_DOUBLE_EQ(HoldoutError(none, none), 0.0);
  EXPECT_DOUBLE_EQ(HoldoutError(none, std::vector<double>{0, 3, 0}), 100.0);
  EXPECT_DOUBLE_EQ(HoldoutError({}, {}), 0.0);
}

TEST(MovingAverageTest, ForecastsTheMeanOfTheLastWindow) {
  const std::vector<double> history = {100, 1, 2, 3};
  EXPECT_EQ(MovingAverageForecast(history, 3, 2), (std::vector<double>{2, 2}));
  EXPECT_EQ(MovingAverageForecast(history, 7, 1), (std::vector<double>{26.5}));
  EXPECT_EQ(MovingAverageForecast({}, 7, 2), (std::vector<double>{0, 0}));
  EXPECT_TRUE(MovingAverageForecast(history, 3, 0).empty());
}

}  // namespace
}  // namespace stockpile::domain::forecasting
