// The integration ingest route (DESIGN.md §4 flow 3, §7):
//
//   POST /api/v1/integrations/events   clerk_write
//        body: one event, in the standard envelope or CloudEvents 1.0
//        structured JSON; the type may be a seed name (SALE_COMPLETED,
//        RECEIPT_COMPLETED, TRANSFER_INITIATED, StockAdjusted,
//        payment.success, ...)
//        202 {eventId, eventType, canonicalType, position, duplicate: false}
//        200 the same with duplicate: true when the eventId was ingested
//            before (nothing happens a second time)
//
// The stock moves (or the bill is paid) moments later, when the owning
// service's consumer acts on the record; follow it on the event stream by
// the request's correlation id. Payments need business_write (manager,
// admin). A bad event is 422 naming the field; an unknown product or
// location 422; another tenant's tenantId 422.
#ifndef STOCKPILE_API_INTEGRATION_ROUTES_H_
#define STOCKPILE_API_INTEGRATION_ROUTES_H_

#include "api/router.h"
#include "domain/integrations/integration_service.h"

namespace stockpile::api {

struct IntegrationsApi {
  domain::integrations::IntegrationService* service = nullptr;
};

// `api.service` must be set and outlive the router.
void AddIntegrationRoutes(Router& router, IntegrationsApi api);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_INTEGRATION_ROUTES_H_
