#include "domain/forecasting/moving_average.h"

#include <algorithm>
#include <numeric>

namespace stockpile::domain::forecasting {

std::vector<double> MovingAverageForecast(std::span<const double> history,
                                          int window, int horizon) {
  if (horizon <= 0) return {};
  const size_t n =
      std::min(history.size(), static_cast<size_t>(std::max(window, 1)));
  double mean = 0;
  if (n > 0) {
    std::span<const double> tail = history.last(n);
    mean =
        std::accumulate(tail.begin(), tail.end(), 0.0) / static_cast<double>(n);
  }
  return std::vector<double>(static_cast<size_t>(horizon), mean);
}

}  // namespace stockpile::domain::forecasting
