// The operations routes (DESIGN.md §7 "operations"): how the runtime's
// subscriptions are doing, and their dead letters.
//
//   GET  /api/v1/subscriptions           read        {items: [stats]}
//   GET  /api/v1/dlq?subscription=       read        {items: [dead letter]}
//   POST /api/v1/dlq/{id}/redrive        operations  200 {id, state}
//   POST /api/v1/dlq/{id}/discard        operations  204
//
// Subscriptions serve every tenant, so their counters are operational
// figures without tenant data. Dead letters carry a tenant's events: a
// caller sees and acts on only those of its own tenant (another tenant's
// id answers 404).
#ifndef STOCKPILE_API_OPERATIONS_ROUTES_H_
#define STOCKPILE_API_OPERATIONS_ROUTES_H_

#include <vector>

#include "api/router.h"
#include "runtime/consumer.h"
#include "runtime/dead_letter_store.h"

namespace stockpile::api {

struct OperationsApi {
  std::vector<runtime::Consumer*> consumers;
  runtime::DeadLetterStore* dead_letters = nullptr;
};

// Everything in `operations` must be set and outlive the router.
void AddOperationsRoutes(Router& router, const OperationsApi& operations);

}  // namespace stockpile::api

#endif  // STOCKPILE_API_OPERATIONS_ROUTES_H_
