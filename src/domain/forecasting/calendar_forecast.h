// ForecastWithCalendar: ForecastDemand on demand with the tenant's
// calendar taken out and put back — seasonal factors and holiday effects:
//
//   history day d  -> demand / calendar.SeasonalFactor(d)   (month factor x
//                     Ramadan/Eid season factors of the region pack)
//                  -> 0-weighted out when d is a holiday (the day is filled
//                     with the mean of the de-seasonalised working days)
//   ForecastDemand(adjusted history, horizon)
//   forecast day f -> value * calendar.SeasonalFactor(f), 0 on holidays
//
// So a model that knows nothing of Ramadan forecasts its uplift from the
// region pack, and a holiday's empty shop neither drags down the baseline
// nor is forecast as a sale day.
//
//   ASSIGN_OR_RETURN(DemandForecast f,
//       ForecastWithCalendar(history, first_day, 30, calendar, {}));
//
// `first_day` is the local date (days since 1970-01-01) of history[0].
// Errors as ForecastDemand. Thread-safety: a pure function.
#ifndef STOCKPILE_DOMAIN_FORECASTING_CALENDAR_FORECAST_H_
#define STOCKPILE_DOMAIN_FORECASTING_CALENDAR_FORECAST_H_

#include <cstdint>
#include <optional>
#include <span>

#include "core/result.h"
#include "domain/calendar/business_calendar.h"
#include "domain/forecasting/demand_forecaster.h"

namespace stockpile::domain::forecasting {

core::Result<DemandForecast> ForecastWithCalendar(
    std::span<const double> history, int64_t first_day, int horizon,
    const calendar::BusinessCalendar& calendar, std::optional<ModelType> model);

}  // namespace stockpile::domain::forecasting

#endif  // STOCKPILE_DOMAIN_FORECASTING_CALENDAR_FORECAST_H_
