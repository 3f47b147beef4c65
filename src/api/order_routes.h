// The orders service's HTTP routes (DESIGN.md §7):
//
//   POST /api/v1/orders               clerk_write  201 + Location, status
//                                     "pending" (the saga settles it)
//   GET  /api/v1/orders               read  ?status=&before=&limit=, newest
//                                     first, {items, next}
//   GET  /api/v1/orders/{id}          read  (from the order's stream: a
//                                     client reads its own writes)
//   POST /api/v1/orders/{id}/cancel   clerk_write  {reason?}
//   POST /api/v1/orders/{id}/ship     clerk_write
//   POST /api/v1/orders/{id}/deliver  clerk_write
//
// A POST /orders with an Idempotency-Key and no `id` gets an order id
// derived from (tenant, key): a retry, even after a restart that lost the
// idempotency cache, finds the first order instead of placing a second.
#ifndef STOCKPILE_API_ORDER_ROUTES_H_
#define STOCKPILE_API_ORDER_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// Everything in `orders` must be set and outlive the router.
void AddOrderRoutes(Router& router, OrdersApi orders);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_ORDER_ROUTES_H_
