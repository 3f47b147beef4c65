// The forecasting service's HTTP routes (DESIGN.md §7, flow §4.5):
//
//   POST /api/v1/forecasts          business_write  201
//        {productId, locationId?, horizonDays, model?, leadTimeDays?,
//         serviceLevel?}
//        -> the forecast (domain/forecasting/forecast.h): daily points,
//           modelType, mape, startDate/endDate and suggestedReorderPoint
//           for leadTimeDays (default 7) at serviceLevel (default 0.95);
//           forecast.generated is appended
//   GET  /api/v1/forecasts/{productId}?locationId=   read   the newest one
//
// locationId absent = demand of every location summed. model is
// moving_average or holt_winters; absent = the better on the holdout.
// horizonDays outside 1..365, a bad model, leadTimeDays outside 1..365 or
// serviceLevel outside 0.5..0.9999 is 422; an unknown product or location
// 404 (also for GET without a forecast); holt_winters asked for with under
// 28 days of history 409.
#ifndef STOCKPILE_API_FORECAST_ROUTES_H_
#define STOCKPILE_API_FORECAST_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// `forecasts.service` must be set and outlive the router.
void AddForecastRoutes(Router& router, ForecastApi forecasts);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_FORECAST_ROUTES_H_
