// The purchasing service's subscription: what it does when events arrive
// (services never call each other, DESIGN.md §4.2).
//
//   "purchasing.replenishment"  inventory.stock.low     -> Review the rule
//                               replenishment.triggered -> raise the PO
//
// Both events of one product at one location share the aggregate id
// "<productId>@<locationId>", so they are handled in log order.
//
// Ownership: the handler borrows `replenishment`, which must outlive the
// consumer. Thread-safety: the handler is safe for concurrent use.
#ifndef STOCKPILE_DOMAIN_PURCHASING_PURCHASING_SUBSCRIPTIONS_H_
#define STOCKPILE_DOMAIN_PURCHASING_PURCHASING_SUBSCRIPTIONS_H_

#include <string_view>

#include "domain/purchasing/replenishment_service.h"
#include "runtime/consumer_options.h"

namespace stockpile::domain::purchasing {

inline constexpr std::string_view kReplenishmentSubscription =
    "purchasing.replenishment";

// Options with the name, patterns and handler set; the caller adds the
// retry policy and worker count.
runtime::ConsumerOptions ReplenishmentSubscription(
    ReplenishmentService& replenishment);

}  // namespace stockpile::domain::purchasing

#endif  // STOCKPILE_DOMAIN_PURCHASING_PURCHASING_SUBSCRIPTIONS_H_
