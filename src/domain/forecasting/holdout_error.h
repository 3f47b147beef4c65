// HoldoutError: how far a forecast was from what happened, as the
// weighted mean absolute percentage error (WAPE) in percent:
//
//   100 * sum |actual - forecast| / sum actual
//
// Daily demand is often zero (a product that sells a few units a week), and
// the textbook MAPE, the mean of |a - f| / a per day, divides by zero on
// such days or must drop them and so ignore every unit forecast for a day
// without sales. Weighting by the actual demand keeps those days' errors
// and is the MAPE of the period's total: a forecast off by 10% of the units
// sold scores 10.
//
// When nothing at all was sold in the holdout, the error is 0 for a forecast
// of zero and 100 for any other (the denominator becomes the forecast's own
// sum): a forecast of demand that did not come is wholly wrong, and the
// figure stays bounded.
//
//   double mape = HoldoutError(actual, forecast);   // 12.5 = 12.5 %
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_FORECASTING_HOLDOUT_ERROR_H_
#define STOCKPILE_DOMAIN_FORECASTING_HOLDOUT_ERROR_H_

#include <span>

namespace stockpile::domain::forecasting {

// Compares the first min(actual.size(), forecast.size()) days; 0 for none.
// Inputs must be finite and non-negative (demand); the result is finite and
// >= 0.
double HoldoutError(std::span<const double> actual,
                    std::span<const double> forecast);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_HOLDOUT_ERROR_H_
