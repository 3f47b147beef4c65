// The billing service's HTTP routes (DESIGN.md §7, flow §4.4):
//
//   POST /api/v1/payments   business_write  201
//        {orderId, amount, status: succeeded|failed, paymentId?, reason?}
//        -> {paymentId, orderId, status, bill}
//        (the seeds' spellings "success" / "paid" and "failure" /
//        "declined" are accepted; a payment gateway's callback posts here)
//   GET  /api/v1/bills?orderId=   read  {items: [bill], next: null}
//
// A payment before the order is confirmed (no bill yet) is 409, an amount
// other than the bill's 422, a second payment of a paid bill 409.
#ifndef STOCKPILE_API_BILLING_ROUTES_H_
#define STOCKPILE_API_BILLING_ROUTES_H_

#include "api/domain_api.h"
#include "api/router.h"

namespace stockpile::api {

// `billing.service` must be set and outlive the router.
void AddBillingRoutes(Router& router, BillingApi billing);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_BILLING_ROUTES_H_
