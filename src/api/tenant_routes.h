// The tenant's settings — its business calendar (issue 10):
//
//   GET /api/v1/tenant/settings   operations (admin)  200 settings
//   PUT /api/v1/tenant/settings   operations (admin)  200 settings
//       {timezone?, region?, currency?, businessHours?, holidays?,
//        seasonalFactors?}  -> the effective settings
//
// PUT replaces the settings (what is left out comes from the region pack or
// the defaults) and records tenant.settings.updated; a bad field is 422
// naming it (unknown zone or region, bad HH:MM, close not after open, a
// month outside 1..12, an unknown field).
#ifndef STOCKPILE_API_TENANT_ROUTES_H_
#define STOCKPILE_API_TENANT_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// `tenant.service` must be set and outlive the router.
void AddTenantRoutes(Router& router, TenantApi tenant);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_TENANT_ROUTES_H_
