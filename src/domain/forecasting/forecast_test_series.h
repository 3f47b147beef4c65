// Synthetic daily demand series for the forecasting tests.
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_FORECASTING_FORECAST_TEST_SERIES_H_
#define STOCKPILE_DOMAIN_FORECASTING_FORECAST_TEST_SERIES_H_

#include <array>
#include <cstdint>
#include <vector>

namespace stockpile::domain::forecasting::series {

// `days` of demand around 20 units with a strong weekday pattern (busy
// Saturdays and Mondays, quiet midweek) and a deterministic +-1 jitter.
inline std::vector<double> WeeklySeries(int days) {
  constexpr std::array<double, 7> kWeekday = {6, -4, -5, -3, 0, 12, -6};
  std::vector<double> out;
  uint32_t state = 12345;
  for (int d = 0; d < days; ++d) {
    state = state * 1103515245u + 12345u;
    const double jitter = static_cast<double>((state >> 16) % 3) - 1.0;
    out.push_back(20 + kWeekday[static_cast<size_t>(d % 7)] + jitter);
  }
  return out;
}

inline std::vector<double> FlatSeries(int days, double value) {
  return std::vector<double>(static_cast<size_t>(days), value);
}

}  // namespace stockpile::domain::forecasting::series

#endif  // STOCKPILE_DOMAIN_FORECASTING_FORECAST_TEST_SERIES_H_
