// ForecastFromHistory: the demand forecast of a product from the demand
// history read model — the one path from DemandHistory to a DemandForecast
// that both a requested forecast (ForecastService) and a dynamic reorder
// point of replenishment take:
//
//   DemandHistory::Series (complete days up to `today` - 1, at most
//   kMaxHistoryDays) -> ForecastWithCalendar (a calendar given) or
//   ForecastDemand -> `days` days of demand from `today`
//
//   ASSIGN_OR_RETURN(HistoryForecast f, ForecastFromHistory(
//       history, {.tenant = "acme", .product_id = "p1", .today = today,
//                 .days = 14, .calendar = cal.get()}));
//
// Errors as ForecastDemand. Thread-safety: as DemandHistory::Series.
#ifndef STOCKPILE_DOMAIN_FORECASTING_HISTORY_FORECAST_H_
#define STOCKPILE_DOMAIN_FORECASTING_HISTORY_FORECAST_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "domain/calendar/business_calendar.h"
#include "domain/forecasting/demand_forecaster.h"
#include "domain/forecasting/demand_history.h"

namespace stockpile::domain::forecasting {

// The newest days of history a forecast looks at.
inline constexpr size_t kMaxHistoryDays = 730;

struct HistoryQuery {
  std::string_view tenant;
  std::string_view product_id;
  std::string_view location_id;  // "" = all locations summed
  int64_t today = 0;             // days since 1970-01-01 (UTC)
  int days = 1;                  // the forecast's length, >= 1
  // The tenant's calendar; null = a forecast without one.
  const calendar::BusinessCalendar* calendar = nullptr;
  std::optional<ModelType> model;  // unset = the better on the holdout
};

struct HistoryForecast {
  DailySeries series;  // the history the forecast was made from
  DemandForecast demand;
};

core::Result<HistoryForecast> ForecastFromHistory(const DemandHistory& history,
                                                  const HistoryQuery& query);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_HISTORY_FORECAST_H_
