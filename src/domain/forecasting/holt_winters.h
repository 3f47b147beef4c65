// Holt-Winters exponential smoothing with an additive, damped trend and an
// additive weekly season: the demand model for products whose sales follow
// the days of the week.
//
//   level_t  = alpha (y_t - season_{t-m}) + (1 - alpha)(level + phi trend)
//   trend_t  = beta (level_t - level) + (1 - beta) phi trend
//   season_t = gamma (y_t - level_t) + (1 - gamma) season_{t-m}
//   forecast_{n+h} = level_n + (phi + ... + phi^h) trend_n + season_{n+h-m}
//
// phi = 1 is the classic undamped model; phi < 1 flattens the trend so a
// forecast a year out does not follow a short rise or fall for ever.
// Initial state from the first two seasons: level = mean of season 1,
// trend = (mean of season 2 - mean of season 1) / m, season_i = the mean
// over both seasons of y minus its season's mean. The recursion then runs
// over the whole history.
//
//   ASSIGN_OR_RETURN(HoltWintersFit fit, FitHoltWinters(training));
//   ASSIGN_OR_RETURN(std::vector<double> f,
//                    HoltWintersForecast(history, fit.params, 30));
//
// Forecasts are demand: a value below zero is reported as 0.
//
// Errors: InvalidArgument for a history shorter than two seasons
// (kMinHoltWintersHistory days), a non-finite or negative value, or
// parameters outside [0, 1] (phi in (0, 1]).
//
// Thread-safety: pure functions.
#ifndef STOCKPILE_DOMAIN_FORECASTING_HOLT_WINTERS_H_
#define STOCKPILE_DOMAIN_FORECASTING_HOLT_WINTERS_H_

#include <span>
#include <vector>

#include "core/result.h"

namespace stockpile::domain::forecasting {

inline constexpr int kSeasonDays = 7;
inline constexpr int kMinHoltWintersHistory = 2 * kSeasonDays;

struct HoltWintersParams {
  double alpha = 0.3;  // level
  double beta = 0.05;  // trend
  double gamma = 0.2;  // season
  double phi = 1.0;    // trend damping
};

struct HoltWintersFit {
  HoltWintersParams params;
  // Sum of squared one-step-ahead errors over the history, from the third
  // season on (the first two only initialise the state).
  double sse = 0;
};

// The next `horizon` days after `history` (empty for horizon <= 0).
core::Result<std::vector<double>> HoltWintersForecast(
    std::span<const double> history, const HoltWintersParams& params,
    int horizon);

// The parameters of a small grid (alpha, beta, gamma, phi) with the least
// one-step-ahead squared error over `training`; ties keep the first.
core::Result<HoltWintersFit> FitHoltWinters(std::span<const double> training);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_HOLT_WINTERS_H_
