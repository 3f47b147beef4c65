#include "domain/forecasting/demand_forecaster.h"

#include <cmath>
#include <numeric>
#include <string>

#include "core/status_macros.h"
#include "domain/forecasting/holdout_error.h"
#include "domain/forecasting/moving_average.h"

namespace stockpile::domain::forecasting {
namespace {

// A model's holdout forecast and its error.
struct Trial {
  std::vector<double> holdout_forecast;
  double mape = 0;
};

double RootMeanSquare(std::span<const double> actual,
                      std::span<const double> forecast) {
  double sum = 0;
  for (size_t i = 0; i < actual.size(); ++i) {
    const double e = actual[i] - forecast[i];
    sum += e * e;
  }
  return actual.empty() ? 0
                        : std::sqrt(sum / static_cast<double>(actual.size()));
}

double StandardDeviation(std::span<const double> values) {
  if (values.empty()) return 0;
  const double n = static_cast<double>(values.size());
  const double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double sum = 0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / n);
}

core::Result<Trial> TryModel(ModelType model, std::span<const double> training,
                             std::span<const double> holdout) {
  Trial t;
  const int days = static_cast<int>(holdout.size());
  if (model == ModelType::kMovingAverage) {
    t.holdout_forecast =
        MovingAverageForecast(training, kMovingAverageWindow, days);
  } else {
    ASSIGN_OR_RETURN(HoltWintersFit fit, FitHoltWinters(training));
    ASSIGN_OR_RETURN(t.holdout_forecast,
                     HoltWintersForecast(training, fit.params, days));
  }
  t.mape = HoldoutError(holdout, t.holdout_forecast);
  return t;
}

}  // namespace

std::string_view ModelTypeName(ModelType model) {
  return model == ModelType::kHoltWinters ? "holt_winters" : "moving_average";
}

core::Result<ModelType> ParseModelType(std::string_view name) {
  if (name == "moving_average") return ModelType::kMovingAverage;
  if (name == "holt_winters") return ModelType::kHoltWinters;
  return core::InvalidArgumentError(
      "model must be 'moving_average' or "
      "'holt_winters', not '" +
      std::string(name) + "'");
}

core::Result<DemandForecast> ForecastDemand(std::span<const double> history,
                                            int horizon,
                                            std::optional<ModelType> model) {
  if (horizon <= 0) {
    return core::InvalidArgumentError("horizon must be at least one day");
  }
  for (double y : history) {
    if (!std::isfinite(y) || y < 0) {
      return core::InvalidArgumentError(
          "demand history holds a negative or non-finite value");
    }
  }
  const int n = static_cast<int>(history.size());
  const bool can_holt_winters = n >= kMinHoldoutHistoryHoltWinters;
  if (model == ModelType::kHoltWinters && !can_holt_winters) {
    return core::FailedPreconditionError(
        "holt_winters needs at least " +
        std::to_string(kMinHoldoutHistoryHoltWinters) +
        " days of demand history (" + std::to_string(kMinHoltWintersHistory) +
        " to fit, " + std::to_string(kHoldoutDays) + " to test), not " +
        std::to_string(n));
  }

  DemandForecast out;
  if (n <= kHoldoutDays) {  // no holdout possible
    out.daily = MovingAverageForecast(history, kMovingAverageWindow, horizon);
    out.sigma = StandardDeviation(history);
    return out;
  }
  const std::span<const double> training = history.first(n - kHoldoutDays);
  const std::span<const double> holdout = history.last(kHoldoutDays);
  ASSIGN_OR_RETURN(Trial chosen,
                   TryModel(ModelType::kMovingAverage, training, holdout));
  out.model = ModelType::kMovingAverage;
  const bool try_holt_winters =
      model == ModelType::kHoltWinters || (!model && can_holt_winters);
  if (try_holt_winters) {
    ASSIGN_OR_RETURN(Trial hw,
                     TryModel(ModelType::kHoltWinters, training, holdout));
    if (model == ModelType::kHoltWinters || hw.mape < chosen.mape) {
      chosen = std::move(hw);
      out.model = ModelType::kHoltWinters;
    }
  }
  out.mape = chosen.mape;
  out.holdout_days = kHoldoutDays;
  out.sigma = RootMeanSquare(holdout, chosen.holdout_forecast);
  if (out.model == ModelType::kMovingAverage) {
    out.daily = MovingAverageForecast(history, kMovingAverageWindow, horizon);
  } else {
    ASSIGN_OR_RETURN(HoltWintersFit fit, FitHoltWinters(history));
    ASSIGN_OR_RETURN(out.daily,
                     HoltWintersForecast(history, fit.params, horizon));
    out.params = fit.params;
  }
  return out;
}

}  // namespace stockpile::domain::forecasting
