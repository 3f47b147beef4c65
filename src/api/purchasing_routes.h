// The purchasing service's HTTP routes (DESIGN.md §7, flow §4.2):
//
//   PUT  /api/v1/replenishment-rules/{productId}  business_write  200 rule
//        {locationId?, reorderPoint, reorderQuantity | minQuantity +
//         maxQuantity, safetyStock?, leadTimeDays?, supplierId,
//         autoApproveLimit?}
//   GET  /api/v1/replenishment-rules   read  ?productId=&after=&limit=,
//                                      {items, next}
//   POST /api/v1/purchase-orders       business_write  201 + Location
//        {id?, supplierId, locationId?, lines: [{productId, quantity,
//         unitCost?}]}  (pending until approved)
//   GET  /api/v1/purchase-orders       read  ?status=&before=&limit=, newest
//                                      first, {items, next}
//   GET  /api/v1/purchase-orders/{id}            read
//   POST /api/v1/purchase-orders/{id}/approve    approve (manager, admin)
//   POST /api/v1/purchase-orders/{id}/receive    clerk_write
//        {lines: [{productId, quantity}]}  (partial receipts; more than
//        outstanding is 422)
//   POST /api/v1/purchase-orders/{id}/cancel     business_write
//
// Bad fields are 422 naming the field, a transition the status does not
// allow 409, another tenant's purchase order 404.
#ifndef STOCKPILE_API_PURCHASING_ROUTES_H_
#define STOCKPILE_API_PURCHASING_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// Everything in `purchasing` must be set and outlive the router.
void AddPurchasingRoutes(Router& router, PurchasingApi purchasing);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_PURCHASING_ROUTES_H_
