// ForecastDemand: the next days' demand from a daily demand history, by the
// better of two models on a holdout, or by the one asked for.
//
//   history (oldest first, one value per day, zeros for days without sales)
//     -> training = all but the last kHoldoutDays days, holdout = those days
//     -> each model fitted on training, forecasts the holdout
//     -> HoldoutError per model (holdout_error.h, WAPE in percent)
//     -> the lower error wins (a tie keeps the moving average, the simpler)
//     -> the winner refitted on the whole history forecasts `horizon` days
//
//   ASSIGN_OR_RETURN(DemandForecast f, ForecastDemand(history, 30, {}));
//
// Short histories (the fallback, never an error unless a model is asked for):
//   - fewer than kHoldoutDays + 1 days: no holdout is possible; the moving
//     average of what there is (zeros for no history), mape absent.
//   - fewer than kMinHoldoutHistoryHoltWinters days: Holt-Winters cannot be
//     fitted and tested (two weeks to fit, two to test); the moving average
//     is used. Asking for holt_winters then is FailedPrecondition.
//
// Every value returned is finite and >= 0.
//
// Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_FORECASTING_DEMAND_FORECASTER_H_
#define STOCKPILE_DOMAIN_FORECASTING_DEMAND_FORECASTER_H_

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/forecasting/holt_winters.h"

namespace stockpile::domain::forecasting {

enum class ModelType { kMovingAverage, kHoltWinters };

// "moving_average" | "holt_winters".
std::string_view ModelTypeName(ModelType model);
// InvalidArgument for any other name.
core::Result<ModelType> ParseModelType(std::string_view name);

inline constexpr int kHoldoutDays = 14;
inline constexpr int kMinHoldoutHistoryHoltWinters =
    kMinHoltWintersHistory + kHoldoutDays;

struct DemandForecast {
  ModelType model = ModelType::kMovingAverage;
  std::vector<double> daily;   // `horizon` days, the first is the day after
                               // the history
  std::optional<double> mape;  // the chosen model's holdout error, percent
  int holdout_days = 0;        // 0 when there was no holdout
  // The spread of one day's forecast error: the root mean square of the
  // chosen model's holdout errors; without a holdout the standard deviation
  // of the history (0 for none).
  double sigma = 0;
  std::optional<HoltWintersParams> params;  // for holt_winters
};

// `model` unset = the better on the holdout. InvalidArgument for a negative
// or non-finite history value or horizon <= 0.
core::Result<DemandForecast> ForecastDemand(std::span<const double> history,
                                            int horizon,
                                            std::optional<ModelType> model);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_DEMAND_FORECASTER_H_
