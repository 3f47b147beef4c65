// Forecast: one generated demand forecast of a product (at a location, or
// over all of them), as forecast.generated records it in the product's
// forecast stream "forecast-<productId>", with the dynamic reorder point
// for the lead time and service level it was asked for.
//
// JSON (the HTTP response; the event payload is the same without
// generatedAt and points, which are rebuilt from startDate and daily):
//   {forecastId, productId, locationId (null = all locations), modelType,
//    horizonDays, startDate, endDate, mape (null without a holdout),
//    holdoutDays, historyDays, points: [{date, quantity}],
//    leadTimeDays, serviceLevel, leadTimeDemand, safetyStock,
//    suggestedReorderPoint, generatedAt}
//
// Thread-safety: a plain value.
#ifndef STOCKPILE_DOMAIN_FORECASTING_FORECAST_H_
#define STOCKPILE_DOMAIN_FORECASTING_FORECAST_H_

#include <boost/json/object.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/event.h"
#include "core/result.h"

namespace stockpile::domain::forecasting {

inline constexpr std::string_view kForecastGenerated = "forecast.generated";

std::string ForecastStream(std::string_view product_id);

struct Forecast {
  std::string forecast_id;
  std::string product_id;
  std::string location_id;  // "" = all locations summed
  std::string model_type;   // "moving_average" | "holt_winters"
  int64_t start_day = 0;    // the first forecast day
  std::vector<double> daily;
  std::optional<double> mape;
  int64_t holdout_days = 0;
  int64_t history_days = 0;
  double sigma = 0;
  int64_t lead_time_days = 0;
  double service_level = 0;
  double lead_time_demand = 0;
  double safety_stock = 0;
  int64_t suggested_reorder_point = 0;
  int64_t generated_at_ms = 0;

  // The forecast.generated payload.
  boost::json::object ToPayload() const;
  // The HTTP shape (above).
  boost::json::object ToJson() const;
  // InvalidArgument when `e` is not a well-formed forecast.generated.
  static core::Result<Forecast> FromEvent(const core::Event& e);
};

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_FORECAST_H_
