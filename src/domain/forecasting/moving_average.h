// MovingAverageForecast: the baseline demand model — every future day is
// forecast as the mean demand of the last `window` days of history.
//
//   std::vector<double> f = MovingAverageForecast(history, 7, 30);
//
// A window of a whole week (7 days) averages the weekday pattern out, so the
// baseline is fair to a product sold mostly at weekends.
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_FORECASTING_MOVING_AVERAGE_H_
#define STOCKPILE_DOMAIN_FORECASTING_MOVING_AVERAGE_H_

#include <span>
#include <vector>

namespace stockpile::domain::forecasting {

inline constexpr int kMovingAverageWindow = 7;

// `horizon` copies of the mean of the last min(window, history.size())
// values; zeros for an empty history. horizon <= 0 gives an empty vector.
// History values must be finite and non-negative; so is the result.
std::vector<double> MovingAverageForecast(std::span<const double> history,
                                          int window, int horizon);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_MOVING_AVERAGE_H_
