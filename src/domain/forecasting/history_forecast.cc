#include "domain/forecasting/history_forecast.h"

#include <utility>

#include "core/status_macros.h"
#include "domain/forecasting/calendar_forecast.h"

namespace stockpile::domain::forecasting {

core::Result<HistoryForecast> ForecastFromHistory(const DemandHistory& history,
                                                  const HistoryQuery& query) {
  HistoryForecast f;
  f.series = history.Series(query.tenant, query.product_id, query.location_id,
                            query.today - 1, kMaxHistoryDays);
  ASSIGN_OR_RETURN(
      f.demand,
      query.calendar == nullptr
          ? ForecastDemand(f.series.units, query.days, query.model)
          : ForecastWithCalendar(f.series.units, f.series.first_day, query.days,
                                 *query.calendar, query.model));
  return f;
}

}  // namespace stockpile::domain::forecasting
