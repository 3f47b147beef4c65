#include "domain/forecasting/holdout_error.h"

#include <algorithm>
#include <cmath>

namespace stockpile::domain::forecasting {

double HoldoutError(std::span<const double> actual,
                    std::span<const double> forecast) {
  const size_t n = std::min(actual.size(), forecast.size());
  double error = 0;
  double sold = 0;
  double forecast_sum = 0;
  for (size_t i = 0; i < n; ++i) {
    error += std::abs(actual[i] - forecast[i]);
    sold += actual[i];
    forecast_sum += forecast[i];
  }
  if (sold > 0) return 100.0 * error / sold;
  return forecast_sum > 0 ? 100.0 : 0.0;
}

}  // namespace stockpile::domain::forecasting
