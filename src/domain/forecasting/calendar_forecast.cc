#include "domain/forecasting/calendar_forecast.h"

#include <vector>

#include "core/status_macros.h"

namespace stockpile::domain::forecasting {

core::Result<DemandForecast> ForecastWithCalendar(
    std::span<const double> history, int64_t first_day, int horizon,
    const calendar::BusinessCalendar& calendar,
    std::optional<ModelType> model) {
  std::vector<double> adjusted(history.begin(), history.end());
  double sum = 0;
  int working = 0;
  for (size_t i = 0; i < adjusted.size(); ++i) {
    const int64_t day = first_day + static_cast<int64_t>(i);
    if (calendar.IsHoliday(day)) continue;
    adjusted[i] /= calendar.SeasonalFactor(day);
    sum += adjusted[i];
    ++working;
  }
  const double mean = working > 0 ? sum / working : 0;
  for (size_t i = 0; i < adjusted.size(); ++i) {
    if (calendar.IsHoliday(first_day + static_cast<int64_t>(i))) {
      adjusted[i] = mean;
    }
  }
  ASSIGN_OR_RETURN(DemandForecast f, ForecastDemand(adjusted, horizon, model));
  const int64_t next = first_day + static_cast<int64_t>(history.size());
  for (size_t i = 0; i < f.daily.size(); ++i) {
    const int64_t day = next + static_cast<int64_t>(i);
    f.daily[i] =
        calendar.IsHoliday(day) ? 0 : f.daily[i] * calendar.SeasonalFactor(day);
  }
  return f;
}

}  // namespace stockpile::domain::forecasting
