// The analytics read model's HTTP routes (DESIGN.md §4.6), all `read`:
//
//   GET /api/v1/analytics/events?from=&to=
//       {items: [{hour, eventType, count}], next: null}
//       events of the caller's tenant per type per UTC hour
//   GET /api/v1/analytics/revenue?from=&to=
//       {items: [{date, currency, amount, amountMinor, payments}], next: null}
//       payment.succeeded per UTC day and currency (amount in major units,
//       amountMinor the exact integer)
//   GET /api/v1/analytics/top-products?limit=&from=&to=
//       {items: [{productId, unitsSold}], next: null}
//       most units sold first (limit 1..1000, default 10)
//
// from / to: an RFC 3339 date-time or a YYYY-MM-DD date (its midnight UTC);
// the range is [from, to), unbounded where absent. A day or hour counts
// when its start lies in the range. A malformed value or to < from is 400.
// The figures follow the log moments after an event is appended.
#ifndef STOCKPILE_API_ANALYTICS_ROUTES_H_
#define STOCKPILE_API_ANALYTICS_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// `analytics.view` must be set and outlive the router.
void AddAnalyticsRoutes(Router& router, AnalyticsApi analytics);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_ANALYTICS_ROUTES_H_
